"""What the audit log adds to the platform: its page, its link and its card."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from innocluster.core.manifest import Card, CardSource, Manifest, Mount, NavEntry


def audit_card(user, today: date) -> list[Card]:
    """The seal's state for those who read the log (``action`` below): two single-row reads."""
    from .models import Checkpoint
    from .selectors import audit_status

    head = audit_status()
    checkpoint = Checkpoint.objects.order_by("-seq").values("seq", "created_at").first()
    text = ngettext(
        "%(n)d action is sealed in the audit chain.",
        "%(n)d actions are sealed in the audit chain.",
        head.sealed,
    ) % {"n": head.sealed}
    if checkpoint:
        text += " " + _("Last checkpoint: no. %(seq)s.") % {"seq": checkpoint["seq"]}
    return [
        Card(
            title=_("Audit log"),
            text=text + " " + _("Run `innocluster audit verify` to recompute the chain."),
            url=reverse("audit_log"),
            link=_("Search the audit log"),
        )
    ]


MANIFEST = Manifest(
    navigation=(NavEntry("audit_log", gettext_lazy("Audit log"), "audit.view_log", order=800),),
    cards=(CardSource("staff", audit_card, action="audit.view_log", order=900),),
    urls=(Mount("staff/audit/", urls="innocluster.core.audit.urls"),),
    commands=("audit",),
    admin=("innocluster.core.audit.admin",),
)
