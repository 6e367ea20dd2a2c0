"""Removes hidden metadata (EXIF with GPS position, XMP, comments) from a photo, losslessly.

A phone photo often carries where the resident stood and which phone they own. The services
need the picture, not that: the metadata blocks are cut out, the image data is kept byte for
byte (no re-encoding, so no quality loss and no image decoder on untrusted input). The
orientation flag goes with EXIF; a sideways photo is still readable by an agent.
"""

from __future__ import annotations

import struct

# JPEG: APP1 (EXIF, XMP) … APP15 and COM are metadata; APP0 (JFIF) is kept.
_JPEG_DROP = {*range(0xE1, 0xF0), 0xFE}
_PNG_DROP = {b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"}
_WEBP_DROP = {b"EXIF", b"XMP "}


def strip(data: bytes, content_type: str) -> bytes:
    """The photo without its metadata; unchanged when its structure is not understood."""
    try:
        if content_type == "image/jpeg":
            return _jpeg(data)
        if content_type == "image/png":
            return _png(data)
        if content_type == "image/webp":
            return _webp(data)
    except (IndexError, struct.error, ValueError):
        return data
    return data


def _jpeg(data: bytes) -> bytes:
    out = bytearray(data[:2])
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise ValueError("not a marker")
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            out += data[pos:]
            return bytes(out)
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if end > len(data):
            raise ValueError("truncated")
        if marker not in _JPEG_DROP:
            out += data[pos:end]
        pos = end
    raise ValueError("no image data")


def _png(data: bytes) -> bytes:
    out = bytearray(data[:8])
    pos = 8
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise ValueError("truncated")
        if kind not in _PNG_DROP:
            out += data[pos:end]
        pos = end
        if kind == b"IEND":
            return bytes(out)
    raise ValueError("no IEND")


def _webp(data: bytes) -> bytes:
    if not any(kind in data for kind in _WEBP_DROP):
        return data
    chunks = bytearray()
    pos = 12
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        (length,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        end = pos + 8 + length + (length & 1)
        if end > len(data) + 1:
            raise ValueError("truncated")
        chunk = bytearray(data[pos:end])
        if kind == b"VP8X":
            chunk[8] &= ~0x0C & 0xFF  # no more EXIF (0x08) nor XMP (0x04) flag
        if kind not in _WEBP_DROP:
            chunks += chunk
        pos = end
    return b"RIFF" + struct.pack("<I", len(chunks) + 4) + b"WEBP" + bytes(chunks)
