"""One command per business action: the staff page, the API and the CLI perform a transition
through the same dispatcher (``Workflow.perform``), so the same action on three equivalent objects
leaves audit rows and notifications identical in kind, and a refusal says the same thing through
each interface (a message on the page, 409/400/403 in the API, exit 1 in the CLI)."""

from datetime import date
from io import StringIO
from itertools import count

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from innocluster.core.audit.models import AuditEvent
from innocluster.core.notifications.models import Notification
from innocluster.core.workflow import IllegalTransition
from innocluster.parties.services.register import create_organisation
from innocluster.parties.services.representatives import add_representative
from innocluster.registry.models import Application, Participant, ParticipantCategory, StatusChange
from innocluster.registry.services import applications, moderation
from innocluster.registry.services.register import register_participant
from innocluster.registry.workflow import APPLICATION_WORKFLOW, PARTICIPANT_WORKFLOW
from tests.factories.accounts import login_with_2fa, user_with_role
from tests.factories.registry import draft_application, organisation_fields

pytestmark = pytest.mark.django_db

STAFF = "/staff/registry/"
API = "/api/v1/"


@pytest.fixture
def staff(people):
    client = Client()
    login_with_2fa(client, people["registrar"])
    return client


_serials = count(1)


def applicants(n: int) -> list:
    return [
        user_with_role("participant_rep", f"applicant-{next(_serials)}", enrolled=False) for _ in range(n)
    ]


def submitted(applicant) -> Application:
    application = draft_application(applicant)
    applications.submit(application, by=applicant, on=date(2026, 4, 1))
    application.refresh_from_db()
    return application


def registered(head) -> Participant:
    organisation = create_organisation(**organisation_fields())
    add_representative(organisation, user=head, role="head", by=None)
    return register_participant(
        category=ParticipantCategory.objects.get(code="company"),
        registered_on=date(2026, 3, 2),
        organisation=organisation,
        reason="Commission decision No. 7",
    )


def cli(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def traces(obj, owner, since: int, since_note: int):
    """What one action left: audit rows and notifications, without what names the object itself."""
    events = [
        (e.action, e.object_type, sorted(e.changes), e.actor_id, e.reason)
        for e in AuditEvent.objects.filter(pk__gt=since).order_by("id")
    ]
    notes = sorted(
        (n.key, "owner" if n.recipient_id == owner.pk else n.recipient.username, n.object_type)
        for n in Notification.objects.filter(pk__gt=since_note)
    )
    return events, notes


def marks() -> tuple[int, int]:
    last = AuditEvent.objects.order_by("-id").first()
    note = Notification.objects.order_by("-id").first()
    return (last.pk if last else 0), (note.pk if note else 0)


def through_each_interface(objs, owners, page, api, command, capture):
    """Perform the action once per interface (page, API, CLI) on three equivalent objects; return
    what each left behind."""
    left = []
    for obj, owner, act in zip(objs, owners, (page, api, command), strict=True):
        since = marks()
        with capture(execute=True):
            act(obj)
        left.append(traces(obj, owner, *since))
    return left


def test_accept_leaves_the_same_traces_through_page_api_and_cli(
    people, staff, django_capture_on_commit_callbacks
):
    owners = applicants(3)
    objs = [submitted(owner) for owner in owners]

    def page(a):
        assert staff.post(f"{STAFF}applications/{a.pk}/accept/").status_code == 303

    def api(a):
        response = staff.post(
            f"{API}applications/{a.pk}/transitions/", {"name": "accept"}, content_type="application/json"
        )
        assert response.status_code == 200, response.content

    def command(a):
        cli("application", "accept", str(a.pk), "--as", people["registrar"].username)

    left = through_each_interface(objs, owners, page, api, command, django_capture_on_commit_callbacks)
    events, notes = left[0]
    assert [e[0] for e in events] == ["registry.application.accept", *["notification.created"] * 2]
    assert events[0][2] == ["commission_due", "moderation_due", "status"]
    assert events[0][3] == people["registrar"].pk
    assert ("workflow.transition", "owner", "registry.application") in notes
    assert left[1] == left[0] and left[2] == left[0]
    for a in objs:
        a.refresh_from_db()
        assert a.status == Application.Status.COMMISSION


def test_return_for_revision_leaves_the_same_traces(people, staff, django_capture_on_commit_callbacks):
    owners = applicants(3)
    objs = [submitted(owner) for owner in owners]
    prefix = "return_for_revision"

    def page(a):
        data = {
            f"{prefix}-reason": "",
            f"{prefix}-items-TOTAL_FORMS": "1",
            f"{prefix}-items-INITIAL_FORMS": "0",
            f"{prefix}-items-MIN_NUM_FORMS": "0",
            f"{prefix}-items-MAX_NUM_FORMS": "30",
            f"{prefix}-items-0-item": "Charter",
            f"{prefix}-items-0-text": "Sign the charter.",
        }
        assert staff.post(f"{STAFF}applications/{a.pk}/{prefix}/", data).status_code == 303

    def api(a):
        body = {"name": prefix, "items": [{"item": "Charter", "text": "Sign the charter."}]}
        response = staff.post(f"{API}applications/{a.pk}/transitions/", body, content_type="application/json")
        assert response.status_code == 200, response.content

    def command(a):
        cli("application", prefix, str(a.pk), "--as", "reg", "--item", "Charter", "Sign the charter.")

    left = through_each_interface(objs, owners, page, api, command, django_capture_on_commit_callbacks)
    events, notes = left[0]
    assert [e[0] for e in events] == ["registry.application.return_for_revision", "notification.created"]
    assert events[0][4] == "Charter: Sign the charter."
    assert notes == [("workflow.transition", "owner", "registry.application")]
    assert left[1] == left[0] and left[2] == left[0]
    for a in objs:
        assert [(c.item, c.text) for c in a.revision_comments.all()] == [("Charter", "Sign the charter.")]


def test_suspend_leaves_the_same_traces_through_page_api_and_cli(
    people, staff, django_capture_on_commit_callbacks
):
    owners = applicants(3)
    objs = [registered(owner) for owner in owners]
    grounds = "No annual report for 2025."

    def page(p):
        response = staff.post(f"{STAFF}participants/{p.number}/suspend/", {"suspend-grounds": grounds})
        assert response.status_code == 303

    def api(p):
        response = staff.post(
            f"{API}participants/{p.number}/suspend/", {"grounds": grounds}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "suspended"

    def command(p):
        cli("participant", "suspend", p.number, "--as", "reg", "--grounds", grounds)

    left = through_each_interface(objs, owners, page, api, command, django_capture_on_commit_callbacks)
    events, notes = left[0]
    assert events == [
        (
            "registry.participant.status_changed",
            "registry.participant",
            ["status"],
            people["registrar"].pk,
            grounds,
        ),
        (
            "notification.created",
            "registry.participant",
            ["key", "notifications", "recipients"],
            people["registrar"].pk,
            "",
        ),
    ]
    assert notes == [("workflow.transition", "owner", "registry.participant")]
    assert left[1] == left[0] and left[2] == left[0]
    dues = {StatusChange.objects.filter(participant=p).latest("id").response_due for p in objs}
    assert len(dues) == 1 and None not in dues


def test_cli_json_reports_the_result(people):
    participant = registered(applicants(1)[0])
    out = cli("participant", "suspend", participant.number, "--as", "reg", "--grounds", "Late", "--json")
    import json

    data = json.loads(out)
    assert data["participant"] == participant.number and data["status"] == "suspended"
    assert data["response_due"]


# --- refusals ---------------------------------------------------------------------------------------


def test_an_illegal_transition_says_the_same_through_each_interface(people, staff):
    owner = applicants(1)[0]
    application = submitted(owner)
    moderation.accept(application, by=people["registrar"])
    expected = str(IllegalTransition(APPLICATION_WORKFLOW, APPLICATION_WORKFLOW.get("accept"), "commission"))
    since = marks()

    url = f"{STAFF}applications/{application.pk}/"
    response = staff.post(f"{url}accept/", HTTP_REFERER=url)
    assert response.status_code == 303
    assert expected in staff.get(response["Location"]).content.decode()

    response = staff.post(
        f"{API}applications/{application.pk}/transitions/",
        {"name": "accept"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json() == {"detail": expected, "code": "illegal_transition"}

    with pytest.raises(CommandError) as exc:
        cli("application", "accept", str(application.pk), "--as", "reg")
    assert str(exc.value) == expected and exc.value.returncode == 1
    assert marks() == since  # nothing written by any of them


def test_an_illegal_membership_step_says_the_same_through_each_interface(people, staff):
    participant = registered(applicants(1)[0])
    expected = str(
        IllegalTransition(PARTICIPANT_WORKFLOW, PARTICIPANT_WORKFLOW.get("reinstate"), "registered")
    )
    url = f"{STAFF}participants/{participant.number}/"
    response = staff.post(f"{url}reinstate/", {"reinstate-grounds": "x"}, HTTP_REFERER=url)
    assert response.status_code == 303
    assert expected in staff.get(response["Location"]).content.decode()
    response = staff.post(
        f"{API}participants/{participant.number}/reinstate/",
        {"grounds": "x"},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["detail"] == expected
    with pytest.raises(CommandError) as exc:
        cli("participant", "reinstate", participant.number, "--as", "reg", "--grounds", "x")
    assert str(exc.value) == expected


def test_a_missing_reason_is_refused_the_same_way(people, staff):
    application = submitted(applicants(1)[0])
    message = "Write at least one comment for the applicant."
    since = marks()
    prefix = "return_for_revision"
    response = staff.post(
        f"{STAFF}applications/{application.pk}/{prefix}/",
        {f"{prefix}-items-TOTAL_FORMS": "0", f"{prefix}-items-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 400 and message in response.content.decode()
    response = staff.post(
        f"{API}applications/{application.pk}/transitions/", {"name": prefix}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["errors"] == {"reason": [message]}
    with pytest.raises(CommandError) as exc:
        cli("application", prefix, str(application.pk), "--as", "reg")
    assert str(exc.value) == f"reason: {message}" and exc.value.returncode == 1
    assert marks() == since
    application.refresh_from_db()
    assert application.status == Application.Status.MODERATION

    participant = registered(applicants(1)[0])
    response = staff.post(
        f"{API}participants/{participant.number}/suspend/", {}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["errors"] == {"grounds": ["State the grounds."]}
    with pytest.raises(CommandError) as exc:
        cli("participant", "suspend", participant.number, "--as", "reg")
    assert str(exc.value) == "grounds: State the grounds."


def test_a_role_without_the_right_is_refused_through_each_interface(people):
    application = submitted(applicants(1)[0])
    participant = registered(applicants(1)[0])
    commission = Client()
    login_with_2fa(commission, people["commission"])
    since = marks()
    assert commission.post(f"{STAFF}applications/{application.pk}/accept/").status_code == 403
    response = commission.post(
        f"{API}applications/{application.pk}/transitions/",
        {"name": "accept"},
        content_type="application/json",
    )
    assert response.status_code == 403
    with pytest.raises(CommandError) as exc:
        cli("application", "accept", str(application.pk), "--as", "com")
    assert exc.value.returncode == 1 and str(exc.value) == response.json()["detail"]
    # A head of another organisation may use the membership endpoint, but not on this entry.
    stranger = Client()
    stranger.force_login(registered(applicants(1)[0]).organisation.representatives.get().user)
    response = stranger.post(
        f"{API}participants/{participant.number}/exit/", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    response = stranger.post(
        f"{API}participants/{participant.number}/suspend/", {"grounds": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk__gt=since[0], object_id=str(participant.pk)).count() == 0
    assert AuditEvent.objects.filter(pk__gt=since[0], object_id=str(application.pk)).count() == 0


def test_unknown_actions_are_refused(people, staff):
    participant = registered(applicants(1)[0])
    response = staff.post(f"{API}participants/{participant.number}/fly/", {}, content_type="application/json")
    assert response.status_code == 404
    assert staff.post(f"{API}participants/1999-00001/suspend/", {}).status_code == 404
    with pytest.raises(CommandError):  # argparse: the choices are the workflow's transitions
        cli("participant", "fly", participant.number, "--as", "reg")


def test_the_head_leaves_through_the_api(people):
    head = applicants(1)[0]
    participant = registered(head)
    client = Client()
    client.force_login(head)
    response = client.post(
        f"{API}participants/{participant.number}/exit/",
        {"reason": "Closing"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "exited"
