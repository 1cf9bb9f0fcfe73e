"""The test camera's picture, drawn in I420 with the standard library only (cheap enough at 25 fps in pure Python).

A frame is: a band on top (black, the path's label is overlaid by GStreamer, the clock HH:MM:SS.mmm drawn here), a crop of
a scene twice the frame's size whose offset follows pan/tilt, and at the bottom the clock pattern:

  64 blocks across the full width (block i spans columns round(i*W/64) .. round((i+1)*W/64)), 2 blocks' width tall, at the
  bottom edge; white = luma 235 is 1, black = luma 16 is 0, chroma neutral. Blocks 0-3 are the guard 1 0 1 0, 4-51 the
  Unix time in milliseconds (48 bits, most significant first), 52-59 a CRC-8 (polynomial 0x07, initial 0) of those 6 bytes
  big-endian, 60-63 the guard 0 1 0 1.
"""
import time

BLOCKS = 64
TIME_BITS = 48
WHITE, BLACK, NEUTRAL = 235, 16, 128
START_GUARD, END_GUARD = (1, 0, 1, 0), (0, 1, 0, 1)

# 3x5 glyphs for the clock and the scene's coordinates.
GLYPHS = {
    "0": ("111", "101", "101", "101", "111"), "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"), "3": ("111", "001", "111", "001", "111"),
    "4": ("101", "101", "111", "001", "001"), "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"), "7": ("111", "001", "001", "001", "001"),
    "8": ("111", "101", "111", "101", "111"), "9": ("111", "101", "111", "001", "111"),
    ":": ("000", "010", "000", "010", "000"), ".": ("000", "000", "000", "000", "010"),
    ",": ("000", "000", "000", "010", "100"), " ": ("000", "000", "000", "000", "000"),
}


def crc8(data):
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def pattern_bits(unix_ms):
    """The 64 block values (0/1) for a time in Unix milliseconds."""
    value = unix_ms & ((1 << TIME_BITS) - 1)
    check = crc8(value.to_bytes(TIME_BITS // 8, "big"))
    bits = [(value >> (TIME_BITS - 1 - i)) & 1 for i in range(TIME_BITS)] + [(check >> (7 - i)) & 1 for i in range(8)]
    return [*START_GUARD, *bits, *END_GUARD]


class Font:
    """GLYPHS scaled up: text rendered as rows of luma bytes (white on black, one blank glyph column between characters)."""

    def __init__(self, scale):
        self.scale = scale
        self.height = 5 * scale
        self._rows = {
            char: [b"".join((WHITE if bit == "1" else BLACK).to_bytes(1, "big") * scale for bit in row + "0") for row in glyph]
            for char, glyph in GLYPHS.items()
        }

    def width(self, text):
        return len(text) * 4 * self.scale

    def draw(self, plane, stride, x, y, text):
        for glyph_row in range(5):
            line = b"".join(self._rows[char][glyph_row] for char in text)
            for k in range(self.scale):
                start = (y + glyph_row * self.scale + k) * stride + x
                plane[start:start + len(line)] = line


class Scene:
    """A grid of coloured cells, twice the frame's width and height, each labelled with its column,row; built once."""

    COLUMNS, ROWS = 8, 6

    def __init__(self, frame_width, frame_height):
        self.frame_width, self.frame_height = frame_width, frame_height
        self.width, self.height = 2 * frame_width, 2 * frame_height
        self.y = bytearray(self.width * self.height)
        self.u = bytearray(self.width * self.height // 4)
        self.v = bytearray(self.width * self.height // 4)
        cell_w, cell_h = self.width // self.COLUMNS, self.height // self.ROWS
        line = max(2, frame_width // 160) & ~1
        font = Font(max(2, cell_h // 20))
        for row in range(self.ROWS):
            for column in range(self.COLUMNS):
                x0, y0 = column * cell_w & ~1, row * cell_h & ~1
                x1 = self.width if column == self.COLUMNS - 1 else (column + 1) * cell_w & ~1
                y1 = self.height if row == self.ROWS - 1 else (row + 1) * cell_h & ~1
                # Hue from the position (U across, V down), brightness alternating like a chess board.
                luma = 150 if (row + column) % 2 else 90
                u = 48 + 160 * column // (self.COLUMNS - 1)
                v = 208 - 160 * row // (self.ROWS - 1)
                self._fill(x0, y0, x1, y1, luma, u, v)
                self._fill(x0, y0, x1, y0 + line, WHITE, NEUTRAL, NEUTRAL)
                self._fill(x0, y0, x0 + line, y1, WHITE, NEUTRAL, NEUTRAL)
                label = f"{column},{row}"
                font.draw(self.y, self.width, x0 + (x1 - x0 - font.width(label)) // 2, y0 + (y1 - y0 - font.height) // 2, label)

    def _fill(self, x0, y0, x1, y1, luma, u, v):
        for y in range(y0, y1):
            self.y[y * self.width + x0:y * self.width + x1] = bytes([luma]) * (x1 - x0)
        half = self.width // 2
        for y in range(y0 // 2, y1 // 2):
            self.u[y * half + x0 // 2:y * half + x1 // 2] = bytes([u]) * ((x1 - x0) // 2)
            self.v[y * half + x0 // 2:y * half + x1 // 2] = bytes([v]) * ((x1 - x0) // 2)


class Picture:
    """Frames of one camera: the scene cropped at (pan, tilt) in [-1, 1], the clock on top and the clock pattern below."""

    def __init__(self, scene):
        self._scene = scene
        self.width, self.height = scene.frame_width, scene.frame_height
        self.top_band = round(self.height / 12) & ~1
        self.pattern_band = round(2 * self.width / BLOCKS) & ~1
        self._edges = [round(i * self.width / BLOCKS) for i in range(BLOCKS + 1)]
        self._font = Font(max(1, self.top_band * 2 // 3 // 5))
        self._clock_width = self._font.width("00:00:00.000")
        self._view = None
        self._base = None

    def frame(self, pan, tilt, unix_ms):
        """One I420 frame as bytes."""
        x = round((self._scene.width - self.width) / 2 * (1 + pan)) & ~1
        y = round((self._scene.height - self.height) / 2 * (1 - tilt)) & ~1
        if (x, y) != self._view:
            self._view, self._base = (x, y), self._compose(x, y)
        frame = bytearray(self._base)
        seconds, millis = divmod(unix_ms, 1000)
        clock = time.strftime("%H:%M:%S", time.localtime(seconds)) + f".{millis:03d}"
        self._font.draw(frame, self.width, self.width - self._clock_width - 8, (self.top_band - self._font.height) // 2, clock)
        row = b"".join((WHITE if bit else BLACK).to_bytes(1, "big") * (self._edges[i + 1] - self._edges[i])
                       for i, bit in enumerate(pattern_bits(unix_ms)))
        for y in range(self.height - self.pattern_band, self.height):
            frame[y * self.width:(y + 1) * self.width] = row
        return bytes(frame)

    def _compose(self, x, y):
        """The scene's crop at (x, y) with both bands blanked (black, neutral chroma)."""
        w, h, scene = self.width, self.height, self._scene
        bottom = h - self.pattern_band
        luma = [bytes([BLACK]) * w if r < self.top_band or r >= bottom else scene.y[(y + r) * scene.width + x:(y + r) * scene.width + x + w] for r in range(h)]
        half, scene_half = w // 2, scene.width // 2
        neutral = bytes([NEUTRAL]) * half

        def chroma(plane):
            return [neutral if 2 * r < self.top_band or 2 * r >= bottom
                    else plane[(y // 2 + r) * scene_half + x // 2:(y // 2 + r) * scene_half + x // 2 + half] for r in range(h // 2)]

        return b"".join(luma + chroma(scene.u) + chroma(scene.v))
