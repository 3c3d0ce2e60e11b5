"""``innocluster role grant|revoke|list``: the Fund gives and withdraws roles, audited."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from innocluster.core.access.models import RoleAssignment
from innocluster.core.access.roles import role_keys
from innocluster.core.access.services import grant_role, revoke_role


def _user(username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"no user {username!r}") from None


class Command(BaseCommand):
    help = "Grant or withdraw a role (audited), or list who holds which role."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        grant = sub.add_parser("grant")
        grant.add_argument("username")
        grant.add_argument("role", choices=role_keys())
        grant.add_argument("--reason", required=True)
        grant.add_argument("--by", help="username of the administrator acting (for the audit log)")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("username")
        revoke.add_argument("role", choices=role_keys())
        revoke.add_argument("--reason", required=True)
        revoke.add_argument("--by")
        listing = sub.add_parser("list")
        listing.add_argument("--role", choices=role_keys())
        listing.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, action, **options):
        if action == "list":
            rows = (
                RoleAssignment.objects.filter(revoked_at__isnull=True).select_related("user").order_by("role")
            )
            if options["role"]:
                rows = rows.filter(role=options["role"])
            data = [
                {"username": r.user.get_username(), "role": r.role, "since": r.granted_at.isoformat()}
                for r in rows
            ]
            if options["as_json"]:
                self.stdout.write(json.dumps(data, indent=2))
            else:
                for row in data:
                    self.stdout.write(f"{row['role']:20} {row['username']:24} since {row['since'][:10]}")
            return
        user = _user(options["username"])
        by = _user(options["by"]) if options.get("by") else None
        service = grant_role if action == "grant" else revoke_role
        try:
            service(user=user, role=options["role"], by=by, reason=options["reason"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        verb = "granted to" if action == "grant" else "withdrawn from"
        self.stdout.write(f"role {options['role']} {verb} {user.get_username()}")
