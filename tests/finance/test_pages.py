"""The finance pages as their users meet them: upload, queue, match by hand, suspense, undo,
entries, periods — and who may do what."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from innocluster.finance.models import JournalEntry, Period, StatementLine
from innocluster.finance.selectors import ledger
from innocluster.finance.selectors.accounts import account
from tests.factories.accounts import login_with_2fa, user_with_role
from tests.finance.test_statements import FIXTURES, accounts, load  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    login_with_2fa(client, user)
    return client


@pytest.fixture
def officer(finance_people):
    return client_for(finance_people["officer"])


def upload(client, name, **extra):
    data = (FIXTURES / name).read_bytes()
    return client.post(
        reverse("finance:statements"),
        {"file": SimpleUploadedFile(name, data), "format": "auto", **extra},
    )


def test_upload_shows_the_summary_and_a_refusal_names_the_line(accounts, officer):  # noqa: F811
    response = upload(officer, "kaspi_1c_kazakh_dialect.txt")
    assert response.status_code == 200
    text = response.content.decode()
    assert "kaspi_1c_kazakh_dialect.txt" in text and "New lines" in text
    lines = StatementLine.objects.count()
    assert lines > 0
    again = upload(officer, "kaspi_1c_kazakh_dialect.txt")
    assert StatementLine.objects.count() == lines and "Already imported" in again.content.decode()
    refused = upload(officer, "kaspi_camt053_v02.xml")
    assert refused.status_code == 422 and "previous statement" in refused.content.decode()
    assert StatementLine.objects.count() == lines


def test_match_by_hand_then_suspense_then_undo_from_the_line_page(accounts, officer, finance_people):  # noqa: F811
    load("kaspi_1c_kazakh_dialect.txt")
    first, second = StatementLine.objects.filter(amount__gt=0).order_by("id")[:2]
    queue = officer.get(reverse("finance:queue"))
    assert queue.status_code == 200 and reverse("finance:line", args=[first.pk]) in queue.content.decode()
    page = officer.get(reverse("finance:line", args=[first.pk]))
    assert page.status_code == 200 and "Match by hand" in page.content.decode()
    form = {
        "parts-TOTAL_FORMS": "3",
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "0",
        "parts-MAX_NUM_FORMS": "10",
        "parts-0-account": account("state_budget_income").pk,
        "parts-0-amount": str(first.amount - Decimal("1.00")),
    }
    wrong = officer.post(reverse("finance:line_action", args=[first.pk, "match"]), form)
    assert wrong.status_code == 422 and "add up" in wrong.content.decode()
    form["parts-1-account"] = account("donations_income").pk
    form["parts-1-amount"] = "1.00"
    done = officer.post(reverse("finance:line_action", args=[first.pk, "match"]), form)
    assert done.status_code == 303
    assert StatementLine.objects.get(pk=first.pk).status == "matched"
    no_reason = officer.post(
        reverse("finance:line_action", args=[second.pk, "suspense"]), {"suspense-reason": ""}
    )
    assert no_reason.status_code == 422
    parked = officer.post(
        reverse("finance:line_action", args=[second.pk, "suspense"]),
        {"suspense-reason": "no BIN, unknown payer"},
    )
    assert parked.status_code == 303 and StatementLine.objects.get(pk=second.pk).status == "suspense"
    undone = officer.post(
        reverse("finance:line_action", args=[second.pk, "undo"]), {"undo-reason": "identified"}
    )
    assert undone.status_code == 303 and StatementLine.objects.get(pk=second.pk).status == "unmatched"
    assert ledger.balance_of(account("suspense")) == 0
    line_page = officer.get(reverse("finance:line", args=[second.pk])).content.decode()
    assert "Earlier matches, undone" in line_page


def test_bulk_suspense_and_the_queue_filters(accounts, officer):  # noqa: F811
    load("kaspi_1c_kazakh_dialect.txt")
    receipts = list(
        StatementLine.objects.filter(amount__gt=0, status="unmatched").values_list("pk", flat=True)
    )
    response = officer.post(
        reverse("finance:bulk"), {"lines": receipts, "action": "suspense", "reason": "awaiting letters"}
    )
    assert response.status_code == 303
    assert StatementLine.objects.filter(pk__in=receipts, status="suspense").count() == len(receipts)
    shown = officer.get(reverse("finance:queue"), {"status": "suspense", "direction": "in"}).content.decode()
    assert all(reverse("finance:line", args=[pk]) in shown for pk in receipts)
    bad = officer.get(reverse("finance:queue"), {"since": "not-a-date"})
    assert bad.status_code == 200


def test_the_queue_costs_the_same_number_of_queries_for_5_or_500_lines(
    accounts,  # noqa: F811
    officer,
    django_assert_max_num_queries,
):
    import io

    from innocluster.finance.importers import samples
    from innocluster.finance.services.statements import import_statement

    load("kaspi_1c_kazakh_dialect.txt")
    with django_assert_max_num_queries(14):
        officer.get(reverse("finance:queue"), {"status": ""})
    assert accounts["halyk"].iban == samples.FUND_ACCOUNT
    buffer = io.BytesIO()
    samples.write(buffer, "csv", 500)
    buffer.seek(0)
    import_statement(buffer, file_name="big.csv")
    assert StatementLine.objects.count() > 500
    with django_assert_max_num_queries(14):
        officer.get(reverse("finance:queue"), {"status": ""})


def test_periods_close_is_refused_while_lines_wait_and_entries_page(accounts, finance_people):  # noqa: F811
    load("kaspi_1c_kazakh_dialect.txt")
    chief = client_for(finance_people["chief"])
    line = StatementLine.objects.filter(status="unmatched").order_by("booked_on").first()
    refused = chief.post(
        reverse("finance:periods"),
        {"action": "close", "year": line.booked_on.year, "month": line.booked_on.month},
        follow=True,
    )
    assert "cannot be closed" in refused.content.decode()
    assert not Period.objects.filter(status="closed").exists()
    assert chief.get(reverse("finance:periods")).status_code == 200
    from innocluster.finance.selectors.journal import periods_with_figures

    month = next(
        r
        for r in periods_with_figures(line.booked_on)
        if (r["year"], r["month"]) == (line.booked_on.year, line.booked_on.month)
    )
    assert (
        month["unreconciled"]
        == StatementLine.objects.filter(
            status="unmatched", booked_on__year=line.booked_on.year, booked_on__month=line.booked_on.month
        ).count()
        > 0
    )
    officer = client_for(finance_people["officer"])
    assert (
        officer.post(reverse("finance:periods"), {"action": "close", "year": 2026, "month": 1}).status_code
        == 403
    )


def test_a_manual_entry_above_the_threshold_waits_for_the_chief(policy_loaded, finance_people):
    officer, chief = client_for(finance_people["officer"]), client_for(finance_people["chief"])
    form = {
        "date": "2026-03-16",
        "description": "Office fit-out",
        "reference": "AVR-9",
        "legs-TOTAL_FORMS": "2",
        "legs-INITIAL_FORMS": "0",
        "legs-MIN_NUM_FORMS": "2",
        "legs-MAX_NUM_FORMS": "20",
        "legs-0-account": account("operating_expenses").pk,
        "legs-0-debit": "6000000.00",
        "legs-1-account": account("suspense").pk,
        "legs-1-credit": "6000000.00",
    }
    response = officer.post(reverse("finance:new_entry"), form)
    assert response.status_code == 303
    entry = JournalEntry.objects.get(reference="AVR-9")
    assert entry.status == "pending"
    assert officer.post(reverse("finance:entry_action", args=[entry.pk, "approve"])).status_code == 403
    assert chief.post(reverse("finance:entry_action", args=[entry.pk, "approve"])).status_code == 303
    entry.refresh_from_db()
    assert entry.status == "posted"
    reversed_ = chief.post(
        reverse("finance:entry_action", args=[entry.pk, "reverse"]), {"reverse-reason": "wrong"}
    )
    assert reversed_.status_code == 303 and JournalEntry.objects.filter(reversal_of=entry).exists()
    page = chief.get(reverse("finance:entry", args=[entry.pk])).content.decode()
    assert "Reversed by" in page


@pytest.mark.parametrize("name", ["finance:home", "finance:queue", "finance:entries", "finance:periods"])
def test_who_may_read(policy_loaded, finance_people, name):
    assert Client().get(reverse(name)).status_code == 302
    assert client_for(finance_people["auditor"]).get(reverse(name)).status_code == 200
    rep = user_with_role("participant_rep", "rep-x", enrolled=False)
    outsider = Client()
    outsider.force_login(rep)
    assert outsider.get(reverse(name)).status_code == 403


def test_an_auditor_reads_but_changes_nothing(accounts, finance_people):  # noqa: F811
    load("kaspi_1c_kazakh_dialect.txt")
    auditor = client_for(finance_people["auditor"])
    line = StatementLine.objects.filter(amount__gt=0).first()
    assert auditor.get(reverse("finance:line", args=[line.pk])).status_code == 200
    assert (
        auditor.post(
            reverse("finance:line_action", args=[line.pk, "suspense"]), {"suspense-reason": "x"}
        ).status_code
        == 403
    )
    assert auditor.get(reverse("finance:statements")).status_code == 403
    assert StatementLine.objects.get(pk=line.pk).status == "unmatched"


def test_the_staff_home_shows_the_finance_card_to_finance_staff_only(accounts, finance_people):  # noqa: F811
    load("kaspi_1c_kazakh_dialect.txt")
    waiting = StatementLine.objects.filter(status="unmatched").count()
    home = client_for(finance_people["officer"]).get("/").content.decode()
    assert "The Fund&#x27;s money" in home or "The Fund's money" in home
    assert f"{waiting} bank lines wait to be reconciled." in home
    registrar = user_with_role("registrar", "reg-home")
    other = client_for(registrar).get("/").content.decode()
    assert "bank lines wait" not in other


def test_the_card_flags_a_line_waiting_longer_than_the_policy_says(accounts, finance_people):  # noqa: F811
    from innocluster.core.policy import values as policy
    from innocluster.finance.cards import reconciliation_card

    load("kaspi_1c_kazakh_dialect.txt")
    oldest = StatementLine.objects.filter(status="unmatched").order_by("booked_on").first().booked_on
    days = policy.value("finance.reconciliation_overdue_days", on=oldest)
    assert days == 31
    (card,) = reconciliation_card(finance_people["officer"], oldest + dt.timedelta(days=days))
    assert not card.warn
    (card,) = reconciliation_card(finance_people["officer"], oldest + dt.timedelta(days=days + 1))
    assert card.warn
