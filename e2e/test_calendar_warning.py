"""A deadline counted across Kurban ait 2026 carries a visible warning in the browser.

The library only estimates Kurban ait 2026 (Wednesday 27 May). Until an override settles the date
(the shipped corrections do, once loaded; the test database has none) and an administrator marks
2026 checked, every deadline counted across it is shown with "may move" beside the date, in text
and with the reasons in its title.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from e2e.test_registry_flow import staff, staff_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Wednesday 20 May 2026: the 5-working-day completeness check and the 15-working-day final answer
# both run across the estimated 27 May.
SUBMITTED = date(2026, 5, 20)


def test_the_registrar_sees_the_warning_beside_deadlines_across_kurban_ait(
    live_server, browser, screenshot, settings, tmp_path
):
    from innocluster.core.calendar import add_working_days
    from innocluster.core.policy.services import load_defaults
    from innocluster.core.policy.values import value
    from innocluster.registry.services import applications
    from innocluster.registry.services.register import load_reference_data
    from tests.factories.accounts import CAST, make_people
    from tests.factories.registry import draft_application

    settings.MEDIA_ROOT = tmp_path / "media"
    load_defaults()
    load_reference_data()
    staff("registrar", "reg")
    applicant = make_people({"applicant": CAST["applicant"]})["applicant"]
    application = draft_application(applicant)
    applications.submit(application, by=applicant, on=SUBMITTED)
    application.refresh_from_db()
    moderation_days = int(value("registry.moderation_days", on=SUBMITTED))
    assert application.moderation_due == add_working_days(SUBMITTED, moderation_days)
    assert application.moderation_due > date(2026, 5, 27)

    context, page = staff_page(browser, live_server.url, "reg")
    page.goto(f"/staff/registry/applications/{application.pk}/")
    due = page.locator(f'td.date:has(time[datetime="{application.moderation_due.isoformat()}"])')
    expect(due).to_be_visible()
    warning = due.locator(".date-uncertain")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("may move")
    expect(warning).to_have_attribute(
        "title",
        "The transfers of days off for 2026 are not confirmed yet. Eid al-Adha (estimated) on May 27, "
        "2026 is an estimated date; the official day is announced later.",
    )
    # The submission date itself is not a deadline: no warning beside it.
    expect(page.locator(".date-uncertain")).to_have_count(2)
    screenshot(page, "calendar-warning-staff-application")
    context.close()
