"""Who may become a participant, read from the active regime's policy data (DOMAIN.md, workflow 1).

Each test names the policy key it reads and carries that value's legal reference, so the applicant
and the registrar see the same rule with its source. A rule whose key has no value in the regime is
not applied (the regime does not have that requirement); a change of regime or a new dated value
changes the outcome without a code change.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from innocluster.core.policy import values as policy
from innocluster.core.policy.display import percent
from innocluster.core.policy.formulas import formula
from innocluster.parties.models import Organisation
from innocluster.registry.models import ParticipantCategory

FLAG_FIELDS = {
    "subsoil_user": "subsoil_user",
    "sez_participant": "sez_participant",
    "excisable_goods": "excisable_goods",
}


@dataclass(frozen=True)
class Check:
    key: str
    passed: bool
    message: str
    reference: str


@dataclass(frozen=True)
class Eligibility:
    checks: tuple[Check, ...]

    @property
    def eligible(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.passed)


def _rule(key: str, on: date, regime: str | None):
    try:
        return policy.lookup(key, on=on, regime=regime)
    except policy.NoValueInForce:
        return None


def evaluate(
    *, category: ParticipantCategory, organisation: Organisation | None, on: date, regime: str | None = None
) -> Eligibility:
    checks: list[Check] = []
    categories = _rule("registry.participant_categories", on, regime)
    if categories is not None and categories.value is not None:
        ok = category.code in categories.value
        checks.append(
            Check(
                categories.key,
                ok,
                str(
                    _("The category “%(c)s” is admitted.")
                    if ok
                    else _("The category “%(c)s” is not admitted in this regime.")
                )
                % {"c": category.name},
                categories.localized_reference,
            )
        )
    if organisation is None:
        return Eligibility(tuple(checks))
    share = _rule("registry.eligibility.max_state_share", on, regime)
    if share is not None and share.value is not None:
        ok = Decimal(organisation.state_share) < share.value
        checks.append(
            Check(
                share.key,
                ok,
                str(_("State and quasi-state share %(s)s must be below %(m)s."))
                % {"s": percent(Decimal(organisation.state_share)), "m": percent(share.value)},
                share.localized_reference,
            )
        )
    flags = _rule("registry.eligibility.excluded_flags", on, regime)
    if flags is not None and flags.value:
        for flag in flags.value:
            field = FLAG_FIELDS.get(flag)
            if field is None:
                continue
            ok = not getattr(organisation, field)
            label = Organisation._meta.get_field(field).verbose_name
            checks.append(
                Check(
                    flags.key,
                    ok,
                    str(_("%(flag)s: no.") if ok else _("%(flag)s: yes, which this regime does not admit."))
                    % {"flag": capfirst(label)},
                    flags.localized_reference,
                )
            )
    general = _rule("registry.eligibility.general_tax_regime", on, regime)
    if general is not None and general.value:
        ok = organisation.general_tax_regime
        checks.append(
            Check(
                general.key,
                ok,
                str(
                    _("Taxed under the general regime: yes.")
                    if ok
                    else _("Taxed under a special regime, which this regime does not admit.")
                ),
                general.localized_reference,
            )
        )
    return Eligibility(tuple(checks))


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
    """Law cases: is an organisation of ``category`` with this state share and flags eligible?"""
    organisation = Organisation(
        state_share=Decimal(state_share),
        general_tax_regime=general_tax_regime,
        **{FLAG_FIELDS[f]: True for f in flags},
    )
    return evaluate(
        category=ParticipantCategory.objects.get(code=category),
        organisation=organisation,
        on=on,
        regime=regime,
    ).eligible
