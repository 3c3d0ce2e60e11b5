"""The register's search index and tallies stay exact as the register changes: a rename is found
by the new name only, a new entry appears, a status change moves the counts; the pages read them
in a constant number of queries; the CSV export neutralises formula cells."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innocluster.parties.services.register import update_organisation
from innocluster.registry import search
from innocluster.registry.models import Participant, RegisterTally
from innocluster.registry.selectors.register import RegisterFilter, search_register, status_counts
from innocluster.registry.services import register as services

from . import test_public_register as public

# The public register's fixtures (``ref``, the reference data; ``register``, four entries) and helpers.
ref, register = public.ref, public.register
member, person, valid_iin = public.member, public.person, public.valid_iin

pytestmark = pytest.mark.django_db


def found(q: str) -> list[str]:
    return [p.display_name for p in search_register(RegisterFilter(q=q))]


def tallied() -> dict[str, int]:
    """The counts as the tallies give them, checked against a plain count of the table."""
    counts = status_counts({})
    plain = {s: Participant.objects.filter(status=s).count() for s in Participant.Status.values}
    assert counts == plain
    return counts


def test_a_renamed_organisation_is_found_by_its_new_name_only(register):
    alpha = register["alpha"].organisation
    fields = {"name_kk": "«Омега» ЖШС", "name_ru": "ТОО «Омега»", "name_en": "Omega LLP"}
    update_organisation(alpha, by=None, fields=fields)
    assert found("омега") == ["ТОО «Омега»"]
    assert found("Omega") == ["ТОО «Омега»"]
    assert found("жшс") == ["ТОО «Омега»"]
    assert found("альфа") == []
    assert found("alpha") == []


def test_a_renamed_individual_is_found_by_the_new_name(register):
    person_ = register["aigerim"].individual
    person_.last_name = "Жумабаева"
    person_.save()
    assert found("жумабаев") == ["Жумабаева Айгерим Болатовна"]
    assert found("Сейтова") == []


def test_a_save_without_a_name_change_leaves_the_entry_alone(register, django_assert_num_queries):
    organisation = register["beta"].organisation
    with django_assert_num_queries(1):
        organisation.address = "Астана, пр. Мангилик Ел, 55"
        organisation.save(update_fields=["address"])


def test_a_new_participant_is_found_and_counted(ref):
    before = tallied()
    assert found("дельта") == []
    member(ref, "ТОО «Дельта»", name_en="Delta LLP")
    person(ref, iin=valid_iin())
    assert found("дельта") == ["ТОО «Дельта»"] == found("DELTA")
    after = tallied()
    assert after["registered"] == before["registered"] + 2


def test_status_changes_move_the_counts_by_category_and_region(register):
    assert tallied() == {"registered": 3, "suspended": 1, "excluded": 0, "exited": 0}
    services.change_status(
        register["alpha"], status="suspended", effective_on=date(2025, 7, 1), reason="Report"
    )
    services.change_status(
        register["beta"], status="registered", effective_on=date(2025, 7, 1), reason="Answered"
    )
    services.change_status(
        register["gamma"], status="excluded", effective_on=date(2025, 8, 1), reason="Breach"
    )
    assert tallied() == {"registered": 2, "suspended": 1, "excluded": 1, "exited": 0}
    startup = {"category": "startup"}
    assert status_counts(startup) == {"registered": 0, "suspended": 1, "excluded": 1, "exited": 0}
    assert status_counts({"region": "710000000"}) == {
        "registered": 1,
        "suspended": 0,
        "excluded": 0,
        "exited": 0,
    }
    assert status_counts({"category": "innovator", "status": "registered"})["registered"] == 1
    assert status_counts({"category": "nope"}) == dict.fromkeys(Participant.Status.values, 0)


def test_tallies_match_the_register_after_a_rebuild(register):
    services.change_status(
        register["gamma"], status="exited", effective_on=date(2025, 9, 1), reason="Own request"
    )
    kept = sorted(
        RegisterTally.objects.filter(n__gt=0).values_list("status", "category_id", "region_id", "n")
    )
    search.rebuild(connection, Participant._meta.db_table, RegisterTally._meta.db_table)
    rebuilt = sorted(RegisterTally.objects.values_list("status", "category_id", "region_id", "n"))
    assert kept == rebuilt


@pytest.mark.django_db(transaction=True)
def test_a_dropped_trigger_is_put_back_and_the_index_rebuilt_after_migrate(ref):
    from django.core.management import call_command

    member(ref, "ТОО «Эпсилон»")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER registry_participant_search_insert")
            cursor.execute("DROP TRIGGER registry_participant_tally_insert")
        else:
            cursor.execute("DROP TRIGGER registry_participant_tally ON registry_participant")
    member(ref, "ТОО «Зета»")  # written while the triggers are missing
    call_command("migrate", verbosity=0)  # sends post_migrate
    assert found("зета") == ["ТОО «Зета»"] and found("эпсилон") == ["ТОО «Эпсилон»"]
    assert tallied()["registered"] == 2
    assert not search.ensure(connection, Participant._meta.db_table, RegisterTally._meta.db_table)


def test_short_and_odd_queries_give_the_same_rows_as_a_plain_scan(register):
    for q in ("а", "ал", "«", '"', "ТОО «", "a%", "llp", "LLP", "бета»", "(kk)"):
        plain = sorted(
            Participant.objects.filter(search_text__contains=q.casefold()).values_list("number", flat=True)
        )
        assert sorted(p.number for p in search_register(RegisterFilter(q=q))) == plain, q


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's index")
def test_sqlite_search_reads_the_fts5_index():
    sql = str(search_register(RegisterFilter(q="альфа")).query)
    assert "registry_participant_search" in sql and "MATCH" in sql


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's index")
def test_postgresql_has_the_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'registry_participant_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition and "search_text" in definition


@pytest.mark.parametrize(
    "params", [{}, {"q": "ТОО"}, {"category": "startup", "sort": "name"}, {"q": "Компания", "page": "2"}]
)
def test_list_pages_take_a_constant_number_of_queries(client, ref, params):
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/register/", params)
        assert response.status_code == 200
        page = response.context["page"]
        assert page.paginator.count == sum(n for _v, _l, n in response.context["statuses"])
        return len(ctx.captured_queries)

    for i in range(3):
        member(ref, f"ТОО «Компания {i:02d}»", category="science" if i % 3 else "startup")
    client.get("/register/")  # the session and the language, read once
    few = queries()
    for i in range(3, 160):
        member(ref, f"ТОО «Компания {i:02d}»", category="science" if i % 3 else "startup")
    # the form's categories and regions (and the chosen category), the counts, the page's ids and rows
    assert queries() == few <= 6


def test_csv_export_neutralises_formula_cells(client, ref):
    member(ref, '=HYPERLINK("http://evil")', name_en='=HYPERLINK("http://evil")')
    member(ref, "-2+3", name_en="+cmd")
    member(ref, "ТОО «Обычная»", name_en="Plain LLP")
    text = b"".join(client.get("/register/export.csv").streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    names = sorted(row[1] for row in rows[1:])
    assert names == sorted(['\'=HYPERLINK("http://evil")', "'+cmd", "Plain LLP"])


def test_csv_export_streams_many_rows_in_chunks(client, ref, monkeypatch):
    from innocluster.core import db

    monkeypatch.setattr(db, "CHUNK", 7)  # rows come from the database 7 at a time
    for i in range(20):
        member(ref, f"ТОО «Компания {i:02d}»")
    response = client.get("/register/export.csv")
    parts = list(response.streaming_content)
    assert len(parts) == 3  # 20 rows in chunks of 7, the header with the first
    rows = list(csv.reader(io.StringIO(b"".join(parts).decode().removeprefix("\ufeff"))))
    assert len(rows) == 21 and len({row[0] for row in rows[1:]}) == 20


# --- a page of the list and its counts: one lookup of the matches ------------------------------


def _expected(filters: RegisterFilter, number, per_page: int):
    """What Django's Paginator over ``search_register`` gives, and the plain counts."""
    from django.core.paginator import Paginator

    page = Paginator(search_register(filters), per_page).get_page(number)
    plain = {s: search_register(filters).filter(status=s).count() for s in Participant.Status.values}
    return [p.number for p in page], page.number, plain


@pytest.mark.parametrize(
    "sort", ["number", "-number", "name", "-name", "registered_on", "-registered_on", "x"]
)
def test_register_page_is_the_paginators_page_with_the_counts(ref, sort):
    from innocluster.registry.selectors.register import register_page

    for i in range(11):
        entry = member(ref, f"ТОО «Компания {i % 4}»", on=date(2025, 1, 1 + i % 3))
        if i % 5 == 1:
            services.change_status(entry, status="suspended", effective_on=date(2025, 6, 1), reason="Report")
    member(ref, "ТОО «Другая»")
    for q in ("компания", "", "нет такой", "ко"):
        filters = RegisterFilter(q=q, sort=sort)
        huge = "9" * 25
        pages = (
            ("1", 1),
            ("2", 2),
            ("3", 3),
            ("4", 4),
            ("99", 99),
            (huge, int(huge)),
            ("0", None),
            ("-2", None),
        )
        for asked, number in pages:
            page = register_page(filters, number, 4)
            numbers, shown, counts = _expected(filters, asked, 4)
            assert ([r.number for r in page.rows], page.number, page.counts) == (numbers, shown, counts), (
                q,
                asked,
            )


def test_register_page_rows_show_names_in_the_readers_language(register):
    from django.utils import translation

    from innocluster.registry.selectors.register import register_page

    with translation.override("ru"):
        rows = {r.number: r for r in register_page({"sort": "name"}, 1, 50).rows}
    beta = rows[register["beta"].number]
    assert (beta.name, beta.category_name, beta.region_name, beta.status) == (
        "ТОО «Бета»",
        "Наука",
        "Астана",
        "suspended",
    )
    assert beta.bin == register["beta"].organisation.bin
    aigerim = rows[register["aigerim"].number]
    assert (aigerim.name, aigerim.bin, aigerim.region_name) == ("Сейтова Айгерим Болатовна", "", "")
    assert aigerim.registered_on == date(2025, 5, 1)


@pytest.mark.parametrize("page", ["1", "2", "7", "0", "x"])
def test_a_name_search_page_takes_two_queries(client, ref, page):
    """The counts and the page's rows (SQLite: the page's ids with the counts, then its rows)."""
    for i in range(60):
        member(ref, f"ТОО «Компания {i:02d}»")
    client.get("/register/")  # the session, the language and the form's cached options
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/register/", {"q": "компания", "page": page})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 60
    assert len(ctx.captured_queries) == 2


# --- rows in chunks straight from the driver ---------------------------------------------------


@pytest.mark.parametrize("streams", [True, False])
def test_fetch_chunks_gives_the_querysets_rows_in_chunks(register, monkeypatch, streams):
    from innocluster.core import db

    if not streams:  # PostgreSQL with a libpq older than 17: through QuerySet.iterator()
        monkeypatch.setattr(db, "_streams_in_chunks", lambda connection: False)

    qs = Participant.objects.order_by("number").values_list("number", "registered_on", "display_name")
    with CaptureQueriesContext(connection) as ctx:
        chunks = list(db.fetch_chunks(qs, size=3))
    assert len(ctx.captured_queries) == 1  # logged like any query
    assert [len(c) for c in chunks] == [3, 1]
    assert [tuple(row) for chunk in chunks for row in chunk] == list(qs)  # dates converted, as the ORM does
    assert list(db.fetch_chunks(qs.none())) == []
    assert list(db.fetch_chunks(qs.filter(pk__in=[]))) == []


def test_rows_abandoned_half_way_leave_the_connection_usable(register):
    from innocluster.core import db

    chunks = db.fetch_chunks(Participant.objects.order_by("number").values_list("number"), size=1)
    assert len(next(chunks)) == 1
    chunks.close()  # the client went away
    assert Participant.objects.count() == 4
