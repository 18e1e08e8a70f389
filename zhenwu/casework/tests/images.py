"""Image files made by hand for the upload tests: a real decompression bomb and a header-only giant."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(width: int, height: int, idat: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale, no interlace
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + (_chunk(b"IDAT", idat) if idat else b"")
            + _chunk(b"IEND", b""))


def png_bomb(width: int = 9400, height: int = 9400) -> bytes:
    """A valid all-black PNG: a few hundred KB that decode into width × height bytes and more."""
    packer = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + pixels
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return _png(width, height, idat)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a canvas it has no data for (Pillow refuses it at open)."""
    return _png(width, height, b"")


def jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "blue").save(buffer, "JPEG")
    return buffer.getvalue()
