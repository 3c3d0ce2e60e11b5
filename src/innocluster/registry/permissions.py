from innocluster.core.access.permissions import anyone, declare, has_role
from innocluster.core.access.roles import AUDIT_READERS, FUND_STAFF

declare("registry.public", anyone)
declare("registry.register", has_role("registrar", "fund_admin"))
declare("registry.view_personal_data", has_role("registrar", "fund_admin", *AUDIT_READERS))
declare("registry.staff_view", has_role(*FUND_STAFF, *AUDIT_READERS))
