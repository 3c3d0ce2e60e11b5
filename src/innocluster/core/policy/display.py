"""How policy keys and values read to people, in their language."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .registry import InForce

LABELS = {
    "levy.rate": _("Subsoil users' R&D levy rate (share of the previous year's income)"),
    "levy.due_date": _("Levy payment due date"),
    "levy.penalty_rate_per_day": _("Penalty for late levy payment, per day"),
    "levy.carry_forward_years": _("Years an overpaid levy carries forward"),
    "registry.moderation_days": _("Completeness check of an application"),
    "registry.commission_days": _("Commission decision on an application"),
    "registry.total_days": _("Total time to decide on an application"),
    "registry.eligibility.max_state_share": _("State and quasi-state ownership must be below"),
    "registry.eligibility.excluded_flags": _("Who cannot become a participant"),
    "registry.eligibility.general_tax_regime": _("A participant must be taxed under the general regime"),
    "registry.compliance.min_priority_income_share": _("Minimum share of income from priority activities"),
    "registry.participant_categories": _("Participant categories"),
    "registry.documents.required": _("Documents required with an application"),
    "registry.documents.max_megabytes": _("Largest file accepted with an application, MB"),
    "registry.documents.allowed_types": _("File types accepted with an application"),
    "registry.suspension.response_days": _("Time for a suspended participant to answer"),
    "registry.compliance.report_due": _("Participants' annual report due"),
    "workforce.visa_max_years": _("Longest work visa for a foreign specialist"),
    "workforce.decision_days": _("Decision on a foreign specialist request"),
    "workforce.advice.kz_share_managers": _("Kazakh staff among managers (general regime, advisory)"),
    "workforce.advice.kz_share_specialists": _("Kazakh staff among specialists (general regime, advisory)"),
    "governance.quorum": _("Quorum of a collegial body"),
    "governance.majority": _("Majority needed for a resolution (share of members present)"),
    "governance.chair_casting_vote": _("The chair's vote decides a tie"),
}

FLAG_LABELS = {
    "subsoil_user": _("subsoil users"),
    "sez_participant": _("special economic zone participants"),
    "excisable_goods": _("producers of excisable goods"),
    # participant categories (registry/data/categories.yaml)
    "science_org": _("science organisations"),
    "education_org": _("education organisations"),
    "venture_fund": _("venture funds"),
    "foreign_investment_fund": _("foreign investment funds"),
    "transnational_corporation": _("transnational corporations"),
    "technology_centre": _("technology development centres"),
    "company": _("companies"),
    "individual": _("individuals"),
    # document kinds (registry/data/documents.yaml)
    "business_plan": _("business plan"),
    "charter": _("charter"),
    "state_registration": _("certificate of state registration"),
    "financial_statements": _("financial statements"),
    "fund_rules": _("fund rules"),
    "identity_document": _("identity document"),
    "signed_agreement": _("signed participation agreement"),
    # file types
    "pdf": "PDF",
    "png": "PNG",
    "jpeg": "JPEG",
    "docx": "DOCX (Word)",
    "xlsx": "XLSX (Excel)",
}

SOURCE_LABELS = {"law": _("law"), "src": _("official source"), "design": _("design decision")}


def label(key: str) -> str:
    return str(LABELS.get(key, key))


def percent(value: Decimal) -> str:
    shown = (value * 100).normalize()
    return f"{formats.number_format(shown, use_l10n=True)}%"


def render_value(found: InForce) -> str:
    value: Any = found.value
    if value is None:
        return str(_("none"))
    if found.kind == "decimal":
        return percent(value)
    if found.kind == "working_days":
        return ngettext("%(n)d working day", "%(n)d working days", value) % {"n": value}
    if found.kind == "calendar_days":
        return ngettext("%(n)d calendar day", "%(n)d calendar days", value) % {"n": value}
    if found.kind == "years":
        return ngettext("%(n)d year", "%(n)d years", value) % {"n": value}
    if found.kind == "month_day":
        month, day = (int(part) for part in value.split("-"))
        return formats.date_format(date(2024, month, day), "MONTH_DAY_FORMAT")
    if found.kind == "boolean":
        return str(_("yes") if value else _("no"))
    if found.kind == "list":
        if any(":" in str(item) for item in value):
            return _grouped(value)
        return ", ".join(str(FLAG_LABELS.get(item, item)) for item in value)
    return str(value)


def _grouped(items) -> str:
    """``category:item`` pairs (``*`` for every legal entity) read as "who: what, what; who: what"."""
    groups: dict[str, list[str]] = {}
    for item in items:
        who, _sep, what = str(item).partition(":")
        groups.setdefault(who, []).append(str(FLAG_LABELS.get(what, what)))
    parts = []
    for who, whats in groups.items():
        label = _("every legal entity") if who == "*" else FLAG_LABELS.get(who, who)
        parts.append(f"{label}: {', '.join(whats)}")
    return "; ".join(parts)
