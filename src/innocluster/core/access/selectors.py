from django.contrib.auth import get_user_model

from .models import RoleAssignment


def roles_of(user) -> frozenset[str]:
    """The user's active roles, read once per user object (so once per request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = user.__dict__.get("_innocluster_roles")
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).values_list("role", flat=True)
        )
        user.__dict__["_innocluster_roles"] = cached
    return cached


def users_with_role(role: str) -> list:
    """Active accounts holding ``role`` now, by id (whom a reminder or a notice goes to)."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True, role_assignments__role=role, role_assignments__revoked_at__isnull=True
        )
        .distinct()
        .order_by("pk")
    )
