"""Reminders ``innocluster tick`` sends about applications: a working day before a deadline and
once it has passed, to the staff who must act (registrars for moderation, commission members for
the decision). Deduplicated per application, deadline and stage, so a tick run twice sends once."""

from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext_lazy as _

from innocluster.core.access.selectors import users_with_role
from innocluster.core.calendar import add_working_days
from innocluster.core.notifications.reminders import Reminder
from innocluster.registry.models import Application

STAGES = {
    Application.Status.MODERATION: (
        "moderation_due",
        "registrar",
        _("completeness check of the application"),
    ),
    Application.Status.COMMISSION: (
        "commission_due",
        "commission_member",
        _("commission decision on the application"),
    ),
}


def application_deadlines(today: date) -> Iterable[Reminder]:
    tomorrow = add_working_days(today, 1)
    for status, (field, role, what) in STAGES.items():
        due = Application.objects.filter(status=status, **{f"{field}__lte": tomorrow}).order_by(field)
        people = users_with_role(role) if due.exists() else []
        for application in due:
            deadline = getattr(application, field)
            stage = "overdue" if deadline < today else "due"
            for person in people:
                yield Reminder(
                    recipient=person,
                    key="reminder.deadline",
                    context={"deadline": deadline, "what": what, "days_left": (deadline - today).days},
                    obj=application,
                    dedupe_key=f"registry.application:{application.pk}:{field}:{deadline.isoformat()}:{stage}",
                )
