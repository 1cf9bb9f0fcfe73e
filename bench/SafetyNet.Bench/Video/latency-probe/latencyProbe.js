// Glass-to-glass delay of any <video> playing the RTSP test camera (hls.js or Media Source Extensions alike): for each
// frame the browser presents, reads the camera's clock pattern and records how long ago the camera drew it. Loaded by
// the bench and the browser tests into the dashboard page, next to silo/dashboard/src/clockPattern.js.
import { clockPatternRows, readClockPattern } from './clockPattern.js';

/**
 * Starts sampling <video>; samples go to window.__latencySamples as { patternMs, delayMs, mediaTime } (delayMs =
 * Date.now() - patternMs when the frame is presented), frames whose pattern cannot be read are counted in
 * window.__latencyUnreadable. Returns a function that stops sampling.
 */
export function probeLatency(video) {
  const samples = (window.__latencySamples = []);
  window.__latencyUnreadable = 0;
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let stopped = false;
  let last = null;

  const onFrame = (_now, metadata) => {
    if (stopped) return;
    const presentedAt = Date.now();
    const { videoWidth: width, videoHeight: height } = video;
    if (width && height) {
      const rows = clockPatternRows(width);
      if (canvas.width !== width || canvas.height !== rows) { canvas.width = width; canvas.height = rows; }
      // Only the bottom band: the frame's last <rows> rows drawn at the canvas's top.
      context.drawImage(video, 0, height - rows, width, rows, 0, 0, width, rows);
      const patternMs = readClockPattern(context.getImageData(0, 0, width, rows));
      if (patternMs === null) window.__latencyUnreadable++;
      else if (patternMs !== last) samples.push({ patternMs, delayMs: presentedAt - patternMs, mediaTime: metadata.mediaTime });
      last = patternMs ?? last;
    }
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  return () => { stopped = true; };
}
