// Reads the clock pattern the RTSP test camera (deploy/test-camera/camera_picture.py) draws at the bottom of each frame:
// 64 equal blocks across the width, two blocks' width tall; guard 1 0 1 0, 48 bits of Unix milliseconds (most significant
// first), a CRC-8 (polynomial 0x07) of those 6 bytes, guard 0 1 0 1; white is 1, black is 0. Used by pages that measure
// the delay from the camera to the screen.

const BLOCKS = 64;
const TIME_BITS = 48;
const CRC_BITS = 8;
const GUARDS = [[0, 1], [1, 0], [2, 1], [3, 0], [60, 0], [61, 1], [62, 0], [63, 1]];

/** How many rows at the bottom of a frame of <width> the pattern needs: pass at least these to readClockPattern. */
export const clockPatternRows = (width) => Math.ceil((2 * width) / BLOCKS);

/**
 * The Unix milliseconds in an RGBA ImageData holding the whole frame, or only its bottom clockPatternRows(width) rows;
 * null when the pattern is missing, unclear or fails its check.
 */
export function readClockPattern({ width, height, data }) {
  const blockWidth = width / BLOCKS;
  const band = 2 * blockWidth;
  if (blockWidth < 2 || height < band) return null;
  // The middle half of each block, away from the edges the encoder blurs.
  const top = Math.round(height - 0.75 * band), bottom = Math.round(height - 0.25 * band);
  const levels = [];
  for (let block = 0; block < BLOCKS; block++) {
    const left = Math.round((block + 0.25) * blockWidth), right = Math.round((block + 0.75) * blockWidth);
    let sum = 0;
    for (let y = top; y < bottom; y++) {
      for (let x = left; x < right; x++) {
        const i = (y * width + x) * 4;
        sum += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      }
    }
    levels.push(sum / ((bottom - top) * (right - left)));
  }

  const mean = (bit) => { const g = GUARDS.filter(([, b]) => b === bit); return g.reduce((s, [block]) => s + levels[block], 0) / g.length; };
  const white = mean(1), black = mean(0);
  if (white - black < 64) return null;
  const threshold = (white + black) / 2, margin = (white - black) / 4;
  if (levels.some((level) => Math.abs(level - threshold) < margin)) return null;
  const bits = levels.map((level) => (level > threshold ? 1 : 0));
  if (GUARDS.some(([block, bit]) => bits[block] !== bit)) return null;

  const bytes = [];
  for (let i = 0; i < TIME_BITS / 8; i++) bytes.push(bits.slice(4 + 8 * i, 12 + 8 * i).reduce((v, b) => (v << 1) | b, 0));
  const crc = bits.slice(4 + TIME_BITS, 4 + TIME_BITS + CRC_BITS).reduce((v, b) => (v << 1) | b, 0);
  if (crc8(bytes) !== crc) return null;
  return bytes.reduce((v, b) => v * 256 + b, 0); // 48 bits: exact in a double
}

function crc8(bytes) {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}
