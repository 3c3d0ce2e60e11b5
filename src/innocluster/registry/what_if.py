"""Eligibility and deadlines under another regime, for one organisation or one application.

Offered to ``policy compare`` and the rules comparison page through the ``policy.what_ifs`` hook:
staff see what the same applicant would meet, and by when the Fund would have to answer, if
another regime were in force.
"""

from datetime import date

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innocluster.core.calendar import add_working_days
from innocluster.core.policy import attributes
from innocluster.core.policy import values as policy
from innocluster.core.policy.compare import Outcome, WhatIf
from innocluster.core.policy.display import label
from innocluster.parties import selectors as parties

from . import eligibility
from .models import Application, ParticipantCategory

DEADLINE_KEYS = ("registry.moderation_days", "registry.commission_days", "registry.total_days")


def _eligibility_lines(category, organisation, on: date, regime: str) -> list[Outcome]:
    result = eligibility.evaluate(category=category, organisation=organisation, on=on, regime=regime)
    declared = attributes.declared()
    lines = []
    for check in result.checks:
        attribute = declared.get(check.attribute) if check.attribute else None
        name = capfirst(attribute.label) if attribute is not None else label(check.key)
        lines.append(Outcome(str(name), ("✓ " if check.passed else "✗ ") + str(check.message)))
    lines.insert(0, Outcome(_("Eligible"), _("yes") if result.eligible else _("no")))
    return lines


def _category_of(organisation) -> ParticipantCategory:
    participant = getattr(organisation, "participant", None)
    if participant is not None:
        return participant.category
    latest = Application.objects.filter(organisation=organisation).order_by("-pk").first()
    if latest is not None:
        return latest.category
    return ParticipantCategory.objects.get(code="company")


def organisation(subject: str, on: date, regime: str) -> list[Outcome]:
    """Would the organisation with BIN ``subject`` be eligible on ``on`` under ``regime``?"""
    found = parties.organisation_by_bin(subject.strip())
    if found is None:
        raise LookupError(_("No organisation with BIN %(bin)s.") % {"bin": subject.strip()})
    return _eligibility_lines(_category_of(found), found, on, regime)


def application(subject: str, on: date, regime: str) -> list[Outcome]:
    """The deadlines an application would have had under ``regime``, counted from its (last)
    submission (``on`` for a draft), and its eligibility on that day."""
    try:
        found = Application.objects.select_related("organisation", "category").get(pk=int(subject))
    except (ValueError, Application.DoesNotExist):
        raise LookupError(_("No application number %(n)s.") % {"n": subject.strip()}) from None
    start = found.submitted_on or on
    lines = [Outcome(_("Counted from"), formats.date_format(start, "DATE_FORMAT"))]
    for key in DEADLINE_KEYS:
        days = policy.value(key, on=start, regime=regime)
        due = add_working_days(start, int(days))
        lines.append(Outcome(str(label(key)), formats.date_format(due, "DATE_FORMAT")))
    return lines + _eligibility_lines(found.category, found.organisation, start, regime)


WHAT_IFS = (
    WhatIf(
        name="registry.organisation",
        label=gettext_lazy("An organisation's eligibility"),
        prompt=gettext_lazy("BIN"),
        run=organisation,
        action="registry.staff_view",
        example="180340021791",
    ),
    WhatIf(
        name="registry.application",
        label=gettext_lazy("An application's deadlines and eligibility"),
        prompt=gettext_lazy("application number"),
        run=application,
        action="registry.staff_view",
        example="1",
    ),
)
