"""The manifest collector: what the installed apps declare, read in INSTALLED_APPS order."""

import pytest

from innocluster.core import manifest
from innocluster.core.manifest import CardSource, Manifest, RoleSpec


def test_every_platform_and_domain_app_declares_a_manifest():
    apps = [m.app for m in manifest.manifests()]
    assert apps == [
        "core",
        "audit",
        "policy",
        "access",
        "decisions",
        "notifications",
        "parties",
        "registry",
        "finance",
        "levy",
        "grants",
        "workforce",
        "governance",
        "site",
        "api",
    ]
    assert all(m.path is not None and m.path.is_dir() for m in manifest.manifests())


def test_navigation_is_ordered_and_declared_by_the_apps():
    names = [entry.url_name for entry in manifest.navigation()]
    assert names[0] == "home" and names[-1] == "admin:index"
    assert {"registry:register", "portal:home", "registry_staff:queue", "decisions:list"} <= set(names)


def test_policy_files_are_the_regimes_then_each_apps_own():
    files = [str(p).split("innocluster/")[-1] for p in manifest.policy_files()]
    assert files == [
        "core/policy/defaults.yaml",
        "registry/policy.yaml",
        "finance/policy.yaml",
        "levy/policy.yaml",
        "grants/policy.yaml",
        "workforce/policy.yaml",
        "governance/policy.yaml",
    ]


def test_law_cases_come_from_the_apps_folders():
    folders = [p.parent.name for p in manifest.lawcase_folders()]
    assert folders == ["registry", "finance", "levy", "grants", "workforce", "governance"]


def test_roles_bodies_and_reminders_are_collected():
    roles = {role.key: role for role in manifest.roles()}
    assert roles["registrar"].group == "staff" and roles["registrar"].two_factor
    assert roles["participant_rep"].signup_label and not roles["participant_rep"].two_factor
    assert roles["fund_admin"].group == "staff"
    assert {"selection_commission", "fund_executive", "board_of_trustees", "managing_committee"} <= {
        b.code for b in manifest.bodies()
    }
    assert set(manifest.reminder_sources()) == {
        "registry.application_deadlines",
        "registry.compliance_reports_due",
        "levy.declaration_deadline",
        "workforce.expiries",
        "grants.reports",
    }


def test_the_decision_body_field_offers_the_declared_bodies():
    from innocluster.core.decisions.models import Decision

    codes = [code for code, _label in Decision._meta.get_field("body").choices]
    assert codes == [b.code for b in manifest.bodies()]


def test_a_card_names_a_known_audience():
    with pytest.raises(ValueError, match="audience"):
        CardSource("everyone", lambda user, today: [])


def test_a_role_defined_by_two_apps_is_an_error(monkeypatch):
    twice = [Manifest(roles=(RoleSpec("x", "X"),), app="a"), Manifest(roles=(RoleSpec("x", "X"),), app="b")]
    monkeypatch.setattr(manifest, "manifests", lambda: twice)
    with pytest.raises(ValueError, match="defined by two apps"):
        manifest.roles()


def test_an_app_pointing_at_something_else_fails_at_collection():
    class Config:
        name = "broken"
        label = "broken"
        path = "/nonexistent"
        manifest = "innocluster.core.manifest.AUDIENCES"

    with pytest.raises(TypeError, match="not a Manifest"):
        manifest._load(Config())


def test_core_names_no_domain():
    """The platform knows no app by name: no domain word anywhere in core outside its migrations."""
    import re
    from pathlib import Path

    core = Path(manifest.__file__).parent
    words = re.compile(r"registry|levy|workforce|governance|participant|subsoil|grants|finance", re.I)
    found = [
        f"{path.relative_to(core)}:{n}"
        for path in core.rglob("*")
        if path.is_file()
        and "migrations" not in path.parts
        and path.suffix in {".py", ".yaml", ".html", ".txt"}
        and path.name != "registry.py"  # the old module name of policy.values, kept for merges
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if words.search(line)
    ]
    assert not found, found


def test_the_manifest_command_lists_each_apps_declarations():
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("manifest", "--json", stdout=out)
    apps = {app["app"]: app for app in json.loads(out.getvalue())}
    assert apps["registry"]["roles"] == ["registrar", "commission_member", "participant_rep"]
    assert apps["registry"]["lawcases"] == "lawcases" and apps["registry"]["policy"] == ["policy.yaml"]
    assert "verify/<str:number>/" in apps["registry"]["urls"]
    assert apps["site"]["policy"] == []
    assert apps["policy"]["commands"] == ["policy"]


@pytest.mark.django_db
def test_search_and_export_providers_follow_the_protocol():
    searchers, exporters = manifest.search_providers(), manifest.export_providers()
    assert [type(p).__name__ for p in searchers] == ["RegisterSearch"]
    assert [p.code for p in exporters] == ["register"]
    assert searchers[0].search(None, "  ") == [] and searchers[0].search(None, "no such name") == []
    assert list(exporters[0].rows(None)) == []


def test_hooks_collect_what_apps_contribute_to_a_named_extension_point(settings):
    """An app fills another's extension point through its manifest; the point's owner reads it."""
    from innocluster.core.manifest import Manifest

    contribution = object()
    fake = Manifest(hooks={"finance.matchers": (contribution,)}, app="fake")
    before = manifest.hooks("finance.matchers")
    manifest._cache[("fake",)] = [fake]
    try:
        from unittest import mock

        with mock.patch.object(manifest, "manifests", return_value=[*manifest.manifests(), fake]):
            assert manifest.hooks("finance.matchers") == [*before, contribution]
            assert manifest.hooks("no.such.point") == []
    finally:
        manifest._cache.pop(("fake",), None)
