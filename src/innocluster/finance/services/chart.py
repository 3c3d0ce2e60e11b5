"""Loading the chart of accounts from ``finance/data/chart_of_accounts.yaml``: inserts accounts
whose code is missing, never changes one that exists (a Fund's edits to names stay)."""

from pathlib import Path

import yaml

CHART = Path(__file__).resolve().parent.parent / "data" / "chart_of_accounts.yaml"
DEBIT_TYPES = {"asset", "expense", "memo"}


def read_chart(path: Path = CHART) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_chart(account_model=None, path: Path = CHART) -> int:
    """Insert the chart's missing accounts (parents first, as the file lists them). Takes the model
    so that a migration can pass its historical one. Returns how many were added."""
    if account_model is None:
        from innocluster.finance.models import Account as account_model
    data = read_chart(path)
    act = {"en": data["act"], "ru": data["act_ru"], "kk": data["act_kk"]}
    existing = {a.code: a for a in account_model.objects.all()}
    added = 0
    for row in data["accounts"]:
        if row["code"] in existing:
            continue
        parent = existing.get(row.get("parent")) if row.get("parent") else None
        if row.get("parent") and parent is None:
            raise ValueError(f"account {row['code']}: parent {row['parent']} is not in the chart before it")
        reference = act["ru"] if row.get("reference") == "act" else "design"
        account = account_model.objects.create(
            code=row["code"],
            key=row.get("key"),
            name_kk=row["kk"],
            name_ru=row["ru"],
            name_en=row["en"],
            type=row["type"],
            normal_side="debit" if row["type"] in DEBIT_TYPES else "credit",
            parent=parent,
            postable=row.get("postable", True),
            requires_party=row.get("party", False),
            fund_source=row.get("source", ""),
            reference=reference,
        )
        existing[account.code] = account
        added += 1
    return added
