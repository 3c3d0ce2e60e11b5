"""Writing notifications: every change to the inbox goes through these functions.

A notification is rendered once, in the recipient's language, and stored; its e-mail is sent by
the ``deliver_email`` task, enqueued only after the transaction commits (a rolled-back business
action sends nothing).
"""

import logging
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from innocluster.core.audit.services import record_event

from .models import EmailStatus, Notification
from .rendering import language_for, render

__all__ = ["language_for", "mark_all_read", "mark_read", "notify"]

logger = logging.getLogger(__name__)


def _absolute(url: str) -> str:
    if not url or "://" in url:
        return url
    return settings.INNOCLUSTER_BASE_URL + (url if url.startswith("/") else "/" + url)


def _unique(recipients: Iterable) -> list:
    seen, out = set(), []
    for user in recipients:
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            out.append(user)
    return out


def _can_receive_email(user) -> bool:
    return bool(getattr(user, "email", "")) and getattr(user, "is_active", True)


def enqueue_delivery(notification_id: int) -> None:
    """Queue the e-mail task; if even queuing fails, mark the e-mail failed so a retry picks it up."""
    from .tasks import deliver_email

    try:
        deliver_email.enqueue(notification_id)
    except Exception as exc:
        logger.exception("could not enqueue e-mail for notification %s", notification_id)
        Notification.objects.filter(pk=notification_id, email_status=EmailStatus.PENDING).update(
            email_status=EmailStatus.FAILED,
            email_error=f"could not enqueue: {exc}"[:2000],
            attempts=F("attempts") + 1,
        )


def notify(
    *,
    recipients: Iterable,
    key: str,
    context: Mapping[str, Any] | None = None,
    obj: models.Model | None = None,
    actor=None,
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Create one notification per distinct recipient and queue its e-mail after commit.

    Templates see ``recipient``, ``recipient_name``, ``object`` (``obj``), ``actor`` and ``link``
    (``url`` made absolute with ``INNOCLUSTER_BASE_URL``), then the caller's ``context``, which
    wins. Pass lazy translations (e.g. a state's ``.label``) and each recipient reads them in their
    own language. With ``dedupe_key``, recipients who already have a notification with that key
    are skipped (reminders use this). Returns the notifications created.
    """
    people = _unique(recipients)
    if dedupe_key and people:
        already = set(
            Notification.objects.filter(
                recipient__in=[p.pk for p in people], dedupe_key=dedupe_key
            ).values_list("recipient_id", flat=True)
        )
        people = [p for p in people if p.pk not in already]
    if not people:
        return []
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    rows = []
    for person in people:
        language = language_for(person)
        values = {
            "recipient": person,
            "recipient_name": person.get_full_name() if hasattr(person, "get_full_name") else "",
            "object": obj,
            "actor": actor if actor is not None and getattr(actor, "is_authenticated", True) else None,
            "link": _absolute(url),
            **(context or {}),
        }
        # render() raises for an unknown key before anything is written.
        subject, body = render(key, language, values)
        rows.append(
            Notification(
                recipient=person,
                key=key,
                language=language,
                subject=subject,
                body=body,
                object_type=object_type,
                object_id=object_id,
                url=url,
                dedupe_key=dedupe_key,
                email_status=EmailStatus.PENDING if _can_receive_email(person) else EmailStatus.SKIPPED,
            )
        )
    with transaction.atomic():
        for row in rows:
            row.save()  # one by one: bulk_create returns no ids on every backend
        record_event(
            action="notification.created",
            actor=actor,
            obj=obj,
            changes={
                "key": key,
                "recipients": [row.recipient_id for row in rows],
                "notifications": [row.pk for row in rows],
            },
        )
        for row in rows:
            if row.email_status == EmailStatus.PENDING:
                transaction.on_commit(partial(enqueue_delivery, row.pk))
    return rows


def mark_read(notification: Notification, by) -> Notification:
    """Mark one notification read; only its recipient may (others get ``PermissionDenied``)."""
    if by is None or not getattr(by, "is_authenticated", False) or notification.recipient_id != by.pk:
        raise PermissionDenied("Only the recipient can mark a notification read.")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def mark_all_read(user) -> int:
    """Mark every unread notification of ``user`` read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
