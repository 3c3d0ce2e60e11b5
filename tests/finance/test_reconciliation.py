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
