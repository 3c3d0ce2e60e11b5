"""One address, three homes: each audience sees what the apps' manifests declare for it, and
nothing of another audience's (a participant never sees a staff queue)."""

from datetime import date

import pytest
from django.utils import timezone

from innocluster.core.policy import services as policy_services
from innocluster.core.policy.models import Regime
from innocluster.registry.services import applications
from innocluster.registry.services.register import load_reference_data
from innocluster.site.selectors import audience_of
from tests.factories.accounts import login_with_2fa, user_with_role
from tests.factories.registry import draft_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(policy_loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_reference_data()
    return {
        "applicant": user_with_role("participant_rep", "acme", enrolled=False),
        "subsoil": user_with_role("subsoil_rep", "oil", enrolled=False),
        "registrar": user_with_role("registrar", "reg"),
        "auditor": user_with_role("auditor", "aud"),
    }


@pytest.fixture
def submitted(people):
    application = draft_application(people["applicant"])
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    return application


def home(client, user=None) -> str:
    if user is not None:
        login_with_2fa(client, user)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_whose_home_it_is(people, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert audience_of(AnonymousUser()) == "public"
    assert audience_of(people["applicant"]) == "portal"
    assert audience_of(people["subsoil"]) == "portal"
    assert audience_of(people["registrar"]) == "staff"
    assert audience_of(people["auditor"]) == "staff"
    # No role yet (signed up elsewhere, role not granted): the portal, never the staff home.
    assert audience_of(django_user_model.objects.create_user("nobody")) == "portal"


def test_the_public_home_says_what_the_cluster_is_who_may_join_and_shows_live_figures(people, client):
    html = home(client)
    assert "Innovation cluster" in html and "Who may join and how" in html
    assert "0 participants are registered in the cluster." in html
    assert 'href="/rules/"' in html and 'href="/accounts/signup/"' in html
    assert "Your work" not in html and "Your account" not in html
    # The full rules table is on its own page now, not on the home.
    assert "levy.rate" not in html


def test_a_participant_sees_their_application_and_no_staff_queue(people, submitted, client):
    html = home(client, people["applicant"])
    assert "Your organisation in the cluster" in html
    assert "My application" in html and f"Application No. {submitted.pk}" in html
    assert "Completeness check" not in html and "Your work" not in html
    assert "Audit log" not in html and "participants are registered" not in html


def test_a_subsoil_users_representative_is_pointed_to_the_levy_portal(people, client):
    html = home(client, people["subsoil"])
    assert "Levy to the Fund" in html and 'href="/portal/levy/"' in html
    assert "You have no open application." not in html  # it is not a participant's applicant


def test_a_registrar_sees_their_queue_overdue_first(people, submitted, client):
    from unittest import mock

    from innocluster.site import views

    with mock.patch.object(views.timezone, "localdate", return_value=date(2026, 4, 10)):
        html = home(client, people["registrar"])
    assert "Your work" in html
    queue = html.index("Completeness check")
    assert 'class="card warn"' in html[: queue + 200]  # overdue: the due date 31 March has passed
    assert "Decisions" in html  # decisions' card: platform staff cards come with the app's
    # The overdue queue comes before the calm cards.
    assert queue < html.index("Latest published decisions")
    assert "My application" not in html and "Who may join and how" not in html


def test_a_calm_queue_still_comes_before_the_platforms_cards(people, client):
    html = home(client, people["registrar"])
    assert 'class="card warn"' not in html
    assert html.index("Completeness check") < html.index("Latest published decisions")


def test_an_auditor_sees_the_audit_seal_but_no_queue(people, submitted, client):
    html = home(client, people["auditor"])
    assert "actions are sealed in the audit chain" in html or "action is sealed" in html
    assert "Completeness check" not in html


def test_the_rules_page_links_every_value_to_its_history(people, client):
    html = client.get("/rules/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/rules/registry.moderation_days/"' in html
    assert "Completeness check of an application" in html


def test_a_rules_history_lists_every_dated_value_and_marks_the_one_in_force(people, client):
    regime = Regime.objects.get(code="astana-hub-2025")  # in force today on the timeline
    later = date(timezone.localdate().year + 1, 1, 1)
    policy_services.add_value(
        regime=regime,
        key="registry.moderation_days",
        valid_from=later,
        kind="working_days",
        value=7,
        reference="A later procedure (test)",
    )
    html = client.get("/rules/registry.moderation_days/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Completeness check of an application" in html
    assert "5 working days" in html and "7 working days" in html
    assert html.index("5 working days") < html.index("7 working days")  # oldest first
    current = html[html.index('<tr class="current"') :]
    assert current.index("5 working days") < current.index("</tr>")  # today's value is marked
    assert "A later procedure (test)" in html


def test_an_unknown_rule_has_no_history_page(people, client):
    assert client.get("/rules/no.such.rule/").status_code == 404
