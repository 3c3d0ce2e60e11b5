"""The workflow executor, exercised through a real workflow: the decision record's publication
(``recorded`` → ``published`` → ``revoked``)."""

import logging
import sys
import threading
import time
import types
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation

from innocluster.core import workflow as wf
from innocluster.core.access.permissions import declared
from innocluster.core.access.services import grant_role
from innocluster.core.audit.models import AuditEvent
from innocluster.core.decisions.models import Decision, Status
from innocluster.core.decisions.services import publish_decision, record_decision, revoke_decision
from innocluster.core.decisions.workflow import DECISION_WORKFLOW
from innocluster.core.errors import DomainError
from innocluster.core.workflow import (
    IllegalTransition,
    Transition,
    TransitionDenied,
    Workflow,
    default_notify,
    execute,
)


@pytest.fixture
def person(db, django_user_model):
    """``person("registrar")``: a user holding that role (or no role with ``None``)."""
    created = {}

    def make(role: str | None, username: str | None = None):
        username = username or role or "nobody"
        if username not in created:
            user = django_user_model.objects.create_user(username, f"{username}@example.com", "pw")
            if role:
                grant_role(user=user, role=role, reason="test")
            created[username] = user
        return created[username]

    return make


@pytest.fixture
def secretary(person):
    return person("corporate_secretary")


@pytest.fixture
def decision(person):
    return record_decision(
        body="selection_commission",
        body_name="Selection commission of the Fund",
        number="17",
        decided_on=date(2025, 3, 14),
        basis="Rules of participant registration, item 12",
        outcome="approved",
        by=person("fund_admin"),
    )


def events(action: str):
    return AuditEvent.objects.filter(action=action)


# --- declaring a workflow -----------------------------------------------------------------------


def test_the_table_is_data_the_ui_and_tests_can_read():
    publish, revoke = DECISION_WORKFLOW.transitions
    assert DECISION_WORKFLOW.get("publish") is publish
    assert publish.sources == ("recorded",) and publish.target == "published"
    assert revoke.sources == ("recorded", "published") and revoke.reason_required
    assert [t.name for t in DECISION_WORKFLOW.allowed_from("recorded")] == ["publish", "revoke"]
    assert [t.name for t in DECISION_WORKFLOW.allowed_from("published")] == ["revoke"]
    assert DECISION_WORKFLOW.allowed_from("revoked") == []
    assert DECISION_WORKFLOW.label == "decisions.decision"
    with pytest.raises(KeyError, match="no transition 'approve'"):
        DECISION_WORKFLOW.get("approve")


def test_every_action_a_workflow_asks_for_is_declared():
    assert DECISION_WORKFLOW.actions() == {"decisions.publish", "decisions.revoke"}
    assert all(declared(action) for action in DECISION_WORKFLOW.actions())


def _transition(name="go", source="recorded", target="published"):
    return Transition(source=source, target=target, action="decisions.publish", name=name, label="Go")


def test_a_typo_in_a_state_fails_when_the_workflow_is_declared():
    with pytest.raises(ValueError, match=r"unknown state\(s\) \['publishd'\]"):
        Workflow(model=Decision, transitions=[_transition(target="publishd")])


def test_a_transition_name_is_declared_once():
    with pytest.raises(ValueError, match="declared twice"):
        Workflow(model=Decision, transitions=[_transition(), _transition()])


def test_the_state_field_must_exist():
    with pytest.raises(ValueError, match="no state field 'state'"):
        Workflow(model=Decision, state_field="state", transitions=[])


def test_extra_fields_cannot_bypass_the_state(decision, secretary):
    with pytest.raises(ValueError, match="cannot set the state field"):
        execute(DECISION_WORKFLOW, decision, "publish", by=secretary, extra_fields={"status": "revoked"})


# --- executing a transition ---------------------------------------------------------------------


def test_a_legal_transition_changes_the_state_and_records_who_when_and_what(decision, secretary):
    returned = publish_decision(decision, by=secretary, ip="10.0.0.7")

    stored = Decision.objects.get(pk=decision.pk)
    assert stored.status == Status.PUBLISHED and stored.published_at is not None
    assert returned.status == Status.PUBLISHED and returned.published_at == stored.published_at
    assert decision.status == Status.PUBLISHED  # the caller's instance is not left stale
    event = events("decisions.decision.publish").get()
    assert event.actor == secretary
    assert event.object_type == "decisions.decision" and event.object_id == str(decision.pk)
    assert event.changes["status"] == ["recorded", "published"]
    assert event.changes["published_at"][0] is None and event.changes["published_at"][1]
    assert event.ip == "10.0.0.7"


def test_a_reason_is_kept_with_the_event(decision, person):
    revoke_decision(decision, by=person("fund_executive"), reason="  Entered twice; see No. 18  ")
    event = events("decisions.decision.revoke").get()
    assert event.reason == "Entered twice; see No. 18"
    assert event.changes["status"] == ["recorded", "revoked"]
    assert Decision.objects.get(pk=decision.pk).revoked_at is not None


def test_extra_audit_changes_are_merged(decision, secretary):
    execute(DECISION_WORKFLOW, decision, "publish", by=secretary, changes={"register_entry": [None, "R-5"]})
    assert events("decisions.decision.publish").get().changes["register_entry"] == [None, "R-5"]


def test_an_illegal_transition_is_refused_plainly_and_changes_nothing(decision, person, secretary):
    revoke_decision(decision, by=person("fund_admin"), reason="entered in error")
    before = AuditEvent.objects.count()

    with pytest.raises(IllegalTransition) as exc:
        publish_decision(decision, by=secretary)

    assert str(exc.value) == "This decision is “Revoked”; “Publish” is possible only when it is “Recorded”."
    assert isinstance(exc.value, DomainError) and exc.value.code == "illegal_transition"
    assert exc.value.state == "revoked" and exc.value.transition.name == "publish"
    assert Decision.objects.get(pk=decision.pk).status == Status.REVOKED
    assert AuditEvent.objects.count() == before


def test_the_message_lists_every_state_a_transition_starts_from(decision, person):
    admin = person("fund_admin")
    revoke_decision(decision, by=admin, reason="entered in error")
    with pytest.raises(IllegalTransition) as exc:
        revoke_decision(decision, by=admin, reason="again")
    assert str(exc.value).endswith("possible only when it is “Recorded” or “Published”.")


def test_the_state_is_checked_on_the_locked_row_not_on_the_callers_copy(decision, person, secretary):
    stale = Decision.objects.get(pk=decision.pk)
    revoke_decision(decision, by=person("fund_admin"), reason="entered in error")
    assert stale.status == Status.RECORDED  # the page the secretary still has open
    with pytest.raises(IllegalTransition):
        publish_decision(stale, by=secretary)
    assert events("decisions.decision.publish").count() == 0


def test_a_role_that_lacks_the_action_is_denied_with_the_access_reason(decision, person):
    registrar = person("registrar")
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionDenied) as exc:
        publish_decision(decision, by=registrar)
    assert str(exc.value) == "Your role does not allow this action."
    assert exc.value.code == "transition_denied" and exc.value.transition.name == "publish"
    assert Decision.objects.get(pk=decision.pk).status == Status.RECORDED
    assert AuditEvent.objects.count() == before


def test_an_anonymous_caller_is_told_to_sign_in(decision):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(TransitionDenied, match=r"Please sign in\."):
        publish_decision(decision, by=AnonymousUser())


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_required_reason_must_be_given(decision, person, reason):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        revoke_decision(decision, by=person("fund_admin"), reason=reason)
    assert exc.value.message_dict == {"reason": ["Give a reason: “Revoke” requires one."]}
    assert Decision.objects.get(pk=decision.pk).status == Status.RECORDED
    assert AuditEvent.objects.count() == before


def test_available_lists_only_what_this_user_may_do_now(decision, person, secretary):
    names = lambda user: [t.name for t in DECISION_WORKFLOW.available(user, decision)]  # noqa: E731
    assert names(secretary) == ["publish", "revoke"]
    assert names(person("fund_executive")) == ["revoke"]
    assert names(person("registrar")) == []
    assert names(person(None)) == []
    publish_decision(decision, by=secretary)
    assert names(secretary) == ["revoke"]
    revoke_decision(decision, by=secretary, reason="entered in error")
    assert names(secretary) == []


# --- notifications: a pluggable hook, after commit ----------------------------------------------


def test_the_notification_goes_out_after_commit_with_the_hook_given(
    decision, secretary, django_capture_on_commit_callbacks
):
    sent = []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish_decision(decision, by=secretary, notify=lambda **kw: sent.append(kw))
    assert sent == []  # nothing is said before the transaction commits
    for callback in callbacks:
        callback()
    (call,) = sent
    assert call["key"] == "workflow.transition"
    assert call["recipients"] == [decision.recorded_by]
    assert call["actor"] == secretary and call["obj"].pk == decision.pk
    context = {k: str(v) for k, v in call["context"].items()}
    assert context == {
        "workflow": "decisions.decision",
        "transition": "publish",
        "transition_label": "Publish",
        "from": "recorded",
        "to": "published",
        "previous_state": "Recorded",
        "state": "Published",
        "reason": "",
    }


def test_no_notification_for_a_transition_that_rolled_back(
    decision, secretary, django_capture_on_commit_callbacks
):
    sent = []
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        publish_decision(decision, by=secretary, notify=lambda **kw: sent.append(kw))
        raise RuntimeError("something later in the same request failed")
    assert sent == []
    assert Decision.objects.get(pk=decision.pk).status == Status.RECORDED


def test_a_failing_notification_does_not_undo_the_transition(
    decision, secretary, django_capture_on_commit_callbacks, caplog
):
    def broken(**kwargs):
        raise ConnectionError("mail server down")

    with django_capture_on_commit_callbacks(execute=True):
        publish_decision(decision, by=secretary, notify=broken)
    assert Decision.objects.get(pk=decision.pk).status == Status.PUBLISHED
    assert "mail server down" in caplog.text


def test_the_workflows_own_hook_is_used_when_the_call_gives_none(
    decision, secretary, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(DECISION_WORKFLOW, "notify", lambda **kw: sent.append(kw["key"]))
    with django_capture_on_commit_callbacks(execute=True):
        publish_decision(decision, by=secretary)
    assert sent == ["workflow.transition"]


def test_no_recipients_means_no_notification(decision, secretary, django_capture_on_commit_callbacks):
    sent = []
    quiet = Workflow(
        model=Decision,
        label="test.quiet",
        transitions=[
            Transition("recorded", "published", "decisions.publish", "publish", "Publish", notify="x"),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        execute(quiet, decision, "publish", by=secretary, notify=lambda **kw: sent.append(kw))
    assert sent == []
    assert events("test.quiet.publish").count() == 1


def test_the_default_hook_is_found_lazily_and_skipped_while_missing(monkeypatch, caplog):
    monkeypatch.setattr(wf, "NOTIFY_MODULE", "innocluster.core.notifications.not_written_yet")
    with caplog.at_level(logging.DEBUG, logger="innocluster.core.workflow"):
        assert default_notify() is None
    assert "not available yet" in caplog.text

    monkeypatch.setattr(wf, "NOTIFY_MODULE", "innocluster.core.errors")  # exists, no notify()
    assert default_notify() is None

    module = types.ModuleType("fake_notifications")
    module.notify = lambda **kw: None
    monkeypatch.setitem(sys.modules, "fake_notifications", module)
    monkeypatch.setattr(wf, "NOTIFY_MODULE", "fake_notifications")
    assert default_notify() is module.notify


def test_a_broken_notifications_module_is_not_hidden(monkeypatch):
    def broken_import(name, package=None):
        raise ModuleNotFoundError("No module named 'smtp_thing'", name="smtp_thing")

    monkeypatch.setattr(wf.importlib, "import_module", broken_import)
    with pytest.raises(ModuleNotFoundError, match="smtp_thing"):
        default_notify()


def test_messages_are_translated_when_read_not_when_raised(decision, person):
    admin = person("fund_admin")
    revoke_decision(decision, by=admin, reason="entered in error")
    with translation.override("en"), pytest.raises(IllegalTransition) as exc:
        revoke_decision(decision, by=admin, reason="again")
    with translation.override("ru"):
        assert "“Зарегистрировано” или “Опубликовано”" in str(exc.value)
    with translation.override("en"):
        assert "“Recorded” or “Published”" in str(exc.value)


# --- the row lock, on PostgreSQL ----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_pressing_publish_at_once_succeed_exactly_once(person):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are only meaningful on PostgreSQL")
    first, second = person("corporate_secretary", "secretary1"), person("corporate_secretary", "secretary2")
    decision = record_decision(
        body="fund_executive",
        number="1-P",
        decided_on=date(2025, 1, 10),
        basis="Charter of the Fund",
        outcome="approved",
        by=person("fund_admin"),
    )
    locked, results, done = threading.Event(), {}, {}
    release = threading.Event()

    def holder():
        """Publishes and keeps the transaction (and the row lock) open until released."""
        try:
            with transaction.atomic():
                publish_decision(Decision.objects.get(pk=decision.pk), by=first)
                locked.set()
                release.wait(10)
            results["first"] = "published"
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            results["first"] = repr(exc)
        finally:
            done["first"] = time.monotonic()
            connection.close()

    def contender():
        locked.wait(10)
        try:
            publish_decision(Decision.objects.get(pk=decision.pk), by=second)  # reads "recorded"
            results["second"] = "published"
        except IllegalTransition:
            results["second"] = "illegal"
        finally:
            done["second"] = time.monotonic()
            connection.close()

    threads = [threading.Thread(target=holder), threading.Thread(target=contender)]
    for t in threads:
        t.start()
    locked.wait(10)
    time.sleep(0.5)  # the contender is now waiting on the lock
    assert "second" not in done  # blocked on the row lock
    released_at = time.monotonic()
    release.set()
    for t in threads:
        t.join(20)

    assert results == {"first": "published", "second": "illegal"}
    assert done["second"] >= released_at  # it went on only once the first could commit
    assert AuditEvent.objects.filter(action="decisions.decision.publish").count() == 1
    assert Decision.objects.get(pk=decision.pk).status == Status.PUBLISHED


# --- the dispatcher: one entry point for every interface -------------------------------------------

CALLS: list = []


def publish_command(decision, *, by, note: str = ""):
    """A command as the dispatcher calls it (also reached by dotted path below)."""
    CALLS.append(("publish", note))
    return execute(DECISION_WORKFLOW, decision, "publish", by=by)


def revoke_command(decision, *, by, reason: str, corrects):
    CALLS.append(("revoke", reason, corrects))
    return execute(DECISION_WORKFLOW, decision, "revoke", by=by, reason=reason)


def refusing_command(decision, *, by):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied("Only on Mondays.")


def dispatched(**overrides) -> Workflow:
    publish, revoke = DECISION_WORKFLOW.transitions
    return Workflow(
        model=Decision,
        transitions=[
            Transition(
                publish.source, publish.target, publish.action, "publish", "Publish", command=publish_command
            ),
            Transition(
                revoke.source,
                revoke.target,
                revoke.action,
                "revoke",
                "Revoke",
                reason_required=True,
                reason_message="Say why.",
                command=overrides.get("revoke", revoke_command),
            ),
            Transition(
                revoke.source, revoke.target, revoke.action, "refuse", "Refuse", command=refusing_command
            ),
            Transition(publish.source, publish.target, publish.action, "bare", "Bare"),
        ],
    )


@pytest.fixture
def calls():
    CALLS.clear()
    return CALLS


def test_perform_runs_the_transitions_command_with_the_inputs_it_takes(decision, secretary, calls):
    result = dispatched().perform(decision, "publish", by=secretary, note="n", unrelated="dropped")
    assert calls == [("publish", "n")]
    assert result.status == decision.status == Status.PUBLISHED
    assert events("decisions.decision.publish").count() == 1


def test_a_command_can_be_named_by_dotted_path(decision, secretary, calls):
    workflow = dispatched(revoke=f"{__name__}.revoke_command")
    workflow.perform(decision, "revoke", by=secretary, reason="Wrong number", corrects=decision)
    assert calls == [("revoke", "Wrong number", decision)]


def test_an_unknown_action_is_a_domain_error(decision, secretary):
    with pytest.raises(wf.UnknownTransition) as exc:
        dispatched().perform(decision, "fly", by=secretary)
    assert isinstance(exc.value, DomainError) and "fly" in str(exc.value)


def test_the_right_and_the_state_are_checked_before_the_command_runs(decision, person, secretary, calls):
    workflow = dispatched()
    with pytest.raises(TransitionDenied):
        workflow.perform(decision, "publish", by=person(None))
    workflow.perform(decision, "publish", by=secretary)
    calls.clear()
    with pytest.raises(IllegalTransition):
        workflow.perform(decision, "publish", by=secretary)
    assert calls == []


def test_a_required_reason_and_required_inputs_are_checked_first(decision, secretary, calls):
    with pytest.raises(ValidationError) as exc:
        dispatched().perform(decision, "revoke", by=secretary, reason="  ")
    assert exc.value.message_dict == {"reason": ["Say why."], "corrects": ["This field is required."]}
    assert calls == [] and Decision.objects.get(pk=decision.pk).status == Status.RECORDED


def test_a_refusal_inside_the_command_is_the_same_domain_error(decision, secretary):
    with pytest.raises(TransitionDenied, match=r"Only on Mondays\."):
        dispatched().perform(decision, "refuse", by=secretary)


def test_a_transition_without_a_command_is_executed_as_declared(decision, secretary):
    dispatched().perform(decision, "bare", by=secretary)
    assert Decision.objects.get(pk=decision.pk).status == Status.PUBLISHED
    assert events("decisions.decision.bare").count() == 1


def test_check_answers_the_role_question_without_the_state(decision, secretary):
    workflow = dispatched()
    assert workflow.check(secretary, "publish", decision).name == "publish"
    with pytest.raises(TransitionDenied):
        workflow.check(None, "publish", decision)
