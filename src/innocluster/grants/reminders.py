"""Reminders ``innocluster tick`` sends about grantee reports: from ``grants.reminder_from`` (the
policy's days before the due day) until the report is submitted, including every day it is late, to
the confirmed representatives of the award's organisation. Deduplicated per report, day and person,
so each hears of one report at most once a day."""

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from innocluster.core.notifications.reminders import Reminder
from innocluster.grants import rules
from innocluster.grants.selectors import reports as selectors
from innocluster.parties.selectors import representative_users


def report_reminders(today: dt.date) -> Iterable[Reminder]:
    for report in selectors.open_reports(today):
        if today < rules.reminder_from(due_on=report.due_on, on=today):
            continue
        award = report.award
        for person in representative_users(award.application.organisation_id):
            yield Reminder(
                recipient=person,
                key="reminder.deadline",
                context={
                    "deadline": report.due_on,
                    "what": _("%(kind)s on the project %(title)s, agreement %(number)s")
                    % {
                        "kind": report.get_kind_display(),
                        "title": award.application.project.title,
                        "number": award.number,
                    },
                    "days_left": (report.due_on - today).days,
                },
                obj=report,
                dedupe_key=f"grants.report:{report.pk}:{today.isoformat()}:{person.pk}",
            )
