"""The grantee's portal pages and the programme manager's queue: who sees what, submitting and
reviewing through the pages, the late flag."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from innocluster.grants.models import GranteeReport
from innocluster.grants.services import reports as services
from tests.factories.accounts import Person, login_with_2fa, make_people
from tests.grants.reports_helpers import make_award

D = Decimal
pytestmark = pytest.mark.django_db
Kind = GranteeReport.Kind


@pytest.fixture
def award(programme, people):
    found = make_award(programme, people)
    services.schedule_reports(found, by=people["pm"])
    return found


def signed_in(client, user):
    login_with_2fa(client, user)
    return client


def test_grantee_sees_the_award_with_milestones_tranches_kpis_and_reports(client, award, people):
    signed_in(client, people["rep"])
    text = client.get("/portal/grants/awards/").content.decode()
    assert award.number in text and "15,000,000.00" in text
    page = client.get(f"/portal/grants/awards/{award.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Model and data pipeline" in text  # a milestone
    assert "3,000,000.00" in text  # the advance tranche
    assert "Unplanned stops avoided" in text  # a KPI
    assert "final report" in text.lower()


def test_a_rep_of_another_organisation_gets_404(client, award, people):
    other = make_people({"other": Person("participant_rep", "other", enrolled=False)})["other"]
    from tests.factories.registry import registered_participant

    registered_participant(other)
    signed_in(client, other)
    report = award.reports.first()
    assert client.get(f"/portal/grants/awards/{award.pk}/").status_code == 404
    assert client.get(f"/portal/grants/awards/reports/{report.pk}/").status_code == 404
    assert client.post(f"/portal/grants/awards/reports/{report.pk}/", {"text": "x"}).status_code == 404
    assert award.number not in client.get("/portal/grants/awards/").content.decode()


def test_submit_through_the_page_needs_text_and_kpis(client, award, people):
    signed_in(client, people["rep"])
    report = award.reports.filter(kind=Kind.PROGRESS).first()
    url = f"/portal/grants/awards/reports/{report.pk}/"
    refused = client.post(url, {"text": ""})
    assert refused.status_code == 400
    report.refresh_from_db()
    assert report.status == "due"
    data = {"text": "Six months done.", "file": SimpleUploadedFile("r.pdf", b"%PDF-1.4 x")}
    data.update({f"kpi_{k.pk}": "3" for k in award.application.kpis.all()})
    done = client.post(url, data)
    assert done.status_code == 303
    report.refresh_from_db()
    assert report.status == "submitted" and report.file_name == "r.pdf"
    download = client.get(f"/portal/grants/awards/reports/{report.pk}/file/")
    assert download.status_code == 200


def test_late_report_is_flagged_on_both_sides(client, award, people):
    report = award.reports.filter(kind=Kind.MILESTONE).first()
    GranteeReport.objects.filter(pk=report.pk).update(due_on=dt.date.today() - dt.timedelta(days=5))
    signed_in(client, people["rep"])
    assert "badge overdue" in client.get(f"/portal/grants/awards/{award.pk}/").content.decode()
    assert "badge overdue" in client.get(f"/portal/grants/awards/reports/{report.pk}/").content.decode()
    client.logout()
    signed_in(client, people["pm"])
    queue = client.get("/staff/grants/reports/?show=late")
    assert queue.status_code == 200
    text = queue.content.decode()
    assert award.number in text and "badge overdue" in text
    assert award.number not in client.get("/staff/grants/reports/?show=accepted").content.decode()


def test_staff_accept_and_return_through_the_pages(client, award, people):
    report = award.reports.filter(kind=Kind.MILESTONE).first()
    services.submit_report(report, by=people["rep"], text="Model ready.")
    signed_in(client, people["pm"])
    page = client.get(f"/staff/grants/reports/{report.pk}/")
    assert page.status_code == 200 and "Model ready." in page.content.decode()
    refused = client.post(f"/staff/grants/reports/{report.pk}/return/", {"return-comment": ""})
    assert refused.status_code == 400
    report.refresh_from_db()
    assert report.status == "submitted"
    done = client.post(f"/staff/grants/reports/{report.pk}/return/", {"return-comment": "Add the data."})
    assert done.status_code == 303
    report.refresh_from_db()
    assert report.status == "returned" and report.review_comment == "Add the data."
    services.submit_report(report, by=people["rep"], text="Data added.")
    done = client.post(f"/staff/grants/reports/{report.pk}/accept/", {"accept-comment": "Good."})
    assert done.status_code == 303
    report.refresh_from_db()
    assert report.status == "accepted"


def test_auditor_reads_the_queue_but_cannot_accept(client, award, people):
    report = award.reports.filter(kind=Kind.MILESTONE).first()
    services.submit_report(report, by=people["rep"], text="Model ready.")
    signed_in(client, people["auditor"])
    assert client.get("/staff/grants/reports/").status_code == 200
    assert client.post(f"/staff/grants/reports/{report.pk}/accept/", {}).status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"
