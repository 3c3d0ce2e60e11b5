"""Assessment: each contract's obligation for year Y from its current declaration for Y−1, at the
rate in force on 1 January Y for the contract's basis, rounded half-up to the tiyn once and split
by the holders' shares (the remainder assigned so the parts sum to the whole). Each holder's part is
an obligation with its reference ``LEVY-<Y>-<6 digits>`` and due date ``levy.due_date``.

The ledger: Dr levy receivable (party: the holder) / Cr levy income for each new obligation. A
re-run (or an amendment) compares each obligation with what the ledger already holds for it and
posts only the difference as an adjusting entry — a rise like an assessment, a fall the other way
round — so running it twice posts nothing the second time."""

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from innocluster.core.audit.services import record_event
from innocluster.core.errors import lock_failures_as_domain_errors
from innocluster.core.policy import values as policy
from innocluster.core.policy.formulas import formula
from innocluster.core.policy.values import NoValueInForce
from innocluster.finance.services.journal import Leg, post
from innocluster.levy import rules
from innocluster.levy.errors import LevyError
from innocluster.levy.models import Contract, Obligation, ObligationPosting
from innocluster.levy.selectors import contracts as contract_selectors
from innocluster.levy.selectors import obligations as obligation_selectors
from innocluster.levy.services.common import acting

ZERO = Decimal("0.00")


@dataclass
class Assessed:
    contract: str
    holder_bin: str
    holder: str
    year: int
    share: Decimal
    base: Decimal
    rate: Decimal
    amount: Decimal
    reference: str
    due_date: dt.date
    outcome: str  # created, adjusted, unchanged
    posted: Decimal = ZERO  # what this run posted (signed)

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("base", "amount", "posted"):
            data[key] = str(data[key])
        for key in ("share", "rate"):  # the same text whether read from the policy or the database
            data[key] = format(Decimal(data[key]).normalize(), "f")
        data["due_date"] = self.due_date.isoformat()
        return data


@dataclass
class AssessmentResult:
    year: int
    dry_run: bool = False
    obligations: list[Assessed] = field(default_factory=list)
    undeclared: list[str] = field(default_factory=list)  # contract numbers with no declaration

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.obligations if row.outcome == outcome)


class _DryRun(Exception):
    pass


# Contracts read (and locked) together per batch of an assessment run.
_BATCH = 500


def _policy(key: str, on: dt.date, regime: str | None = None):
    try:
        return policy.value(key, on=on, regime=regime)
    except NoValueInForce as exc:
        raise LevyError(
            _(
                "No value of %(key)s is in force in the regime %(regime)s on %(date)s: add it to the rules first."
            ),
            params={"key": exc.key, "regime": exc.regime, "date": exc.on.isoformat()},
            code="no_value_in_force",
        ) from None


def due_date(year: int, regime: str | None = None) -> dt.date:
    """The obligation of ``year`` is due on ``levy.due_date`` (MM-DD) in force on 1 January ``year``."""
    month_day = _policy("levy.due_date", rules.rate_day(year), regime=regime)
    return dt.date(year, int(month_day[:2]), int(month_day[3:]))


@formula("levy.due_date")
def due_date_formula(*, year: int, on: dt.date | None = None, regime: str | None = None) -> dt.date:
    """Law cases: when the obligation of ``year`` is due (the rule of 1 January ``year`` applies)."""
    return due_date(year, regime=regime)


def _next_sequence(year: int) -> int:
    last = (
        Obligation.objects.filter(year=year, reference__startswith=f"LEVY-{year}-")
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    return int(last.rsplit("-", 1)[1]) + 1 if last else 1


def _create(contract, holder, year, values, run: "_Run") -> Obligation:
    """A new obligation with the next free reference of ``year`` (retried with the numbers read
    again if another assessment took that number a moment ago)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Obligation.objects.create(
                    contract=contract,
                    holder=holder,
                    year=year,
                    reference=obligation_selectors.reference(year, run.next_sequence()),
                    **values,
                )
        except IntegrityError:
            run.sequence = None
            if Obligation.objects.filter(contract=contract, holder=holder, year=year).exists():
                raise
    raise LevyError(
        _("No free payment reference was found for %(year)s; run the assessment again."),
        params={"year": year},
    )


def _post(obligation: Obligation, delta: Decimal, day: dt.date, by, kind: str) -> None:
    """Put ``delta`` (signed) of ``obligation`` in the ledger."""
    holder = obligation.holder
    rise = delta > 0
    amount = abs(delta)
    what = _("Levy assessed") if kind == ObligationPosting.Kind.ASSESSMENT else _("Levy adjusted")
    entry = post(
        date=day,
        description=f"{what} {obligation.year}: {obligation.contract.number}, {holder.bin} {holder.name_ru}",
        reference=obligation.reference,
        source=obligation,
        by=by,
        legs=[
            Leg(
                account="levy_receivable",
                debit=amount if rise else ZERO,
                credit=ZERO if rise else amount,
                party=holder,
                memo=obligation.reference,
            ),
            Leg(
                account="levy_income",
                debit=ZERO if rise else amount,
                credit=amount if rise else ZERO,
                memo=obligation.reference,
            ),
        ],
    )
    ObligationPosting.objects.create(obligation=obligation, entry=entry, kind=kind, amount=delta)
    Obligation.objects.filter(pk=obligation.pk).update(posted=obligation.posted + delta)
    obligation.posted += delta


class _Run:
    """What one assessment run reads once, not per contract: the rates per basis and the due date
    of the year, whether an extraction-cost contract owes yet, the next reference number."""

    def __init__(self, year: int, day: dt.date, by):
        self.year, self.day, self.by = year, day, by
        self.due = due_date(year)
        self.sequence: int | None = None
        self._rates: dict[str, Decimal | None] = {}
        self._applies: dict[tuple, bool] = {}

    def rate(self, contract: Contract) -> Decimal | None:
        key = (contract.basis, contract.production_start_year)
        if key not in self._applies:
            self._applies[key] = rules.obligation_applies(
                contract.basis, self.year, contract.production_start_year
            )
        if not self._applies[key]:
            return None
        if contract.basis not in self._rates:
            self._rates[contract.basis] = _policy(rules.rate_key(contract.basis), rules.rate_day(self.year))
        return self._rates[contract.basis]

    def next_sequence(self) -> int:
        if self.sequence is None:
            self.sequence = _next_sequence(self.year)
        else:
            self.sequence += 1
        return self.sequence


def assess_contract(contract: Contract, year: int, *, by=None, day: dt.date | None = None) -> list[Assessed]:
    """Assess (or re-assess) one contract for ``year``; returns one row per holder's obligation."""
    run = _Run(year, day or policy.today(), by)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    declaration = contract_selectors.current_declaration(contract, year - 1)
    existing = {
        o.holder_id: o
        for o in Obligation.objects.select_for_update()
        .filter(contract=contract, year=year)
        .select_related("holder")
    }
    return _assess(contract, declaration, contract_selectors.holders_of(contract), existing, run)


def _assess(contract, declaration, holders, existing, run: _Run) -> list[Assessed]:
    from innocluster.levy.services.credits import release_excess

    year, day, by = run.year, run.day, run.by
    if declaration is None:
        return []
    rate = run.rate(contract)
    if rate is None and not existing:
        return []
    total = rules.obligation_amount(declaration.base_amount, rate)
    parts = rules.split_by_shares(total, [h.share for h in holders])
    due = run.due
    wanted = {h.organisation_id: (h, part) for h, part in zip(holders, parts, strict=True)}
    results: list[Assessed] = []
    # Holders no longer on the contract owe nothing more for this year.
    for holder_id in existing:
        if holder_id not in wanted:
            wanted[holder_id] = (None, ZERO)
    for holder_id, (holder_row, part) in wanted.items():
        obligation = existing.get(holder_id)
        values = {
            "share": holder_row.share if holder_row else Decimal(0),
            "base": declaration.base_amount,
            "rate": rate or Decimal(0),
            "amount": part,
            "due_date": due,
            "declaration": declaration,
        }
        if obligation is None:
            obligation = _create(contract, holder_row.organisation, year, values, run)
            outcome = "created"
            record_event(
                action="levy.obligation.assessed",
                actor=by,
                obj=obligation,
                changes={k: [None, v.pk if k == "declaration" else v] for k, v in values.items()},
            )
        else:
            changes = {}
            for k, v in values.items():
                before = obligation.declaration_id if k == "declaration" else getattr(obligation, k)
                after = v.pk if k == "declaration" else v
                if before != after:
                    changes[k] = [before, after]
            outcome = "unchanged"
            if changes:
                for k, v in values.items():
                    setattr(obligation, k, v)
                obligation.save()
                record_event(action="levy.obligation.reassessed", actor=by, obj=obligation, changes=changes)
                outcome = "adjusted"
        delta = obligation.amount - obligation.posted
        if delta:
            first = outcome == "created" or not obligation.postings.exists()
            kind = ObligationPosting.Kind.ASSESSMENT if first else ObligationPosting.Kind.ADJUSTMENT
            _post(obligation, delta, day, by, kind)
            if outcome == "unchanged":
                outcome = "adjusted"
        if outcome != "created":  # a new obligation has nothing settled yet
            release_excess(obligation, by=by, day=day)
        results.append(
            Assessed(
                contract=contract.number,
                holder_bin=obligation.holder.bin,
                holder=obligation.holder.name_ru,
                year=year,
                share=obligation.share,
                base=obligation.base,
                rate=obligation.rate,
                amount=obligation.amount,
                reference=obligation.reference,
                due_date=obligation.due_date,
                outcome=outcome,
                posted=delta,
            )
        )
    return results


@lock_failures_as_domain_errors()
def assess(
    year: int,
    *,
    by=None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> AssessmentResult:
    """Assess every contract declared for ``year − 1``. A dry run computes and reports the same
    rows (references included) and writes nothing. Re-running posts only differences."""
    acting(by, "levy.assess")
    today = policy.today()
    if not isinstance(year, int) or year < 2014 or year > today.year + 1:
        raise LevyError(
            _("year: %(year)s cannot be assessed (from 2014 up to next year)."),
            params={"year": year},
            code="year",
        )
    result = AssessmentResult(year=year, dry_run=dry_run)
    declarations = list(contract_selectors.current_declarations(year - 1))
    declared = {d.contract_id for d in declarations}
    result.undeclared = list(
        Contract.objects.exclude(pk__in=declared)
        .filter(date__year__lte=year - 1)
        .values_list("number", flat=True)
    )
    try:
        with transaction.atomic():
            run = _Run(year, today, by)
            for start in range(0, len(declarations), _BATCH):
                batch = declarations[start : start + _BATCH]
                ids = [d.contract_id for d in batch]
                locked = {
                    c.pk: c for c in Contract.objects.select_for_update().filter(pk__in=ids).order_by("pk")
                }
                holders = contract_selectors.holders_by_contract(ids)
                existing: dict[int, dict] = {}
                for o in (
                    Obligation.objects.select_for_update()
                    .filter(contract_id__in=ids, year=year)
                    .select_related("holder")
                ):
                    existing.setdefault(o.contract_id, {})[o.holder_id] = o
                for n, declaration in enumerate(batch, start=start + 1):
                    contract = locked[declaration.contract_id]
                    result.obligations.extend(
                        _assess(
                            contract,
                            declaration,
                            holders.get(contract.pk, []),
                            existing.get(contract.pk, {}),
                            run,
                        )
                    )
                    if progress is not None:
                        progress(n, len(declarations))
            record_event(
                action="levy.assessment.run",
                actor=by,
                object_type="levy.assessment",
                object_id=str(year),
                object_repr=f"levy {year}",
                changes={
                    "created": result.count("created"),
                    "adjusted": result.count("adjusted"),
                    "unchanged": result.count("unchanged"),
                    "undeclared": len(result.undeclared),
                },
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result
