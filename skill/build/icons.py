"""The skill's store icons (108 and 512 pixels square, PNG), drawn from code.

Alexa's store wants both sizes in the skill package; drawing them here keeps the package
reproducible byte for byte with no image library and no binary files in the sources. The
picture is the night theme's: a warm crescent moon on the dark blue of the night screen.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIZES = {"smallIconUri": 108, "largeIconUri": 512}
NIGHT_BLUE = (16, 35, 63)
MOON = (242, 193, 78)
# The moon's disc and the disc that cuts it into a crescent, as fractions of the size.
DISC = (0.5, 0.5, 0.32)
CUT = (0.62, 0.4, 0.27)
SUBSAMPLES = 4


def file_name(size: int) -> str:
    return f"icon-{size}.png"


def uri(size: int) -> str:
    """How the manifest refers to an icon inside the skill package (ASK CLI v2)."""
    return f"file://assets/images/{file_name(size)}"


def _coverage(x: float, y: float, size: int) -> float:
    """How much of the pixel at (x, y) is moon: all or nothing away from the two circles'
    edges, else counted at SUBSAMPLES² points inside it."""
    cx, cy, margin = (x + 0.5) / size, (y + 0.5) / size, 1 / size
    to_disc = ((cx - DISC[0]) ** 2 + (cy - DISC[1]) ** 2) ** 0.5 - DISC[2]
    to_cut = ((cx - CUT[0]) ** 2 + (cy - CUT[1]) ** 2) ** 0.5 - CUT[2]
    if abs(to_disc) > margin and abs(to_cut) > margin:
        return float(to_disc < 0 and to_cut > 0)
    inside = 0
    for i in range(SUBSAMPLES):
        for j in range(SUBSAMPLES):
            px = (x + (i + 0.5) / SUBSAMPLES) / size
            py = (y + (j + 0.5) / SUBSAMPLES) / size
            in_disc = (px - DISC[0]) ** 2 + (py - DISC[1]) ** 2 <= DISC[2] ** 2
            in_cut = (px - CUT[0]) ** 2 + (py - CUT[1]) ** 2 <= CUT[2] ** 2
            inside += in_disc and not in_cut
    return inside / SUBSAMPLES**2


def png(size: int) -> bytes:
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # no filter
        for x in range(size):
            share = _coverage(x, y, size)
            rows += bytes(
                round(back + (front - back) * share)
                for back, front in zip(NIGHT_BLUE, MOON, strict=True)
            )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", header),
            chunk(b"IDAT", zlib.compress(bytes(rows), 9)),
            chunk(b"IEND", b""),
        ]
    )


def write_icons(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for size in SIZES.values():
        path = folder / file_name(size)
        path.write_bytes(png(size))
        written.append(path)
    return written
