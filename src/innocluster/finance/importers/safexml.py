"""Reading bank XML safely: the raw bytes are refused the moment a document type declaration or an
entity appears, before anything reaches libxml2 (the "billion laughs" expansion, external
entities reading local files or the network). Used by the camt.053 parser; any later XML format
reads through it too."""

import re
from typing import BinaryIO

from .base import StatementFormatError

_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")
_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_ALLOWED_ENCODINGS = {b"utf-8", b"utf8", b"us-ascii", b"ascii", b"windows-1251", b"cp1251", b"iso-8859-1"}


class NoDoctype:
    """The byte stream, refused the moment a document type declaration or entity appears.

    Checked on the raw bytes (with an overlap across reads) so nothing of a DTD ever reaches
    libxml2. Only ASCII-based encodings are accepted (UTF-8 and a few single-byte ones), so the
    markers cannot hide in UTF-16, UTF-7 or EBCDIC; the parser checks for a DTD again anyway."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream
        self._tail = b""
        self._first = True
        self._newlines = 0  # before the current window

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size if size and size > 0 else 65536)
        if self._first and data:
            self._first = False
            while len(data) < 1024:  # the XML declaration whole, however short the reads
                more = self._stream.read(1024)
                if not more:
                    break
                data += more
            start = data.removeprefix(b"\xef\xbb\xbf").lstrip()
            if not start.startswith(b"<"):
                raise StatementFormatError(
                    "not XML, or XML in an encoding other than UTF-8", location="line 1"
                )
            declared = _ENCODING_RE.match(start)
            if declared and declared.group(1).lower() not in _ALLOWED_ENCODINGS:
                raise StatementFormatError(
                    f"a bank statement in XML must be UTF-8, not {declared.group(1).decode()[:20]}",
                    location="line 1",
                )
        window = self._tail + data
        for marker in _FORBIDDEN:
            if marker in window:
                line = 1 + self._newlines + window[: window.index(marker)].count(b"\n")
                raise StatementFormatError(
                    "a document type declaration (DTD) or entity is not allowed in a bank statement",
                    location=f"line {line}",
                    field=marker.decode()[2:],
                )
        self._tail = window[-16:]
        self._newlines += window.count(b"\n") - self._tail.count(b"\n")
        return data
