"""Checking what citizens upload, and serving it back only through checked views.

A file is judged by its content, never by its name or the browser's content type: an .exe
renamed .jpg is refused. Images are opened with Pillow, refused when their pixel count could
exhaust memory on decoding (a "decompression bomb"), and re-encoded, which drops EXIF data
such as the GPS position of the phone that took the photo.
"""

import io
import os
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from desk.text import LocalNumber, normalize_text

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# What the file chooser offers: the types check_upload accepts.
ACCEPTED_FILES = ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"
# Phone cameras reach 50 megapixels; a 20000×20000 "image" is an attack, not a photo.
MAX_IMAGE_PIXELS = 50_000_000

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}
IMAGES = frozenset({JPEG, PNG})
ANY_ACCEPTED = frozenset({JPEG, PNG, PDF})
# What a file chooser offers for each set of accepted types, and what the refusal says.
CHOOSER = {
    ANY_ACCEPTED: ACCEPTED_FILES,
    IMAGES: ".jpg,.jpeg,.png,image/jpeg,image/png",
    frozenset({PDF}): ".pdf,application/pdf",
}
NOT_ACCEPTED = {
    ANY_ACCEPTED: _("The file “%(name)s” is not a JPEG or PNG photo or a PDF document."),
    IMAGES: _("The file “%(name)s” is not a JPEG or PNG photo; only a photo is accepted here."),
    frozenset({PDF}): _("The file “%(name)s” is not a PDF document; only a PDF is accepted here."),
}


@dataclass(frozen=True)
class CheckedUpload:
    content: ContentFile
    content_type: str
    original_name: str
    size: int


def sniff_content_type(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def check_upload(
    upload, *, max_bytes: int = MAX_UPLOAD_BYTES, accept: frozenset[str] = ANY_ACCEPTED
) -> CheckedUpload:
    """A safe copy of an uploaded JPEG, PNG or PDF (of the types in `accept`), or
    ValidationError with a message for the citizen."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file “%(name)s” is larger than %(limit)s MB."),
            code="too_large",
            params={"name": upload.name, "limit": LocalNumber(max_bytes // (1024 * 1024))},
        )
    upload.seek(0)
    data = upload.read()
    content_type = sniff_content_type(data[:16])
    if content_type not in accept:
        raise ValidationError(NOT_ACCEPTED[accept], code="bad_type", params={"name": upload.name})
    if content_type == PDF:
        _check_pdf(data, upload.name)
        safe = data
    else:
        safe = _reencode_image(data, content_type, upload.name)
    name = uuid.uuid4().hex + EXTENSIONS[content_type]
    return CheckedUpload(
        content=ContentFile(safe, name=name),
        content_type=content_type,
        original_name=_display_name(upload.name),
        size=len(safe),
    )


def _check_pdf(data: bytes, name: str) -> None:
    # A real PDF ends with an end-of-file marker; a renamed text or HTML file does not.
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(
            _("The file “%(name)s” is not a valid PDF document."),
            code="bad_pdf",
            params={"name": name},
        )


def _reencode_image(data: bytes, content_type: str, name: str) -> bytes:
    unreadable = ValidationError(
        _("The image “%(name)s” is damaged or cannot be read."),
        code="bad_image",
        params={"name": name},
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            _refuse_huge(probe, name)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            return _encode(image, content_type)
    except Image.DecompressionBombError:
        raise _too_many_pixels(name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise unreadable from None


def _refuse_huge(image: Image.Image, name: str) -> None:
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels(name)


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("The image “%(name)s” has too many pixels to be a photo; please send a smaller one."),
        code="too_many_pixels",
        params={"name": name},
    )


def _encode(image: Image.Image, content_type: str) -> bytes:
    out = io.BytesIO()
    if content_type == JPEG:
        image.convert("RGB").save(out, format="JPEG", quality=88, optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _display_name(name: str) -> str:
    base = os.path.basename(name or "").replace("\x00", "")
    return normalize_text(base)[:120] or "file"


def private_file_response(field_file, *, content_type: str, download_name: str) -> FileResponse:
    """Serve a private upload to someone a view has already checked."""
    response = FileResponse(
        field_file.open("rb"),
        content_type=content_type,
        as_attachment=content_type == PDF,
        filename=download_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
