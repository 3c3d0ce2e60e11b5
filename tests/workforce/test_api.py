"""The workforce API: the Fund's readers see every employer's requests and specialists, a
representative only its own (another's 404); personal data in full for the HR officer and the
employer (audited), masked for the auditor; workflow actions through WORKFLOW.perform with 404 for
an unknown action, 403 for a role that may not, 409 for a state that does not allow it, 422 for a
refusal by the rules."""

import pytest
from django.test import Client

from innocluster.core.audit.models import AuditEvent
from tests.factories.workforce import draft_request, submitted_request
from tests.workforce.test_views_flow import client_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/workforce/"


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_who_sees_what(people, employer, other_employer):
    mine = submitted_request(employer, people["rep"])
    theirs = submitted_request(other_employer, people["other"])
    rep, hr, auditor = client_for(people["rep"]), client_for(people["hr"]), client_for(people["auditor"])
    assert [r["id"] for r in rep.get(BASE + "requests/").json()["results"]] == [mine.pk]
    assert {r["id"] for r in hr.get(BASE + "requests/").json()["results"]} == {mine.pk, theirs.pk}
    assert rep.get(f"{BASE}requests/{theirs.pk}/").status_code == 404
    assert rep.get(f"{BASE}specialists/{theirs.specialist_id}/").status_code == 404
    assert _post(rep, f"{BASE}requests/{theirs.pk}/actions/resubmit/").status_code == 404
    assert [s["id"] for s in rep.get(BASE + "specialists/").json()["results"]] == [mine.specialist_id]
    assert "passport_number" not in rep.get(BASE + "specialists/").json()["results"][0]
    detail = rep.get(f"{BASE}requests/{mine.pk}/").json()
    assert detail["status"] == "submitted" and detail["actions"] == [] and len(detail["documents"]) >= 1
    assert hr.get(f"{BASE}requests/{mine.pk}/").json()["actions"] == [
        "check",
        "return_for_revision",
        "refuse",
    ]
    assert auditor.get(f"{BASE}requests/{mine.pk}/").json()["actions"] == []
    assert hr.get(BASE + "requests/", {"status": "refused"}).json()["count"] == 0
    assert hr.get(BASE + "requests/", {"status": "nonsense"}).status_code == 400
    assert Client().get(BASE + "requests/").status_code == 401


def test_personal_data_by_role(people, employer):
    found = submitted_request(employer, people["rep"])
    url = f"{BASE}specialists/{found.specialist_id}/"
    number = found.specialist.passport_number
    reads = AuditEvent.objects.filter(action="workforce.personal_data.read")
    before = reads.count()
    full = client_for(people["hr"]).get(url).json()["personal_data"]
    assert full["passport_number"] == number and not full["masked"]
    own = client_for(people["rep"]).get(url).json()["personal_data"]
    assert own["passport_number"] == number
    assert reads.count() == before + 2
    masked = client_for(people["auditor"]).get(url).json()["personal_data"]
    assert masked["masked"] and masked["passport_number"] != number and "•" in masked["passport_number"]
    assert masked["date_of_birth"].endswith("1985") and reads.count() == before + 2


def test_actions_through_the_workflow(people, employer):
    draft = draft_request(employer, people["rep"], documents_missing=("employment_offer",))
    rep, hr, auditor = client_for(people["rep"]), client_for(people["hr"]), client_for(people["auditor"])
    url = f"{BASE}requests/{draft.pk}/actions/"
    assert _post(rep, url + "fly/").status_code == 404
    assert _post(hr, url + "submit/").status_code == 403  # the HR officer files for the Fund only
    submitted = _post(rep, url + "submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert _post(rep, url + "submit/").status_code == 409
    assert _post(auditor, url + "check/").status_code == 403
    incomplete = _post(hr, url + "check/")
    assert incomplete.status_code == 409 and incomplete.json()["code"] == "check_failed"
    blank = _post(hr, url + "refuse/", {"grounds": ""})
    assert blank.status_code == 422 and "grounds" in blank.json()["errors"]
    assert _post(hr, url + "return_for_revision/", {"items": "x"}).status_code == 400
    returned = _post(hr, url + "return_for_revision/", {"items": [{"item": "Offer", "text": "Upload it."}]})
    assert returned.status_code == 200 and returned.json()["revision_items"][0]["text"] == "Upload it."
    item = returned.json()["revision_items"][0]["id"]
    again = _post(rep, url + "resubmit/", {"responses": {str(item): "Done."}})
    assert again.status_code == 200 and again.json()["revision_items"][0]["response"] == "Done."
    refused = _post(hr, url + "refuse/", {"grounds": "Not needed."})
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
