"""Matching an imported statement in batches (``reconciliation.auto_match`` posting the levy
matcher's proposals a chunk at a time, the levy listener recording a chunk's payments at once)
leaves exactly what matching the lines one by one leaves; a proposal refused when its chunk is
written leaves only its own line in the queue; the matcher's running balances stay right."""

import io
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innocluster.core import manifest
from innocluster.core.audit.models import AuditEvent
from innocluster.finance.models import JournalEntry, Match, StatementLine
from innocluster.finance.selectors.checks import check_ledger
from innocluster.finance.services import periods, reconciliation
from innocluster.finance.services.statements import import_statement
from innocluster.levy.errors import LevyError
from innocluster.levy.models import Credit, Obligation, Settlement
from innocluster.levy.selectors import obligations as selectors
from tests.factories import finance as f
from tests.factories.levy import ContractFactory, assessed, subsoil_user

pytestmark = pytest.mark.django_db
D = Decimal
HEADER = "account_iban;statement;booked_on;amount;currency;counterparty_name;counterparty_id;purpose;bank_reference;opening_balance;closing_balance"


@pytest.fixture
def iban(levy_ready):
    return f.bank_account(fund_source="levy").iban


def csv(iban: str, lines) -> io.BytesIO:
    """``lines``: ``(day, amount, payer BIN, purpose)``; one statement whose balances add up."""
    rows, balance = [HEADER], D("0.00")
    for n, (day, amount, payer, purpose) in enumerate(lines, start=1):
        balance += D(amount)
        first = "0.00" if n == 1 else ""
        last = str(balance) if n == len(lines) else ""
        rows.append(
            f"{iban};1;{day};{amount};KZT;ТОО «Плательщик»;{payer};{purpose};REF-{n:03d};{first};{last}"
        )
    return io.BytesIO(("\n".join(rows) + "\n").encode("utf-8"))


def pay(iban, lines):
    return import_statement(csv(iban, lines), file_name="levy.csv", fmt="csv")


def one_by_one():
    """Every chunk refused before anything is written: each line goes through ``match`` alone,
    the path every line took before batches."""
    return mock.patch.object(reconciliation, "_post_chunk", return_value=False)


def chunks_of(n: int):
    return mock.patch.object(reconciliation, "CHUNK", n)


@pytest.fixture
def book(iban):
    """Three holders, four obligations (1000.00, 500.00, 2500.00, 750.00) and a statement paying
    them: full and part payments by reference, two references on one line, a second line paying
    what the first left and more (an overpayment), BIN + exact amount, and lines matching nothing."""
    a, b, c = subsoil_user(), subsoil_user(), subsoil_user()
    [x] = assessed(ContractFactory(holders=[(a, "1")]), 2026, "100000.00")
    [y] = assessed(ContractFactory(holders=[(a, "1")]), 2026, "50000.00")
    [z, w] = assessed(ContractFactory(holders=[(b, "0.7"), (c, "0.3")]), 2026, "357142.86")
    lines = [
        ("2026-04-01", "400.00", "", f"R&D levy, {x.reference}"),
        ("2026-04-01", "300.00", "", f"levy {x.reference.lower().replace('-', ' ')} part 2"),
        ("2026-04-02", "900.00", "", f"{x.reference} rest, and more"),  # 300 left: 600 over
        ("2026-04-02", "123.45", "", "nothing we know"),
        ("2026-04-03", "1000.00", "", f"{y.reference} and {z.reference}"),  # 500 + 500
        ("2026-04-03", str(w.amount), c.bin, "R&D levy, no reference"),  # BIN + amount
        ("2026-04-04", "2000.00", b.bin, "R&D levy, no reference"),  # z has 2000.00 left: fits
        ("2026-04-04", "10.00", b.bin, "R&D levy, no reference"),  # fits nothing
        ("2026-04-05", "50.00", "", f"{w.reference} again"),  # w paid: an overpayment
    ]
    return {"lines": lines, "obligations": [x, y, z, w], "holders": [a, b, c]}


def snapshot(since: int) -> dict:
    """What the import wrote, with every id replaced by what it stands for (a line by its bank
    reference, an entry and a match by their line's, an obligation by its reference)."""
    lines = dict(StatementLine.objects.values_list("pk", "bank_reference"))
    entries = {
        e.pk: lines[int(e.source_id)]
        for e in JournalEntry.objects.filter(source_type="finance.statementline")
    }
    numbers = {
        e.number: lines[int(e.source_id)]
        for e in JournalEntry.objects.filter(source_type="finance.statementline")
    }
    matches = {m.pk: lines[m.line_id] for m in Match.objects.all()}
    obligations = dict(Obligation.objects.values_list("pk", "reference"))
    credits = {c.pk: lines.get(c.statement_line_id) for c in Credit.objects.all()}

    def ids(key, value):
        if key == "line":
            return lines[value]
        if key == "entry":
            return numbers[value] if isinstance(value, str) else entries[value]
        if key == "source" and value.startswith("finance.statementline:"):
            return lines[int(value.split(":")[1])]
        return value

    def object_id(event):
        kind, pk = event.object_type, event.object_id
        return {
            "finance.statementline": lambda: lines[int(pk)],
            "finance.journalentry": lambda: entries[int(pk)],
            "levy.obligation": lambda: obligations[int(pk)],
            "levy.credit": lambda: credits[int(pk)],
        }.get(kind, lambda: kind)()

    events = sorted(
        (
            e.action,
            e.object_type,
            object_id(e),
            re.sub(r"^JE-\d{4}-\d{7}", "JE", e.object_repr),
            e.actor_repr,
            e.reason,
            repr(sorted((k, ids(k, v)) for k, v in e.changes.items())),
        )
        for e in AuditEvent.objects.filter(pk__gt=since)
    )
    return {
        "statuses": sorted(StatementLine.objects.values_list("bank_reference", "status")),
        "entries": sorted(
            (
                entries[e.pk],
                e.date,
                e.reference,
                e.description,
                e.kind,
                e.status,
                tuple(
                    sorted(
                        (
                            line.account.code,
                            line.debit,
                            line.credit,
                            line.party_id,
                            line.fund_source,
                            line.memo,
                        )
                        for line in e.lines.all()
                    )
                ),
            )
            for e in JournalEntry.objects.filter(source_type="finance.statementline")
        ),
        "matches": sorted(
            (
                lines[m.line_id],
                m.kind,
                m.matcher,
                m.reason,
                entries[m.entry_id],
                m.by_id,
                m.undone_at,
                tuple(
                    sorted(
                        (
                            p.account.code,
                            p.party_id,
                            p.amount,
                            p.target_type,
                            obligations[int(p.target_id)]
                            if p.target_type == "levy.obligation"
                            else p.target_id,
                            p.memo,
                        )
                        for p in m.parts.all()
                    )
                ),
            )
            for m in Match.objects.all()
        ),
        "settlements": sorted(
            (
                obligations[s.obligation_id],
                s.kind,
                s.status,
                s.amount,
                s.applied,
                lines[s.statement_line_id],
                matches[s.match_id],
                entries[s.entry_id],
                s.description,
                s.created_by_id,
                s.approved_by_id,
            )
            for s in Settlement.objects.all()
        ),
        "credits": sorted(
            (
                c.holder_id,
                c.kind,
                c.source_year,
                obligations[c.source_id],
                c.amount,
                c.expires_on,
                lines[c.statement_line_id],
                matches[c.match_id],
                entries[c.entry_id],
            )
            for c in Credit.objects.all()
        ),
        "outstanding": sorted((o.reference, o.outstanding) for o in selectors.obligations(year=2026)),
        "events": events,
    }


def run(iban, lines, *, batched: bool, chunk: int = 500):
    """Import ``lines`` and snapshot what was written; everything is rolled back afterwards."""
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        with chunks_of(chunk), mock.patch.object(reconciliation, "CHUNK", chunk) if batched else one_by_one():
            summary = pay(iban, lines)
        assert check_ledger() == []
        written = snapshot(since)
        transaction.set_rollback(True)
    return summary.matched, written


@pytest.mark.parametrize("chunk", [1, 2, 4, 500])
def test_batches_write_exactly_what_one_by_one_matching_writes(iban, book, chunk):
    single_matched, single = run(iban, book["lines"], batched=False)
    matched, batched = run(iban, book["lines"], batched=True, chunk=chunk)
    assert single_matched == matched == 7
    for key in single:
        assert batched[key] == single[key], key
    # The scenario does what it says: part payments, an overpayment, BIN + amount, unmatched lines.
    statuses = dict(single["statuses"])
    assert [ref for ref, status in statuses.items() if status == "unmatched"] == ["REF-004", "REF-008"]
    x, y, z, w = book["obligations"]
    assert dict(single["outstanding"]) == {
        x.reference: D("0.00"),
        y.reference: D("0.00"),
        z.reference: D("0.00"),
        w.reference: D("0.00"),
    }
    assert sorted((c[3], c[4]) for c in single["credits"]) == [
        (x.reference, D("600.00")),
        (w.reference, D("50.00")),
    ]
    actions = sorted({e[0] for e in single["events"]})
    assert actions == [
        "finance.entry.posted",
        "finance.line.matched",
        "finance.statements.imported",
        "levy.credit.created",
        "levy.payment.recorded",
    ]


def test_a_chunk_is_written_with_a_few_statements_and_the_second_payment_sees_the_first(iban, book):
    """Two lines paying the same obligation in one chunk: the second gets what the first left,
    the rest of it an overpayment credit, as when they were matched one by one."""
    x = book["obligations"][0]
    lines = [
        ("2026-04-01", "600.00", "", f"Part 1, {x.reference}"),
        ("2026-04-01", "1000.00", "", f"Again, {x.reference}"),
    ]
    calls = []
    real = reconciliation._post_matches
    with mock.patch.object(
        reconciliation,
        "_post_matches",
        side_effect=lambda plans, by: calls.append(len(plans)) or real(plans, by=by),
    ):
        summary = pay(iban, lines)
    assert summary.matched == 2 and calls == [2]  # one batch, nothing one by one
    [first, second] = Settlement.objects.filter(obligation=x).order_by("statement_line__bank_reference")
    assert (first.amount, second.amount) == (D("600.00"), D("400.00"))
    credit = Credit.objects.get()
    assert (credit.amount, credit.source, credit.statement_line.bank_reference) == (D("600.00"), x, "REF-002")
    assert selectors.outstanding(x) == D("0.00")
    assert check_ledger() == []


def test_a_line_in_a_closed_month_is_refused_alone_and_the_next_line_sees_it_did_not_pay(iban, book):
    """The chunk is refused when its entries are posted (March is closed); its lines are proposed
    again one by one: the March line stays unmatched, and the April line naming the same
    obligation pays it (no overpayment: the March line paid nothing)."""
    x, y = book["obligations"][:2]
    periods.close(2026, 3, by=None)
    lines = [
        ("2026-04-01", "500.00", "", f"{y.reference}"),
        ("2026-03-31", "1000.00", "", f"{x.reference}"),  # March: closed
        ("2026-04-01", "1000.00", "", f"{x.reference}, paid again"),
        ("2026-04-02", "123.00", "", "nothing"),
    ]
    summary = pay(iban, lines)
    assert summary.matched == 2
    statuses = dict(StatementLine.objects.values_list("bank_reference", "status"))
    assert statuses == {
        "REF-001": "matched",
        "REF-002": "unmatched",
        "REF-003": "matched",
        "REF-004": "unmatched",
    }
    assert not Credit.objects.exists()
    assert Settlement.objects.get(obligation=x).statement_line.bank_reference == "REF-003"
    assert selectors.outstanding(x) == D("0.00") and selectors.outstanding(y) == D("0.00")
    assert not Match.objects.filter(line__bank_reference="REF-002").exists()
    assert check_ledger() == []


class RefusesAPurpose:
    """A listener of another module, without ``matched_many``: it refuses the match of a line
    whose purpose says "refuse"."""

    def matched(self, match, by=None):
        if "refuse" in match.line.purpose:
            raise LevyError("refused by the listener")

    def unmatched(self, match, by=None):
        pass


def test_a_listener_refusing_one_match_in_the_middle_of_a_chunk_leaves_only_that_line(iban, book):
    x, y, z, _w = book["obligations"]
    lines = [
        ("2026-04-01", "100.00", "", f"{x.reference}"),
        ("2026-04-01", "100.00", "", f"{y.reference} refuse"),
        ("2026-04-01", "100.00", "", f"{z.reference}"),
        ("2026-04-02", "100.00", "", f"{x.reference}"),  # in the next chunk of 3
        ("2026-04-02", "100.00", "", f"{y.reference}"),
    ]
    fake = manifest.Manifest(hooks={"finance.match_listeners": (RefusesAPurpose(),)}, app="refusing")
    with mock.patch.object(manifest, "manifests", return_value=[*manifest.manifests(), fake]), chunks_of(3):
        summary = pay(iban, lines)
    assert summary.matched == 4
    statuses = dict(StatementLine.objects.values_list("bank_reference", "status"))
    assert [ref for ref, status in sorted(statuses.items()) if status == "unmatched"] == ["REF-002"]
    assert sorted(Settlement.objects.values_list("obligation__reference", "amount")) == sorted(
        [
            (x.reference, D("100.00")),
            (z.reference, D("100.00")),
            (x.reference, D("100.00")),
            (y.reference, D("100.00")),
        ]
    )
    assert selectors.outstanding(y) == D("400.00")
    assert not Settlement.objects.filter(statement_line__bank_reference="REF-002").exists()
    assert check_ledger() == []


def test_a_line_matched_meanwhile_refuses_its_chunk_and_only_itself(iban, book):
    """A line already matched when its chunk is written (someone matched it by hand between the
    proposal and the write): the chunk is refused, the others are matched one by one."""
    x, y = book["obligations"][:2]
    lines = [("2026-04-01", "100.00", "", f"{x.reference}"), ("2026-04-01", "100.00", "", f"{y.reference}")]
    real = reconciliation._post_chunk

    def meanwhile(chunk, by):
        line = StatementLine.objects.get(bank_reference="REF-001")
        if line.status == "unmatched":
            reconciliation.to_suspense(line, reason="matched by hand meanwhile")
        return real(chunk, by)

    with mock.patch.object(reconciliation, "_post_chunk", side_effect=meanwhile):
        summary = pay(iban, lines)
    assert summary.matched == 1
    assert dict(StatementLine.objects.values_list("bank_reference", "status")) == {
        "REF-001": "suspense",
        "REF-002": "matched",
    }
    assert list(Settlement.objects.values_list("obligation__reference", flat=True)) == [y.reference]
    assert check_ledger() == []


def test_record_payments_refuses_the_batch_when_one_payment_is_above_what_is_left(iban, book):
    from innocluster.levy.services import settlements

    x = book["obligations"][0]
    pay(iban, [("2026-04-01", "100.00", "", "no reference"), ("2026-04-01", "200.00", "", "none either")])
    first, second = StatementLine.objects.order_by("bank_reference")
    # Matches written by hand without the listener, so the service is asked alone.
    with mock.patch.object(reconciliation.matcher_registry, "listeners", return_value=[]):
        m1 = reconciliation.match(
            first, [reconciliation.Part("levy_receivable", D("100.00"), party=x.holder, target=x)]
        )
        m2 = reconciliation.match(
            second, [reconciliation.Part("levy_receivable", D("200.00"), party=x.holder, target=x)]
        )
    ok = settlements.record_payments(
        [settlements.Payment(x.pk, D("100.00"), m1), settlements.Payment(x, D("200.00"), m2)]
    )
    assert [s.amount for s in ok] == [D("100.00"), D("200.00")] and selectors.outstanding(x) == D("700.00")
    with pytest.raises(LevyError) as refused:
        settlements.record_payments(
            [settlements.Payment(x.pk, D("600.00"), m1), settlements.Payment(x.pk, D("100.01"), m2)]
        )
    assert refused.value.code == "more_than_outstanding"
    assert "700.00" in str(refused.value) or "100.00" in str(refused.value)
    assert Settlement.objects.filter(obligation=x).count() == 2  # nothing of the refused batch
    with pytest.raises(Obligation.DoesNotExist):
        settlements.record_payments([settlements.Payment(999999, D("1.00"), m1)])


def test_random_part_payments_settle_at_most_what_is_due_and_the_rest_becomes_credit(iban):
    holder = subsoil_user()
    obligations = [
        *assessed(ContractFactory(holders=[(holder, "1")]), 2026, "100000.00"),  # 1000.00
        *assessed(ContractFactory(holders=[(holder, "1")]), 2026, "33333.00"),  # 333.33
        *assessed(ContractFactory(holders=[(holder, "1")]), 2026, "777.00"),  # 7.77
    ]

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        payments=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 80000)), min_size=1, max_size=12),
        chunk=st.integers(1, 5),
    )
    def check(payments, chunk):
        lines = [
            ("2026-04-01", f"{D(cents) / 100:.2f}", "", f"R&D levy {obligations[i].reference}")
            for i, cents in payments
        ]
        with transaction.atomic(), chunks_of(chunk):
            summary = pay(iban, lines)
            assert summary.matched == len(lines)
            for n, obligation in enumerate(obligations):
                paid = sum((D(c) / 100 for i, c in payments if i == n), D("0.00"))
                settled = sum(
                    Settlement.objects.filter(obligation=obligation).values_list("amount", flat=True),
                    D("0.00"),
                )
                credit = sum(
                    Credit.objects.filter(source=obligation).values_list("amount", flat=True), D("0.00")
                )
                assert settled == min(paid, obligation.amount)
                assert settled <= obligation.amount
                assert credit == paid - settled
                assert selectors.outstanding(obligation) == obligation.amount - settled
            assert check_ledger() == []
            transaction.set_rollback(True)

    check()


def test_the_last_part_payment_matches_though_sqlite_reads_the_balance_back_in_binary(iban):
    """69,430,793.46 paid in seven parts of 9,918,684.78, the seventh in a later statement: the
    database sums the six (on SQLite in binary floating point, 9,918,684.77999999 left); the
    matcher takes the balance in tiyn, so the seventh pays it exactly."""
    holder = subsoil_user()
    [obligation] = assessed(ContractFactory(holders=[(holder, "1")]), 2026, "6943079346.00")
    assert obligation.amount == D("69430793.46")
    part = ("2026-04-01", "9918684.78", "", f"R&D levy {obligation.reference}")
    assert pay(iban, [part] * 6).matched == 6
    rows = [HEADER, f"{iban};2;2026-04-02;9918684.78;KZT;Payer;;R&D levy {obligation.reference};REF-2;;"]
    last = str(D("9918684.78") * 7)
    rows[1] = rows[1][: rows[1].rindex(";;")] + f";{D('9918684.78') * 6};{last}"
    summary = import_statement(io.BytesIO(("\n".join(rows) + "\n").encode()), file_name="2.csv", fmt="csv")
    assert summary.matched == 1
    assert selectors.outstanding(obligation) == D("0.00") and not Credit.objects.exists()
    assert check_ledger() == []


def test_the_balances_read_back_are_exact_to_the_tiyn(iban):
    """The same six parts: what the selectors give as outstanding is exactly the last part (SQLite's
    float arithmetic rounded to the tiyn in SQL), so any caller comparing it with a payment agrees."""
    holder = subsoil_user()
    [obligation] = assessed(ContractFactory(holders=[(holder, "1")]), 2026, "6943079346.00")
    part = ("2026-04-01", "9918684.78", "", f"R&D levy {obligation.reference}")
    assert pay(iban, [part] * 6).matched == 6
    [row] = selectors.with_balances(type(obligation).objects.filter(pk=obligation.pk))
    assert row.outstanding == D("9918684.78") and row.settled == D("9918684.78") * 6
    assert selectors.outstanding(obligation) == D("9918684.78")
    assert [o.outstanding for o in selectors.open_obligations_of_bins({holder.bin})[holder.bin]] == [
        D("9918684.78")
    ]
