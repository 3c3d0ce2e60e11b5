"""The state bodies' report: who is listed for a period (approved in it or working in it), the
columns, the XLSX (openpyxl) and CSV (BOM, ``;``) read back, masking for the readers and the
audited read for the HR officer, and the ``innocluster workforce report`` command's exit codes."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from innocluster.core.audit.models import AuditEvent
from innocluster.workforce.selectors import reports as selectors
from innocluster.workforce.services import requests as services
from tests.factories.accounts import login_with_2fa
from tests.factories.workforce import active_request, submitted_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people, employer, other_employer):
    rep, hr = people["rep"], people["hr"]
    # Approved 20 April 2026, contract June 2026 – May 2028, active.
    working = active_request(
        employer, rep, hr, on=dt.date(2026, 4, 20), visa_valid_until=dt.date(2028, 5, 31)
    )
    # Approved in January 2026 with a contract from February, ended on 31 March 2026.
    ended = active_request(
        other_employer,
        people["other"],
        hr,
        on=dt.date(2026, 1, 12),
        contract_start=dt.date(2026, 2, 1),
        contract_end=dt.date(2027, 1, 31),
    )
    services.end(ended, by=hr, end_reason="departure", on=dt.date(2026, 3, 31))
    # Refused and pending: never listed.
    refused = submitted_request(employer, rep, on=dt.date(2026, 4, 21))
    services.refuse(
        refused, by=hr, grounds="The position does not need a foreigner.", on=dt.date(2026, 4, 22)
    )
    submitted_request(employer, rep, on=dt.date(2026, 4, 27))
    return {"working": working, "ended": ended}


def names(rows):
    return [row.values["surname_latin"] for row in rows]


def test_who_is_listed_for_a_period(world):
    working, ended = world["working"].specialist.surname_latin, world["ended"].specialist.surname_latin
    assert names(selectors.report_rows(dt.date(2026, 1, 1), dt.date(2026, 1, 31), masked=False)) == [ended]
    assert names(selectors.report_rows(dt.date(2026, 4, 1), dt.date(2026, 4, 30), masked=False)) == [working]
    # Ended on 31 March: not working in April, approved before it.
    assert sorted(
        names(selectors.report_rows(dt.date(2026, 3, 31), dt.date(2026, 4, 30), masked=False))
    ) == sorted([working, ended])
    assert names(selectors.report_rows(dt.date(2026, 7, 1), dt.date(2026, 7, 31), masked=False)) == [working]
    assert names(selectors.report_rows(dt.date(2025, 1, 1), dt.date(2025, 12, 31), masked=False)) == []


def test_row_columns_and_masking(world):
    engagement = world["ended"]
    person = engagement.specialist
    [row] = selectors.report_rows(dt.date(2026, 2, 1), dt.date(2026, 2, 28), masked=False)
    assert list(row.values) == list(selectors.REPORT_COLUMNS)
    values = row.values
    assert values["passport_number"] == person.passport_number
    assert values["date_of_birth"] == person.date_of_birth
    assert values["employer_bin"] == engagement.employer.bin
    assert values["contract_start"] == dt.date(2026, 2, 1)
    assert values["contract_end"] == dt.date(2026, 3, 31)  # ended early
    assert values["letters"] == ", ".join(sorted(engagement.letters.values_list("number", flat=True)))
    [masked] = selectors.report_rows(dt.date(2026, 2, 1), dt.date(2026, 2, 28), masked=True)
    assert masked.values["passport_number"] != person.passport_number
    assert masked.values["passport_number"].endswith(person.passport_number[-2:])
    assert masked.values["date_of_birth"] == "••.••.1985"


def client_for(user) -> Client:
    client = Client()
    login_with_2fa(client, user)
    return client


URL = "workforce_reports:state"
PERIOD = {"from": "2026-01-01", "to": "2026-12-31"}


def test_hr_officer_sees_full_data_and_the_read_is_audited(people, world):
    response = client_for(people["hr"]).get(reverse(URL), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    for engagement in world.values():
        assert engagement.specialist.passport_number in html
    reads = AuditEvent.objects.filter(action="workforce.personal_data.read", actor=people["hr"])
    assert sorted(reads.values_list("object_id", flat=True)) == sorted(
        str(e.specialist_id) for e in world.values()
    )
    assert reads.first().changes["report"] == "state"
    for engagement in world.values():
        assert engagement.specialist.passport_number not in str(reads.first().changes)


@pytest.mark.parametrize("who", ["auditor", "executive"])
def test_readers_see_masked_data_and_no_read_is_recorded(people, world, who):
    response = client_for(people[who]).get(reverse(URL), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    for engagement in world.values():
        assert engagement.specialist.passport_number not in html
        assert engagement.specialist.surname_latin in html
    sheet = client_for(people[who]).get(reverse(URL), {**PERIOD, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert all(world["working"].specialist.passport_number not in str(r) for r in rows)
    assert not AuditEvent.objects.filter(action="workforce.personal_data.read").exists()


def test_others_cannot_open_the_report(people, world):
    assert client_for(people["rep"]).get(reverse(URL), PERIOD).status_code == 403
    assert client_for(people["registrar"]).get(reverse(URL), PERIOD).status_code == 403
    assert Client().get(reverse(URL), PERIOD).status_code == 302


def test_xlsx_read_back(people, world):
    response = client_for(people["hr"]).get(
        reverse(URL), {**PERIOD, "format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Surname (Latin)" and rows[0][5] == "Passport number" and len(rows[0]) == 17
    assert len(rows) == 3
    by_surname = {r[0]: r for r in rows[1:]}
    person = world["working"].specialist
    row = by_surname[person.surname_latin]
    assert row[5] == person.passport_number
    assert row[4].date() == person.date_of_birth
    assert row[8] == world["working"].employer.bin
    assert row[14].date() == dt.date(2028, 5, 31)


def test_csv_read_back(people, world):
    response = client_for(people["hr"]).get(
        reverse(URL), {**PERIOD, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert len(rows) == 3 and len(rows[0]) == 17
    person = world["ended"].specialist
    [row] = [r for r in rows[1:] if r[0] == person.surname_latin]
    assert row[2] == person.full_name_cyrillic
    assert row[4] == "12.04.1985" and row[5] == person.passport_number
    assert row[13] == "31.03.2026"


def test_wrong_period_is_a_400(people, world):
    hr = client_for(people["hr"])
    assert hr.get(reverse(URL), {"from": "2026-05-01", "to": "2026-04-01"}).status_code == 400
    assert hr.get(reverse(URL), {"from": "May"}).status_code == 400


def test_cli_writes_csv_and_xlsx_and_audits(people, world, tmp_path):
    out = tmp_path / "report.csv"
    call_command(
        "workforce",
        "report",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--format",
        "csv",
        "--output",
        str(out),
        "--as",
        "hr",
    )
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    assert AuditEvent.objects.filter(action="workforce.personal_data.read", actor=people["hr"]).count() == 2
    book = tmp_path / "report.xlsx"
    call_command(
        "workforce",
        "report",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--format",
        "xlsx",
        "--output",
        str(book),
    )
    sheet = list(load_workbook(book).active.iter_rows(values_only=True))
    assert [r[0] for r in sheet[1:]] == [world["working"].specialist.surname_latin]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--from", "2026-13-01", "--to", "2026-12-31"], 2),
        (["--from", "2026-05-01", "--to", "2026-04-01"], 2),
        (["--from", "2026-01-01", "--to", "2026-12-31", "--as", "nobody"], 1),
    ],
)
def test_cli_refusals(world, tmp_path, args, code):
    with pytest.raises(CommandError) as error:
        call_command("workforce", "report", *args, "--output", str(tmp_path / "r.csv"))
    assert error.value.returncode == code
    assert not (tmp_path / "r.csv").exists()


def test_cli_unwritable_output_exits_1(world, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command(
            "workforce",
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--output",
            str(tmp_path / "no" / "r.xlsx"),
        )
    assert error.value.returncode == 1
