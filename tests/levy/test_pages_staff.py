"""The levy back office as the Fund's staff meet it: who may open which page, the overview's
figures, lists in a fixed number of queries, a declaration on a company's behalf (and its refusals),
the assessment page's dry run (writes nothing) and apply, contracts and rates files, R&D spending
approved by four eyes, credits applied."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from innocluster.finance.models import JournalEntry
from innocluster.levy.models import Contract, Declaration, ExchangeRate, Obligation, Settlement
from innocluster.levy.selectors import obligations as selectors
from innocluster.levy.services import rnd as rnd_spending
from innocluster.parties.services.representatives import add_representative
from tests.factories.accounts import login_with_2fa, user_with_role
from tests.factories.levy import TINY_PDF, ContractFactory, assessed, declared, subsoil_user

pytestmark = pytest.mark.django_db
D = Decimal


def client_for(user) -> Client:
    client = Client()
    login_with_2fa(client, user)
    return client


@pytest.fixture
def world(levy_people):
    """Company A (represented by ``rep``) and company B (by ``stranger``), each with a contract
    declared for 2025 and assessed for 2026; plus an auditor."""
    a, b = subsoil_user(name_ru="ТОО «Альфа-Ойл»"), subsoil_user(name_ru="ТОО «Бета-Газ»")
    add_representative(a, user=levy_people["rep"], role="head", by=None)
    add_representative(b, user=levy_people["stranger"], role="head", by=None)
    [oa] = assessed(ContractFactory(holders=[(a, "1")], mineral="oil"), 2026, "100000000.00")
    [ob] = assessed(ContractFactory(holders=[(b, "1")], mineral="gas"), 2026, "50000000.00")
    return {
        **levy_people,
        "a": a,
        "b": b,
        "oa": oa,
        "ob": ob,
        "auditor": user_with_role("auditor", "auditor1"),
    }


def test_who_may_open_the_staff_pages(world):
    pages = [
        reverse("levy:home"),
        reverse("levy:subsoil_users"),
        reverse("levy:subsoil_user", args=[world["a"].pk]),
        reverse("levy:contracts"),
        reverse("levy:contract", args=[world["oa"].contract_id]),
        reverse("levy:rates"),
        reverse("levy:credits"),
        reverse("levy:obligation", args=[world["oa"].pk]),
    ]
    officer, chief, auditor = (client_for(world[n]) for n in ("officer", "chief", "auditor"))
    rep = client_for(world["rep"])
    for url in pages:
        assert officer.get(url).status_code == 200, url
        assert chief.get(url).status_code == 200, url
        assert auditor.get(url).status_code == 200, url
        assert rep.get(url).status_code == 403, url
        assert Client().get(url).status_code == 302, url
    for url in (
        reverse("levy:assess"),
        reverse("levy:contract_import"),
        reverse("levy:declare", args=[world["oa"].contract_id]),
    ):
        assert officer.get(url).status_code == 200, url
        assert auditor.get(url).status_code == 403, url
        assert chief.get(url).status_code == 403, url


def test_the_auditor_reads_but_cannot_act(world):
    auditor = client_for(world["auditor"])
    page = auditor.get(reverse("levy:obligation", args=[world["oa"].pk])).content.decode()
    assert "Record direct R&amp;D spending" not in page
    refused = auditor.post(reverse("levy:rates"), {"action": "add", "add-currency": "USD"})
    assert refused.status_code == 403 and not ExchangeRate.objects.exists()
    assert "Assessment</a>" not in page
    assert auditor.post(reverse("levy:assess"), {"year": "2026", "action": "apply"}).status_code == 403


def test_the_overview_shows_due_collected_outstanding_and_counts(world):
    page = client_for(world["officer"]).get(reverse("levy:home"), {"year": "2026"})
    text = page.content.decode()
    assert page.context["totals"] == {
        "due": D("1500000.00"),
        "settled": D("0.00"),
        "outstanding": D("1500000.00"),
    }
    assert page.context["counts"] == {"total": 2, "paid": 0, "part_paid": 0, "arrears": 0}
    assert "Subsoil users' levy for 2026" in text
    from tests.factories import finance as f
    from tests.levy.bank import pay

    pay(f.bank_account(fund_source="levy").iban, [("400000.00", world["a"].bin, world["oa"].reference)])
    paid = client_for(world["officer"]).get(reverse("levy:home"), {"year": "2026"})
    assert paid.context["totals"]["settled"] == D("400000.00")
    assert paid.context["totals"]["outstanding"] == D("1100000.00")
    assert paid.context["counts"]["part_paid"] == 1


def test_the_subsoil_user_search_and_page(world):
    officer = client_for(world["officer"])
    found = officer.get(reverse("levy:subsoil_users"), {"q": world["a"].bin})
    assert [o.pk for o in found.context["page"]] == [world["a"].pk]
    by_name = officer.get(reverse("levy:subsoil_users"), {"q": "Бета"})
    assert [o.pk for o in by_name.context["page"]] == [world["b"].pk]
    page = officer.get(reverse("levy:subsoil_user", args=[world["a"].pk])).content.decode()
    assert world["oa"].reference in page and world["ob"].reference not in page
    assert officer.get(reverse("levy:subsoil_user", args=[999999])).status_code == 404


def test_the_contract_list_filters_and_its_page_shows_versions(world):
    officer = client_for(world["officer"])
    oil = officer.get(reverse("levy:contracts"), {"mineral": "oil"})
    assert [c.pk for c in oil.context["page"]] == [world["oa"].contract_id]
    assert (
        officer.get(reverse("levy:contracts"), {"stage": "exploration"}).context["page"].object_list.count()
        == 0
    )
    declaration = Declaration.objects.get(contract=world["oa"].contract, current=True)
    amended = officer.post(
        reverse("levy:amend", args=[declaration.pk]),
        {
            "amount": "120000000.00",
            "currency": "KZT",
            "on_behalf_of": world["a"].pk,
            "reason": "Audited figures",
        },
    )
    assert amended.status_code == 303
    page = officer.get(reverse("levy:contract", args=[world["oa"].contract_id])).content.decode()
    assert "Audited figures" in page and "replaced" in page
    assert Obligation.objects.get(pk=world["oa"].pk).amount == D("1200000.00")


def test_lists_take_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    officer = client_for(world["officer"])
    for _ in range(6):
        holder = subsoil_user()
        ContractFactory(holders=[(holder, "0.5"), (subsoil_user(), "0.5")])
    urls = [
        reverse("levy:home") + "?year=2026",
        reverse("levy:subsoil_users"),
        reverse("levy:contracts"),
        reverse("levy:credits"),
        reverse("levy:rates"),
    ]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(30) as captured:
            officer.get(url)
        counts[url] = len(captured)
    for _ in range(10):
        assessed(ContractFactory(holders=[(subsoil_user(), "0.7"), (subsoil_user(), "0.3")]), 2026)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert officer.get(url).status_code == 200


def test_declare_on_behalf_refuses_bad_amount_and_future_year(world):
    officer = client_for(world["officer"])
    contract = ContractFactory(holders=[(world["a"], "1")])
    url = reverse("levy:declare", args=[contract.pk])
    base = {"currency": "KZT", "on_behalf_of": world["a"].pk}
    negative = officer.post(url, {**base, "year": "2025", "amount": "-5"})
    assert negative.status_code == 422 and negative.context["form"].errors["amount"]
    words = officer.post(url, {**base, "year": "2025", "amount": "a lot"})
    assert words.status_code == 422 and words.context["form"].errors["amount"]
    future = officer.post(url, {**base, "year": "2027", "amount": "100.00"})
    assert future.status_code == 422 and "future" in " ".join(future.context["form"].errors["year"])
    assert not Declaration.objects.filter(contract=contract).exists()
    pdf = SimpleUploadedFile("statements.pdf", TINY_PDF, content_type="application/pdf")
    done = officer.post(url, {**base, "year": "2025", "amount": "1 000 000,50", "documents": [pdf]})
    assert done.status_code == 303
    filed = Declaration.objects.get(contract=contract)
    assert filed.base_amount == D("1000000.50") and filed.documents.count() == 1
    document = officer.get(reverse("levy:document", args=[filed.documents.get().pk]))
    assert document.status_code == 200


def test_the_assessment_page_dry_run_changes_nothing_then_apply(world):
    officer = client_for(world["officer"])
    contract = ContractFactory(holders=[(world["a"], "0.6"), (world["b"], "0.4")])
    declared(contract, 2025, "10000000.00")
    before = (Obligation.objects.count(), JournalEntry.objects.count())
    dry = officer.post(reverse("levy:assess"), {"year": "2026", "action": "check"})
    assert dry.status_code == 200 and dry.context["result"].dry_run
    assert {r.outcome for r in dry.context["result"].obligations if r.contract == contract.number} == {
        "created"
    }
    assert (Obligation.objects.count(), JournalEntry.objects.count()) == before
    assert contract.number in dry.content.decode() and "nothing written" in dry.content.decode()
    assert 'value="apply"' in dry.content.decode()
    assert 'value="apply"' not in officer.get(reverse("levy:assess")).content.decode()
    applied = officer.post(reverse("levy:assess"), {"year": "2026", "action": "apply"})
    assert applied.status_code == 200
    assert Obligation.objects.filter(contract=contract).count() == 2
    again = officer.post(reverse("levy:assess"), {"year": "2026", "action": "apply"})
    assert {r.outcome for r in again.context["result"].obligations} == {"unchanged"}
    refused = officer.post(reverse("levy:assess"), {"year": "2031", "action": "apply"})
    assert refused.status_code == 422


CONTRACTS_CSV = (
    "contract_number;contract_date;mineral;region_kato;stage;basis;production_start_year;holder_bin;"
    "holder_name_ru;holder_name_kk;holder_legal_form;holder_oked;share\n"
)


def test_contracts_file_dry_run_then_apply_and_line_numbered_errors(world):
    from innocluster.parties.models import Region

    officer = client_for(world["officer"])
    kato = Region.objects.order_by("kato").first().kato
    good = (
        CONTRACTS_CSV
        + f"KZ-NEW-1;2020-01-15;copper;{kato};production;income;2020;{world['a'].bin};A;A;ТОО;;1\n"
    )
    url = reverse("levy:contract_import")
    dry = officer.post(url, {"file": SimpleUploadedFile("c.csv", good.encode()), "action": "check"})
    assert dry.status_code == 200 and dry.context["summary"].contracts_added == 1
    assert not Contract.objects.filter(number="KZ-NEW-1").exists()
    done = officer.post(url, {"file": SimpleUploadedFile("c.csv", good.encode()), "action": "apply"})
    assert done.status_code == 200 and Contract.objects.filter(number="KZ-NEW-1").exists()
    bad = (
        CONTRACTS_CSV + f"KZ-NEW-2;2020-01-15;copper;{kato};production;income;2020;123456789012;A;A;ТОО;;1\n"
    )
    refused = officer.post(url, {"file": SimpleUploadedFile("c.csv", bad.encode()), "action": "apply"})
    assert refused.status_code == 422 and any(e.startswith("line 2") for e in refused.context["errors"])
    assert not Contract.objects.filter(number="KZ-NEW-2").exists()


def test_rates_are_added_and_uploaded(world):
    officer = client_for(world["officer"])
    added = officer.post(
        reverse("levy:rates"),
        {"action": "add", "add-currency": "USD", "add-date": "2026-01-05", "add-rate": "505.12"},
    )
    assert added.status_code == 303
    assert ExchangeRate.objects.get(currency="USD").rate == D("505.12")
    clash = officer.post(
        reverse("levy:rates"),
        {"action": "add", "add-currency": "USD", "add-date": "2026-01-05", "add-rate": "500"},
    )
    assert clash.status_code == 422
    csv = b"date;currency;rate\n2026-01-06;EUR;590.5\n2026-01-06;XX;1\n"
    refused = officer.post(
        reverse("levy:rates"), {"action": "upload", "upload-file": SimpleUploadedFile("r.csv", csv)}
    )
    assert refused.status_code == 422 and any("line 3" in e for e in refused.context["errors"])
    assert not ExchangeRate.objects.filter(currency="EUR").exists()
    ok = officer.post(
        reverse("levy:rates"),
        {
            "action": "upload",
            "upload-file": SimpleUploadedFile("r.csv", b"date;currency;rate\n2026-01-06;EUR;590.5\n"),
        },
    )
    assert ok.status_code == 200 and ExchangeRate.objects.filter(currency="EUR").exists()


def test_rnd_four_eyes_from_the_page(world, settings):
    officer, chief = client_for(world["officer"]), client_for(world["chief"])
    contract = ContractFactory(holders=[(world["a"], "1")])
    [big] = assessed(contract, 2026, "9000000000.00")  # 90,000,000.00 owed
    pdf = SimpleUploadedFile("act.pdf", TINY_PDF, content_type="application/pdf")
    recorded = officer.post(
        reverse("levy:rnd_record", args=[big.pk]),
        {"rnd-amount": "60000000.00", "rnd-description": "Pilot plant", "rnd-evidence": pdf},
    )
    assert recorded.status_code == 303
    rnd = Settlement.objects.get(obligation=big, kind="rnd")
    page = officer.get(reverse("levy:obligation", args=[big.pk])).content.decode()
    assert "a finance officer" in page
    assert officer.post(reverse("levy:rnd_action", args=[rnd.pk, "approve"])).status_code == 303
    page = officer.get(reverse("levy:obligation", args=[big.pk])).content.decode()
    assert "a chief accountant other than officer" in page
    # The same officer cannot give the second approval: the service refuses, the page says why.
    officer.post(reverse("levy:rnd_action", args=[rnd.pk, "approve"]))
    assert Settlement.objects.get(pk=rnd.pk).status == "pending"
    assert chief.post(reverse("levy:rnd_action", args=[rnd.pk, "approve"])).status_code == 303
    assert Settlement.objects.get(pk=rnd.pk).status == "approved"
    assert selectors.outstanding(big) == D("30000000.00")
    assert (
        client_for(world["rep"]).post(reverse("levy:rnd_action", args=[rnd.pk, "approve"])).status_code == 403
    )


def test_rnd_rejected_with_a_reason(world):
    officer = client_for(world["officer"])
    pdf = SimpleUploadedFile("act.pdf", TINY_PDF, content_type="application/pdf")
    officer.post(
        reverse("levy:rnd_record", args=[world["oa"].pk]),
        {"rnd-amount": "1000.00", "rnd-description": "Study", "rnd-evidence": pdf},
    )
    rnd = Settlement.objects.get(obligation=world["oa"], kind="rnd")
    officer.post(reverse("levy:rnd_action", args=[rnd.pk, "reject"]), {"reject-reason": ""})
    assert Settlement.objects.get(pk=rnd.pk).status == "pending"
    officer.post(reverse("levy:rnd_action", args=[rnd.pk, "reject"]), {"reject-reason": "No evidence of R&D"})
    assert Settlement.objects.get(pk=rnd.pk).status == "rejected"
    bad = officer.post(
        reverse("levy:rnd_record", args=[world["oa"].pk]),
        {
            "rnd-amount": "-1",
            "rnd-description": "Study",
            "rnd-evidence": SimpleUploadedFile("a.pdf", TINY_PDF),
        },
    )
    assert bad.status_code == 422


def test_an_rnd_excess_credit_is_applied_to_a_later_obligation(world):
    from django.core.files.base import ContentFile

    officer = client_for(world["officer"])
    contract = world["oa"].contract
    rnd = rnd_spending.record_rnd(
        world["oa"], "1500000.00", evidence=ContentFile(TINY_PDF, name="a.pdf"), description="Lab", by=None
    )
    rnd_spending.approve_rnd(rnd, by=world["officer"])
    credit = selectors.credits(holder=world["a"]).get()
    assert credit.remaining == D("500000.00")
    page = officer.get(reverse("levy:credit", args=[credit.pk]))
    assert page.status_code == 200
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("innocluster.core.policy.values.today", lambda: dt.date(2027, 5, 4))
        declared(contract, 2026, "100000000.00")
        from innocluster.levy.services.assessment import assess

        assess(2027)
        later = Obligation.objects.get(contract=contract, year=2027)
        done = officer.post(reverse("levy:credit_apply", args=[credit.pk]), {"apply-obligation": later.pk})
        assert done.status_code == 303
        assert selectors.outstanding(later) == D("500000.00")
        same_year = officer.post(
            reverse("levy:credit_apply", args=[credit.pk]), {"apply-obligation": world["oa"].pk}
        )
        assert same_year.status_code == 422


def test_a_staff_card_and_navigation_entry(world):
    page = client_for(world["officer"]).get("/")
    text = page.content.decode()
    assert reverse("levy:home") in text


def test_an_overpayment_is_refunded_from_the_credit_page(world):
    from innocluster.finance.models import StatementLine
    from innocluster.finance.selectors.checks import check_ledger
    from innocluster.levy.models import Credit
    from tests.factories import finance as f
    from tests.levy.bank import pay

    bank = f.bank_account(fund_source="levy")
    pay(bank.iban, [("1500000.00", world["a"].bin, world["oa"].reference + " and more")])
    credit = Credit.objects.get(holder=world["a"])
    assert credit.remaining == D("500000.00")
    pay(
        bank.iban,
        [("-500000.00", world["a"].bin, "Refund")],
        number="2",
        day="2026-07-02",
        opening="1500000.00",
    )
    line = StatementLine.objects.get(amount__lt=0)
    officer = client_for(world["officer"])
    page = officer.get(reverse("levy:credit", args=[credit.pk])).content.decode()
    assert "Record the refund" in page
    done = officer.post(reverse("levy:credit_refund", args=[credit.pk]), {"refund-line": line.pk})
    assert done.status_code == 303
    credit.refresh_from_db()
    assert credit.refunded == D("500000.00") and check_ledger() == []
    auditor = client_for(world["auditor"])
    assert (
        auditor.post(reverse("levy:credit_refund", args=[credit.pk]), {"refund-line": line.pk}).status_code
        == 403
    )
