"""Background work for notifications, and the housekeeping that makes the task queue reliable.

``django-tasks-db`` has no retries and a killed worker leaves its task RUNNING forever, so
``innocluster tick`` calls :func:`requeue_stuck_tasks` and :func:`retry_failed_emails`; tasks
therefore may run more than once and must be idempotent.
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from .models import EmailStatus, Notification

logger = logging.getLogger(__name__)

# A task claimed this many times without finishing kills its worker (or outlives the timeout every
# time): it is marked failed instead of being requeued for ever.
MAX_CLAIMS = 3


@task
def deliver_email(notification_id: int) -> str:
    """Send a notification's e-mail once. Returns what happened (stored as the task's result).

    Idempotent: a notification already sent (or without an address) is left alone, so a requeued
    or duplicated task does not send twice in sequence. ``attempts`` counts every try.
    """
    claimed = (
        Notification.objects.filter(pk=notification_id)
        .exclude(email_status__in=[EmailStatus.SENT, EmailStatus.SKIPPED])
        .update(attempts=F("attempts") + 1)
    )
    if not claimed:
        return "nothing to do"
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    address = getattr(notification.recipient, "email", "")
    if not address:
        Notification.objects.filter(pk=notification_id).update(email_status=EmailStatus.SKIPPED)
        return "skipped: no e-mail address"
    try:
        send_mail(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
            fail_silently=False,
        )
    except Exception as exc:
        Notification.objects.filter(pk=notification_id).exclude(email_status=EmailStatus.SENT).update(
            email_status=EmailStatus.FAILED, email_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise  # the task result records the failure too
    Notification.objects.filter(pk=notification_id).update(
        email_status=EmailStatus.SENT, email_sent_at=timezone.now(), email_error=""
    )
    return "sent"


def requeue_stuck_tasks(older_than: timedelta | None = None) -> int:
    """Put database tasks RUNNING for longer than ``older_than`` back to READY; returns how many.

    The default is ``INNOCLUSTER_TASK_STUCK_AFTER_MINUTES``. A task claimed ``MAX_CLAIMS`` times
    already is marked FAILED instead (a task that keeps killing its worker must not loop).
    """
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if older_than is None:
        older_than = timedelta(minutes=settings.INNOCLUSTER_TASK_STUCK_AFTER_MINUTES)
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        stuck = (
            DBTaskResult.objects.select_for_update()
            .filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
            .order_by("pk")  # one lock order everywhere: no deadlock with another tick
        )
        rows = list(stuck.values_list("id", "worker_ids"))
        give_up = [pk for pk, workers in rows if len(workers or []) >= MAX_CLAIMS]
        again = [pk for pk, _workers in rows if pk not in give_up]
        if give_up:
            DBTaskResult.objects.filter(pk__in=give_up, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path="innocluster.core.notifications.tasks.StuckTask",
                traceback=f"still RUNNING after {MAX_CLAIMS} claims; given up by innocluster tick",
            )
        requeued = 0
        if again:
            requeued = DBTaskResult.objects.filter(pk__in=again, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None
            )
    if requeued or give_up:
        logger.warning("requeued %s stuck task(s), gave up on %s", requeued, len(give_up))
    return requeued


def retry_failed_emails(max_attempts: int = 5) -> int:
    """Queue again every failed e-mail tried fewer than ``max_attempts`` times; returns how many.

    The rows go back to PENDING in the same transaction, so the next tick does not queue them twice.
    """
    from .services import enqueue_delivery

    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update()
            .filter(email_status=EmailStatus.FAILED, attempts__lt=max_attempts)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        Notification.objects.filter(pk__in=ids, email_status=EmailStatus.FAILED).update(
            email_status=EmailStatus.PENDING
        )
        for pk in ids:
            transaction.on_commit(partial(enqueue_delivery, pk))
    return len(ids)
