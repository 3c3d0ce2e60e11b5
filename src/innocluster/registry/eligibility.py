"""Who may become a participant, read from the regime's policy data (DOMAIN.md, workflow 1).

Two keys decide it: ``registry.participant_categories`` (the categories admitted) and
``registry.eligibility.conditions``, a list of condition rows over the attributes apps declare
for organisations and applications (``core.policy.conditions``): a regime adds a criterion by
adding a row, with its reference, never by code. Each check carries its legal reference, so the
applicant and the registrar see the same rule with its source.

Absence is never a relaxation: a key with no value in force raises ``NoValueInForce`` naming key,
regime and date. A regime without such criteria ships an explicit empty list (or ``null``), with
the reference that says so.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import yaml
from django.utils.translation import gettext_lazy as _

from innocluster.core.policy import attributes, conditions
from innocluster.core.policy import values as policy
from innocluster.core.policy.formulas import formula
from innocluster.parties.models import Organisation
from innocluster.registry.models import Application, ParticipantCategory
from innocluster.registry.services.register import DATA

CATEGORIES_KEY = "registry.participant_categories"
CONDITIONS_KEY = "registry.eligibility.conditions"


@dataclass(frozen=True)
class Check:
    key: str
    passed: bool
    message: str
    reference: str
    attribute: str = ""  # the attribute a condition tested ("" for the category check)


@dataclass(frozen=True)
class Eligibility:
    checks: tuple[Check, ...]

    @property
    def eligible(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.passed)


def _category_check(category: ParticipantCategory, on: date, regime: str | None) -> list[Check]:
    categories = policy.lookup(CATEGORIES_KEY, on=on, regime=regime)
    if categories.value is None:  # an explicit null: the regime restricts no category
        return []
    ok = category.code in categories.value
    message = (
        _("The category “%(c)s” is admitted.")
        if ok
        else _("The category “%(c)s” is not admitted in this regime.")
    )
    return [Check(categories.key, ok, str(message) % {"c": category.name}, categories.localized_reference)]


def evaluate(
    *,
    category: ParticipantCategory,
    organisation: Organisation | None,
    on: date,
    regime: str | None = None,
    application: Application | None = None,
) -> Eligibility:
    """Every check of the regime in force on ``on`` for an applicant of ``category``.

    ``organisation`` is ``None`` for a natural person: conditions about organisations do not
    concern them (their category is checked). ``application``, when given, supplies the
    application's attributes; without it they are read from an unsaved application of
    ``category``. Raises ``NoValueInForce`` when either key has no value in force."""
    checks = _category_check(category, on, regime)
    found = policy.lookup(CONDITIONS_KEY, on=on, regime=regime)
    rows = found.value or []
    declared = attributes.declared()
    values = attributes.read_all("application", application or Application(category=category))
    if organisation is not None:
        values.update(attributes.read_all("organisation", organisation))
    else:
        rows = [
            row
            for row in rows
            if (attribute := declared.get(row["attribute"])) is None or attribute.subject != "organisation"
        ]
    for outcome in conditions.evaluate(rows, values, declared):
        checks.append(Check(found.key, outcome.passed, outcome.message, outcome.reference, outcome.attribute))
    return Eligibility(tuple(checks))


def _category(code: str) -> ParticipantCategory:
    """The category by code: the loaded row, else (a database without reference data, as ``policy
    test`` may run on) the shipped reference file's row, unsaved. An unknown code is an error."""
    found = ParticipantCategory.objects.filter(code=code).first()
    if found is not None:
        return found
    with open(DATA / "categories.yaml", encoding="utf-8") as fh:
        for row in yaml.safe_load(fh) or []:
            if row["code"] == code:
                return ParticipantCategory(**row)
    raise ValueError(f"unknown participant category {code!r}")


def _organisation_flags() -> set[str]:
    return {
        a.name for a in attributes.declared().values() if a.subject == "organisation" and a.kind == "boolean"
    }


@formula("registry.eligible")
def eligible_formula(
    *,
    category: str,
    state_share: str = "0",
    flags: tuple = (),
    general_tax_regime: bool = True,
    on: date,
    regime: str | None = None,
):
    """Law cases: is an organisation of ``category`` with this state share and these yes/no facts
    (``flags``: names of the organisation's declared yes/no attributes that are true) eligible?
    An unknown flag is an error, never ignored."""
    known = _organisation_flags()
    unknown = sorted(set(flags) - known)
    if unknown:
        raise ValueError(f"unknown flag(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    organisation = Organisation(
        state_share=Decimal(state_share),
        general_tax_regime=general_tax_regime,
        **dict.fromkeys(flags, True),
    )
    return evaluate(
        category=_category(category),
        organisation=organisation,
        on=on,
        regime=regime,
    ).eligible
