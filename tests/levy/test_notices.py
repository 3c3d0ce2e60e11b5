"""The levy notices as PDF: Kazakh and Russian side by side, the Fund's payment details, the
reference, the amount in figures and in words, the due date and the penalty help; staff download
any notice, a company only its own (404 otherwise)."""

import datetime as dt
import subprocess
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from innocluster.core.money import amount_in_words
from innocluster.levy import notices
from innocluster.parties.services.representatives import add_representative
from tests.factories.accounts import login_with_2fa
from tests.levy import reporting

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def books(levy_people):
    return reporting.build(levy_people["officer"])


def text_of(content: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    # pdftotext breaks lines where the columns wrap: compare words, not lines.
    return " ".join(out.stdout.decode("utf-8").replace("\xa0", " ").replace("\u202f", " ").split())


def test_the_assessment_notice_carries_payment_details_amount_and_words(books):
    text = text_of(notices.notice_pdf(books.b2, notices.ASSESSMENT))
    payee = settings.INNOCLUSTER_LEVY_PAYEE
    for expected in (payee["iban"], payee["bic"], payee["bin"], "КБе", "КНП", payee["knp"]):
        assert expected in text
    assert books.b2.reference in text
    assert "200 000,00" in text  # kk and ru write the figures alike
    assert " ".join(amount_in_words(D("200000.00"), "kk").split()) in text
    assert " ".join(amount_in_words(D("200000.00"), "ru").split()) in text
    assert "01.07.2026" in text
    assert "Уведомление о начислении отчислений" in text and "Аударымдарды есептеу туралы хабарлама" in text
    # the regime defines no penalty today: the help says so in both languages
    assert "пеня не начисляется" in text and "өсімпұл есептелмейді" in text
    assert books.b.bin in text
    # the rate and B's share of the joint KZ-R-2 as percentages, in both languages
    assert "базаның (50 000 000,00 ₸) 1 %, Сіздің үлесіңіз бойынша (40 %)" in text
    assert "1 % от заявленной базы 2025 года (50 000 000,00 ₸), в части Вашей доли (40 %)" in text


def test_a_reminder_and_an_arrears_notice_state_what_is_outstanding(books):
    # A's KZ-R-2 part: 300,000.00, unpaid
    reminder = text_of(notices.notice_pdf(books.a2, notices.REMINDER))
    assert "300 000,00" in reminder and "Напоминание об уплате отчислений" in reminder
    with mock.patch(
        "innocluster.core.policy.values.today", return_value=__import__("datetime").date(2026, 9, 1)
    ):
        arrears = text_of(notices.notice_pdf(books.a2, notices.ARREARS))
    assert "Уведомление о задолженности по отчислениям" in arrears
    assert "62" in arrears  # days past 1 July on 1 September
    assert " ".join(amount_in_words(D("300000.00"), "ru").split()) in arrears
    # A's KZ-R-1 is settled: the reminder asks for nothing
    settled = text_of(notices.notice_pdf(books.a1, notices.REMINDER))
    assert "0,00" in settled and "1 000 000,00" in settled


def test_a_penalty_is_stated_only_where_the_regime_defines_one(books):
    with mock.patch("innocluster.levy.notices.penalty_rate", return_value=D("0.0005")):
        text = text_of(notices.notice_pdf(books.b2, notices.ARREARS))
    assert "0,05 %" in text and "пеня не начисляется" not in text
    assert "Өсімпұл: мерзімі өткен әр күн үшін берешек сомасының 0,05 %" in text


def test_staff_download_any_notice_and_a_company_only_its_own(books, levy_people):
    officer = Client()
    login_with_2fa(officer, levy_people["officer"])
    for kind in (notices.ASSESSMENT, notices.REMINDER):
        response = officer.get(reverse("levy_reports:notice", args=[books.b2.reference, kind]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert books.b2.reference in response["Content-Disposition"]
    # no arrears before the due date (today is 4 May, due 1 July); after it, there are
    arrears = reverse("levy_reports:notice", args=[books.b2.reference, notices.ARREARS])
    assert officer.get(arrears).status_code == 404
    with mock.patch("innocluster.core.policy.values.today", return_value=dt.date(2026, 9, 1)):
        assert officer.get(arrears).status_code == 200
        # A's KZ-R-1 is settled: no arrears notice for it
        settled = reverse("levy_reports:notice", args=[books.a1.reference, notices.ARREARS])
        assert officer.get(settled).status_code == 404
    assert officer.get(reverse("levy_reports:notice", args=[books.b2.reference, "other"])).status_code == 404
    assert (
        officer.get(reverse("levy_reports:notice", args=["LEVY-2026-999999", "assessment"])).status_code
        == 404
    )

    add_representative(books.a, user=levy_people["rep"], role="head", by=None)
    rep = Client()
    login_with_2fa(rep, levy_people["rep"])
    own = rep.get(reverse("levy_documents:notice", args=[books.a2.reference, "assessment"]))
    assert own.status_code == 200
    assert books.a2.reference in text_of(own.content)
    # B's part of the same joint contract is not A's
    assert (
        rep.get(reverse("levy_documents:notice", args=[books.b2.reference, "assessment"])).status_code == 404
    )
    assert rep.get(reverse("levy_reports:notice", args=[books.a2.reference, "assessment"])).status_code == 403
    stranger = Client()
    login_with_2fa(stranger, levy_people["stranger"])
    assert (
        stranger.get(reverse("levy_documents:notice", args=[books.a2.reference, "assessment"])).status_code
        == 404
    )
