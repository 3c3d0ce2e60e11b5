"""One full grants cycle end to end, as the people involved do it in a browser (issue 13).

A participant's representative reads the open call on the public page, starts an application and
fills every step (the project, a plan of two milestones, the budget, the team and an indicator, the
explanatory note, the passport and the call's required document), checks and submits it and sees
its number. The programme manager adds a subsoil user as the call's financer and accepts the
application at intake; the subsoil user's representative marks interest with an amount and the
programme manager closes pre-selection. The programme manager assigns three experts: the third
declares a conflict of interest and can no longer open the application; the other two score every
criterion and find the project expedient. The chair records the commission's opinion, the Fund
executive decides and awards, the grantee downloads the agreement in Kazakh (its text, read with
``pdftotext``, carries the agreement's number and amount) and the finance officer pays the advance.
The ledger's commitment holds the award and the tranche disbursed; the award page shows the paid
and outstanding amounts. The portal application, the expert's review and the award pages are
photographed in Kazakh and Russian on the way."""

import re
import time
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from e2e.test_registry_flow import pdf_bytes, staff, staff_page
from e2e.test_workforce_flow import pdf_text, photograph

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = Decimal
TITLE = "Digital twin of a gas processing line"
REQUESTED, COFINANCED = D("10000000.00"), D("3000000.00")
PLEDGED, WOULD_FUND = "50000000", "8000000"


def kzt_digits(amount: Decimal) -> str:
    """The amount's integer digits, whatever the thousands separator."""
    return str(int(amount))


def digits_only(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def eventually(check, seconds: float = 15.0):
    """Wait until ``check()`` (a read of the database) is true: a page that posts back to itself
    gives the browser nothing new to wait for."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the change did not reach the database in time"
        time.sleep(0.1)


def _scene():
    """Policy, reference data, a levy-funded programme with this year's budget, a published open
    call (three criteria, one required document), the people and the two organisations."""
    from django.utils import timezone

    from innocluster.core.policy.services import load_defaults
    from innocluster.finance.services.budgets import revise_budget
    from innocluster.grants.services import calls
    from innocluster.grants.services.programmes import create_programme
    from innocluster.parties.services.representatives import add_representative
    from innocluster.registry.services.register import load_reference_data
    from tests.factories.grants import publish_now
    from tests.factories.levy import subsoil_user
    from tests.factories.registry import registered_participant
    from tests.grants.conftest import window

    load_defaults()
    load_reference_data()
    people = {
        "pm": staff("programme_manager", "pm"),
        "executive": staff("fund_executive", "director"),
        "finance": staff("finance_officer", "finance"),
        "chair": staff("expert_chair", "chair"),
        "rep": staff("participant_rep", "rep"),
        "sub": staff("subsoil_rep", "sub"),
        **{f"e{n}": staff("expert", f"expert{n}") for n in (1, 2, 3)},
    }
    programme = create_programme(
        code="IND",
        kind="grant",
        title_en="Grants for industrial innovation",
        title_ru="Гранты на индустриальные инновации",
        title_kk="Индустриялық инновацияларға гранттар",
        fund_source="levy",
        by=people["pm"],
    )
    revise_budget(
        programme.budget_line, timezone.now().year, "levy", D("500000000.00"), reason="approved budget"
    )
    opens, closes = window(-1)
    call = calls.create_call(
        programme,
        code="C1",
        by=people["pm"],
        title_en="Industrial innovation",
        title_ru="Индустриальные инновации",
        title_kk="Индустриялық инновациялар",
        opens_at=opens,
        closes_at=closes,
        year=timezone.now().year,
        budget=D("100000000.00"),
        max_amount=D("20000000.00"),
        max_months=24,
        cofinancing_share=D("0.2"),
        eligible_categories=["company", "science_org"],
    )
    calls.set_documents(
        call, [{"code": "business_plan", "title_en": "Business plan", "required": True}], by=people["pm"]
    )
    calls.set_criteria(
        call,
        [
            {"code": "novelty", "title_en": "Novelty", "weight": "40", "scale_max": 10},
            {"code": "market", "title_en": "Market", "weight": "35", "scale_max": 10},
            {"code": "team", "title_en": "Team", "weight": "25", "scale_max": 5},
        ],
        by=people["pm"],
    )
    call = publish_now(call, people["executive"])
    participant = registered_participant(people["rep"])
    company = subsoil_user()
    add_representative(company, user=people["sub"], role="head", by=None)
    return people, call, participant, company


def test_a_call_from_application_to_the_first_tranche(live_server, browser, screenshot, settings, tmp_path):
    from innocluster.core.policy.values import today
    from innocluster.finance.models import Commitment
    from innocluster.finance.selectors import checks, reports
    from innocluster.grants.models import Award, ExpertAssignment, ProjectApplication

    settings.MEDIA_ROOT = tmp_path / "media"
    people, call, participant, company = _scene()
    base = live_server.url
    year = today().year + 1

    # --- 1. the participant's representative: the public call, the steps, the submission ---------
    rep_side, page = staff_page(browser, base, "rep")
    rep_side.set_default_timeout(15_000)
    page.goto("/grants/calls/")
    expect(page.locator(f"#call-{call.pk}")).to_contain_text("Industrial innovation")
    page.goto("/portal/grants/")
    page.locator(f"main a[href='/portal/grants/start/{call.pk}/']").click()
    expect(page.locator("main")).to_contain_text("may apply")
    page.locator("select[name=organisation]").select_option(str(participant.organisation.pk))
    page.locator("input[name=title]").fill(TITLE)
    page.get_by_role("button", name="Start the application").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}/portal/grants/\d+/project/$"))
    found = ProjectApplication.objects.get()

    page.locator("textarea[name=summary]").fill("A digital twin cuts unplanned stops of the line.")
    page.locator("input[name=starts_on]").fill(f"{year}-02-01")
    page.locator("input[name=ends_on]").fill(f"{year}-11-30")
    page.locator("input[name=requested_amount]").fill(str(REQUESTED))
    page.locator("input[name=cofinancing_amount]").fill(str(COFINANCED))
    page.locator("input[name=cofinancing_source]").fill("own funds")
    page.locator("textarea[name=expected_results]").fill("A working twin on one line; 10% fewer stops.")
    page.get_by_role("button", name="Save and go on").click()
    expect(page).to_have_url(f"{base}/portal/grants/{found.pk}/plan/")

    # The plan: one empty row at a time; saving goes on to the budget, so come back for the second.
    milestones = [
        ("Model and data pipeline", f"{year}-02-01", f"{year}-06-30", "Model report", "6000000"),
        ("Pilot on the line", f"{year}-07-01", f"{year}-11-30", "Pilot act", "4000000"),
    ]
    for row, (title, starts, due, deliverable, amount) in enumerate(milestones):
        page.goto(f"/portal/grants/{found.pk}/plan/")
        page.locator(f"input[name=milestones-{row}-title]").fill(title)
        page.locator(f"input[name=milestones-{row}-starts_on]").fill(starts)
        page.locator(f"input[name=milestones-{row}-due_on]").fill(due)
        page.locator(f"input[name=milestones-{row}-deliverable]").fill(deliverable)
        page.locator(f"input[name=milestones-{row}-amount]").fill(amount)
        page.get_by_role("button", name="Save and go on").click()
        expect(page).to_have_url(f"{base}/portal/grants/{found.pk}/budget/")
    assert found.milestones.count() == 2

    page.locator("select[name=budget-0-kind]").select_option("salaries")
    page.locator("input[name=budget-0-year]").fill(str(year))
    page.locator("input[name=budget-0-description]").fill("The team's salaries")
    page.locator("input[name=budget-0-requested]").fill(str(REQUESTED))
    page.locator("input[name=budget-0-cofinanced]").fill(str(COFINANCED))
    page.get_by_role("button", name="Save and go on").click()
    expect(page).to_have_url(f"{base}/portal/grants/{found.pk}/team/")

    page.locator("input[name=team-0-name]").fill("A. Seitkali")
    page.locator("input[name=team-0-role]").fill("Project lead")
    page.locator("input[name=team-0-qualification]").fill("PhD, process engineering")
    page.locator("input[name=kpis-0-name]").fill("Unplanned stops avoided")
    page.locator("input[name=kpis-0-unit]").fill("%")
    page.locator("input[name=kpis-0-target]").fill("10")
    page.locator("input[name=kpis-0-year]").fill(str(year))
    page.get_by_role("button", name="Save and go on").click()
    expect(page).to_have_url(f"{base}/portal/grants/{found.pk}/note/")

    for name, text in {
        "research_state": "Pilot model validated on historical data.",
        "industrial_readiness": "TRL 5",
        "prototype": "Laboratory prototype",
        "novelty": "No analogue runs on this kind of line.",
        "patent_search": "Searched KZ, RU, EP, US: no blocking patents.",
    }.items():
        page.locator(f"textarea[name={name}]").fill(text)
    page.locator("input[name=ip_owner]").fill(participant.organisation.name)
    page.get_by_role("button", name="Save and go on").click()
    expect(page).to_have_url(f"{base}/portal/grants/{found.pk}/documents/")

    for code in ("passport", "business_plan"):
        path = tmp_path / f"{code}.pdf"
        path.write_bytes(pdf_bytes(code))
        card = page.locator("main form.card", has=page.locator(f"#file-{code}"))
        card.locator("input[type=file]").set_input_files(str(path))
        card.get_by_role("button", name="Upload").click()
        expect(page.locator("main form.card", has=page.locator(f"#file-{code}"))).to_contain_text(
            f"{code}.pdf"
        )
    page.get_by_role("link", name="Go on to check and submit").click()
    page.get_by_role("button", name="Submit the application").click()
    expect(page).to_have_url(f"{base}/portal/grants/{found.pk}/")
    found.refresh_from_db()
    assert found.status == "submitted" and found.number == "C1-0001"
    expect(page.locator("main")).to_contain_text(found.number)
    photograph(page, screenshot, "grants-portal-application")

    # --- 2. the programme manager: the call's financer, then intake --------------------------------
    pm_side, pm = staff_page(browser, base, "pm")
    pm_side.set_default_timeout(15_000)
    pm.goto(f"/staff/grants/preselection/calls/{call.pk}/")
    pm.locator("input[name=financer-bin]").fill(company.bin)
    pm.locator("input[name=financer-pledged]").fill(PLEDGED)
    pm.get_by_role("button", name="Add the subsoil user").click()
    expect(pm.locator("main table").first).to_contain_text(company.bin)
    assert call.financers.get().organisation == company

    pm.goto("/staff/grants/applications/")
    pm.get_by_role("link", name=found.number).first.click()
    expect(pm).to_have_url(f"{base}/staff/grants/applications/{found.pk}/")
    pm.get_by_role("button", name="Accept: the application is complete").click()
    eventually(lambda: ProjectApplication.objects.get(pk=found.pk).status == "preselection")

    # --- 3. the subsoil user's representative marks interest; pre-selection closes -----------------
    sub_side, sub = staff_page(browser, base, "sub")
    sub_side.set_default_timeout(15_000)
    sub.goto("/portal/grants/preselection/")
    sub.locator(f"main a[href='/portal/grants/preselection/calls/{call.pk}/']").first.click()
    sub.locator(f"main a[href='/portal/grants/preselection/applications/{found.pk}/']").first.click()
    sub.locator("input[name=mark-interested][value=yes]").check()
    sub.locator("input[name=mark-amount]").fill(WOULD_FUND)
    sub.locator("textarea[name=mark-comment]").fill("Fits our gas processing plant.")
    sub.get_by_role("button", name="Save the mark").click()
    expect(sub).to_have_url(f"{base}/portal/grants/preselection/calls/{call.pk}/")
    mark = found.preselection_marks.get()
    assert mark.interested and mark.amount == D(WOULD_FUND)

    pm.goto(f"/staff/grants/preselection/calls/{call.pk}/")
    pm.get_by_role("button", name="Close pre-selection").click()
    eventually(lambda: ProjectApplication.objects.get(pk=found.pk).status == "expertise")

    # --- 4. three experts: one conflict, two reviews -----------------------------------------------
    for n in (1, 2, 3):
        pm.goto(f"/staff/grants/expertise/calls/{call.pk}/assign/")
        pm.locator(f"select[name=a{found.pk}-expert]").select_option(str(people[f"e{n}"].pk))
        pm.get_by_role("button", name="Assign the expert").click()
        eventually(lambda n=n: found.assignments.filter(expert=people[f"e{n}"]).exists())
    assert found.assignments.count() == 3

    def expert_page(n: int):
        context, expert = staff_page(browser, base, f"expert{n}")
        context.set_default_timeout(15_000)
        assignment = ExpertAssignment.objects.get(application=found, expert=people[f"e{n}"])
        expert.goto("/staff/grants/expertise/mine/")
        expert.locator(f"main a[href='/staff/grants/expertise/mine/{assignment.pk}/']").first.click()
        return context, expert, assignment

    third_side, third, recused = expert_page(3)
    third.locator("input[name=has_conflict][value=yes]").check()
    third.locator("textarea[name=details]").fill("My brother works for the applicant.")
    third.get_by_role("button", name="Declare").click()
    expect(third).to_have_url(f"{base}/staff/grants/expertise/mine/")
    recused.refresh_from_db()
    assert recused.status == "recused"
    response = third.goto(f"/staff/grants/expertise/mine/{recused.pk}/application/")
    assert response.status == 404
    third_side.close()

    scores = {"novelty": 8, "market": 7, "team": 4}
    for n in (1, 2):
        context, expert, assignment = expert_page(n)
        expert.locator("input[name=has_conflict][value=no]").check()
        expert.get_by_role("button", name="Declare").click()
        expect(expert).to_have_url(f"{base}/staff/grants/expertise/mine/{assignment.pk}/application/")
        expect(expert.locator("main")).to_contain_text(TITLE)
        if n == 1:  # before filling in: switching the language reloads the page
            photograph(expert, screenshot, "grants-expert-review")
        for code, value in scores.items():
            expert.locator(f"input[name=score_{code}]").fill(str(value - n + 1))
            expert.locator(f"textarea[name=comment_{code}]").fill(f"Expert {n} on {code}: convincing.")
        expert.locator("select[name=opinion]").select_option("expedient")
        expert.locator("textarea[name=opinion_text]").fill("The project is new and the team can do it.")
        expert.get_by_role("button", name="Submit the review").click()
        eventually(lambda a=assignment: ExpertAssignment.objects.get(pk=a.pk).status == "submitted")
        context.close()

    # --- 5. the chair: the commission's opinion ----------------------------------------------------
    chair_side, chair = staff_page(browser, base, "chair")
    chair_side.set_default_timeout(15_000)
    chair.goto(f"/staff/grants/expertise/applications/{found.pk}/")
    chair.locator("select[name=opinion-opinion]").select_option("expedient")
    chair.locator("input[name=opinion-number]").fill("EC-7")
    chair.locator("input[name=opinion-decided_on]").fill(today().isoformat())
    chair.locator("textarea[name=opinion-basis]").fill("Minutes of the expert commission No. 7")
    chair.get_by_role("button", name="Record the opinion").click()
    eventually(lambda: ProjectApplication.objects.get(pk=found.pk).status == "decision")
    found.refresh_from_db()
    assert found.opinion == "expedient"
    chair_side.close()

    # --- 6. the Fund executive decides and awards ---------------------------------------------------
    exec_side, director = staff_page(browser, base, "director")
    exec_side.set_default_timeout(15_000)
    director.goto(f"/staff/grants/awards/applications/{found.pk}/")
    director.locator("input[name=award-amount]").fill(str(REQUESTED))
    director.locator("input[name=award-number]").fill("FE-12")
    director.locator("input[name=award-decided_on]").fill(today().isoformat())
    director.locator("textarea[name=award-basis]").fill("Authority matrix: grants.award")
    director.get_by_role("button", name="Record the decision and award").click()
    expect(director).to_have_url(re.compile(rf"{re.escape(base)}/staff/grants/awards/\d+/$"))
    award = Award.objects.get(application=found)
    assert award.amount == REQUESTED and award.decision.number == "FE-12"
    exec_side.close()

    # --- 7. the grantee downloads the agreement in Kazakh ------------------------------------------
    page.goto(f"/portal/grants/awards/{award.pk}/")
    expect(page.locator("main")).to_contain_text(award.number)
    href = page.locator("main a", has_text="қазақша").get_attribute("href")
    assert href == f"/portal/grants/agreements/{award.pk}/pdf/?lang=kk"
    pdf = page.request.get(href)
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    saved = tmp_path / "agreement-kk.pdf"
    saved.write_bytes(pdf.body())
    text = pdf_text(saved)
    assert award.number in text
    assert "грант беру туралы" in text.lower()  # in Kazakh
    assert kzt_digits(REQUESTED) in digits_only(text)

    # --- 8. the finance officer pays the advance ---------------------------------------------------
    fin_side, finance = staff_page(browser, base, "finance")
    fin_side.set_default_timeout(15_000)
    finance.goto(f"/staff/grants/awards/{award.pk}/")
    first = award.tranches.order_by("position").first()
    assert first.milestone_id is None  # the advance
    finance.locator(f"form[action$='/tranches/{first.pk}/pay/'] button[type=submit]").click()
    eventually(lambda: first.__class__.objects.get(pk=first.pk).status == "paid")
    first.refresh_from_db()
    assert first.paid_on == today()
    # The next tranche waits for the report on milestone 1: no pay form, the page says why.
    second = award.tranches.get(position=2)
    finance.goto(f"/staff/grants/awards/{award.pk}/")
    expect(finance.locator(f"form[action$='/tranches/{second.pk}/pay/']")).to_have_count(0)
    expect(finance.locator("main").first).to_contain_text("is not accepted yet")
    second.refresh_from_db()
    assert second.status == "planned" and second.paid_on is None

    # --- 9. the ledger and the award page ------------------------------------------------------------
    commitment = Commitment.objects.get(pk=award.commitment_id)
    assert commitment.amount == REQUESTED
    assert commitment.disbursed == first.amount
    assert commitment.reference == award.number
    assert checks.commitments() == [] and checks.budgets() == []  # the posted lines agree
    line = next(
        r for r in reports.budget_execution(call.year).rows if r.line.pk == call.programme.budget_line_id
    )
    assert line.committed == REQUESTED - first.amount and line.spent == first.amount
    finance.goto(f"/staff/finance/reports/budget-execution/?year={call.year}")
    row = finance.locator("main table tbody tr", has_text=call.programme.budget_line.code)
    expect(row).to_have_count(1)
    assert kzt_digits(first.amount) in digits_only(row.locator("td").nth(2).inner_text())
    finance.goto(f"/staff/grants/awards/{award.pk}/")
    facts = finance.locator("main dl.facts")
    expect(facts).to_contain_text("Disbursed")
    shown = digits_only(facts.locator("dt:has-text('Disbursed') + dd").inner_text())
    assert shown.startswith(kzt_digits(first.amount)), shown
    outstanding = digits_only(facts.locator("dt:has-text('Outstanding') + dd").inner_text())
    assert outstanding.startswith(kzt_digits(REQUESTED - first.amount)), outstanding
    photograph(finance, screenshot, "grants-award")
    for context in (rep_side, pm_side, sub_side, fin_side):
        context.close()
