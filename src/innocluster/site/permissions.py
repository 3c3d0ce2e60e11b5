"""The site's pages are public: each home shows only what its reader's roles allow."""

from innocluster.core.access.permissions import anyone, declare, has_role, in_role_group
from innocluster.core.access.roles import AUDITOR

declare("site.home", anyone)
declare("site.rules", anyone)
# Comparing regimes may name an organisation or an application: the Fund's staff and the auditor.
declare("site.rules.compare", in_role_group("staff") | has_role(AUDITOR))
