// The low-latency live path: fragmented MP4 over a WebSocket into Media Source Extensions. The server sends a text message
// {codec, rendition}, then the init segment, the cached group of pictures (from a keyframe) and each fragment as the relay
// writes it. The video starts at the newest picture it has and, until it first sits at the live edge, jumps to the edge
// again whenever more of the cached pictures arrive (they may come after the first append, a second or more of them at
// once). From then on it is kept there: a small lag is caught up by playing slightly faster, a large one by seeking.
// What lies far behind the playhead is removed from the buffer.

const MAX_LAG_S = 0.5; // past this, play faster
const SEEK_LAG_S = 1.5; // past this, jump
const EDGE_MARGIN_S = 0.15; // how far behind the newest frame to sit
const KEEP_BEHIND_S = 10; // buffer kept behind the playhead
const CATCH_UP_RATE = 1.1;

/**
 * The browser can play the low-latency path, and nobody chose HLS for this browser (localStorage 'safetynet.videoPath' =
 * 'hls': for a network whose proxy drops WebSockets, or to compare the two paths).
 */
export const liveSupported = () => typeof window.MediaSource !== 'undefined' && typeof window.WebSocket !== 'undefined'
  && window.localStorage?.getItem('safetynet.videoPath') !== 'hls';

const socketUrl = (liveUrl) => {
  const url = new URL(liveUrl, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
};

/**
 * Plays <liveUrl> into <video>. <onEnd>({ code, reason, playing }) hears how the stream ended: the WebSocket close code
 * and reason (1008 = the lease ended, with its reason code), and whether any picture had been shown (if not, HLS may
 * still play it). Returns { close() }.
 */
export function startLiveStream(video, liveUrl, { onEnd, onPlaying }) {
  const socket = new WebSocket(socketUrl(liveUrl));
  socket.binaryType = 'arraybuffer';
  const source = new MediaSource();
  const objectUrl = URL.createObjectURL(source);
  video.src = objectUrl;
  const queue = [];
  let buffer = null;
  let codec = null;
  let playing = false;
  let atEdge = false;
  let ended = false;

  const finish = (code, reason) => {
    if (ended) return;
    ended = true;
    if (socket.readyState <= WebSocket.OPEN) socket.close();
    URL.revokeObjectURL(objectUrl);
    onEnd?.({ code, reason, playing });
  };

  const openBuffer = () => {
    if (buffer || !codec || source.readyState !== 'open') return;
    buffer = source.addSourceBuffer(`video/mp4; codecs="${codec}"`);
    buffer.mode = 'segments';
    buffer.addEventListener('updateend', () => { if (ended) return; followEdge(); append(); });
    buffer.addEventListener('error', () => finish(1006, 'media-error'));
    append();
  };

  const append = () => {
    if (!buffer || buffer.updating || ended) return;
    if (queue.length) {
      try { buffer.appendBuffer(queue.shift()); } catch { finish(1006, 'media-error'); }
      return;
    }
    const ranges = buffer.buffered;
    if (ranges.length && video.currentTime - ranges.start(0) > KEEP_BEHIND_S * 1.5) buffer.remove(ranges.start(0), video.currentTime - KEEP_BEHIND_S);
  };

  const followEdge = () => {
    const ranges = buffer.buffered;
    if (!ranges.length) return;
    const edge = ranges.end(ranges.length - 1);
    const lag = edge - video.currentTime;
    if (!playing) {
      // The first keyframe (and what else of the cached group of pictures is in): start at the newest of them.
      playing = true;
      video.currentTime = Math.max(ranges.start(ranges.length - 1), edge - EDGE_MARGIN_S);
      video.play().catch(() => {});
      onPlaying?.();
    } else if (lag > SEEK_LAG_S || (!atEdge && lag > MAX_LAG_S)) {
      // Catching up by rate from a late start would leave the picture a second behind for several seconds.
      video.currentTime = edge - EDGE_MARGIN_S;
    } else {
      atEdge = true;
      video.playbackRate = lag > MAX_LAG_S ? CATCH_UP_RATE : 1;
    }
  };

  source.addEventListener('sourceopen', openBuffer);
  socket.addEventListener('message', (event) => {
    if (typeof event.data === 'string') {
      codec = JSON.parse(event.data).codec;
      if (!MediaSource.isTypeSupported(`video/mp4; codecs="${codec}"`)) { finish(1003, 'codec-unsupported'); return; }
      openBuffer();
    } else {
      queue.push(event.data);
      append();
    }
  });
  socket.addEventListener('close', (event) => finish(event.code, event.reason));
  return { close: () => finish(1000, 'closed') };
}
