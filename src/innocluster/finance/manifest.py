"""What finance adds to the platform: its roles, rules, pages, API and the ``finance.matchers``
extension point that other modules fill with their bank-line matchers."""

from innocluster.core.manifest import Manifest, Mount
from innocluster.finance.roles import ROLES

MANIFEST = Manifest(
    roles=ROLES,
    permissions=("innocluster.finance.permissions",),
    admin=("innocluster.finance.admin",),
    commands=("ledger", "bank", "statements"),
    urls=(Mount("staff/finance/", urls="innocluster.finance.urls.staff"),),
)
