"""Uploaded files the Fund keeps: one way to fingerprint them, to name them in storage and to store
them without leaving an orphan behind when the row that should hold them is refused.

Storage names are generated (``<kind>/<yyyy>/<uuid4><ext>``), never the uploader's: a file
system refuses a name over 255 bytes (250 Cyrillic letters are 500), and two uploads of one
long name would grow it further with the storage's de-duplicating suffix. The name the user
gave is kept as data (``original_name``) and used only for display and downloads."""

import hashlib
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils import timezone
from django.utils.deconstruct import deconstructible

CHUNK_SIZE = 64 * 1024

# The longest original name kept: what every common file system allows in characters.
ORIGINAL_NAME_LENGTH = 255

_SAFE_EXTENSION = re.compile(r"\.[a-z0-9]{1,10}")


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    size: int
    head: bytes  # the first bytes, for a content-type check


def fingerprint(uploaded_file, head_size: int = 0) -> Fingerprint:
    """SHA-256 and size read in chunks (an upload is never held in memory whole), plus its first
    ``head_size`` bytes. The file is rewound before and after."""
    digest, size, head = hashlib.sha256(), 0, b""
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    for chunk in uploaded_file.chunks(CHUNK_SIZE):
        digest.update(chunk)
        size += len(chunk)
        if len(head) < head_size:
            head += chunk[: head_size - len(head)]
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    return Fingerprint(digest.hexdigest(), size, head)


@deconstructible
class GeneratedName:
    """``upload_to`` for every FileField of the project: ``<kind>/<yyyy>/<uuid4><ext>``.

    The extension is the original's when it is short ASCII letters and digits (lower-cased), so a
    file opened from storage still shows its type; anything else is dropped."""

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, instance, filename: str) -> str:
        return storage_name(self.kind, filename)


def storage_name(kind: str, filename: str, *, now=None) -> str:
    """The generated name a file of ``kind`` is stored under (see ``GeneratedName``)."""
    extension = os.path.splitext(filename or "")[1].lower()
    if not _SAFE_EXTENSION.fullmatch(extension):
        extension = ""
    year = (now or timezone.now()).year
    return f"{kind}/{year:04d}/{uuid.uuid4().hex}{extension}"


def original_name(uploaded_file) -> str:
    """The name the user gave the file, without any folder part, to keep as data.

    At most 255 characters (what every common file system allows, and the ``original_name``
    columns' length): a longer one, only possible from a hand-made request, is shortened before its
    extension the way Django's own ``UploadedFile`` does, so the type check still reads it."""
    name = os.path.basename((getattr(uploaded_file, "name", "") or "").replace("\\", "/")).strip()
    if len(name) > ORIGINAL_NAME_LENGTH:
        stem, extension = os.path.splitext(name)
        extension = extension[:ORIGINAL_NAME_LENGTH]
        name = stem[: ORIGINAL_NAME_LENGTH - len(extension)] + extension
    return name or "document"


@contextmanager
def stored(field_file, name: str, content) -> Iterator[None]:
    """Write ``content`` to storage under ``field_file``; if the block raises (the row is refused,
    the audit fails), the written file is deleted again so a refusal leaves nothing behind.

    ``name`` is the original name; the field's ``upload_to`` (a ``GeneratedName``) replaces it
    with a generated one and keeps only its extension."""
    field_file.save(name, content, save=False)
    try:
        yield
    except BaseException:
        field_file.delete(save=False)
        raise
