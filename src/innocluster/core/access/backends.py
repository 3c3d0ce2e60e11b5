"""Django's model permissions (which the admin asks) follow roles: a fund administrator holds them
all, nobody else holds any. Granting the role through ``innocluster role grant`` is therefore
enough, and revoking it takes the admin away; no superuser flag or group to keep in step."""

from django.contrib.auth.backends import BaseBackend

from .roles import FUND_ADMIN
from .selectors import roles_of


class RolePermissionBackend(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        return bool(user_obj.is_active and FUND_ADMIN in roles_of(user_obj))

    def has_module_perms(self, user_obj, app_label):
        return self.has_perm(user_obj, app_label)
