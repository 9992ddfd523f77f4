"""Small real photos for the upload tests (the upload rules read a photo's structure, so a
file that only starts like a PNG or JPEG is refused): made with Pillow, optionally with
the EXIF a phone writes (where, when, which camera)."""

from __future__ import annotations

import io

from PIL import Image

# GPS 52°05'N 5°07'E (Utrecht), as a phone writes it; tags from the EXIF standard.
GPS_IFD, GPS_LATITUDE_REF, GPS_LATITUDE, GPS_LONGITUDE_REF, GPS_LONGITUDE = 0x8825, 1, 2, 3, 4
MAKE, MODEL, ORIENTATION = 0x010F, 0x0110, 0x0112


def phone_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[MAKE], exif[MODEL], exif[ORIENTATION] = "Fairphone", "FP5", orientation
    exif.get_ifd(GPS_IFD).update({GPS_LATITUDE_REF: "N", GPS_LATITUDE: (52.0, 5.0, 0.0),
                                  GPS_LONGITUDE_REF: "E", GPS_LONGITUDE: (5.0, 7.0, 0.0)})
    return exif


def picture(size: tuple[int, int] = (8, 4)) -> Image.Image:
    """A picture whose halves differ, so a turn or a loss of pixels shows."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (size[0] // 2, 0, size[0], size[1]))
    return image


def jpeg(exif: Image.Exif | None = None, comment: bytes = b"", icc_profile: bytes = b"") -> bytes:
    """A JPEG; ``icc_profile`` is kept by the upload rules (it says how to show the colours),
    so what is hidden in it reaches the virus scan."""
    out = io.BytesIO()
    picture().save(out, "JPEG", quality=90, exif=exif or Image.Exif(), comment=comment,
                   icc_profile=icc_profile or None)
    return out.getvalue()


def png(exif: Image.Exif | None = None, text: dict[str, str] | None = None) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    out = io.BytesIO()
    picture().save(out, "PNG", exif=exif or Image.Exif(), pnginfo=info)
    return out.getvalue()


PNG = png()
JPEG = jpeg()
