"""An application's deadlines carry the calendar's warning when they cross a day that may still
move (Kurban ait 2026, the library's estimate; a year whose transfers are not confirmed)."""

from datetime import date

import pytest
from django.urls import reverse

from innocluster.core.services import mark_year_checked, set_decree_override
from innocluster.registry.services import applications
from tests.factories.accounts import login_with_2fa
from tests.factories.registry import draft_application

pytestmark = pytest.mark.django_db

PEOPLE = ("applicant", "registrar")
# Wednesday 20 May 2026: the 5-, 10- and 15-working-day deadlines all run across Wednesday 27 May,
# the library's estimated first day of Kurban ait.
SUBMITTED = date(2026, 5, 20)


@pytest.fixture
def application(people):
    found = draft_application(people["applicant"])
    applications.submit(found, by=people["applicant"], on=SUBMITTED)
    found.refresh_from_db()
    assert found.submitted_on == SUBMITTED and found.moderation_due > date(2026, 5, 27)
    return found


def test_staff_and_portal_show_the_warning_beside_each_deadline(client, people, application):
    login_with_2fa(client, people["registrar"])
    html = client.get(reverse("registry_staff:application", args=[application.pk])).content.decode()
    assert html.count('class="date-uncertain"') == 2  # completeness check and final answer
    assert "Eid al-Adha (estimated)" in html and "not confirmed yet" in html

    login_with_2fa(client, people["applicant"])
    html = client.get(reverse("portal:application", args=[application.pk])).content.decode()
    assert html.count('class="date-uncertain"') == 2
    assert "may move" in html


def test_no_warning_once_the_date_and_the_year_are_confirmed(client, people, application):
    set_decree_override(day=date(2026, 5, 27), is_working=False, decree="egov.kz calendar 2026 (test)")
    mark_year_checked(year=2026, decree="No transfers in 2026 (test)")
    login_with_2fa(client, people["registrar"])
    html = client.get(reverse("registry_staff:application", args=[application.pk])).content.decode()
    assert "date-uncertain" not in html
    assert f'datetime="{application.moderation_due.isoformat()}"' in html
