"""What policy conditions may test about an organisation (``core.policy.attributes``): the facts
the organisation row records, each with its name for people. A regime's conditions name them
(``{attribute: subsoil_user, operator: eq, value: false, ...}``); a new fact becomes testable by a
field here and a line below, never by code in the app that applies the conditions."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.policy.attributes import Attribute
from innocluster.core.policy.display import percent


def _flag(name: str, label) -> Attribute:
    return Attribute(name, "organisation", "boolean", label, lambda organisation: getattr(organisation, name))


ATTRIBUTES = (
    Attribute(
        "state_share",
        "organisation",
        "decimal",
        _("state and quasi-state ownership share"),
        lambda organisation: organisation.state_share,
        show=percent,
    ),
    _flag("resident", _("resident of Kazakhstan")),
    _flag("subsoil_user", _("subsoil user")),
    _flag("sez_participant", _("special economic zone participant")),
    _flag("excisable_goods", _("produces excisable goods")),
    _flag("general_tax_regime", _("taxed under the generally established regime")),
    _flag("investment_priority_project", _("implements or has implemented an investment priority project")),
    _flag("has_branches", _("has branches")),
    _flag("separate_tax_accounting", _("keeps separate tax accounting")),
    Attribute(
        "main_activity",
        "organisation",
        "text",
        _("main activity (OKED)"),
        lambda organisation: organisation.activity.oked if organisation.activity_id else None,
    ),
)
