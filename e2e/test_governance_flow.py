"""A Managing Committee meeting end to end, as the people involved do it in a browser (issue 14).

The corporate secretary plans a remote meeting with three items — the Fund's budget, an
amendment of the Fund's rules (which needs two thirds of the members present under the authority
matrix) and the exclusion of a participant, linked by its register number — convenes it and puts
each item to an online vote. Five members sign in with their second factor and vote from their
own page. The secretary closes the rounds: the budget is adopted; the rules fail for lack of two
thirds (3 of 5); the exclusion is adopted and carried out at once — the participant is excluded on
a decision record of the Managing Committee numbered after the resolution. The secretary closes
the meeting, drafts, circulates, approves and locks the minutes, and downloads their PDF in
Kazakh. Pages are photographed in Kazakh and Russian on the way."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from e2e.test_accounts import PASSWORD
from e2e.test_registry_flow import in_language, staff, staff_page
from e2e.test_workforce_flow import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET = "The Fund's budget for next year"
RULES = "Amendment of the Fund's rules of project expertise"
EXCLUSION = "Exclusion of a participant for a gross breach of the participation agreement"
# How each of the five members votes on the three items, in that order.
VOTES = {
    "cm0": ("for", "for", "for"),
    "cm1": ("for", "for", "for"),
    "cm2": ("for", "for", "for"),
    "cm3": ("for", "against", "for"),
    "cm4": ("against", "against", "against"),
}


def _setup(settings, tmp_path):
    from innocluster.core.policy import values as policy
    from innocluster.core.policy.services import load_defaults
    from innocluster.governance import selectors
    from innocluster.governance.models import Position
    from innocluster.governance.services.bodies import load_bodies
    from innocluster.governance.services.members import appoint
    from innocluster.registry.services.register import load_reference_data
    from tests.factories.workforce import participant_employer

    settings.MEDIA_ROOT = tmp_path / "media"
    load_defaults()
    load_reference_data()
    load_bodies()
    staff("corporate_secretary", "corpsec")
    committee = selectors.body_in_force("managing_committee", policy.today())
    for n, username in enumerate(VOTES):
        user = staff("committee_member", username)
        appoint(
            committee,
            full_name=f"Мүше {n}",
            position=Position.CHAIR if n == 0 else Position.MEMBER,
            term_start=committee.exists_from,
            user=user,
        )
    from innocluster.registry.models import Participant

    return Participant.objects.get(organisation=participant_employer())


def _add_item(page, title: str, decision_type: str, linked: str = "") -> None:
    form = page.locator("form[action$='/items/']")
    form.locator("input[name=title_en]").fill(title)
    form.locator("select[name=decision_type]").select_option(decision_type)
    if linked:
        form.locator("input[name=linked]").fill(linked)
    form.get_by_role("button", name="Add the item").click()
    expect(page.get_by_role("heading", name=re.compile(re.escape(title)))).to_be_visible()


def test_a_committee_meeting_decides_executes_and_locks_its_minutes(
    live_server, browser, screenshot, settings, tmp_path
):
    from innocluster.core.decisions.models import Decision
    from innocluster.governance.models import ItemStatus, Meeting, Minutes, Resolution
    from innocluster.registry.models import Participant

    participant = _setup(settings, tmp_path)
    base = live_server.url
    context, page = staff_page(browser, base, "corpsec")

    # Plan a remote meeting eight days ahead.
    page.goto(base + "/staff/governance/meetings/")
    starts = (dt.datetime.now() + dt.timedelta(days=8)).replace(hour=15, minute=0)
    plan = page.locator("form[action$='/meetings/plan/']")
    plan.locator("select[name=body]").select_option(label="Managing Committee")
    plan.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    plan.locator("select[name=kind]").select_option("remote")
    plan.locator("input[name=place]").fill("Astana Hub, online")
    plan.get_by_role("button", name="Plan the meeting").click()
    expect(page.locator("h1")).to_contain_text("Managing Committee")
    meeting_url = page.url

    _add_item(page, BUDGET, "governance.annual_budget")
    _add_item(page, RULES, "governance.fund_rules")
    _add_item(page, EXCLUSION, "registry.exclusion", participant.number)
    page.get_by_role("button", name="Convene and notify the members").click()
    expect(page.locator("main")).to_contain_text("convened")

    # Each item to an online vote until the evening before the meeting.
    deadline = (starts - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    for title in (BUDGET, RULES, EXCLUSION):
        item = page.locator("article.agenda-item", has_text=title)
        item.locator("summary").click()
        item.locator("input[name$=-deadline]").fill(deadline)
        item.get_by_role("button", name="Put to the vote").click()
        expect(page.locator("article.agenda-item", has_text=title)).to_contain_text("voting is open")
    in_language(page, "kk")
    screenshot(page, "governance-meeting-open-kk")
    in_language(page, "en")

    # Every member votes online from their own page.
    for username, choices in VOTES.items():
        member_context, member = staff_page(browser, base, username)
        first = True
        for title, choice in zip((BUDGET, RULES, EXCLUSION), choices, strict=True):
            member.goto(base + "/staff/governance/my/")
            member.get_by_role("link", name=title).click()
            if first:
                # A ballot asks the member to confirm who they are again (then for five minutes).
                expect(member.locator("input[name=password]")).to_be_visible()
                member.locator("input[name=password]").fill(PASSWORD)
                member.locator("main form button[type=submit]").first.click()
                first = False
            member.locator(f"input[name=choice][value={choice}]").check()
            member.locator("input[name=confirm]").check()
            member.get_by_role("button", name="Cast my ballot").click()
            expect(member.locator("main")).to_contain_text("Your ballot is cast.")
        if username == "cm0":
            member.goto(base + "/staff/governance/my/")
            in_language(member, "ru")
            screenshot(member, "governance-member-votes-ru")
        member_context.close()

    # The secretary counts each round.
    page.goto(meeting_url)
    for title in (BUDGET, RULES, EXCLUSION):
        item = page.locator("article.agenda-item", has_text=title)
        item.locator("summary").click()
        item.get_by_role("button", name="Close the round and count").click()
        expect(page.locator("main")).to_contain_text("The round is counted.")
    meeting = Meeting.objects.get()
    statuses = {item.title_en: item.status for item in meeting.items.all()}
    assert statuses == {BUDGET: ItemStatus.ADOPTED, RULES: ItemStatus.REJECTED, EXCLUSION: ItemStatus.ADOPTED}
    rules_item = page.locator("article.agenda-item", has_text=RULES)
    expect(rules_item).to_contain_text("not adopted")
    expect(rules_item).to_contain_text("two thirds")  # the arithmetic names the majority it needed

    # The exclusion was carried out on a Managing Committee decision numbered after the resolution.
    resolution = Resolution.objects.get(item__title_en=EXCLUSION)
    assert resolution.status == "executed"
    participant.refresh_from_db()
    assert participant.status == Participant.Status.EXCLUDED
    decision = Decision.objects.get(body="managing_committee")
    assert decision.number == f"{resolution.year}/{resolution.number}"
    in_language(page, "ru")
    screenshot(page, "governance-meeting-counted-ru")
    in_language(page, "en")

    # Close the meeting; minutes drafted, circulated, approved and locked.
    page.get_by_role("button", name="Close the meeting").click()
    page.get_by_role("link", name="Minutes of the meeting").click()
    page.get_by_role("button", name="Draft the minutes").click()
    page.locator("input[name=comments_due]").fill(dt.date.today().isoformat())
    page.get_by_role("button", name="Circulate for comments").click()
    page.get_by_role("button", name="Approve the minutes").click()
    page.get_by_role("button", name="Lock the minutes").click()
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == "locked" and len(minutes.sha256) == 64
    expect(page.locator("main")).to_contain_text(minutes.sha256)
    in_language(page, "kk")
    screenshot(page, "governance-minutes-kk")
    with page.expect_download() as download:
        page.locator("a[href$='minutes.pdf?lang=kk']").first.click()
    path = tmp_path / "minutes-kk.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    text = pdf_text(path)
    assert "Басқарушы комитет" in text and minutes.sha256[:16] in text.replace("\n", "")
    context.close()
