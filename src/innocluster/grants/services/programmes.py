"""Programmes: created with their budget line in the ledger."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.finance.models import FundSource
from innocluster.finance.services.budgets import add_budget_line
from innocluster.grants.models import Programme

# The expense account each kind of programme posts to (as the finance seed sets its lines up).
EXPENSE_ACCOUNTS = {
    Programme.Kind.GRANT: "programme_expenses",
    Programme.Kind.VENTURE: "programme_expenses",
    Programme.Kind.ACCELERATION: "acceleration_expenses",
}


def create_programme(
    *,
    code: str,
    kind: str,
    title_en: str,
    fund_source: str,
    by,
    title_kk: str = "",
    title_ru: str = "",
    description_kk: str = "",
    description_ru: str = "",
    description_en: str = "",
    budget_line_code: str = "",
) -> Programme:
    """A programme and its budget line (``budget_line_code``, the programme's code by default; an
    existing line of that code is taken when no other programme owns it)."""
    require(by, "grants.programme.manage")
    code = (code or "").strip()
    errors = {}
    if not code:
        errors["code"] = _("Give the programme a code.")
    elif Programme.objects.filter(code=code).exists():
        errors["code"] = _("A programme with this code already exists.")
    if kind not in Programme.Kind.values:
        errors["kind"] = _("Choose the kind of programme.")
    if fund_source not in FundSource.values:
        errors["fund_source"] = _("Choose the source of funds.")
    if not (title_en or "").strip():
        errors["title_en"] = _("Give the programme a title in English.")
    line_code = (budget_line_code or code).strip()
    if line_code and Programme.objects.filter(budget_line__code=line_code).exists():
        errors["budget_line_code"] = _("This budget line belongs to another programme.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        line = add_budget_line(
            code=line_code,
            name_kk=title_kk or title_en,
            name_ru=title_ru or title_en,
            name_en=title_en,
            kind="programme",
            expense_account=EXPENSE_ACCOUNTS[kind],
            by=by,
        )
        programme = Programme.objects.create(
            code=code,
            kind=kind,
            title_kk=title_kk,
            title_ru=title_ru,
            title_en=title_en,
            description_kk=description_kk,
            description_ru=description_ru,
            description_en=description_en,
            budget_line=line,
            fund_source=fund_source,
        )
        record_event(
            action="grants.programme.created",
            actor=by,
            obj=programme,
            changes={"code": code, "kind": kind, "budget_line": line.code, "fund_source": fund_source},
        )
        return programme
