"""Posting, reversing, four eyes, periods — and the database refusing what the commands would."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from innocluster.core.audit.models import AuditEvent
from innocluster.finance.errors import AlreadyReversed, ClosedPeriod, LedgerError, Unbalanced
from innocluster.finance.models import JournalEntry, JournalLine, Period
from innocluster.finance.selectors import ledger
from innocluster.finance.selectors.accounts import account
from innocluster.finance.selectors.checks import check_ledger
from innocluster.finance.services import journal, manual_entries, periods
from innocluster.finance.services.journal import Leg
from tests.factories import finance as f

pytestmark = pytest.mark.django_db

D = Decimal
NOW = dt.datetime(2026, 3, 16, 12, tzinfo=dt.UTC)


def receipt(amount="100.00", day=f.DAY, **kw):
    bank = f.bank_account()
    return journal.post(
        date=day,
        description="State budget subsidy received",
        legs=[Leg(bank.ledger_account, debit=D(amount)), Leg("state_budget_income", credit=D(amount))],
        **kw,
    )


def test_a_balanced_entry_posts_with_its_lines_and_an_audit_event(policy_loaded):
    entry = receipt("2500000.00", reference="PP-17")
    assert entry.status == JournalEntry.Status.POSTED and entry.posted_at is not None
    assert entry.number == f"JE-2026-{entry.pk:07d}"
    lines = list(entry.lines.order_by("id"))
    assert [(line.debit, line.credit) for line in lines] == [(D("2500000.00"), 0), (0, D("2500000.00"))]
    assert lines[1].fund_source == "state_budget"  # the income account says where the money comes from
    event = AuditEvent.objects.get(action="finance.entry.posted", object_id=str(entry.pk))
    assert event.changes["reference"] == "PP-17" and len(event.changes["lines"]) == 2
    balances = {b.account.key: b.balance for b in ledger.trial_balance()}
    assert balances["state_budget_income"] == D("2500000.00")


@pytest.mark.parametrize(
    "legs, error",
    [
        ([Leg("suspense", debit=D("10.00")), Leg("state_budget_income", credit=D("9.99"))], Unbalanced),
        ([Leg("suspense", debit=D("10.00"))], Unbalanced),
        ([Leg("suspense", debit=D("10.001")), Leg("state_budget_income", credit=D("10.001"))], LedgerError),
        ([Leg("suspense", debit=10.0), Leg("state_budget_income", credit=10.0)], LedgerError),
        ([Leg("suspense", debit=D("-5.00")), Leg("state_budget_income", debit=D("5.00"))], LedgerError),
        (
            [Leg("suspense", debit=D("5.00"), credit=D("5.00")), Leg("state_budget_income", credit=D("0"))],
            LedgerError,
        ),
        ([Leg("bank_group", debit=D("5.00")), Leg("state_budget_income", credit=D("5.00"))], LedgerError),
        ([Leg("levy_receivable", debit=D("5.00")), Leg("levy_income", credit=D("5.00"))], LedgerError),
        ([Leg("9999", debit=D("5.00")), Leg("levy_income", credit=D("5.00"))], LedgerError),
        (
            [Leg("suspense", debit=D("5.00")), Leg("levy_income", credit=D("5.00"), fund_source="donations")],
            LedgerError,
        ),
    ],
    ids=[
        "unbalanced",
        "one-line",
        "three-decimals",
        "float",
        "negative",
        "both-sides",
        "group-account",
        "no-party",
        "unknown-account",
        "wrong-source",
    ],
)
def test_a_wrong_entry_is_refused_and_writes_nothing(policy_loaded, legs, error):
    with pytest.raises(error):
        journal.post(date=f.DAY, description="wrong", legs=legs)
    assert not JournalEntry.objects.exists() and not JournalLine.objects.exists()


def test_the_party_sub_ledger_follows_the_control_account(policy_loaded):
    a, b = f.party(), f.party()
    for who, amount in ((a, "300.00"), (b, "200.00"), (a, "50.00")):
        journal.post(
            date=f.DAY,
            description="levy assessed",
            legs=[Leg("levy_receivable", debit=D(amount), party=who), Leg("levy_income", credit=D(amount))],
        )
    receivable = account("levy_receivable")
    assert dict(ledger.party_balances(receivable)) == {a.pk: D("350.00"), b.pk: D("200.00")}
    assert (
        ledger.balance_of(receivable) == D("550.00") == ledger.balance_of(receivable, party=a) + D("200.00")
    )


def test_a_reversal_swaps_every_line_links_the_original_and_happens_once(policy_loaded, finance_people):
    entry = receipt("70.00")
    reversal = journal.reverse(entry, by=finance_people["chief"], reason="posted twice")
    assert reversal.reversal_of_id == entry.pk and reversal.kind == JournalEntry.Kind.REVERSAL
    assert reversal.date == entry.date
    swapped = [(line.account_id, line.credit, line.debit) for line in entry.lines.order_by("id")]
    assert [(line.account_id, line.debit, line.credit) for line in reversal.lines.order_by("id")] == swapped
    assert all(b.net == 0 for b in ledger.trial_balance())
    with pytest.raises(AlreadyReversed):
        journal.reverse(entry, by=finance_people["chief"], reason="again")
    with pytest.raises(AlreadyReversed):
        journal.reverse(reversal, by=finance_people["chief"], reason="undo the undo")
    with pytest.raises(LedgerError):
        journal.reverse(receipt("1.00"), by=finance_people["chief"], reason=" ")
    assert check_ledger() == []


def test_a_reversal_of_a_closed_period_is_dated_in_the_first_open_one(policy_loaded, finance_people):
    entry = receipt("70.00", day=dt.date(2026, 1, 20))
    journal.post(
        date=dt.date(2026, 2, 3),
        description="x",
        legs=[Leg("suspense", debit=D("1.00")), Leg("own_income", credit=D("1.00"))],
    )
    periods.close(2026, 1, by=finance_people["chief"])
    reversal = journal.reverse(entry, by=finance_people["chief"], reason="wrong account")
    assert reversal.date == dt.date(2026, 2, 1)
    assert JournalEntry.objects.get(pk=entry.pk).period.status == Period.Status.CLOSED


def test_nothing_is_posted_into_a_closed_period_and_reopening_needs_a_reason(policy_loaded, finance_people):
    receipt("10.00", day=dt.date(2026, 1, 5))
    periods.close(2026, 1, by=finance_people["chief"])
    with pytest.raises(ClosedPeriod):
        receipt("10.00", day=dt.date(2026, 1, 31))
    with pytest.raises(LedgerError):
        periods.close(2026, 1, by=finance_people["chief"])
    with pytest.raises(LedgerError):
        periods.reopen(2026, 1, by=finance_people["admin"], reason="")
    periods.reopen(2026, 1, by=finance_people["admin"], reason="auditor's adjustment")
    receipt("10.00", day=dt.date(2026, 1, 31))
    assert AuditEvent.objects.filter(action="finance.period.reopened", reason="auditor's adjustment").exists()
    assert check_ledger() == []


def test_four_eyes_above_the_threshold(policy_loaded, finance_people):
    officer, chief = finance_people["officer"], finance_people["chief"]
    legs = [
        Leg("operating_expenses", debit=D("4999999.99")),
        Leg("suppliers_payable", credit=D("4999999.99"), party=f.party()),
    ]
    small = manual_entries.propose_manual(date=f.DAY, description="rent", legs=legs, by=officer)
    assert small.status == JournalEntry.Status.POSTED
    big_legs = [
        Leg("operating_expenses", debit=D("5000000.00")),
        Leg("suppliers_payable", credit=D("5000000.00"), party=f.party()),
    ]
    big = manual_entries.propose_manual(date=f.DAY, description="fit-out", legs=big_legs, by=officer)
    assert big.status == JournalEntry.Status.PENDING
    assert ledger.balance_of(account("operating_expenses")) == D("4999999.99")  # pending is not in the books
    with pytest.raises(LedgerError):
        manual_entries.approve(big, by=officer)  # not by the one who prepared it
    manual_entries.approve(big, by=chief)
    big.refresh_from_db()
    assert big.status == JournalEntry.Status.POSTED and big.approved_by == chief
    assert ledger.balance_of(account("operating_expenses")) == D("9999999.99")
    rejected = manual_entries.propose_manual(date=f.DAY, description="duplicate", legs=big_legs, by=officer)
    manual_entries.reject(rejected, by=chief, reason="duplicate of the fit-out")
    with pytest.raises(LedgerError):
        manual_entries.approve(rejected, by=chief)


def test_a_period_with_pending_entries_cannot_close(policy_loaded, finance_people):
    legs = [
        Leg("operating_expenses", debit=D("6000000.00")),
        Leg("suppliers_payable", credit=D("6000000.00"), party=f.party()),
    ]
    pending = manual_entries.propose_manual(
        date=f.DAY, description="fit-out", legs=legs, by=finance_people["officer"]
    )
    with pytest.raises(LedgerError) as refused:
        periods.close(2026, 3, by=finance_people["chief"])
    assert pending.number in str(refused.value)


class TestTheDatabaseItself:
    """What a raw UPDATE, DELETE or INSERT cannot do, whatever the code above it does."""

    def _raw(self, sql, params=()):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)

    def test_posted_lines_and_entries_cannot_be_changed_or_deleted(self, policy_loaded):
        entry = receipt("100.00")
        line = entry.lines.first()
        for sql, params in [
            (f"UPDATE {JournalLine._meta.db_table} SET debit = 1 WHERE id = %s", [line.pk]),
            (f"DELETE FROM {JournalLine._meta.db_table} WHERE id = %s", [line.pk]),
            (f"UPDATE {JournalEntry._meta.db_table} SET description = 'x' WHERE id = %s", [entry.pk]),
            (f"UPDATE {JournalEntry._meta.db_table} SET status = 'draft' WHERE id = %s", [entry.pk]),
            (f"DELETE FROM {JournalEntry._meta.db_table} WHERE id = %s", [entry.pk]),
        ]:
            with pytest.raises(IntegrityError):
                self._raw(sql, params)
        with pytest.raises(IntegrityError), transaction.atomic():
            JournalLine.objects.create(
                entry=entry, date=entry.date, account=account("suspense"), debit=D("1.00")
            )
        with pytest.raises(IntegrityError), transaction.atomic():
            JournalLine.objects.filter(pk=line.pk).update(memo="edited")
        assert entry.lines.count() == 2 and check_ledger() == []

    def test_an_unbalanced_or_closed_period_entry_cannot_be_posted_by_hand(self, policy_loaded):
        period = journal.period_for(f.DAY)
        with pytest.raises(IntegrityError), transaction.atomic():
            JournalEntry.objects.create(
                date=f.DAY, period=period, description="x", status="posted", posted_at=NOW
            )
        entry = JournalEntry.objects.create(date=f.DAY, period=period, description="x")
        JournalLine.objects.create(entry=entry, date=f.DAY, account=account("suspense"), debit=D("5.00"))
        JournalLine.objects.create(entry=entry, date=f.DAY, account=account("own_income"), credit=D("4.00"))
        with pytest.raises(IntegrityError), transaction.atomic():
            JournalEntry.objects.filter(pk=entry.pk).update(status="posted", posted_at=NOW)
        JournalLine.objects.create(entry=entry, date=f.DAY, account=account("own_income"), credit=D("1.00"))
        Period.objects.filter(pk=period.pk).update(status="closed")
        with pytest.raises(IntegrityError), transaction.atomic():
            JournalEntry.objects.filter(pk=entry.pk).update(status="posted", posted_at=NOW)
        Period.objects.filter(pk=period.pk).update(status="open")
        JournalEntry.objects.filter(pk=entry.pk).update(status="posted", posted_at=NOW)
        with pytest.raises(IntegrityError), transaction.atomic():
            JournalLine.objects.create(entry=entry, date=f.DAY, account=account("suspense"), debit=D("1.00"))


def test_a_month_is_closed_only_after_its_last_day(policy_loaded, finance_people):
    from innocluster.core.policy.values import today

    now = today()
    with pytest.raises(LedgerError) as refused:
        periods.close(now.year, now.month, by=finance_people["chief"])
    assert refused.value.code == "period_not_ended"
    later = (now.replace(day=28) + dt.timedelta(days=10)).replace(day=1)
    with pytest.raises(LedgerError):
        periods.close(later.year, later.month, by=finance_people["chief"])
    assert not Period.objects.filter(status="closed").exists()


class TestRememberedPeriods:
    """``post`` skips reading the period once a committed transaction saw it open; the database's
    posting check is what still stops a posting into a period another process has closed."""

    def test_a_period_is_remembered_only_after_commit(
        self, policy_loaded, django_capture_on_commit_callbacks
    ):
        journal.forget_periods()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            receipt("10.00", day=dt.date(2026, 1, 5))
        assert (connection.alias, 2026, 1) not in journal._OPEN_PERIODS  # not before commit
        for callback in callbacks:
            callback()
        assert journal._OPEN_PERIODS[(connection.alias, 2026, 1)] == Period.objects.get(year=2026, month=1).pk
        journal.forget_periods()

    def test_within_a_transaction_the_period_is_read_once(
        self, policy_loaded, django_capture_on_commit_callbacks
    ):
        from django.test.utils import CaptureQueriesContext

        journal.forget_periods()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            receipt("10.00", day=dt.date(2026, 1, 2))  # reads (here: creates) January's period
            with CaptureQueriesContext(connection) as queries:
                for n in range(5):
                    receipt("10.00", day=dt.date(2026, 1, 5 + n))
        assert not [q for q in queries.captured_queries if "finance_period" in q["sql"]]
        assert sum('INSERT INTO "finance_journalentry"' in q["sql"] for q in queries.captured_queries) == 5
        assert [type(c).__name__ for c in callbacks].count("_RememberOpen") == 1
        journal.forget_periods()

    def test_a_rolled_back_savepoint_takes_its_hint_away(
        self, policy_loaded, django_capture_on_commit_callbacks
    ):
        journal.forget_periods()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            try:
                with transaction.atomic():
                    receipt("10.00", day=dt.date(2026, 2, 5))  # creates February's period, then ...
                    raise RuntimeError
            except RuntimeError:
                pass  # ... rolled back, the period with it
            assert not Period.objects.filter(year=2026, month=2).exists()
            receipt("10.00", day=dt.date(2026, 2, 6))  # reads (creates) it again: no stale id
        assert Period.objects.filter(year=2026, month=2).count() == 1
        assert JournalEntry.objects.filter(date=dt.date(2026, 2, 6), status="posted").count() == 1
        assert [type(c).__name__ for c in callbacks].count("_RememberOpen") == 1
        journal.forget_periods()

    def test_a_stale_hint_still_ends_in_closed_period_and_is_dropped(self, policy_loaded):
        receipt("10.00", day=dt.date(2026, 1, 5))
        period = Period.objects.get(year=2026, month=1)
        Period.objects.filter(pk=period.pk).update(status=Period.Status.CLOSED)  # closed "elsewhere"
        key = (connection.alias, 2026, 1)
        journal._OPEN_PERIODS[key] = period.pk
        try:
            with pytest.raises(ClosedPeriod) as refused, transaction.atomic():
                receipt("10.00", day=dt.date(2026, 1, 31))
            assert "2026" in str(refused.value)
            assert key not in journal._OPEN_PERIODS
        finally:
            journal.forget_periods()
        assert JournalEntry.objects.filter(date=dt.date(2026, 1, 31)).count() == 0

    def test_closing_a_period_forgets_it_after_commit(
        self, policy_loaded, finance_people, django_capture_on_commit_callbacks
    ):
        receipt("10.00", day=dt.date(2026, 1, 5))
        journal._OPEN_PERIODS[(connection.alias, 2026, 1)] = Period.objects.get(year=2026, month=1).pk
        with django_capture_on_commit_callbacks(execute=True):
            periods.close(2026, 1, by=finance_people["chief"])
        assert journal._OPEN_PERIODS == {}


class TestPostMany:
    def plan(self, n, day=f.DAY):
        bank = f.bank_account()
        return [
            journal.Posting(
                date=day,
                description=f"Receipt {i}",
                legs=[
                    Leg(bank.ledger_account, debit=D(i) + D("0.01")),
                    Leg("donations_income", credit=D(i) + D("0.01")),
                ],
                reference=f"R-{i}",
            )
            for i in range(n)
        ]

    def test_posts_every_entry_as_post_would(self, policy_loaded, monkeypatch):
        monkeypatch.setattr(journal, "POST_BATCH", 7)  # several batches, the last one short
        entries = journal.post_many(self.plan(20))
        assert [e.reference for e in entries] == [f"R-{i}" for i in range(20)]
        stored = JournalEntry.objects.filter(pk__in=[e.pk for e in entries])
        assert stored.count() == 20 and {e.status for e in stored} == {JournalEntry.Status.POSTED}
        assert JournalLine.objects.filter(entry__in=stored).count() == 40
        events = AuditEvent.objects.filter(
            action="finance.entry.posted", object_id__in=[str(e.pk) for e in entries]
        )
        assert events.count() == 20 and not events.filter(row_mac="pending").exists()
        assert sum(b.balance for b in ledger.trial_balance() if b.account.key == "donations_income") == sum(
            D(i) + D("0.01") for i in range(20)
        )
        assert check_ledger() == []

    def test_one_bad_entry_refuses_all_and_says_which(self, policy_loaded):
        plan = self.plan(5)
        plan[3] = journal.Posting(
            date=f.DAY,
            description="bad",
            legs=[Leg("suspense", debit=D("1.00")), Leg("own_income", credit=D("2.00"))],
        )
        before = JournalEntry.objects.count()
        with pytest.raises(Unbalanced) as refused:
            journal.post_many(plan)
        assert str(refused.value).startswith("Entry 4:") and refused.value.code == "unbalanced"
        assert JournalEntry.objects.count() == before

    def test_nothing_is_posted_into_a_closed_period(self, policy_loaded):
        receipt("1.00", day=dt.date(2026, 1, 5))
        Period.objects.filter(year=2026, month=1).update(status=Period.Status.CLOSED)
        with pytest.raises(ClosedPeriod):
            journal.post_many(self.plan(3, day=dt.date(2026, 1, 20)))


def test_sums_are_exact_to_the_tiyn_at_trillions(policy_loaded):
    """Float addition (how SQLite adds decimals) would end a tiyn off here: 4503599627371.701."""
    big, small = D("4503599627370.49"), D("0.03")
    plan = [(big, "x")] + [(small, str(i)) for i in range(40)]
    journal.post_many(
        journal.Posting(
            date=f.DAY,
            description=memo,
            legs=[Leg("suspense", debit=amount), Leg("own_income", credit=amount)],
        )
        for amount, memo in plan
    )
    expected = big + small * 40
    balances = {b.account.key: b for b in ledger.trial_balance()}
    assert balances["own_income"].credit == expected and balances["suspense"].debit == expected
    assert ledger.balance_of(account("own_income")) == expected
    assert check_ledger() == []
