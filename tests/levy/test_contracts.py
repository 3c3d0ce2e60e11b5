"""Contracts: saved one at a time or imported from CSV/XLSX with line-numbered errors, a dry run,
and idempotency; holders become (or are flagged as) subsoil users by a checked BIN."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from innocluster.core.audit.models import AuditEvent
from innocluster.levy.errors import ImportRefused, LevyError
from innocluster.levy.models import Contract, ContractHolder
from innocluster.levy.services.contracts import import_contracts, save_contract
from innocluster.parties.models import Organisation, Region
from tests.factories.finance import party
from tests.factories.levy import ContractFactory, subsoil_user
from tests.factories.registry import valid_bin

pytestmark = pytest.mark.django_db
HEADER = "contract_number;contract_date;mineral;region_kato;stage;basis;production_start_year;holder_bin;holder_name_ru;holder_name_kk;share"


def _csv(*rows: str) -> io.BytesIO:
    return io.BytesIO(("\ufeff" + "\n".join([HEADER, *rows]) + "\n").encode("utf-8"))


@pytest.fixture
def kato(levy_ready):
    return Region.objects.order_by("kato").first().kato


def test_an_import_creates_contracts_and_subsoil_users_and_a_second_run_changes_nothing(kato):
    known = party()  # an organisation already known, not yet flagged
    new_bin = valid_bin()
    rows = (
        f"KZ-100;2019-03-01;oil;{kato};production;income;2019;{known.bin};;;0.6",
        f"KZ-100;2019-03-01;oil;{kato};production;income;2019;{new_bin};ТОО «Недра»;«Жер» ЖШС;0.4",
        f"KZ-200;01.02.2020;gold;{kato};exploration;extraction_costs;;{new_bin};ТОО «Недра»;;",
    )
    summary = import_contracts(_csv(*rows), file_name="contracts.csv")
    assert (
        summary.rows,
        summary.contracts_added,
        summary.organisations_added,
        summary.organisations_flagged,
    ) == (
        3,
        2,
        1,
        1,
    )
    known.refresh_from_db()
    created = Organisation.objects.get(bin=new_bin)
    assert known.subsoil_user and created.subsoil_user and created.name_kk == "«Жер» ЖШС"
    joint = Contract.objects.get(number="KZ-100")
    assert sorted(joint.holders.values_list("share", flat=True)) == [Decimal("0.4"), Decimal("0.6")]
    events = AuditEvent.objects.count()
    again = import_contracts(_csv(*rows), file_name="contracts.csv")
    assert (again.contracts_added, again.contracts_changed, again.contracts_unchanged) == (0, 0, 2)
    assert AuditEvent.objects.count() == events


def test_a_dry_run_writes_nothing(kato):
    summary = import_contracts(
        _csv(f"KZ-300;2019-03-01;oil;{kato};production;income;2019;{valid_bin()};ТОО «А»;;1"),
        file_name="c.csv",
        dry_run=True,
    )
    assert summary.contracts_added == 1 and summary.dry_run
    assert not Contract.objects.exists() and not Organisation.objects.filter(subsoil_user=True).exists()


def test_every_bad_line_is_named_and_nothing_is_written(kato):
    good = valid_bin()
    bad_bin = good[:-1] + str((int(good[-1]) + 1) % 10)
    rows = (
        f"KZ-1;2019-03-01;oil;{kato};production;income;2019;{good};ТОО «А»;;0.5",
        f"KZ-1;2019-03-01;oil;{kato};production;income;2019;{bad_bin};ТОО «Б»;;0.4",
        f"KZ-2;2019-13-01;oil;99;mining;income;20x9;{valid_bin()};;;2",
    )
    with pytest.raises(ImportRefused) as refused:
        import_contracts(_csv(*rows), file_name="bad.csv")
    text = "\n".join(refused.value.errors)
    assert "line 3: holder_bin:" in text and "check digit" in text
    assert "line 4: contract_date:" in text and "line 4: region_kato:" in text and "line 4: stage:" in text
    assert "line 4: production_start_year:" in text and "line 4: share:" in text
    assert "line 4: holder_name_ru:" in text
    assert "line 2: share: the shares of contract KZ-1 add up to 0.9" in text
    assert not Contract.objects.exists() and not Organisation.objects.exists()


def test_a_header_without_the_required_columns_is_refused(kato):
    with pytest.raises(ImportRefused, match="header lacks the columns"):
        import_contracts(io.BytesIO(b"number;date\nKZ-1;2019-01-01\n"), file_name="x.csv")


def test_an_xlsx_file_imports_like_a_csv(kato):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append(
        ["KZ-X1", "2019-03-01", "copper", kato, "production", "income", 2019, valid_bin(), "ТОО «Мыс»", "", 1]
    )
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    summary = import_contracts(stream, file_name="contracts.xlsx")
    assert summary.contracts_added == 1
    assert Contract.objects.get(number="KZ-X1").production_start_year == 2019


def test_a_changed_contract_is_updated_and_audited(kato):
    first, second = subsoil_user(), subsoil_user()
    contract = ContractFactory(number="KZ-9", holders=[(first, "1")])
    region = Region.objects.get(kato=kato)
    _c, outcome = save_contract(
        number="KZ-9",
        date=contract.date,
        mineral="oil and gas",
        region=region,
        stage="production",
        basis="income",
        production_start_year=2019,
        holders=[(first, Decimal("0.5")), (second, Decimal("0.5"))],
    )
    assert outcome == "changed" and ContractHolder.objects.filter(contract=contract).count() == 2
    event = AuditEvent.objects.filter(action="levy.contract.changed").get()
    assert event.changes["mineral"] == ["oil", "oil and gas"] and "holders" in event.changes


def test_a_holder_must_be_a_subsoil_user_and_shares_whole(levy_ready):
    region = Region.objects.first()
    with pytest.raises(LevyError) as refused:
        save_contract(
            number="KZ-5",
            date="2019-01-01",
            mineral="oil",
            region=region,
            stage="production",
            basis="income",
            holders=[(party(), Decimal(1))],
        )
    assert refused.value.code == "not_subsoil_user"
    with pytest.raises(LevyError) as refused:
        save_contract(
            number="KZ-5",
            date="2019-01-01",
            mineral="oil",
            region=region,
            stage="production",
            basis="income",
            holders=[(subsoil_user(), Decimal("0.7"))],
        )
    assert refused.value.code == "shares_not_whole"
    assert not Contract.objects.exists()


def test_only_a_finance_officer_manages_contracts(kato, levy_people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_contracts(_csv(), file_name="x.csv", by=levy_people["rep"])
