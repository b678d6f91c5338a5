"""A tiny deterministic baseline JPEG encoder for listing photos.

Each 8x8 block is one flat colour, so only DC coefficients are coded and every
block's AC part is a single end-of-block code.  The result is a valid baseline
JFIF file of a few kilobytes that any decoder reads, drawn as a simple scene
(sky, ground, a house) whose colours depend on the photo's identity.
"""

import functools
import hashlib

# Standard luminance DC Huffman table (ITU T.81, Annex K.3).
_DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
_DC_VALUES = list(range(12))
# AC table holding only the end-of-block symbol (code "0").
_AC_BITS = [1] + [0] * 15
_AC_VALUES = [0x00]
_QUANT = 8  # every quantiser; the DC of a flat block p is 8*(p-128), so q=8 keeps p-128


def _huffman_codes(bits, values):
    """Return ``{symbol: (code, length)}`` for a JPEG BITS/HUFFVAL table."""
    codes = {}
    code = 0
    k = 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[values[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


_DC_CODES = _huffman_codes(_DC_BITS, _DC_VALUES)
_EOB = _huffman_codes(_AC_BITS, _AC_VALUES)[0]


class _BitWriter:
    """Collects bits MSB first and byte-stuffs 0xFF as JPEG requires."""

    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.count = 0

    def write(self, value, length):
        self.acc = (self.acc << length) | (value & ((1 << length) - 1))
        self.count += length
        while self.count >= 8:
            self.count -= 8
            byte = (self.acc >> self.count) & 0xFF
            self.out.append(byte)
            if byte == 0xFF:
                self.out.append(0)
        self.acc &= (1 << self.count) - 1

    def flush(self):
        if self.count:
            self.write((1 << (8 - self.count)) - 1, 8 - self.count)


def _segment(marker, payload):
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def _rgb_to_ycbcr(r, g, b):
    y = 0.299 * r + 0.587 * g + 0.114 * b
    cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
    cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b
    return tuple(max(0, min(255, int(round(c)))) for c in (y, cb, cr))


def encode_blocks(colours, width_blocks, height_blocks):
    """Encode a grid of flat 8x8 RGB blocks (row-major list) as a JPEG."""
    header = b"\xff\xd8" + _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    header += _segment(0xDB, b"\x00" + bytes([_QUANT] * 64))
    width, height = width_blocks * 8, height_blocks * 8
    header += _segment(0xC0, b"\x08" + height.to_bytes(2, "big") + width.to_bytes(2, "big")
                       + b"\x03" + b"\x01\x11\x00" + b"\x02\x11\x00" + b"\x03\x11\x00")
    header += _segment(0xC4, b"\x00" + bytes(_DC_BITS) + bytes(_DC_VALUES))
    header += _segment(0xC4, b"\x10" + bytes(_AC_BITS) + bytes(_AC_VALUES))
    header += _segment(0xDA, b"\x03\x01\x00\x02\x00\x03\x00\x00\x3f\x00")
    bits = _BitWriter()
    previous = [0, 0, 0]
    for rgb in colours:
        for comp, sample in enumerate(_rgb_to_ycbcr(*rgb)):
            dc = sample - 128
            diff = dc - previous[comp]
            previous[comp] = dc
            size = abs(diff).bit_length()
            code, length = _DC_CODES[size]
            bits.write(code, length)
            if size:
                bits.write(diff if diff > 0 else diff + (1 << size) - 1, size)
            bits.write(*_EOB)
    bits.flush()
    return header + bytes(bits.out) + b"\xff\xd9"


@functools.lru_cache(maxsize=4096)
def photo(identity, width=320, height=240):
    """Return the JPEG bytes of the photo named by ``identity`` (any string).

    The scene is a sky gradient, a lawn, and a house with a roof, a door and
    windows; colours and proportions come from a hash of ``identity``.
    """
    h = hashlib.sha256(identity.encode()).digest()
    wb, hb = width // 8, height // 8
    sky = (70 + h[0] % 80, 120 + h[1] % 80, 200 + h[2] % 55)
    lawn = (40 + h[3] % 60, 110 + h[4] % 80, 30 + h[5] % 50)
    wall = (150 + h[6] % 100, 120 + h[7] % 100, 90 + h[8] % 100)
    roof = (60 + h[9] % 90, 40 + h[10] % 60, 30 + h[11] % 60)
    horizon = hb * (55 + h[12] % 15) // 100
    left = wb * (15 + h[13] % 20) // 100
    right = wb - wb * (15 + h[14] % 20) // 100
    top = hb * (30 + h[15] % 10) // 100
    colours = []
    for y in range(hb):
        for x in range(wb):
            if left <= x < right and top <= y < hb - 2:
                if y < top + max(1, hb // 8):
                    colour = roof
                elif (x - left) % 6 in (2, 3) and (y - top) % 5 in (2, 3):
                    colour = (230, 230, 180)
                else:
                    colour = wall
            elif y < horizon:
                shade = y * 60 // max(1, horizon)
                colour = (min(255, sky[0] + shade), min(255, sky[1] + shade), sky[2])
            else:
                colour = lawn
            colours.append(colour)
    return encode_blocks(colours, wb, hb)
