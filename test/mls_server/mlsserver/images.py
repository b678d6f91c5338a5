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


# ---------------------------------------------------------------------------
# Realistic media: large textured JPEGs (about 200 kB at 1024x768), PNG floor
# plans, and the hostile files of the media faults.
#
# A large photo is one of a few base images, generated once per process,
# with the photo's own EXIF block (camera name, orientation) and a comment
# naming it: every photo has bytes of its own (its own SHA-256) while the
# server spends microseconds on it.  The base images carry texture in their
# AC coefficients (a small Huffman table of our own: end-of-block plus runs
# 0-3 of sizes 1-4), so they weigh what MLS photos weigh.

LARGE_WIDTH, LARGE_HEIGHT = 1024, 768
#: EXIF Make of every large photo: derivatives must not carry it.
CAMERA = b"mlsync-sample-camera"
_POOL = 16
# AC table: EOB (2 bits), then (run, size) for run 0-3, size 1-4 (6 bits each)
_TEX_SYMBOLS = [0x00] + [(run << 4) | size for run in range(4) for size in range(1, 5)]
_TEX_BITS = [0, 1, 0, 0, 0, 16] + [0] * 10
_TEX_CODES = _huffman_codes(_TEX_BITS, _TEX_SYMBOLS)


def _bits(value, length):
    return format(value & ((1 << length) - 1), "0%db" % length) if length else ""


def _dc_bits(diff):
    size = abs(diff).bit_length()
    code, length = _DC_CODES[size]
    return _bits(code, length) + (_bits(diff if diff > 0 else diff + (1 << size) - 1, size)
                                  if size else "")


def _texture_patterns(seed, count=256):
    """Bit strings of AC parts of blocks (texture), each ending with EOB."""
    state = hashlib.sha256(b"texture" + seed).digest()
    patterns = []
    for i in range(count):
        state = hashlib.sha256(state).digest()
        out = []
        for k in range(3 + state[0] % 5):
            run = state[1 + k] % 4
            size = 1 + state[8 + k] % 4
            value = (1 << (size - 1)) + state[16 + k] % (1 << (size - 1)) if size > 1 else 1
            if state[24 + k] & 1:
                value = -value
            code, length = _TEX_CODES[(run << 4) | size]
            out.append(_bits(code, length) + _bits(value if value > 0 else value + (1 << size) - 1, size))
        code, length = _TEX_CODES[0x00]
        out.append(_bits(code, length))
        patterns.append("".join(out))
    return patterns


def _scene(h, wb, hb):
    """Flat block colours of a scene (sky, lawn, a house) from hash bytes ``h``."""
    sky = (70 + h[0] % 80, 120 + h[1] % 80, 200 + h[2] % 55)
    lawn = (40 + h[3] % 60, 110 + h[4] % 80, 30 + h[5] % 50)
    wall = (150 + h[6] % 100, 120 + h[7] % 100, 90 + h[8] % 100)
    roof = (60 + h[9] % 90, 40 + h[10] % 60, 30 + h[11] % 60)
    horizon = hb * (55 + h[12] % 15) // 100
    left = wb * (15 + h[13] % 20) // 100
    right = wb - wb * (15 + h[14] % 20) // 100
    top = hb * (30 + h[15] % 10) // 100
    for y in range(hb):
        for x in range(wb):
            if left <= x < right and top <= y < hb - 2:
                if y < top + max(1, hb // 8):
                    yield roof
                elif (x - left) % 6 in (2, 3) and (y - top) % 5 in (2, 3):
                    yield (230, 230, 180)
                else:
                    yield wall
            elif y < horizon:
                shade = y * 60 // max(1, horizon)
                yield (min(255, sky[0] + shade), min(255, sky[1] + shade), sky[2])
            else:
                yield lawn


@functools.lru_cache(maxsize=_POOL)
def _base_photo(index):
    """Base image ``index`` of the pool: a textured 1024x768 baseline JPEG."""
    seed = b"base-%d" % index
    h = hashlib.sha256(seed).digest()
    wb, hb = LARGE_WIDTH // 8, LARGE_HEIGHT // 8
    patterns = _texture_patterns(seed)
    pick = hashlib.sha256(seed + b"pick").digest() * 4
    header = b"\xff\xd8"
    header += _segment(0xDB, b"\x00" + bytes([_QUANT] * 64))
    header += _segment(0xC0, b"\x08" + LARGE_HEIGHT.to_bytes(2, "big") + LARGE_WIDTH.to_bytes(2, "big")
                       + b"\x03" + b"\x01\x11\x00" + b"\x02\x11\x00" + b"\x03\x11\x00")
    header += _segment(0xC4, b"\x00" + bytes(_DC_BITS) + bytes(_DC_VALUES))
    header += _segment(0xC4, b"\x10" + bytes(_TEX_BITS) + bytes(_TEX_SYMBOLS))
    header += _segment(0xDA, b"\x03\x01\x00\x02\x00\x03\x00\x00\x3f\x00")
    out = []
    previous = [0, 0, 0]
    n = 0
    for rgb in _scene(h, wb, hb):
        for comp, sample in enumerate(_rgb_to_ycbcr(*rgb)):
            dc = sample - 128
            out.append(_dc_bits(dc - previous[comp]))
            previous[comp] = dc
            out.append(patterns[(pick[n % len(pick)] + n * 7 + comp) % len(patterns)])
            n += 1
    bits = "".join(out)
    bits += "1" * (-len(bits) % 8)
    data = int(bits, 2).to_bytes(len(bits) // 8, "big").replace(b"\xff", b"\xff\x00")
    return header + data + b"\xff\xd9"


def _exif(orientation):
    """An APP1 EXIF segment: IFD0 with Make (CAMERA) and Orientation."""
    make = CAMERA + b"\x00"
    ifd_entries = 2
    ifd_size = 2 + ifd_entries * 12 + 4
    make_offset = 8 + ifd_size
    tiff = b"II*\x00" + (8).to_bytes(4, "little") + ifd_entries.to_bytes(2, "little")
    tiff += (0x010F).to_bytes(2, "little") + (2).to_bytes(2, "little") + \
        len(make).to_bytes(4, "little") + make_offset.to_bytes(4, "little")
    tiff += (0x0112).to_bytes(2, "little") + (3).to_bytes(2, "little") + \
        (1).to_bytes(4, "little") + orientation.to_bytes(2, "little") + b"\x00\x00"
    tiff += (0).to_bytes(4, "little") + make
    return _segment(0xE1, b"Exif\x00\x00" + tiff)


def photo_orientation(identity):
    """EXIF orientation of a large photo: 6 (rotate 90 clockwise) for one in eight."""
    return 6 if hashlib.sha256(identity.encode()).digest()[1] % 8 == 0 else 1


def large_photo(identity):
    """The bytes of large photo ``identity``: a base image with its own EXIF and comment."""
    h = hashlib.sha256(identity.encode()).digest()
    base = _base_photo(h[0] % _POOL)
    return (b"\xff\xd8" + _exif(photo_orientation(identity))
            + _segment(0xFE, b"mlsync sample photo " + identity.encode()) + base[2:])


def _png(width, height, colour_type, rows):
    """A PNG from an iterable of raw rows (filter byte included)."""
    import struct
    import zlib

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    compressor = zlib.compressobj(6)
    idat = b"".join(compressor.compress(row) for row in rows) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


@functools.lru_cache(maxsize=256)
def floorplan(identity, width=800, height=600):
    """A floor plan as PNG: walls on white paper with grain, about 250 kB."""
    import random

    rng = random.Random(identity)
    rooms_x = sorted(rng.sample(range(60, width - 60), 3))
    rooms_y = sorted(rng.sample(range(60, height - 60), 2))
    paper = bytes(248 + (b & 0x03) for b in range(256))
    wall = b"\x20\x20\x20"
    rows = []
    for y in range(height):
        row = bytearray(rng.randbytes(width * 3).translate(paper))
        if y in (40, 41, height - 41, height - 40) or y in rooms_y:
            row[3 * 40:3 * (width - 40)] = wall * (width - 80)
        elif 40 <= y < height - 40:
            for x in (40, 41, width - 41, width - 40, *rooms_x):
                row[3 * x:3 * x + 3] = wall
        rows.append(b"\x00" + bytes(row))
    return _png(width, height, 2, rows)


@functools.lru_cache(maxsize=1)
def decompression_bomb(side=10000):
    """A PNG of side x side grey pixels, all zero: about 100 kB that decode to ``side``² bytes."""
    row = b"\x00" * (side + 1)
    return _png(side, side, 0, (row for _ in range(side)))
