import pytest
from django.urls import path

from innocluster.core.access.views import requires
from innocluster.core.errors import DomainError


@requires("core.set_language")
def refuse(request):
    raise DomainError("This application is already %(state)s.", params={"state": "approved"}, code="illegal")


urlpatterns = [path("refuse/", refuse), path("api/refuse/", refuse), path("", refuse)]

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
