"""A resident's photo reaches the services without the phone's GPS position, pixels intact."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from actions.demandes.image_metadata import strip

GPS_IFD = 0x8825


def photo_with_gps(fmt: str) -> bytes:
    image = Image.new("RGB", (16, 8), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (50.0, 6.0, 0.0), 3: "E", 4: (2.0, 51.0, 0.0)})
    out = io.BytesIO()
    options = {"lossless": True} if fmt == "WEBP" else {}
    image.save(out, fmt, exif=exif.tobytes(), **options)
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")],
)
def test_gps_and_phone_model_are_removed_and_the_picture_kept(fmt, content_type):
    original = photo_with_gps(fmt)
    assert b"Phone 15" in original
    cleaned = strip(original, content_type)
    assert b"Phone 15" not in cleaned and b"PhoneMaker" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert not image.getexif().get_ifd(GPS_IFD)
        assert image.size == (16, 8)
        with Image.open(io.BytesIO(original)) as before:
            assert list(image.convert("RGB").getdata()) == list(before.convert("RGB").getdata())


def test_a_file_it_does_not_understand_is_left_as_is():
    odd = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 10
    assert strip(odd, "image/jpeg") == odd
    assert strip(b"\x89PNG\r\n\x1a\n", "image/png") == b"\x89PNG\r\n\x1a\n"
