import pytest
from django.core.exceptions import ValidationError
from django.urls import path

from innocluster.core.access import permissions
from innocluster.core.access.permissions import can, declare, has_role
from innocluster.core.access.roles import role_keys, two_factor_roles
from innocluster.core.access.selectors import roles_of
from innocluster.core.access.services import grant_role, revoke_role
from innocluster.core.access.views import requires
from innocluster.core.accounts.services import enrol_totp
from innocluster.core.audit.models import AuditEvent
from tests.factories.accounts import TEST_TOTP_SECRET, login_with_2fa, user_with_role


@pytest.fixture
def registrar(db):
    return user_with_role("registrar", "reg")


def test_role_keys_are_the_ones_the_demo_and_table_use():
    # Collected from the manifests in INSTALLED_APPS order: the platform's, the register's, finance's,
    # the levy's, the grants', the workforce's, then the governance's.
    assert role_keys() == [
        "fund_admin", "fund_executive", "auditor", "registrar", "commission_member", "participant_rep",
        "finance_officer", "chief_accountant", "subsoil_rep", "programme_manager", "expert", "expert_chair", "hr_officer",
        "corporate_secretary", "trustee", "committee_member",
    ]  # fmt: skip
    assert "participant_rep" not in two_factor_roles() and "trustee" in two_factor_roles()


def test_unknown_action_is_denied_with_a_reason(registrar):
    decision = can(registrar, "no.such.action")
    assert not decision.allowed and "No access rule" in decision.reason


def test_can_answers_by_role_and_explains_a_refusal(registrar, django_user_model):
    declare("test.registry.review", has_role("registrar"))
    try:
        assert can(registrar, "test.registry.review").allowed
        outsider = django_user_model.objects.create_user("outsider")
        refused = can(outsider, "test.registry.review")
        assert not refused and "role does not allow" in refused.reason
        from django.contrib.auth.models import AnonymousUser

        assert "sign in" in can(AnonymousUser(), "test.registry.review").reason
    finally:
        permissions._ACTIONS.remove_rule("test.registry.review")


def test_declaring_an_action_twice_is_an_error():
    with pytest.raises(ValueError, match="declared twice"):
        declare("core.set_language", permissions.anyone)


def test_grant_and_revoke_are_audited_and_keep_history(registrar, django_user_model):
    assert roles_of(registrar) == {"registrar"}
    with pytest.raises(ValidationError):
        grant_role(user=registrar, role="registrar")
    with pytest.raises(ValidationError) as exc:
        revoke_role(user=registrar, role="registrar", reason="")
    assert "reason" in exc.value.error_dict
    revoke_role(user=registrar, role="registrar", reason="left the Fund")
    assert roles_of(registrar) == frozenset()
    assert registrar.role_assignments.count() == 1  # revoked, not deleted
    actions = list(
        AuditEvent.objects.filter(object_id=str(registrar.pk), action__startswith="access.").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["access.role.granted", "access.role.revoked"]
    with pytest.raises(ValidationError):
        grant_role(user=registrar, role="king")


def undeclared_view(request):
    from django.http import HttpResponse

    return HttpResponse("should never be served")


@requires("audit.view_log")
def audit_only_view(request):
    from django.http import HttpResponse

    return HttpResponse("log")


urlpatterns = [path("undeclared/", undeclared_view), path("audit-only/", audit_only_view)]


@pytest.mark.urls(__name__)
def test_a_view_without_a_declared_rule_is_refused_to_everyone(admin_client):
    assert admin_client.get("/undeclared/").status_code == 403


@pytest.mark.urls(__name__)
def test_a_declared_view_checks_the_role(client, registrar, django_user_model):
    assert client.get("/audit-only/").status_code == 302  # anonymous: sign in first
    login_with_2fa(client, registrar)
    assert client.get("/audit-only/").status_code == 403
    auditor = user_with_role("auditor", "aud")
    login_with_2fa(client, auditor)
    assert client.get("/audit-only/").content == b"log"


def test_the_fund_admin_role_alone_opens_the_admin_with_its_model_permissions(client, django_user_model):
    staff = django_user_model.objects.create_user("plain", "plain@example.com", "pw")
    grant_role(user=staff, role="fund_admin")
    enrol_totp(staff, TEST_TOTP_SECRET)
    login_with_2fa(client, staff)
    assert client.get("/admin/policy/parametervalue/").status_code == 200
    revoke_role(user=staff, role="fund_admin", reason="left")
    assert client.get("/admin/policy/parametervalue/").status_code == 302
    assert not django_user_model.objects.get(pk=staff.pk).has_perm("policy.view_parametervalue")


def test_admin_requires_the_fund_admin_role_even_for_a_superuser(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    login_with_2fa(client, root)
    assert client.get("/admin/").status_code == 302
    grant_role(user=root, role="fund_admin")
    enrol_totp(root, TEST_TOTP_SECRET)
    login_with_2fa(client, root)
    assert client.get("/admin/").status_code == 200


def test_role_command_grants_revokes_and_lists(django_user_model, capsys):
    from django.core.management import CommandError, call_command

    django_user_model.objects.create_user("aigerim")
    call_command("role", "grant", "aigerim", "registrar", "--reason", "appointed by order 15")
    assert "role registrar granted to aigerim" in capsys.readouterr().out
    call_command("role", "list", "--role", "registrar")
    assert "aigerim" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already holds"):
        call_command("role", "grant", "aigerim", "registrar", "--reason", "again")
    call_command("role", "revoke", "aigerim", "registrar", "--reason", "moved to finance")
    assert AuditEvent.objects.filter(action="access.role.revoked", reason="moved to finance").exists()
    with pytest.raises(CommandError, match="no user"):
        call_command("role", "grant", "nobody", "registrar", "--reason", "x")
