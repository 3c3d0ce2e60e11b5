"""Reminders: apps declare sources; ``innocluster tick`` turns what is due into notifications.

A source is ``func(today) -> Iterable[Reminder]``, declared in the app's manifest
(``Manifest(reminders={"app.deadlines": due_reminders})``) or registered at run time with
:func:`register_reminder_source` (tests do).

Every reminder carries a ``dedupe_key`` (e.g. ``"app.request:42:deadline:2027-03-01:d-3"``);
a recipient gets at most one notification per key, so running tick many times a day never repeats.
"""

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, models
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    recipient: Any
    key: str
    context: Mapping[str, Any] = field(default_factory=dict)
    obj: models.Model | None = None
    url: str = ""
    dedupe_key: str = ""

    def __post_init__(self):
        if not self.dedupe_key:
            raise ValueError(f"reminder {self.key!r} needs a dedupe_key, or every tick would send it again")


ReminderSource = Callable[[date], Iterable[Reminder]]
_SOURCES: dict[str, ReminderSource] = {}


def register_reminder_source(name: str, func: ReminderSource) -> None:
    """Register ``func`` under ``name``; registering the same function again is harmless."""
    if _SOURCES.get(name, func) is not func:
        raise ValueError(f"reminder source {name!r} is already registered with another function")
    _SOURCES[name] = func


def unregister_reminder_source(name: str) -> None:
    _SOURCES.pop(name, None)


def reminder_sources() -> dict[str, ReminderSource]:
    """The installed apps' declared sources, then those registered at run time."""
    from innocluster.core.manifest import reminder_sources as declared

    return {**declared(), **_SOURCES}


def enqueue_due_reminders(today: date | None = None) -> int:
    """Ask every source what is due ``today`` and notify; returns the notifications created.

    A failing source is logged and skipped so the others (and the rest of tick) still run.
    """
    from .services import notify

    today = today or timezone.localdate()
    created = 0
    for name, source in reminder_sources().items():
        try:
            reminders = list(source(today))
        except Exception:
            logger.exception("reminder source %s failed", name)
            continue
        for reminder in reminders:
            try:
                created += len(
                    notify(
                        recipients=[reminder.recipient],
                        key=reminder.key,
                        context=reminder.context,
                        obj=reminder.obj,
                        url=reminder.url,
                        dedupe_key=reminder.dedupe_key,
                    )
                )
            except IntegrityError:
                # Another tick created the same reminder between our check and our insert.
                logger.info("reminder %s already sent", reminder.dedupe_key)
    return created
