"""What parties adds to the platform: the registrar's queue of claims of authority, the staff pages
of an organisation's representatives, the portal's claims page, and the actions they declare."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import Manifest, Mount, NavEntry

MANIFEST = Manifest(
    navigation=(
        NavEntry("parties_staff:claims", _("Claims of authority"), "parties.claim.decide", order=450),
    ),
    permissions=("innocluster.parties.permissions",),
    urls=(
        Mount("staff/parties/", urls="innocluster.parties.urls.staff"),
        Mount("portal/claims/", urls="innocluster.parties.urls.portal"),
    ),
    admin=("innocluster.parties.admin",),
)
