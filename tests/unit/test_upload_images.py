"""A photo someone uploads loses its metadata (where, when, with what it was taken) and
keeps every pixel and its orientation (app.uploads.images, through the upload rules)."""

import io

import pytest
from flask_babel import force_locale
from PIL import Image
from werkzeug.datastructures import FileStorage

from app.uploads import UploadRefused, accept_upload
from tests.images import GPS_IFD, ORIENTATION, jpeg, phone_exif, png


@pytest.fixture
def english(app):
    with app.test_request_context("/"), force_locale("en"):
        yield


def uploaded(content: bytes, name: str) -> bytes:
    return accept_upload(FileStorage(io.BytesIO(content), filename=name)).content


def opened(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content))


def test_a_jpeg_with_gps_exif_is_kept_without_it(english):
    photo = jpeg(phone_exif(), comment=b"Jan de Vries, Kerkstraat 1")
    assert opened(photo).getexif().get_ifd(GPS_IFD)   # the phone wrote where it was taken
    kept = uploaded(photo, "lantaarnpaal.jpg")
    assert not opened(kept).getexif().get_ifd(GPS_IFD)
    assert dict(opened(kept).getexif()) == {}
    for trace in (b"Fairphone", b"FP5", b"Jan de Vries", b"Exif"):
        assert trace not in kept
    assert opened(kept).tobytes() == opened(photo).tobytes()   # not re-encoded: no loss


def test_a_turned_photo_keeps_its_orientation_and_nothing_else(english):
    kept = uploaded(jpeg(phone_exif(orientation=6)), "staand.jpg")
    assert dict(opened(kept).getexif()) == {ORIENTATION: 6}
    assert b"Fairphone" not in kept


def test_a_progressive_jpeg_is_walked_through_all_its_scans(english):
    out = io.BytesIO()
    opened(jpeg()).save(out, "JPEG", progressive=True, exif=phone_exif())
    kept = uploaded(out.getvalue(), "foto.jpg")
    assert b"Fairphone" not in kept and not opened(kept).getexif().get_ifd(GPS_IFD)
    assert opened(kept).tobytes() == opened(out.getvalue()).tobytes()


def test_a_png_loses_its_exif_and_text(english):
    photo = png(phone_exif(orientation=3), text={"Author": "Jan de Vries", "Location": "Utrecht"})
    kept = uploaded(photo, "schade.png")
    for trace in (b"Fairphone", b"Jan de Vries", b"Utrecht", b"tEXt"):
        assert trace not in kept
    assert dict(opened(kept).getexif()) == {ORIENTATION: 3}
    assert opened(kept).tobytes() == opened(photo).tobytes()


@pytest.mark.parametrize(("photo", "name"), [(jpeg(), "foto.jpg"), (png(), "foto.png")])
def test_what_follows_the_end_of_the_image_is_not_kept(english, photo, name):
    kept = uploaded(photo + b"PK\x03\x04 an appended archive", name)
    assert b"appended archive" not in kept and opened(kept).tobytes() == opened(photo).tobytes()


@pytest.mark.parametrize(("content", "name"), [
    (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "nep.jpg"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "nep.png"),
    (png()[:40], "afgebroken.png"),   # cut off before its image data
    (b"\xff\xd8\xff" + b"MZ\x90\x00 a program", "programma.jpg"),
])
def test_a_file_that_only_starts_like_a_photo_is_refused(english, content, name):
    with pytest.raises(UploadRefused) as refusal:
        uploaded(content, name)
    assert refusal.value.message == f"The file {name} is not a PDF, JPG, PNG file"


def test_a_photo_cut_off_in_its_image_data_is_kept_with_its_end_made_whole(english):
    cut_jpeg, cut_png = jpeg(phone_exif())[:-40], png()[:-12]   # no end marker, no IEND
    kept_jpeg, kept_png = uploaded(cut_jpeg, "afgebroken.jpg"), uploaded(cut_png, "afgebroken.png")
    assert kept_jpeg.endswith(b"\xff\xd9") and b"Fairphone" not in kept_jpeg
    assert kept_png.endswith(b"IEND\xaeB`\x82")
    assert opened(kept_png).tobytes() == opened(png()).tobytes()
