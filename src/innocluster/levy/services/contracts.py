"""Subsoil-use contracts: saved one at a time (``save_contract``) or imported from a CSV or XLSX
file (``import_contracts``), one row per holder. The import checks every row first and refuses the
whole file with every line's problem; it creates the holders it does not know as organisations
(BIN checked by checksum) flagged as subsoil users, flags known ones, and is idempotent: the same
file twice changes nothing."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from innocluster.core.audit.services import record_event
from innocluster.core.errors import lock_failures_as_domain_errors
from innocluster.core.identifiers import IdentifierError, validate_bin
from innocluster.levy.errors import ImportRefused, LevyError
from innocluster.levy.models import Contract, ContractHolder
from innocluster.levy.services.common import CellError, acting, parse_date, parse_decimal, rows
from innocluster.parties import selectors as parties
from innocluster.parties.models import Activity, Organisation, Region
from innocluster.parties.services.register import create_organisation, update_organisation

COLUMNS = (
    "contract_number",
    "contract_date",
    "mineral",
    "region_kato",
    "stage",
    "basis",
    "production_start_year",
    "holder_bin",
    "holder_name_ru",
    "holder_name_kk",
    "holder_legal_form",
    "holder_oked",
    "share",
)
REQUIRED = ("contract_number", "contract_date", "mineral", "region_kato", "stage", "basis", "holder_bin")
CONTRACT_FIELDS = ("contract_date", "mineral", "region_kato", "stage", "basis", "production_start_year")
DEFAULT_OKED = "B"  # Mining and quarrying (OKED section B)


@dataclass
class ImportSummary:
    file_name: str
    rows: int = 0
    contracts_added: int = 0
    contracts_changed: int = 0
    contracts_unchanged: int = 0
    organisations_added: int = 0
    organisations_flagged: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Holder:
    line: int
    bin: str
    name_ru: str
    name_kk: str
    legal_form: str
    oked: str
    share: Decimal


@dataclass
class _Contract:
    line: int
    number: str
    values: dict
    holders: list[_Holder] = field(default_factory=list)


class _DryRun(Exception):
    pass


def _check_shares(number: str, shares: Sequence[Decimal]) -> None:
    total = sum(shares, Decimal(0))
    if total != 1:
        raise LevyError(
            _("Contract %(number)s: the holders' shares add up to %(total)s, not 1."),
            params={"number": number, "total": total},
            code="shares_not_whole",
        )


def _contract_changes(contract: Contract, values: dict) -> dict:
    return {
        name: [getattr(contract, name), value]
        for name, value in values.items()
        if getattr(contract, name) != value
    }


@lock_failures_as_domain_errors()
def save_contract(
    *,
    number: str,
    date,
    mineral: str,
    region: Region,
    stage: str,
    basis: str,
    holders: Sequence[tuple[Organisation, Decimal]],
    production_start_year: int | None = None,
    by=None,
) -> tuple[Contract, str]:
    """Create the contract ``number`` or bring it to these values and holders. Returns the contract
    and ``"added"``, ``"changed"`` or ``"unchanged"``. Every holder must be flagged a subsoil user;
    the shares sum to 1."""
    acting(by, "levy.contracts.manage")
    number = (number or "").strip()
    if not number:
        raise LevyError(_("contract_number: the contract needs a number."), code="contract_number")
    if stage not in Contract.Stage.values:
        raise LevyError(_("stage: %(value)s is not a stage."), params={"value": stage}, code="stage")
    if basis not in Contract.Basis.values:
        raise LevyError(_("basis: %(value)s is not a basis."), params={"value": basis}, code="basis")
    if not holders:
        raise LevyError(_("Contract %(number)s has no holder."), params={"number": number}, code="holders")
    seen = set()
    for organisation, share in holders:
        if not organisation.subsoil_user:
            raise LevyError(
                _("%(bin)s (%(name)s) is not flagged as a subsoil user."),
                params={"bin": organisation.bin, "name": organisation.name},
                code="not_subsoil_user",
            )
        if organisation.pk in seen:
            raise LevyError(
                _("Contract %(number)s names the holder %(bin)s twice."),
                params={"number": number, "bin": organisation.bin},
                code="holder_twice",
            )
        seen.add(organisation.pk)
        if not Decimal(0) < Decimal(share) <= 1:
            raise LevyError(
                _("Contract %(number)s: a share is above 0 and at most 1 (%(bin)s has %(share)s)."),
                params={"number": number, "bin": organisation.bin, "share": share},
                code="share",
            )
    _check_shares(number, [Decimal(s) for _o, s in holders])
    values = {
        "date": date,
        "mineral": mineral.strip(),
        "region": region,
        "stage": stage,
        "basis": basis,
        "production_start_year": production_start_year,
    }
    wanted = {
        organisation.pk: Decimal(share).quantize(Decimal("0.000001")) for organisation, share in holders
    }
    with transaction.atomic():
        contract = Contract.objects.select_for_update().filter(number=number).first()
        if contract is None:
            contract = Contract(number=number, **values)
            contract.full_clean()
            contract.save()
            ContractHolder.objects.bulk_create(
                [ContractHolder(contract=contract, organisation_id=pk, share=s) for pk, s in wanted.items()]
            )
            record_event(
                action="levy.contract.added",
                actor=by,
                obj=contract,
                changes={
                    **{k: [None, v.kato if k == "region" else v] for k, v in values.items()},
                    "holders": [None, _holders_repr(contract)],
                },
            )
            return contract, "added"
        changes = _contract_changes(contract, values)
        have = {h.organisation_id: h.share for h in contract.holders.all()}
        if changes:
            for name, (_before, after) in changes.items():
                setattr(contract, name, after)
            contract.full_clean()
            contract.save()
        if have != wanted:
            before = _holders_repr(contract)
            contract.holders.exclude(organisation_id__in=wanted).delete()
            for pk, share in wanted.items():
                ContractHolder.objects.update_or_create(
                    contract=contract, organisation_id=pk, defaults={"share": share}
                )
            changes["holders"] = [before, _holders_repr(contract)]
        if not changes:
            return contract, "unchanged"
        if "region" in changes:
            changes["region"] = [r.kato for r in changes["region"]]
        record_event(action="levy.contract.changed", actor=by, obj=contract, changes=changes)
        return contract, "changed"


def _holders_repr(contract: Contract) -> list:
    return [
        [h.organisation.bin, str(h.share)]
        for h in contract.holders.select_related("organisation").order_by("organisation__bin")
    ]


# --- the import ---------------------------------------------------------------------------------


def _cell(row: dict, name: str) -> str:
    return (row.get(name) or "").strip()


def _parse(stream: BinaryIO, file_name: str) -> tuple[list[_Contract], list[str], int]:
    errors: list[str] = []
    contracts: dict[str, _Contract] = {}
    regions = {r.kato: r for r in Region.objects.all()}
    count = 0
    header_checked = False
    for line, row in rows(stream, file_name):
        count += 1
        if not header_checked:
            header_checked = True
            missing = [c for c in REQUIRED if c not in row]
            if missing:
                raise ImportRefused(
                    [_("line 1: the header lacks the columns %(columns)s") % {"columns": ", ".join(missing)}]
                )
        where = _("line %(n)s") % {"n": line}

        def problem(column: str, message: str) -> None:
            errors.append(f"{where}: {column}: {message}")  # noqa: B023  (used within the iteration)

        for column in REQUIRED:
            if not _cell(row, column):
                problem(column, _("required"))
        number = _cell(row, "contract_number")
        values: dict = {}
        try:
            values["date"] = parse_date(_cell(row, "contract_date")) if _cell(row, "contract_date") else None
        except CellError as exc:
            problem("contract_date", str(exc))
        values["mineral"] = _cell(row, "mineral")
        kato = _cell(row, "region_kato")
        values["region"] = regions.get(kato)
        if kato and values["region"] is None:
            problem("region_kato", _("no region has the KATO code %(code)s") % {"code": kato})
        stage, basis = _cell(row, "stage").lower(), _cell(row, "basis").lower()
        if stage and stage not in Contract.Stage.values:
            problem("stage", _("write one of %(choices)s") % {"choices": ", ".join(Contract.Stage.values)})
        if basis and basis not in Contract.Basis.values:
            problem("basis", _("write one of %(choices)s") % {"choices": ", ".join(Contract.Basis.values)})
        values["stage"], values["basis"] = stage, basis
        start = _cell(row, "production_start_year")
        values["production_start_year"] = None
        if start:
            if start.isdigit() and 1900 < int(start) < 2200:
                values["production_start_year"] = int(start)
            else:
                problem("production_start_year", _("not a year: %(value)s") % {"value": start[:20]})
        if basis == Contract.Basis.EXTRACTION_COSTS and stage == Contract.Stage.PRODUCTION and not start:
            problem("production_start_year", _("a contract in production on extraction costs needs it"))
        bin_text = _cell(row, "holder_bin")
        bin_value = ""
        if bin_text:
            try:
                bin_value = validate_bin(bin_text)
            except IdentifierError as exc:
                problem("holder_bin", str(exc))
        share_text = _cell(row, "share")
        share = Decimal(1)
        if share_text:
            try:
                share = parse_decimal(share_text)
                if not Decimal(0) < share <= 1 or share != share.quantize(Decimal("0.000001")):
                    raise CellError(_("a share is above 0 and at most 1, with at most 6 decimals"))
            except CellError as exc:
                problem("share", str(exc))
        oked = _cell(row, "holder_oked") or DEFAULT_OKED
        holder = _Holder(
            line=line,
            bin=bin_value,
            name_ru=_cell(row, "holder_name_ru"),
            name_kk=_cell(row, "holder_name_kk"),
            legal_form=_cell(row, "holder_legal_form"),
            oked=oked,
            share=share,
        )
        if not number:
            continue
        found = contracts.get(number)
        if found is None:
            contracts[number] = _Contract(line=line, number=number, values=values, holders=[holder])
            continue
        for name in ("date", "mineral", "region", "stage", "basis", "production_start_year"):
            if found.values.get(name) != values.get(name):
                problem(
                    name if name != "region" else "region_kato",
                    _("differs from line %(first)s of the same contract") % {"first": found.line},
                )
        if bin_value and any(h.bin == bin_value for h in found.holders):
            problem("holder_bin", _("the contract already names this holder on an earlier line"))
        found.holders.append(holder)
    if not header_checked:
        raise ImportRefused([_("the file has no data rows")])
    activities = {a.oked: a for a in Activity.objects.all()}
    for contract in contracts.values():
        shares = [h.share for h in contract.holders]
        if sum(shares, Decimal(0)) != 1:
            errors.append(
                _("line %(n)s: share: the shares of contract %(number)s add up to %(total)s, not 1")
                % {"n": contract.line, "number": contract.number, "total": sum(shares, Decimal(0))}
            )
        for holder in contract.holders:
            if not holder.bin or parties.organisation_by_bin(holder.bin) is not None:
                continue
            if not holder.name_ru:
                errors.append(
                    _("line %(n)s: holder_name_ru: %(bin)s is not known yet: give its name to add it")
                    % {"n": holder.line, "bin": holder.bin}
                )
            if holder.oked not in activities:
                errors.append(
                    _("line %(n)s: holder_oked: no activity has the OKED code %(code)s")
                    % {"n": holder.line, "code": holder.oked}
                )
    return list(contracts.values()), errors, count


@lock_failures_as_domain_errors()
def import_contracts(
    stream: BinaryIO, *, file_name: str = "", by=None, dry_run: bool = False
) -> ImportSummary:
    """Import a contracts file (columns: :data:`COLUMNS`; one row per holder; a contract's rows
    repeat its own columns). Every problem of every line is reported at once; nothing is written
    unless the whole file is right, and nothing at all in a dry run."""
    acting(by, "levy.contracts.manage")
    summary = ImportSummary(file_name=file_name, dry_run=dry_run)
    contracts, errors, count = _parse(stream, file_name)
    summary.rows = count
    if errors:
        raise ImportRefused(errors)
    activities = {a.oked: a for a in Activity.objects.all()}
    try:
        with transaction.atomic():
            for contract in contracts:
                holders = []
                for holder in contract.holders:
                    holders.append((_subsoil_user(holder, contract, activities, summary, by), holder.share))
                _saved, outcome = save_contract(
                    number=contract.number,
                    holders=holders,
                    by=by,
                    **contract.values,
                )
                setattr(summary, f"contracts_{outcome}", getattr(summary, f"contracts_{outcome}") + 1)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except ValidationError as exc:
        raise ImportRefused(["; ".join(exc.messages)]) from exc
    return summary


def _subsoil_user(
    holder: _Holder, contract: _Contract, activities, summary: ImportSummary, by
) -> Organisation:
    organisation = parties.organisation_by_bin(holder.bin)
    if organisation is None:
        try:
            organisation = create_organisation(
                by=by,
                bin=holder.bin,
                name_ru=holder.name_ru,
                name_kk=holder.name_kk or holder.name_ru,
                legal_form=holder.legal_form or "ТОО",
                region=contract.values["region"],
                activity=activities[holder.oked],
                subsoil_user=True,
            )
        except ValidationError as exc:
            raise ImportRefused(
                [_("line %(n)s") % {"n": holder.line} + ": " + "; ".join(exc.messages)]
            ) from exc
        summary.organisations_added += 1
    elif not organisation.subsoil_user:
        update_organisation(organisation, by=by, fields={"subsoil_user": True})
        summary.organisations_flagged += 1
    return organisation
