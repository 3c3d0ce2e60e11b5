"""What finance adds to the platform: its roles, rules, pages, API and the ``finance.matchers``
extension point that other modules fill with their bank-line matchers."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import Manifest, Mount, NavEntry
from innocluster.finance.roles import ROLES

MANIFEST = Manifest(
    navigation=(NavEntry("finance:home", _("Finance"), "finance.read", order=500),),
    roles=ROLES,
    permissions=("innocluster.finance.permissions",),
    admin=("innocluster.finance.admin",),
    commands=("ledger", "bank", "statements"),
    urls=(
        Mount("staff/finance/reports/", urls="innocluster.finance.urls.reports"),
        Mount("staff/finance/", urls="innocluster.finance.urls.staff"),
    ),
)
