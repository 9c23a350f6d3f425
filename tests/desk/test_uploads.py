import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from desk.uploads import MAX_UPLOAD_BYTES, check_upload


def photo(fmt="JPEG", size=(64, 48), exif_gps=False) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (35.0, 41.0, 0.0), 3: "E", 4: (51.0, 25.0, 0.0)}  # GPS
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def huge_png(width=20000, height=20000) -> bytes:
    """A valid PNG header claiming 20000×20000 pixels with almost no data: a few KB on the
    wire, 1.6 GB once decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width * 3 + 1) * 8)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def error_code(file) -> str:
    with pytest.raises(ValidationError) as error:
        check_upload(file)
    return error.value.code


def test_it_accepts_a_jpeg_and_drops_its_gps_data():
    original = photo(exif_gps=True)
    assert b"PhoneMaker" in original
    checked = check_upload(upload("IMG_2041.JPG", original, "image/jpeg"))
    assert checked.content_type == "image/jpeg"
    saved = checked.content.read()
    assert b"PhoneMaker" not in saved
    with Image.open(io.BytesIO(saved)) as image:
        assert image.size == (64, 48)
        assert not image.getexif()
    assert checked.original_name == "IMG_2041.JPG"
    assert checked.content.name.endswith(".jpg")
    assert "IMG_2041" not in checked.content.name


def test_it_accepts_a_png():
    checked = check_upload(upload("map.png", photo("PNG"), "image/png"))
    assert checked.content_type == "image/png"


def test_it_accepts_a_pdf():
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    checked = check_upload(upload("letter.pdf", pdf, "application/pdf"))
    assert checked.content_type == "application/pdf"
    assert checked.content.read() == pdf


def test_it_judges_by_content_not_by_name():
    checked = check_upload(upload("photo.pdf", photo(), "application/pdf"))
    assert checked.content_type == "image/jpeg"


def test_it_refuses_an_exe_renamed_jpg():
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    assert error_code(upload("photo.jpg", exe, "image/jpeg")) == "bad_type"


def test_it_refuses_a_pdf_that_is_not_a_pdf():
    fake = b"%PDF-1.7 but really an html page <script>alert(1)</script>"
    assert error_code(upload("scan.pdf", fake, "application/pdf")) == "bad_pdf"
    assert error_code(upload("scan.pdf", b"<html></html>", "application/pdf")) == "bad_type"


def test_it_refuses_a_decompression_bomb():
    assert error_code(upload("bomb.png", huge_png(), "image/png")) == "too_many_pixels"


def test_it_refuses_a_file_over_the_size_limit():
    big = photo() + b"\x00" * (MAX_UPLOAD_BYTES + 1)
    assert error_code(upload("big.jpg", big, "image/jpeg")) == "too_large"


def test_it_refuses_a_truncated_image():
    assert error_code(upload("cut.jpg", photo()[:200], "image/jpeg")) == "bad_image"


def test_the_message_names_the_file_in_persian(settings):
    from django.utils import translation

    with translation.override("fa"), pytest.raises(ValidationError) as error:
        check_upload(upload("setup.jpg", b"MZ" + b"\x00" * 50))
    message = error.value.messages[0]
    assert "setup.jpg" in message
    assert "عکس JPEG یا PNG یا سند PDF نیست" in message
