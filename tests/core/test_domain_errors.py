import pytest
from django.db.utils import OperationalError
from django.urls import path

from innocluster.core.access.views import requires
from innocluster.core.errors import DomainError, RecordsBusy, is_lock_failure, lock_failures_as_domain_errors


@requires("core.set_language")
def refuse(request):
    raise DomainError("This application is already %(state)s.", params={"state": "approved"}, code="illegal")


class _Deadlock(Exception):
    sqlstate = "40P01"  # what psycopg puts on the error it raises for a detected deadlock


@requires("core.set_language")
def deadlock(request):
    try:
        raise _Deadlock("deadlock detected")
    except _Deadlock as cause:
        raise OperationalError("deadlock detected\nDETAIL: Process 1 waits for ShareLock") from cause


@requires("core.set_language")
def broken(request):
    raise OperationalError("no such table: registry_application")


urlpatterns = [
    path("refuse/", refuse),
    path("api/refuse/", refuse),
    path("deadlock/", deadlock),
    path("api/deadlock/", deadlock),
    path("broken/", broken),
    path("", refuse),
]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


def test_a_page_shows_the_message_on_the_page_the_person_came_from(client):
    response = client.post("/refuse/", HTTP_REFERER="http://testserver/somewhere/")
    assert response.status_code == 303 and response["Location"] == "http://testserver/somewhere/"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["This application is already approved."]


def test_a_foreign_referer_is_not_followed(client):
    response = client.post("/refuse/", HTTP_REFERER="https://evil.example/")
    assert response["Location"] == "/"


def test_the_api_answers_409_with_the_message(client):
    response = client.get("/api/refuse/")
    assert response.status_code == 409
    assert response.json() == {"detail": "This application is already approved.", "code": "illegal"}


BUSY = "Someone else is changing these records at this moment; try again."


def test_a_lock_failure_is_the_plain_busy_message_on_a_page_and_409_in_the_api(client):
    response = client.post("/deadlock/", HTTP_REFERER="http://testserver/somewhere/")
    assert response.status_code == 303
    assert [str(m) for m in response.wsgi_request._messages] == [BUSY]
    response = client.get("/api/deadlock/")
    assert response.status_code == 409
    assert response.json() == {"detail": BUSY, "code": "records_busy"}


def test_other_database_errors_stay_server_errors(client):
    client.raise_request_exception = True
    with pytest.raises(OperationalError, match="no such table"):
        client.get("/broken/")


@pytest.mark.parametrize(
    ("error", "is_lock"),
    [
        (OperationalError("database is locked"), True),  # SQLite's busy timeout ran out
        (OperationalError("no such table: x"), False),
        (ValueError("database is locked"), False),
    ],
)
def test_what_counts_as_a_lock_failure(error, is_lock):
    assert is_lock_failure(error) is is_lock


def test_a_service_wrapped_turns_a_lock_failure_into_records_busy():
    @lock_failures_as_domain_errors()
    def service():
        raise OperationalError("database is locked")

    with pytest.raises(RecordsBusy) as exc:
        service()
    assert str(exc.value) == BUSY and isinstance(exc.value.__cause__, OperationalError)
