"""A photo's metadata removed before anyone sees it: a phone writes where (GPS), when and
with what device a picture was taken into its EXIF, XMP or text chunks, and none of that
is for the back office or for whoever gets the file next.

The pixels are never decoded or re-encoded, so nothing of the picture is lost: JPEG
segments and PNG chunks that carry metadata are left out, those that tell how to show the
picture (colour profile, transparency, ...) are kept, and so is the one EXIF value that
does: the orientation, in a new EXIF block that holds nothing else. Bytes after the end of
the image (a phone's trailer, an appended archive) are left out too.

A file that cannot be walked this way is not a readable JPEG or PNG: UnreadableImage.
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, UnidentifiedImageError

ORIENTATION = 0x0112   # the EXIF tag; 1 is "as stored"
EXIF_HEADER = b"Exif\x00\x00"

# JPEG markers without a length (they stand alone): TEM, RST0-7, SOI, EOI.
_STANDALONE = {0x01, *range(0xD0, 0xD8), 0xD8, 0xD9}
_SOS, _EOI, _APP0, _APP1, _APP2, _APP14, _COM = 0xDA, 0xD9, 0xE0, 0xE1, 0xE2, 0xEE, 0xFE
# Application segments that tell how to show the picture: JFIF, the ICC colour profile,
# Adobe's colour transform. Every other APPn and every comment is metadata.
_KEPT_APP = {(_APP0, b"JFIF\x00"), (_APP2, b"ICC_PROFILE\x00"), (_APP14, b"Adobe")}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The chunks a PNG is drawn with (critical, colour, transparency, animation); text, time,
# EXIF and unknown private chunks are left out.
_KEPT_PNG_CHUNKS = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB",
                    b"iCCP", b"sBIT", b"pHYs", b"bKGD", b"cICP", b"mDCV", b"cLLI",
                    b"acTL", b"fcTL", b"fdAT"}


class UnreadableImage(ValueError):
    """The content starts like a JPEG or PNG but is not one."""


def strip_metadata(kind: str, content: bytes) -> bytes:
    """The photo without its metadata (``kind`` is jpg or png); other kinds unchanged."""
    if kind == "jpg":
        return _strip_jpeg(content, _orientation(content))
    if kind == "png":
        return _strip_png(content, _orientation(content))
    return content


def _orientation(content: bytes) -> int:
    try:
        with Image.open(io.BytesIO(content)) as image:
            orientation = image.getexif().get(ORIENTATION, 1)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError) as error:
        raise UnreadableImage(str(error)) from None
    return orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else 1


def _orientation_exif(orientation: int) -> bytes:
    """An EXIF block (with its "Exif" header) that says only how to turn the picture."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    return exif.tobytes()


# --------------------------------------------------------------------------- JPEG

def _strip_jpeg(content: bytes, orientation: int) -> bytes:
    out = bytearray(b"\xff\xd8")
    if orientation != 1:
        block = _orientation_exif(orientation)
        out += struct.pack(">BBH", 0xFF, _APP1, len(block) + 2) + block
    position = 2
    while True:
        marker, start, end = _next_segment(content, position)
        if marker == _EOI:
            out += content[start:end]
            return bytes(out)   # what follows the image is not part of it
        if _kept(marker, content[start + 4:end]):
            out += content[start:end]
        if marker == _SOS:   # the scan's data runs to the next marker that is not in it
            data_end = _scan_end(content, end)
            out += content[end:data_end]
            if data_end == len(content):   # cut off in the image data
                return bytes(out + b"\xff\xd9")
            end = data_end
        position = end


def _next_segment(content: bytes, position: int) -> tuple[int, int, int]:
    """(marker, start, end) of the segment at ``position`` (fill bytes skipped)."""
    while position < len(content) and content[position] == 0xFF and \
            position + 1 < len(content) and content[position + 1] == 0xFF:
        position += 1   # 0xFF fill before a marker
    if position + 2 > len(content) or content[position] != 0xFF:
        raise UnreadableImage("no JPEG marker where one must be")
    marker = content[position + 1]
    if marker in _STANDALONE:
        return marker, position, position + 2
    if position + 4 > len(content):
        raise UnreadableImage("a JPEG segment is cut off")
    (length,) = struct.unpack(">H", content[position + 2:position + 4])
    end = position + 2 + length
    if length < 2 or end > len(content):
        raise UnreadableImage("a JPEG segment is cut off")
    return marker, position, end


def _kept(marker: int, payload: bytes) -> bool:
    if 0xE0 <= marker <= 0xEF:
        return any(marker == app and payload.startswith(name) for app, name in _KEPT_APP)
    return marker != _COM


def _scan_end(content: bytes, position: int) -> int:
    """Where a scan's entropy-coded data ends: the first 0xFF that is neither a stuffed
    0xFF00 nor a restart marker; the end of the content when it is cut off."""
    while True:
        position = content.find(b"\xff", position)
        if position < 0 or position + 1 >= len(content):
            return len(content)
        following = content[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            position += 1 if following == 0xFF else 2
            continue
        return position


# --------------------------------------------------------------------------- PNG

def _strip_png(content: bytes, orientation: int) -> bytes:
    out = bytearray(PNG_SIGNATURE)
    position, image_data = len(PNG_SIGNATURE), False
    while True:
        length, chunk_type = struct.unpack(">I4s", content[position:position + 8].ljust(8, b"\0"))
        end = position + 12 + length
        if end > len(content):   # cut off: after the image data, only its end was lost
            if not image_data:
                raise UnreadableImage("a PNG chunk is cut off")
            return bytes(out + _png_chunk(b"IEND", b""))
        image_data = image_data or chunk_type == b"IDAT"
        if chunk_type == b"IDAT" and orientation != 1:
            out += _png_chunk(b"eXIf", _orientation_exif(orientation)[len(EXIF_HEADER):])
            orientation = 1   # written once, before the first image data as the standard asks
        if chunk_type in _KEPT_PNG_CHUNKS:
            out += content[position:end]
        if chunk_type == b"IEND":
            return bytes(out)   # what follows the image is not part of it
        position = end


def _png_chunk(chunk_type: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(chunk_type + data)
    return struct.pack(">I4s", len(data), chunk_type) + data + struct.pack(">I", crc)
