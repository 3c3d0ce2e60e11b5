"""Reconciliation: match, split, suspense, undo — each posting through the journal, nothing matched
twice; matchers registered by other apps run after an import."""

from decimal import Decimal
from unittest import mock

import pytest

from innocluster.core import manifest
from innocluster.finance.errors import AlreadyMatched, LedgerError
from innocluster.finance.matchers import Part, Proposal
from innocluster.finance.models import JournalEntry, Match, StatementLine
from innocluster.finance.selectors import ledger
from innocluster.finance.selectors.accounts import account
from innocluster.finance.selectors.checks import check_ledger
from innocluster.finance.services import reconciliation
from tests.factories import finance as f
from tests.finance.test_statements import accounts, load  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def receipts(accounts):  # noqa: F811
    load("kaspi_1c_kazakh_dialect.txt")
    return list(StatementLine.objects.filter(amount__gt=0, status="unmatched").order_by("id"))


def test_matching_a_receipt_posts_bank_against_the_target(receipts, finance_people):
    line = receipts[0]
    payer = f.party()
    match = reconciliation.match(
        line, [Part(account="levy_receivable", amount=line.amount, party=payer)], by=finance_people["officer"]
    )
    line.refresh_from_db()
    assert line.status == StatementLine.Status.MATCHED and match.matcher == "manual"
    entry = match.entry
    debit = entry.lines.get(debit__gt=0)
    credit = entry.lines.get(credit__gt=0)
    assert debit.account == line.bank_account.ledger_account and debit.fund_source == "levy"
    assert credit.account.key == "levy_receivable" and credit.party == payer and credit.debit == 0
    assert (entry.source_type, entry.source_id) == ("finance.statementline", str(line.pk))
    assert ledger.balance_of(account("levy_receivable"), party=payer) == -line.amount
    with pytest.raises(AlreadyMatched):
        reconciliation.match(line, [Part(account="suspense", amount=line.amount)])
    with pytest.raises(AlreadyMatched):
        reconciliation.to_suspense(line, reason="x")
    assert check_ledger() == []


def test_a_split_must_add_up_to_the_line(receipts):
    line = receipts[0]
    a, b = f.party(), f.party()
    half = (line.amount / 2).quantize(D("0.01"))
    with pytest.raises(LedgerError) as refused:
        reconciliation.match(
            line,
            [Part("levy_receivable", half, party=a), Part("levy_receivable", half - D("0.01"), party=b)],
        )
    assert refused.value.code == "split_mismatch"
    assert not JournalEntry.objects.exists() and StatementLine.objects.get(pk=line.pk).status == "unmatched"
    match = reconciliation.match(
        line, [Part("levy_receivable", half, party=a), Part("overpayments", line.amount - half, party=b)]
    )
    assert match.parts.count() == 2
    assert sorted(x.credit for x in match.entry.lines.filter(credit__gt=0)) == sorted(
        [half, line.amount - half]
    )


def test_suspense_needs_a_reason_and_undo_reverses_the_entry(receipts, finance_people):
    line = receipts[0]
    with pytest.raises(LedgerError):
        reconciliation.to_suspense(line, reason="  ")
    parked = reconciliation.to_suspense(line, reason="payer unknown, no BIN", by=finance_people["officer"])
    assert StatementLine.objects.get(pk=line.pk).status == StatementLine.Status.SUSPENSE
    assert ledger.balance_of(account("suspense")) == line.amount
    reconciliation.unmatch(line, reason="the payer wrote to us", by=finance_people["officer"])
    parked.refresh_from_db()
    assert parked.undone_at is not None and parked.undo_reason == "the payer wrote to us"
    assert JournalEntry.objects.filter(reversal_of=parked.entry).exists()
    assert ledger.balance_of(account("suspense")) == 0
    assert StatementLine.objects.get(pk=line.pk).status == StatementLine.Status.UNMATCHED
    rematched = reconciliation.match(line, [Part("state_budget_income", line.amount)])
    assert Match.objects.filter(line=line).count() == 2 and rematched.undone_at is None
    with pytest.raises(LedgerError):
        reconciliation.unmatch(receipts[1], reason="not matched")
    assert check_ledger() == []


def test_a_payment_is_not_sent_to_suspense(accounts):  # noqa: F811
    load("halyk_two_statements.sta")
    payment = StatementLine.objects.filter(amount__lt=0, status="unmatched").first()
    with pytest.raises(LedgerError):
        reconciliation.to_suspense(payment, reason="unknown")


class PaysByBin:
    """A matcher as another app would register it: receipts from a known BIN go to its receivable."""

    code = "test.by_bin"
    priority = 10

    def __init__(self, bins):
        self.bins = bins

    def propose(self, lines):
        for line in lines:
            party = self.bins.get(line.counterparty_id)
            if party is not None and line.amount > 0:
                yield Proposal(
                    line=line, parts=(Part("levy_receivable", line.amount, party=party),), note="by BIN"
                )


def test_matchers_registered_through_a_manifest_run_after_an_import(accounts):  # noqa: F811
    from innocluster.core.manifest import Manifest
    from innocluster.finance.importers.base import StatementLine as Parsed
    from innocluster.finance.importers.base import parse

    with open(load.__globals__["FIXTURES"] / "kaspi_1c_kazakh_dialect.txt", "rb") as stream:
        bins = {
            e.counterparty_id
            for e in parse(stream)
            if isinstance(e, Parsed) and e.amount > 0 and e.counterparty_id
        }
    from django.core.exceptions import ValidationError

    from innocluster.parties.services.register import create_organisation
    from tests.factories.registry import organisation_fields

    known = {}
    for bin_ in sorted(bins):
        try:  # the fixture's payers: companies (a BIN) and one entrepreneur (an IIN, not an organisation)
            known[bin_] = create_organisation(**organisation_fields(bin=bin_))
        except ValidationError:
            continue
    assert known
    fake = Manifest(hooks={"finance.matchers": (PaysByBin(known),)}, app="levy-like")
    with mock.patch.object(manifest, "manifests", return_value=[*manifest.manifests(), fake]):
        summary = load("kaspi_1c_kazakh_dialect.txt")
    matched = StatementLine.objects.filter(status="matched", counterparty_id__in=known, amount__gt=0)
    assert summary.matched == matched.count() >= 1
    assert set(Match.objects.filter(line__in=matched).values_list("matcher", flat=True)) == {"test.by_bin"}
    assert check_ledger() == []


class ProposesEveryReceipt:
    """A matcher that sends every receipt to state-budget income, noting the status each line
    shows when the generator resumes after proposing it, and which lines each call was offered."""

    code = "test.every_receipt"
    priority = 10

    def __init__(self):
        self.offered: list[list[str]] = []
        self.seen: list[tuple[str, str]] = []

    def propose(self, lines):
        self.offered.append([line.bank_reference for line in lines])
        for line in lines:
            if line.amount > 0:
                yield Proposal(
                    line=line, parts=(Part("state_budget_income", line.amount),), note="every receipt"
                )
                self.seen.append((line.bank_reference, line.status))


class RefusesOneLine:
    """A listener without ``matched_many``: told of each match in turn, it refuses one line's."""

    def __init__(self, reference):
        self.reference, self.told = reference, []

    def matched(self, match, by=None):
        self.told.append(match.line.bank_reference)
        if match.line.bank_reference == self.reference:
            raise LedgerError("not this one")

    def unmatched(self, match, by=None):
        pass


def _receipts(iban: str, amounts) -> list[StatementLine]:
    import io

    from innocluster.finance.services.statements import import_statement

    header = "account_iban;statement;booked_on;amount;currency;counterparty_name;counterparty_id;purpose;bank_reference;opening_balance;closing_balance"
    rows, balance = [header], D("0")
    for n, amount in enumerate(amounts, start=1):
        balance += D(amount)
        first, last = ("0.00" if n == 1 else ""), (str(balance) if n == len(amounts) else "")
        rows.append(f"{iban};7;2026-11-0{1 + n % 3};{amount};KZT;Payer;;Payment {n};R{n:02d};{first};{last}")
    import_statement(io.BytesIO("\n".join(rows).encode()), file_name="r.csv", fmt="csv", match=False)
    return list(StatementLine.objects.order_by("id"))


def test_auto_match_posts_chunks_and_posts_a_refused_chunk_again_one_line_at_a_time(accounts):  # noqa: F811
    """Chunks of 3 receipts (R03 is a payment: not proposed). The listener refuses R06, so the
    chunk R05-R07 is rolled back; the matcher's generator is closed and it is asked again for
    R05-R07, posted one at a time (R06 stays in the queue), then for the lines after them. While
    a chunk is gathered, a line shows ``matched`` as soon as it is proposed (provisionally)."""
    lines = _receipts(
        accounts["halyk"].iban, ["10.00", "20.00", "-5.00", "30.00", "40.00", "50.00", "60.00", "70.00"]
    )
    matcher, listener = ProposesEveryReceipt(), RefusesOneLine("R06")
    with (
        mock.patch.object(reconciliation.matcher_registry, "registered", return_value=[matcher]),
        mock.patch.object(reconciliation.matcher_registry, "listeners", return_value=[listener]),
        mock.patch.object(reconciliation, "CHUNK", 3),
    ):
        matched = reconciliation.auto_match(lines)
    assert matched == 6
    statuses = dict(StatementLine.objects.values_list("bank_reference", "status"))
    assert [ref for ref, status in sorted(statuses.items()) if status == "unmatched"] == ["R03", "R06"]
    assert matcher.offered == [
        ["R01", "R02", "R03", "R04", "R05", "R06", "R07", "R08"],
        ["R05", "R06", "R07"],
        ["R08"],
    ]
    assert matcher.seen == [
        *[("R01", "matched"), ("R02", "matched"), ("R04", "matched"), ("R05", "matched"), ("R06", "matched")],
        *[("R05", "matched"), ("R06", "unmatched"), ("R07", "matched")],  # one at a time, each posted first
        ("R08", "matched"),
    ]
    # Without matched_many the listener hears of each match of a chunk in turn.
    assert listener.told == ["R01", "R02", "R04", "R05", "R06", "R05", "R06", "R07", "R08"]
    assert sorted(Match.objects.values_list("line__bank_reference", flat=True)) == [
        "R01",
        "R02",
        "R04",
        "R05",
        "R07",
        "R08",
    ]
    assert JournalEntry.objects.filter(source_type="finance.statementline").count() == 6
    assert check_ledger() == []


class ProposesAWrongSplit(ProposesEveryReceipt):
    """Proposes the 20.00 receipt for 19.99: refused when checked, before anything is written."""

    def propose(self, lines):
        for proposal in super().propose(lines):
            if proposal.line.amount == D("20.00"):
                proposal = Proposal(line=proposal.line, parts=(Part("state_budget_income", D("19.99")),))
            yield proposal


def test_a_proposal_refused_when_checked_leaves_its_line_and_the_chunk_goes_on(accounts):  # noqa: F811
    lines = _receipts(accounts["halyk"].iban, ["10.00", "20.00", "30.00"])
    matcher = ProposesAWrongSplit()
    with (
        mock.patch.object(reconciliation.matcher_registry, "registered", return_value=[matcher]),
        mock.patch.object(reconciliation, "_post_matches", wraps=reconciliation._post_matches) as batches,
    ):
        assert reconciliation.auto_match(lines) == 2
    assert matcher.seen == [("R01", "matched"), ("R02", "unmatched"), ("R03", "matched")]
    assert [len(call.args[0]) for call in batches.call_args_list] == [2]  # one chunk, never refused
    assert StatementLine.objects.get(bank_reference="R02").status == "unmatched"
    assert check_ledger() == []
