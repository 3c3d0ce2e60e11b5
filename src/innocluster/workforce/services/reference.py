"""The workforce's reference data: the kinds of document a request carries
(``data/documents.yaml``), named by the policy key ``workforce.documents.required``."""

from pathlib import Path

import yaml

from innocluster.workforce.models import DocumentKind

DOCUMENT_KINDS = Path(__file__).resolve().parents[1] / "data" / "documents.yaml"


def load_document_kinds() -> int:
    """Create the shipped kinds that are missing; rows already there are kept as they are (an
    administrator may have renamed them). Returns how many were created."""
    rows = yaml.safe_load(DOCUMENT_KINDS.read_text(encoding="utf-8")) or []
    created = 0
    for row in rows:
        _kind, new = DocumentKind.objects.get_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )
        created += new
    return created
