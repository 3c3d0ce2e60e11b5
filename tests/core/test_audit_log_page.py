import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innocluster.core.audit.services import record_event
from tests.factories.accounts import login_with_2fa, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor_client(client):
    login_with_2fa(client, user_with_role("auditor", "aud"))
    return client


def test_auditor_searches_by_action_object_and_text(auditor_client):
    record_event(
        action="registry.application.returned",
        object_type="registry.application",
        object_id="7",
        object_repr="Application 7",
        reason="business plan missing",
        changes={"status": ["a", "b"]},
    )
    record_event(action="policy.value.added", object_type="policy.parametervalue", object_id="1",
                 object_repr="levy.rate")  # fmt: skip
    html = auditor_client.get("/staff/audit/", {"action": "registry."}).content.decode()
    assert "Application 7" in html and "levy.rate" not in html
    html = auditor_client.get("/staff/audit/", {"q": "business plan"}).content.decode()
    assert "Application 7" in html
    html = auditor_client.get(
        "/staff/audit/", {"object_type": "policy.parametervalue", "object_id": "1"}
    ).content.decode()
    assert "levy.rate" in html and "Application 7" not in html


def test_bad_dates_are_reported_not_crashing(auditor_client):
    response = auditor_client.get("/staff/audit/", {"date_from": "31.02.2026"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_from"]


@pytest.mark.parametrize("role", ["registrar", "participant_rep", "trustee"])
def test_other_roles_are_refused(client, role):
    login_with_2fa(client, user_with_role(role, enrolled=role != "participant_rep"))
    assert client.get("/staff/audit/").status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/staff/audit/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_queries_do_not_grow_with_the_page(auditor_client):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert auditor_client.get("/staff/audit/").status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        record_event(action="test.event", object_repr=f"object {i}")
    few = count()
    for i in range(40):
        record_event(action="test.event", object_repr=f"object {i}")
    assert count() == few


def test_changes_read_the_same_on_every_history_table():
    from innocluster.core.templatetags.audit import change_rows

    rows = change_rows(
        {"status": ["draft", "moderation"], "document": [None, {"name": "план.pdf"}], "note": "x"}
    )
    assert rows == [
        ("status", "draft", "moderation"),
        ("document", "—", '{"name": "план.pdf"}'),
        ("note", "—", "x"),
    ]
    assert change_rows(None) == []


def test_a_changed_field_reads_by_its_name_in_the_readers_language():
    from django.template.loader import render_to_string
    from django.utils import translation

    from innocluster.core.templatetags.audit import field_label

    assert field_label("status", "finance.journalentry") == "Status"
    assert field_label("period_id", "finance.journalentry") == "Period"  # a key by its relation's name
    assert field_label("lines", "finance.journalentry") == "lines"  # not a field: the code as recorded
    assert field_label("status", "no.such") == "status" and field_label("status", "") == "status"
    html = render_to_string(
        "audit/_changes.html",
        {"changes": {"status": ["draft", "posted"]}, "object_type": "finance.journalentry"},
    )
    assert '<span title="status">Status</span>: draft → posted' in html
    with translation.override("ru"):
        assert field_label("status", "finance.journalentry") == "Статус"
