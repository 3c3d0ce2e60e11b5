"""Notifications: rendering per language, the notify service, e-mail delivery tasks, queue
housekeeping, reminders, ``innocluster tick`` and the inbox pages."""

from datetime import date, timedelta
from io import StringIO
from smtplib import SMTPException

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.tasks import TaskResultStatus, task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from innocluster.core.audit.models import AuditEvent
from innocluster.core.notifications import reminders, services, tasks
from innocluster.core.notifications.models import EmailStatus, Notification
from innocluster.core.notifications.rendering import UnknownNotificationKey, language_for, render

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run at enqueue time. Django's setting_changed receiver resets the cached backends."""
    settings.TASKS = IMMEDIATE
    assert isinstance(task_backends["default"], ImmediateBackend)


@pytest.fixture
def db_tasks(settings):
    """Tasks become django-tasks-db rows (whatever TASKS_BACKEND the environment chose)."""
    settings.TASKS = DATABASE


@pytest.fixture
def make_user(django_user_model):
    def make(username, *, language=None, email=None):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.com" if email is None else email, "pw"
        )
        if language:
            user.innocluster_language = language
        return user

    return make


@pytest.fixture
def application(db):
    return Group.objects.create(name="Application A-42")


def transition(recipients, obj, **extra):
    context = {"state": "returned for revision", "reason": "the charter is missing", **extra}
    return services.notify(recipients=recipients, key="workflow.transition", context=context, obj=obj)


# --- rendering -----------------------------------------------------------------------------------


def test_language_for_uses_the_users_choice_else_the_site_default(make_user, settings):
    settings.LANGUAGE_CODE = "kk"
    assert language_for(make_user("a", language="ru")) == "ru"
    assert language_for(make_user("b")) == "kk"
    assert language_for(make_user("c", language="de")) == "kk"


def test_render_in_each_language_and_fall_back_to_english():
    context = {"object": "Application A-42", "deadline": date(2027, 3, 1), "days_left": 3}
    subject_kk, body_kk = render("reminder.deadline", "kk", context)
    subject_ru, body_ru = render("reminder.deadline", "ru", context)
    subject_en, body_en = render("reminder.deadline", "en", context)
    assert subject_kk.startswith("Еске салу") and "наурыз" in subject_kk
    assert subject_ru.startswith("Напоминание") and "марта" in subject_ru
    assert subject_en.startswith("Reminder") and "March" in subject_en
    assert "Қалған күн саны: 3" in body_kk and "Осталось дней: 3" in body_ru and "Days left: 3" in body_en
    assert "\n\n\n" not in body_kk
    # A language without its own texts falls back to English.
    assert render("reminder.deadline", "de", context) == (subject_en, body_en)


def test_render_does_not_escape_html_in_plain_text():
    subject, body = render("workflow.transition", "en", {"object": "R&D <plan>", "state": "approved"})
    assert subject == "R&D <plan> is now approved"
    assert "&amp;" not in body


@pytest.mark.parametrize("key", ["no.such.key", "../etc/passwd", ""])
def test_render_refuses_unknown_keys_clearly(key):
    with pytest.raises(UnknownNotificationKey, match="notification key"):
        render(key, "en", {})


# --- notify --------------------------------------------------------------------------------------


def test_notify_creates_one_row_per_recipient_in_their_language(make_user, application):
    kk, ru = make_user("aigul", language="kk"), make_user("ivan", language="ru")
    created = services.notify(
        recipients=[kk, ru, ru],
        key="workflow.transition",
        context={"state": gettext_lazy("Kazakh"), "reason": "жарғы жоқ"},
        obj=application,
        url="/staff/applications/42/",
    )
    assert len(created) == 2 and Notification.objects.count() == 2
    by_user = {n.recipient_id: n for n in Notification.objects.all()}
    n_kk, n_ru = by_user[kk.pk], by_user[ru.pk]
    assert (n_kk.language, n_ru.language) == ("kk", "ru")
    assert n_kk.body != n_ru.body
    assert "мәртебесі «қазақ тілі» болып өзгертілді" in n_kk.body and "Себебі: жарғы жоқ" in n_kk.body
    assert "статус изменён на «казахский»" in n_ru.body and "Причина: жарғы жоқ" in n_ru.body
    assert n_kk.subject == "Application A-42: жаңа мәртебе — қазақ тілі"
    assert "http://" in n_ru.body and "/staff/applications/42/" in n_ru.body
    assert (n_kk.object_type, n_kk.object_id, n_kk.url) == (
        "auth.group",
        str(application.pk),
        "/staff/applications/42/",
    )
    assert n_kk.email_status == EmailStatus.PENDING and n_kk.read_at is None


def test_notify_writes_one_audit_event_listing_the_recipients(make_user, application):
    a, b = make_user("a"), make_user("b")
    created = transition([a, b], application)
    events = AuditEvent.objects.filter(action="notification.created")
    assert events.count() == 1
    event = events.get()
    assert event.changes["recipients"] == [a.pk, b.pk]
    assert event.changes["notifications"] == [n.pk for n in created]
    assert event.changes["key"] == "workflow.transition"
    assert (event.object_type, event.object_id) == ("auth.group", str(application.pk))


def test_notify_with_an_unknown_key_writes_nothing(make_user):
    with pytest.raises(UnknownNotificationKey):
        services.notify(recipients=[make_user("a")], key="registry.nothing", context={})
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="notification.created").exists()


def test_notify_enqueues_email_after_commit(
    make_user, application, immediate_tasks, django_capture_on_commit_callbacks
):
    kk, ru, silent = (
        make_user("aigul", language="kk"),
        make_user("ivan", language="ru"),
        make_user("x", email=""),
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transition([kk, ru, silent], application)
    assert mail.outbox == []  # nothing leaves before commit
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = transition([kk, ru, silent], application, reason="second")
    # One delivery per recipient with an address (plus the audit seal).
    assert len(callbacks) >= 2
    assert sorted(m.to[0] for m in mail.outbox) == ["aigul@example.com", "ivan@example.com"]
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "мәртебесі" in by_address["aigul@example.com"].body
    assert "статус изменён" in by_address["ivan@example.com"].body
    for n in created:
        n.refresh_from_db()
    statuses = {n.recipient.username: (n.email_status, n.attempts) for n in created}
    assert statuses == {
        "aigul": (EmailStatus.SENT, 1),
        "ivan": (EmailStatus.SENT, 1),
        "x": (EmailStatus.SKIPPED, 0),
    }
    assert all(n.email_sent_at for n in created if n.email_status == EmailStatus.SENT)


def test_mark_read_only_by_the_recipient(make_user, application):
    owner, other = make_user("owner"), make_user("other")
    (notification,) = transition([owner], application)
    with pytest.raises(PermissionDenied):
        services.mark_read(notification, other)
    services.mark_read(notification, owner)
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read_touches_only_that_user(make_user, application):
    owner, other = make_user("owner"), make_user("other")
    transition([owner, other], application)
    transition([owner], application)
    assert services.mark_all_read(owner) == 2
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1


# --- deliver_email -------------------------------------------------------------------------------


def test_deliver_email_sends_exactly_once(make_user, application, immediate_tasks):
    (notification,) = transition([make_user("a")], application)
    tasks.deliver_email.enqueue(notification.pk)
    result = tasks.deliver_email.enqueue(notification.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == "nothing to do"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.subject, message.body) == (notification.subject, notification.body)
    notification.refresh_from_db()
    assert (notification.email_status, notification.attempts) == (EmailStatus.SENT, 1)


def test_deliver_email_failure_is_stored_and_reraised(make_user, application, immediate_tasks, monkeypatch):
    (notification,) = transition([make_user("a")], application)

    def broken(*args, **kwargs):
        raise SMTPException("relay refused")

    monkeypatch.setattr(tasks, "send_mail", broken)
    result = tasks.deliver_email.enqueue(notification.pk)
    assert result.status == TaskResultStatus.FAILED
    assert "relay refused" in result.errors[0].traceback
    with pytest.raises(SMTPException):
        tasks.deliver_email.call(notification.pk)
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.FAILED
    assert notification.email_error == "SMTPException: relay refused"
    assert notification.attempts == 2 and notification.email_sent_at is None


def test_retry_failed_emails_requeues_below_the_limit(
    make_user, application, immediate_tasks, django_capture_on_commit_callbacks
):
    retried, exhausted = transition([make_user("a"), make_user("b")], application)
    Notification.objects.filter(pk=retried.pk).update(
        email_status=EmailStatus.FAILED, attempts=1, email_error="x"
    )
    Notification.objects.filter(pk=exhausted.pk).update(email_status=EmailStatus.FAILED, attempts=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.retry_failed_emails(max_attempts=5) == 1
    retried.refresh_from_db()
    exhausted.refresh_from_db()
    assert (retried.email_status, retried.attempts, retried.email_error) == (EmailStatus.SENT, 2, "")
    assert exhausted.email_status == EmailStatus.FAILED
    assert [m.to for m in mail.outbox] == [["a@example.com"]]


def test_retry_failed_emails_queues_once_with_the_database_backend(
    make_user, application, db_tasks, django_capture_on_commit_callbacks
):
    (notification,) = transition([make_user("a")], application)
    Notification.objects.filter(pk=notification.pk).update(email_status=EmailStatus.FAILED, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.retry_failed_emails() == 1
        assert tasks.retry_failed_emails() == 0  # back to pending: the next tick does not queue it again
    rows = DBTaskResult.objects.filter(task_path="innocluster.core.notifications.tasks.deliver_email")
    assert [(r.status, r.args_kwargs["args"]) for r in rows] == [(TaskResultStatus.READY, [notification.pk])]


# --- stuck tasks ---------------------------------------------------------------------------------


def _db_task(status, started_at, workers=1):
    result = tasks.deliver_email.enqueue(0)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=status, started_at=started_at, worker_ids=[f"w{i}" for i in range(workers)]
    )
    return result.id


def test_requeue_stuck_tasks_moves_only_old_running_rows(db, db_tasks, settings):
    settings.INNOCLUSTER_TASK_STUCK_AFTER_MINUTES = 30
    now = timezone.now()
    old = _db_task(TaskResultStatus.RUNNING, now - timedelta(hours=2))
    fresh = _db_task(TaskResultStatus.RUNNING, now - timedelta(minutes=5))
    done = _db_task(TaskResultStatus.SUCCESSFUL, now - timedelta(hours=2))
    assert tasks.requeue_stuck_tasks() == 1
    status = {str(pk): value for pk, value in DBTaskResult.objects.values_list("id", "status")}
    assert status[old] == TaskResultStatus.READY and status[fresh] == TaskResultStatus.RUNNING
    assert status[done] == TaskResultStatus.SUCCESSFUL
    assert DBTaskResult.objects.get(pk=old).started_at is None
    assert DBTaskResult.objects.ready().filter(pk=old).exists()  # a worker will pick it up again
    assert tasks.requeue_stuck_tasks(older_than=timedelta(minutes=1)) == 1
    assert DBTaskResult.objects.get(pk=fresh).status == TaskResultStatus.READY


def test_requeue_gives_up_on_a_task_that_keeps_killing_its_worker(db, db_tasks):
    poison = _db_task(TaskResultStatus.RUNNING, timezone.now() - timedelta(days=1), workers=tasks.MAX_CLAIMS)
    assert tasks.requeue_stuck_tasks() == 0
    row = DBTaskResult.objects.get(pk=poison)
    assert row.status == TaskResultStatus.FAILED and "claims" in row.traceback


# --- reminders -----------------------------------------------------------------------------------


@pytest.fixture
def reminder_source(make_user, application):
    user = make_user("aigul", language="kk")
    calls = []

    def source(today):
        calls.append(today)
        deadline = today + timedelta(days=3)
        yield reminders.Reminder(
            recipient=user,
            key="reminder.deadline",
            context={"deadline": deadline, "days_left": 3},
            obj=application,
            url="/portal/applications/42/",
            dedupe_key=f"test:{application.pk}:deadline:{deadline.isoformat()}:d-3",
        )

    reminders.register_reminder_source("test.deadlines", source)
    yield user, calls
    reminders.unregister_reminder_source("test.deadlines")


def test_reminders_are_sent_once_per_dedupe_key(reminder_source):
    user, calls = reminder_source
    today = date(2027, 2, 26)
    assert reminders.enqueue_due_reminders(today) == 1
    assert reminders.enqueue_due_reminders(today) == 0
    assert len(calls) == 2
    notification = Notification.objects.get(recipient=user)
    assert notification.key == "reminder.deadline" and notification.language == "kk"
    assert "Еске салу" in notification.subject and "Қалған күн саны: 3" in notification.body
    # The next day is another reminder (another deadline in this source, hence another key).
    assert reminders.enqueue_due_reminders(today + timedelta(days=1)) == 1


def test_a_failing_source_does_not_stop_the_others(reminder_source):
    def broken(today):
        raise RuntimeError("registry is down")

    reminders.register_reminder_source("test.broken", broken)
    try:
        assert reminders.enqueue_due_reminders(date(2027, 2, 26)) == 1
    finally:
        reminders.unregister_reminder_source("test.broken")


def test_reminder_sources_are_registered_once_and_need_a_dedupe_key(make_user):
    def source(today):
        return []

    reminders.register_reminder_source("test.once", source)
    try:
        reminders.register_reminder_source("test.once", source)  # the same function again: fine
        with pytest.raises(ValueError, match="already registered"):
            reminders.register_reminder_source("test.once", lambda today: [])
    finally:
        reminders.unregister_reminder_source("test.once")
    with pytest.raises(ValueError, match="dedupe_key"):
        reminders.Reminder(recipient=make_user("a"), key="reminder.deadline")


# --- innocluster tick ----------------------------------------------------------------------------


def test_tick_sends_reminders_requeues_and_retries_in_one_line(reminder_source, db_tasks, application):
    stuck = _db_task(TaskResultStatus.RUNNING, timezone.now() - timedelta(hours=3))
    (failed,) = transition([reminder_source[0]], application)
    Notification.objects.filter(pk=failed.pk).update(email_status=EmailStatus.FAILED, attempts=1)
    out = StringIO()
    call_command("tick", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("tick: ") and "audit events sealed" in lines[0]
    assert "1 reminders created, 1 stuck tasks requeued, 1 failed e-mails retried" in lines[0]
    assert DBTaskResult.objects.get(pk=stuck).status == TaskResultStatus.READY
    out = StringIO()
    call_command("tick", stdout=out)
    assert "0 reminders created, 0 stuck tasks requeued, 0 failed e-mails retried" in out.getvalue()


def test_tick_still_fails_on_a_tampered_chain(db, db_tasks, monkeypatch):
    from innocluster.core.audit.chain import ChainTamperedError
    from innocluster.core.management.commands import tick

    def tampered():
        raise ChainTamperedError("head does not match")

    monkeypatch.setattr(tick, "seal_pending", tampered)
    with pytest.raises(CommandError, match="head does not match"):
        call_command("tick", stdout=StringIO())


# --- inbox pages ---------------------------------------------------------------------------------


def test_inbox_lists_only_own_notifications_newest_first_unread_bold(client, make_user, application):
    owner, other = make_user("owner"), make_user("other")
    transition([owner], application, state="first state")
    transition([owner], application, state="second state")
    transition([other], application, state="someone else's state")
    Notification.objects.filter(recipient=owner, subject__contains="first").update(read_at=timezone.now())
    client.force_login(owner)
    response = client.get("/inbox/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "csrfmiddlewaretoken" in html
    assert "someone else" not in html
    assert html.index("second state") < html.index("first state")
    assert "<strong>Application A-42 is now second state</strong>" in html
    assert "<strong>Application A-42 is now first state</strong>" not in html
    assert "1 unread notification" in html


def test_inbox_paginates_by_25(client, make_user, application):
    owner = make_user("owner")
    for i in range(30):
        transition([owner], application, state=f"state {i:02d}")
    client.force_login(owner)
    first = client.get("/inbox/").content.decode()
    second = client.get("/inbox/?page=2").content.decode()
    assert "state 29" in first and "state 05" in first and "state 04" not in first
    assert "state 04" in second and "state 00" in second and "state 05" not in second


def test_mark_read_own_and_404_for_another(client, make_user, application):
    owner, other = make_user("owner"), make_user("other")
    (mine,) = transition([owner], application)
    (theirs,) = transition([other], application)
    client.force_login(owner)
    assert client.post(f"/inbox/{theirs.pk}/read/").status_code == 404
    assert client.get(f"/inbox/{mine.pk}/read/").status_code == 405
    response = client.post(f"/inbox/{mine.pk}/read/", {"next": "https://evil.example.com/"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_mark_all_read(client, make_user, application):
    owner, other = make_user("owner"), make_user("other")
    transition([owner, other], application)
    transition([owner], application)
    client.force_login(owner)
    response = client.post("/inbox/read-all/", follow=True)
    assert response.status_code == 200
    assert not Notification.objects.filter(recipient=owner, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("method", "url"), [("get", "/inbox/"), ("post", "/inbox/1/read/"), ("post", "/inbox/read-all/")]
)
def test_anonymous_is_sent_to_sign_in(client, db, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_inbox_query_count_does_not_grow(client, make_user, application):
    owner = make_user("owner")
    client.force_login(owner)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/inbox/").status_code == 200
        return len(ctx.captured_queries)

    for i in range(5):
        transition([owner], application, state=f"state {i}")
    five = count()
    for i in range(25):
        transition([owner], application, state=f"more {i}")
    assert count() == five


def test_inbox_speaks_the_readers_language(client, make_user, application):
    owner = make_user("owner")
    transition([owner], application)
    client.force_login(owner)
    kk = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    ru = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "<h1" in kk and "Хабарламалар" in kk and "Сізде 1 оқылмаған хабарлама бар." in kk
    assert "Уведомления" in ru and "У вас 1 непрочитанное уведомление." in ru
    assert "Отметить как прочитанное" in ru
