"""What parties adds to the platform: the registrar's queue of claims of authority, the staff pages
of an organisation's representatives, the portal's claims page, the actions they declare, and
the facts about an organisation that policy conditions may test."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import CardSource, Manifest, Mount, NavEntry
from innocluster.parties.attributes import ATTRIBUTES
from innocluster.parties.cards import claim_queue_card

MANIFEST = Manifest(
    navigation=(
        NavEntry("parties_staff:claims", _("Claims of authority"), "parties.claim.decide", order=450),
    ),
    cards=(CardSource("staff", claim_queue_card, action="parties.claim.decide"),),
    permissions=("innocluster.parties.permissions",),
    urls=(
        Mount("staff/parties/", urls="innocluster.parties.urls.staff"),
        Mount("portal/claims/", urls="innocluster.parties.urls.portal"),
    ),
    admin=("innocluster.parties.admin",),
    attributes=ATTRIBUTES,
)
