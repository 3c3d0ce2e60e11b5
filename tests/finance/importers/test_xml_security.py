"""camt.053 files carrying a DTD are refused before anything is expanded or read."""

import io
from pathlib import Path

import pytest

from innocluster.finance.importers.base import StatementFormatError, parse

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Document [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>&lol9;</Id>
<Acct><Id><IBAN>KZ78601A861001234567</IBAN></Id><Ccy>KZT</Ccy></Acct>
</Stmt></BkToCstmrStmt></Document>
"""


def external_entity(target: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Document [<!ENTITY x SYSTEM "{target}">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt><Id>1</Id>
<Acct><Id><IBAN>KZ78601A861001234567</IBAN></Id><Ccy>KZT</Ccy></Acct>
<Ntry><Amt Ccy="KZT">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-05</Dt></BookgDt>
<AcctSvcrRef>R1</AcctSvcrRef><AddtlNtryInf>&x;</AddtlNtryInf></Ntry>
</Stmt></BkToCstmrStmt></Document>
""".encode()


class CountingStream(io.BytesIO):
    """Counts the bytes handed to the parser."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.handed = 0

    def read(self, size=-1):
        data = super().read(size)
        self.handed += len(data)
        return data


def test_billion_laughs_refused():
    stream = CountingStream(BILLION_LAUGHS)
    with pytest.raises(StatementFormatError) as caught:
        list(parse(stream, "camt053"))
    assert "DTD" in str(caught.value)
    assert caught.value.location == "line 2"


def test_billion_laughs_refused_through_detection():
    with pytest.raises(StatementFormatError):
        list(parse(io.BytesIO(BILLION_LAUGHS)))


def test_external_entity_refused_and_never_read(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET")
    for target in ("file:///etc/passwd", secret.as_uri(), "http://127.0.0.1:9/x"):
        with pytest.raises(StatementFormatError) as caught:
            list(parse(io.BytesIO(external_entity(target)), "camt053"))
        assert "SECRET" not in str(caught.value) and "root:" not in str(caught.value)
        assert caught.value.location == "line 2"


def test_doctype_hidden_behind_a_long_comment_is_refused():
    """The check runs on every chunk read, not only the first."""
    padding = b"<!--" + b"x" * 200_000 + b"-->\n"
    data = b'<?xml version="1.0"?>\n' + padding + BILLION_LAUGHS.split(b"\n", 1)[1]
    with pytest.raises(StatementFormatError):
        list(parse(io.BytesIO(data), "camt053"))


def test_marker_split_across_reads_is_refused():
    class TinyReads(io.BytesIO):
        def read(self, size=-1):
            return super().read(3)

    with pytest.raises(StatementFormatError):
        list(parse(TinyReads(external_entity("file:///etc/passwd")), "camt053"))


@pytest.mark.parametrize("encoding", ["UTF-7", "EBCDIC-US", "UTF-16"])
def test_encodings_that_could_hide_a_doctype_are_refused(encoding):
    data = f'<?xml version="1.0" encoding="{encoding}"?>\n<Document/>'.encode("ascii")
    with pytest.raises(StatementFormatError) as caught:
        list(parse(io.BytesIO(data), "camt053"))
    assert caught.value.location == "line 1"


def test_doctype_line_counted_across_reads():
    data = b'<?xml version="1.0"?>\n' + b"<!-- x -->\n" * 10_000 + b"<!DOCTYPE Document>\n<Document/>"
    with pytest.raises(StatementFormatError) as caught:
        list(parse(io.BytesIO(data), "camt053"))
    assert caught.value.location == "line 10002"


def test_declared_encoding_checked_even_with_short_reads():
    class TinyReads(io.BytesIO):
        def read(self, size=-1):
            return super().read(3)

    data = b'<?xml version="1.0" encoding="UTF-7"?>\n<Document/>'
    with pytest.raises(StatementFormatError):
        list(parse(TinyReads(data), "camt053"))
