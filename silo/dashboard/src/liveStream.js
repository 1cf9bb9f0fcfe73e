// The low-latency live path: fragmented MP4 over a WebSocket into Media Source Extensions. The server sends a text message
// {codec, rendition, cached}, then the init segment, the `cached` fragments of its group-of-pictures cache (from a
// keyframe, all at once) and each fragment as the relay writes it. The video starts on the cached keyframe, so a picture
// shows at once, and jumps to the live edge when the last cached fragment is in: until then the buffer's end is not the
// live edge, and the cached pictures may arrive a few at a time. From then on it is kept at the edge: a lag is caught up
// by playing faster (up to 1.5x), a large one by seeking. What lies far behind the playhead is removed.

const EDGE_MARGIN_S = 0.15; // how far behind the newest frame to sit
const CATCH_UP_FROM_S = 0.3; // past this, play faster, the more so the further behind
const MAX_CATCH_UP_RATE = 1.5;
// Past this, jump: an operator should never watch more than a second behind, and a decoder starved by a busy machine
// cannot play at 1.5x to catch up (a clean-clone CI run saw a player stay 1.1 s behind for seconds).
const SEEK_LAG_S = 1.0;
const KEEP_BEHIND_S = 10; // buffer kept behind the playhead

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
  let cacheSize = 0;
  let cached = 0; // cached fragments not yet appended
  let received = 0; // binary messages
  let caughtUp = false;
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
      const chunk = queue.shift();
      try { buffer.appendBuffer(chunk.data); } catch { finish(1006, 'media-error'); return; }
      if (chunk.cached) cached--;
      return;
    }
    const ranges = buffer.buffered;
    if (ranges.length && video.currentTime - ranges.start(0) > KEEP_BEHIND_S * 1.5) buffer.remove(ranges.start(0), video.currentTime - KEEP_BEHIND_S);
  };

  const followEdge = () => {
    const ranges = buffer.buffered;
    if (!ranges.length) return;
    const edge = ranges.end(ranges.length - 1);
    if (!playing) {
      playing = true;
      video.currentTime = Math.max(ranges.start(ranges.length - 1), edge - EDGE_MARGIN_S);
      video.play().catch(() => {});
      onPlaying?.();
    }
    const lag = edge - video.currentTime;
    if (!caughtUp) {
      if (cached > 0) return;
      // The cache is in: a late start would otherwise sit a second behind and take several seconds to catch up by rate.
      caughtUp = true;
      if (lag > EDGE_MARGIN_S) video.currentTime = edge - EDGE_MARGIN_S;
    } else if (lag > SEEK_LAG_S) {
      video.currentTime = edge - EDGE_MARGIN_S;
    } else {
      // A decoder that stalled (a busy machine) leaves the picture behind; 1 s behind is caught up in about 1.5 s.
      video.playbackRate = lag > CATCH_UP_FROM_S ? Math.min(MAX_CATCH_UP_RATE, 1 + lag - EDGE_MARGIN_S) : 1;
    }
  };

  source.addEventListener('sourceopen', openBuffer);
  socket.addEventListener('message', (event) => {
    if (typeof event.data === 'string') {
      const header = JSON.parse(event.data);
      codec = header.codec;
      cacheSize = header.cached ?? 0;
      cached = cacheSize;
      if (!MediaSource.isTypeSupported(`video/mp4; codecs="${codec}"`)) { finish(1003, 'codec-unsupported'); return; }
      openBuffer();
    } else {
      // The first binary message is the init segment; the next `cached` ones are the cache.
      queue.push({ data: event.data, cached: received > 0 && received <= cacheSize });
      received++;
      append();
    }
  });
  socket.addEventListener('close', (event) => finish(event.code, event.reason));
  return { close: () => finish(1000, 'closed') };
}
