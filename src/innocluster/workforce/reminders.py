"""Reminders ``innocluster tick`` sends about active foreign specialists: a contract, a visa or a
passport expiring within ``workforce.alert_days`` calendar days, to the employer's confirmed
representatives and the HR officers. Deduplicated per request, what, date and person, so each
hears of one expiry once."""

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from innocluster.core.access.selectors import users_with_role
from innocluster.core.notifications.reminders import Reminder
from innocluster.parties.selectors import representative_users
from innocluster.workforce.roles import HR_OFFICER
from innocluster.workforce.selectors.alerts import expiring

WHAT = {
    "contract_end": _("end of the employment contract of %(name)s"),
    "visa_valid_until": _("end of the work visa of %(name)s"),
    "passport_expiry": _("expiry of the passport of %(name)s"),
}


def expiry_reminders(today: dt.date) -> Iterable[Reminder]:
    found = expiring(today)
    if not found:
        return
    officers = users_with_role(HR_OFFICER)
    for expiry in found:
        request = expiry.request
        people = {user.pk: user for user in [*representative_users(request.employer_id), *officers]}
        for person in people.values():
            yield Reminder(
                recipient=person,
                key="reminder.deadline",
                context={
                    "deadline": expiry.on,
                    "what": WHAT[expiry.what] % {"name": request.specialist.name_latin},
                    "days_left": (expiry.on - today).days,
                },
                obj=request,
                dedupe_key=f"workforce.request:{request.pk}:{expiry.what}:{expiry.on.isoformat()}:{person.pk}",
            )
