"""Uploaded files are checked for what they are, not what they are called or how they begin.

Images are decoded and drawn again by Pillow, so whatever rode along in the file (HTML or script after
the image data, metadata such as a phone's GPS position) is left behind. PDFs are read by pypdf and
refused when anything in them can act on its own: JavaScript, actions run on opening or on events,
launching programs, embedded files, forms that submit or import, rich media. Names are reduced to a
plain basename."""

from __future__ import annotations

import io
import os
import re
import unicodedata

from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from .errors import ApplicationError

# A 5 MB photo is at most a few tens of megapixels; anything that decodes to far more is a bomb.
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}
# Names in a PDF that make it act by itself, or carry another file.
PDF_ACTIVE_NAMES = {
    "/JavaScript",
    "/JS",
    "/OpenAction",
    "/AA",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/RichMedia",
    "/RichMediaExecute",
    "/XFA",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
}
PDF_MAX_OBJECTS = 100_000
_PDF_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")


def safe_basename(name: str, *, default: str = "file") -> str:
    """The last part of a path (either slash), in plain letters, digits, dots, dashes and spaces."""
    name = unicodedata.normalize("NFKC", name or "").replace("\\", "/")
    name = os.path.basename(name)
    name = re.sub(r"[^A-Za-z0-9._ -]+", "_", name).strip(" .")
    stem, extension = os.path.splitext(name)
    stem = stem[:100] or default
    return f"{stem}{extension[:10].lower()}"


def image_redrawn(upload, content_type: str, *, field: str = "attachment") -> ContentFile:
    """The picture in `upload` drawn again as a clean file of the same type; refuses anything else."""
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            if probe.format != IMAGE_FORMATS[content_type]:
                raise ApplicationError("This file's content does not match its type.", field=field)
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise ApplicationError("This picture is too large.", field=field)
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            if image.mode not in ("RGB", "RGBA", "L", "LA", "P") or (
                content_type == "image/jpeg" and image.mode != "RGB" and image.mode != "L"
            ):
                image = image.convert("RGB" if content_type == "image/jpeg" else "RGBA")
            output = io.BytesIO()
            # Saved without the original's metadata (EXIF, text chunks): only the pixels go through.
            image.save(
                output,
                format=IMAGE_FORMATS[content_type],
                **({"quality": 90} if content_type == "image/jpeg" else {}),
            )
    except ApplicationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ApplicationError("This picture could not be read.", field=field) from None
    finally:
        upload.seek(0)
    return ContentFile(output.getvalue())


def _decoded_name(raw: bytes) -> str:
    # PDF names may spell a character as #xx (/J#61vaScript is /JavaScript).
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda match: bytes([int(match.group(1), 16)]), raw).decode(
        "latin-1"
    )


def _pdf_active_parts(reader) -> set[str]:
    """Every active name in the objects reachable from the file's trailer (compressed ones included)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > PDF_MAX_OBJECTS:
            found.add("too many objects")
            break
        if isinstance(item, DictionaryObject):
            for name, value in item.items():
                if name in PDF_ACTIVE_NAMES:
                    found.add(name)
                if isinstance(value, NameObject) and value in PDF_ACTIVE_NAMES:
                    found.add(str(value))
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found


def pdf_check(upload, *, field: str = "attachment") -> None:
    """Refuse a PDF that cannot be read or that holds anything active (see PDF_ACTIVE_NAMES)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    # Names written straight into the file, even in objects nothing points to.
    written = {_decoded_name(raw) for raw in _PDF_NAME.findall(data)}
    active = written & PDF_ACTIVE_NAMES
    if not active:
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise ApplicationError("Send a PDF without a password.", field=field)
            active = _pdf_active_parts(reader)
            len(reader.pages)
        except ApplicationError:
            raise
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
            raise ApplicationError("This PDF could not be read.", field=field) from None
    if active:
        raise ApplicationError(
            "This PDF contains scripts, actions or embedded files, which cannot be sent. "
            "Save or print it as a plain PDF and try again.",
            field=field,
        )
