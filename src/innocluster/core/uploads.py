"""Uploaded documents judged by their bytes, never by their name: what a file really is (libmagic,
and for Office Open XML the zip's members), whether its name claims the same type, and whether it
is within the size allowed. A name that claims another type is refused: staff open these files on
their own machines. Used by every app that takes documents (applications, declarations, foreign
specialist requests); refusals are ``ValidationError`` on the ``file`` field."""

import os
import zipfile

import magic
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SNIFF_SIZE = 8 * 1024  # what libmagic needs to recognise every type we accept
MEGABYTE = 1024 * 1024

# Type code (as the apps' policy keys of accepted types name it) → what libmagic says, the names that
# honestly carry it, and how a message names it.
MIME_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
CONTENT_TYPES = {code: mime for mime, code in MIME_TYPES.items()}
EXTENSIONS = {
    "pdf": (".pdf",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
}
TYPE_NAMES = {
    "pdf": gettext_lazy("a PDF document"),
    "png": gettext_lazy("a PNG image"),
    "jpeg": gettext_lazy("a JPEG image"),
    "docx": gettext_lazy("a Word document (DOCX)"),
    "xlsx": gettext_lazy("an Excel workbook (XLSX)"),
}
# libmagic names an OOXML file by its first zip members; when they come in another order it only
# sees a zip (or, for some writers, bytes), so the container is opened to tell.
ZIP_MIME_TYPES = {"application/zip", "application/x-zip-compressed", "application/octet-stream"}


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _ooxml_type(uploaded_file) -> str | None:
    """``docx`` or ``xlsx`` for an Office Open XML zip, else None."""
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        uploaded_file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def detect_type(head: bytes, uploaded_file) -> tuple[str | None, str]:
    """The type code of the content (None when it is none we know) and libmagic's description."""
    mime = magic.from_buffer(head, mime=True)
    code = MIME_TYPES.get(mime)
    if code is None and mime in ZIP_MIME_TYPES:
        code = _ooxml_type(uploaded_file)
    description = str(TYPE_NAMES[code]) if code else magic.from_buffer(head)[:120]
    return code, description


def check_type(name: str, code: str | None, description: str, allowed: list[str]) -> None:
    extension = os.path.splitext(name)[1].lower()
    claimed = next((c for c, extensions in EXTENSIONS.items() if extension in extensions), None)
    if claimed is not None and claimed != code:
        raise _refuse(
            _("The file %(name)s is named as %(claimed)s but it really is %(actual)s.")
            % {"name": name, "claimed": TYPE_NAMES[claimed], "actual": description}
        )
    if code not in allowed:
        accepted = ", ".join(c.upper() for c in allowed)
        raise _refuse(
            _("The file %(name)s is %(actual)s; the accepted types are %(accepted)s.")
            % {"name": name, "actual": description, "accepted": accepted}
        )
    if claimed is None:
        raise _refuse(
            _("The file %(name)s is %(actual)s; name it with the extension %(extension)s.")
            % {"name": name, "actual": description, "extension": EXTENSIONS[code][0]}
        )


def declared_size(uploaded_file) -> int | None:
    """The size the file object states (an upload's from the request), None when it states none."""
    try:
        size = uploaded_file.size
    except (AttributeError, OSError, ValueError):
        return None
    return size if isinstance(size, int) else None


def check_size(name: str, size: int | None, limit_mb: int) -> None:
    if size is not None and size > limit_mb * MEGABYTE:
        raise _refuse(
            _("The file %(name)s is %(size)s; the largest accepted is %(limit)s MB.")
            % {"name": name, "size": filesizeformat(size), "limit": limit_mb}
        )
