"""Uploaded files the Fund keeps: one way to fingerprint them and to store them without leaving an
orphan behind when the row that should hold them is refused."""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

CHUNK_SIZE = 64 * 1024


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


@contextmanager
def stored(field_file, name: str, content) -> Iterator[None]:
    """Write ``content`` to storage under ``field_file``; if the block raises (the row is refused,
    the audit fails), the written file is deleted again so a refusal leaves nothing behind."""
    field_file.save(name, content, save=False)
    try:
        yield
    except BaseException:
        field_file.delete(save=False)
        raise
