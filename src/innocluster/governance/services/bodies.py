"""Loading the shipped bodies (``data/bodies.yaml``): missing rows are inserted, existing ones are
never changed, like the policy defaults (``core.policy.services.load_defaults``)."""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from innocluster.core.audit.services import record_event
from innocluster.core.policy.models import Regime
from innocluster.governance.models import Body, parse_fraction

BODIES = Path(__file__).resolve().parents[1] / "data" / "bodies.yaml"


@dataclass
class LoadResult:
    added: int = 0
    present: int = 0
    waiting: int = 0  # rows of a regime not loaded yet


def read_bodies(path: Path | None = None) -> list[dict]:
    """The shipped rows, one per body and regime (the file's ``in`` list expanded)."""
    data = yaml.safe_load((path or BODIES).read_text(encoding="utf-8")) or {}
    rows = []
    for item in data.get("bodies", []):
        common = {k: v for k, v in item.items() if k not in {"in", "rules"}}
        for where in item.get("in", []):
            rows.append({**common, **item.get("rules", {}), **where})
    return rows


@transaction.atomic
def load_bodies(path: Path | None = None, by=None) -> LoadResult:
    """Insert the shipped bodies that are missing for the regimes present; audited per row added.
    Idempotent: a second run adds nothing and writes no audit event."""
    result = LoadResult()
    regimes = {r.code: r for r in Regime.objects.all()}
    existing = set(Body.objects.values_list("regime__code", "code", "exists_from"))
    for row in read_bodies(path):
        code = row.pop("regime")
        if code not in regimes:
            result.waiting += 1
            continue
        if (code, row["code"], row["exists_from"]) in existing:
            result.present += 1
            continue
        parse_fraction(row.get("quorum", "2/3"))
        body = Body.objects.create(regime=regimes[code], **row)
        record_event(
            action="governance.body.loaded",
            actor=by,
            obj=body,
            changes={
                "code": [None, body.code],
                "regime": [None, code],
                "exists_from": [None, str(body.exists_from)],
            },
            reason="governance bodies loaded",
        )
        result.added += 1
    return result
