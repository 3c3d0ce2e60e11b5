"""What decision records add to the platform: their pages, link and card, and the Fund's own
deciding bodies (the executive and an officer acting under delegation). Apps add the bodies they
need in their own manifests; the app that keeps the bodies and their meetings will hold them as data."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import BodySpec, CardSource, Manifest, Mount, NavEntry


def decisions_card(user, today):
    from .cards import decisions_card as card  # models are not ready when manifests are imported

    return card(user, today)


MANIFEST = Manifest(
    navigation=(NavEntry("decisions:list", _("Decisions"), "decisions.view", order=700),),
    cards=(CardSource("staff", decisions_card, order=800),),
    bodies=(
        BodySpec("fund_executive", _("Fund executive")),
        BodySpec("fund_officer", _("Fund officer")),
    ),
    permissions=("innocluster.core.decisions.permissions",),
    urls=(Mount("staff/decisions/", urls="innocluster.core.decisions.urls"),),
    admin=("innocluster.core.decisions.admin",),
)
