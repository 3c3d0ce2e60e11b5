"""apikit: a domain endpoint built from its pieces gets the error format on every status, JSON for
unknown and malformed addresses under /api/, bounded pagination, strict query parameters, ETag and
304, and an OpenAPI operation that documents all of it.

The tiny domain here (``things``) is defined only in this module and routed under /api/ by its own
URLconf, as a domain's routes would be.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import Client
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from innocluster.apikit.errors import Conflict, flatten
from innocluster.apikit.filtering import query
from innocluster.apikit.permissions import api_view_for
from innocluster.apikit.schema import error
from innocluster.apikit.views import Endpoint
from innocluster.core.access.permissions import anyone, declare, signed_in
from innocluster.core.errors import DomainError
from tests.api.helpers import user_with_role

declare("tests.things", anyone)
declare("tests.things.private", signed_in)
THINGS = [{"n": n} for n in range(1, 8)]  # seven things: pages of 3 are 3, 3, 1


class ThingSerializer(serializers.Serializer):
    n = serializers.IntegerField()


class ThingQuery(serializers.Serializer):
    colour = serializers.ChoiceField(choices=["red", "blue"], required=False)


class ThingBody(serializers.Serializer):
    name = serializers.CharField(max_length=20)
    size = serializers.IntegerField(min_value=1, required=False)


class ThingListView(Endpoint, generics.ListAPIView):
    access_action = "tests.things"
    serializer_class = ThingSerializer

    def get_queryset(self):
        query(self.request, ThingQuery)
        return THINGS

    @extend_schema(parameters=[ThingQuery], tags=["things"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ThingBody,
        responses={201: ThingSerializer, 409: error("Taken."), 422: error("Refused by a rule.")},
        tags=["things"],
    )
    def post(self, request, *args, **kwargs):
        body = ThingBody(data=request.data)
        body.is_valid(raise_exception=True)
        if body.validated_data["name"] == "taken":
            raise DomainError("This name is taken.", code="name_taken")
        if body.validated_data["name"] == "rule":
            raise DjangoValidationError({"name": ["Not by the rules."]})
        if body.validated_data["name"] == "conflict":
            raise Conflict()
        return Response({"n": 8}, status=201)


class ThingDetailView(Endpoint, APIView):
    access_action = "tests.things"

    @extend_schema(responses={200: ThingSerializer}, tags=["things"])
    def get(self, request, n):
        if n > len(THINGS):
            from django.http import Http404

            raise Http404("No such thing.")
        return Response(THINGS[n - 1])


class PrivateThingView(Endpoint, APIView):
    access_action = "tests.things.private"

    @extend_schema(responses={200: ThingSerializer}, tags=["things"])
    def get(self, request):
        return Response({"n": 0})


class BrokenView(Endpoint, APIView):
    access_action = "tests.things"

    def get(self, request):
        raise RuntimeError("a bug")


things = (
    [
        path("", api_view_for(ThingListView), name="things"),
        path("<int:n>/", api_view_for(ThingDetailView), name="thing"),
        path("private/", api_view_for(PrivateThingView), name="private"),
        path("broken/", api_view_for(BrokenView), name="broken"),
    ],
    "things",
)
urlpatterns = [path("api/v1/things/", include(things)), path("", include("innocluster.urls"))]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]
URL = "/api/v1/things/"


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["code"], str) and body["code"]
    if code:
        assert body["code"] == code, body
    return body


def post(client, data, **extra):
    return client.post(URL, data, content_type="application/json", **extra)


# --- the error format on each status ------------------------------------------------------------
def test_400_names_each_field_flat():
    body = assert_error(post(Client(), {"size": 0}), 400, "invalid")
    assert set(body["errors"]) == {"name", "size"}
    assert all(isinstance(m, str) for messages in body["errors"].values() for m in messages)


def test_400_for_malformed_json():
    response = Client().post(URL, "{not json", content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_401_with_a_bad_token_even_on_a_public_endpoint():
    response = Client(headers={"Authorization": "Bearer nope"}).get(URL)
    assert_error(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Bearer"


def test_401_without_credentials_where_needed():
    assert_error(Client().get(f"{URL}private/"), 401, "not_authenticated")


def test_403_when_the_rule_refuses(client):
    declare("tests.things.never", lambda user: False)
    PrivateThingView.access_action = "tests.things.never"
    try:
        client.force_login(user_with_role("rep", "participant_rep"))
        assert_error(client.get(f"{URL}private/"), 403, "permission_denied")
    finally:
        PrivateThingView.access_action = "tests.things.private"


def test_404_from_a_view_keeps_its_message():
    body = assert_error(Client().get(f"{URL}99/"), 404, "not_found")
    assert body["detail"] == "No such thing."


@pytest.mark.parametrize("address", ["/api/v1/things/null,null/", "/api/v1/things/1/x/", "/api/v1/nothing/"])
def test_unknown_and_malformed_addresses_under_api_answer_json_404(address, settings):
    for debug in (False, True):  # never Django's HTML page, not even its technical one
        settings.DEBUG = debug
        assert_error(Client().get(address), 404, "not_found")


def test_a_404_outside_the_api_stays_a_page():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404 and "text/html" in response["Content-Type"]


def test_405_with_allow():
    response = Client().delete(URL)
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"] and "POST" in response["Allow"]


def test_409_for_a_domain_error_with_its_code():
    body = assert_error(post(Client(), {"name": "taken"}), 409, "name_taken")
    assert body["detail"] == "This name is taken."
    assert_error(post(Client(), {"name": "conflict"}), 409, "conflict")


def test_415_for_a_form_body():
    assert_error(Client().post(URL, {"name": "x"}), 415, "unsupported_media_type")


def test_422_for_a_rule_with_the_errors_by_field():
    body = assert_error(post(Client(), {"name": "rule"}), 422, "unprocessable")
    assert body["errors"] == {"name": ["Not by the rules."]}


def test_500_is_json_too():
    client = Client(raise_request_exception=False)
    assert_error(client.get(f"{URL}broken/"), 500, "server_error")


def test_nested_errors_flatten_to_dotted_fields():
    detail = {
        "decision": {"number": ["Required."]},
        "items": [{}, {"text": ["Blank."]}],
        "non_field_errors": ["X"],
    }
    assert flatten(detail) == {
        "decision.number": ["Required."],
        "items.1.text": ["Blank."],
        "non_field_errors": ["X"],
    }


# --- pagination and query parameters ------------------------------------------------------------
def test_pages_within_and_past_the_end():
    first = Client().get(URL, {"page_size": 3}).json()
    assert first["count"] == 7 and [t["n"] for t in first["results"]] == [1, 2, 3]
    assert first["previous"] is None and first["next"].endswith("page=2&page_size=3")
    last = Client().get(URL, {"page_size": 3, "page": 3}).json()
    assert [t["n"] for t in last["results"]] == [7] and last["next"] is None
    past = Client().get(URL, {"page_size": 3, "page": 9})
    assert past.status_code == 200
    assert past.json()["results"] == [] and past.json()["count"] == 7
    assert "page=3" in past.json()["previous"]
    for digits in (18, 19, 5000):  # any integer is a page to the schema, however long
        huge = Client().get(URL, {"page": "9" * digits})
        assert huge.status_code == 200 and huge.json()["results"] == []
    assert Client().get(URL, {"page": "-" + "9" * 30}).status_code == 400
    assert Client().get(URL, {"page_size": "9" * 30}).status_code == 400


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
        ({"page": "one"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 201}, "page_size"),
    ],
)
def test_page_bounds_answer_400(params, field):
    body = assert_error(Client().get(URL, params), 400, "invalid")
    assert field in body["errors"]


def test_a_parameter_empty_or_twice_is_refused():
    assert "colour" in assert_error(Client().get(f"{URL}?colour="), 400)["errors"]
    assert "page" in assert_error(Client().get(f"{URL}?page=1&page=2"), 400)["errors"]
    assert "colour" in assert_error(Client().get(URL, {"colour": "green"}), 400)["errors"]
    assert Client().get(URL, {"colour": "red"}).status_code == 200


# --- conditional GET ----------------------------------------------------------------------------
def test_etag_and_304_on_list_and_detail():
    for address in (URL, f"{URL}2/"):
        response = Client().get(address)
        etag = response["ETag"]
        assert etag.startswith('W/"')
        again = Client().get(address, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
        assert Client().get(address, headers={"If-None-Match": 'W/"other"'}).status_code == 200
        assert Client().get(address, headers={"If-None-Match": "*"}).status_code == 304


def test_the_etag_follows_the_content():
    one = Client().get(URL, {"page_size": 3})["ETag"]
    two = Client().get(URL, {"page_size": 3, "page": 2})["ETag"]
    assert one != two


def test_if_match_that_no_longer_matches_answers_412_json():
    assert_error(Client().get(URL, headers={"If-Match": '"stale"'}), 412, "precondition_failed")


def test_no_etag_on_errors_or_writes():
    assert "ETag" not in Client().get(f"{URL}99/")
    assert "ETag" not in post(Client(), {"name": "new"})


# --- routing and schema -------------------------------------------------------------------------
def test_api_view_for_refuses_a_view_that_is_not_an_endpoint():
    class Plain(APIView):
        access_action = "tests.things"

    with pytest.raises(ImproperlyConfigured, match="Endpoint"):
        api_view_for(Plain)

    class Undeclared(Endpoint, APIView):
        access_action = "tests.no-such-rule"

    with pytest.raises(ImproperlyConfigured, match="access_action"):
        api_view_for(Undeclared)


def test_the_schema_documents_every_answer_with_the_error_component():
    document = SchemaGenerator(patterns=urlpatterns[:1]).get_schema(request=None, public=True)
    error_ref = {"$ref": "#/components/schemas/Error"}
    listing = document["paths"]["/api/v1/things/"]["get"]
    assert set(listing["responses"]) == {"200", "304", "400", "401", "403"}
    creating = document["paths"]["/api/v1/things/"]["post"]
    assert set(creating["responses"]) == {"201", "400", "401", "403", "409", "415", "422"}
    detail = document["paths"]["/api/v1/things/{n}/"]["get"]
    assert set(detail["responses"]) == {"200", "304", "401", "403", "404"}
    for operation in (listing, creating, detail):
        assert operation["tags"] == ["things"]
        for code, response in operation["responses"].items():
            if code.startswith("4"):
                assert response["content"]["application/json"]["schema"] == error_ref
    parameters = {p["name"]: p["schema"] for p in listing["parameters"]}
    assert parameters["page"]["minimum"] == 1
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert "" not in parameters["colour"]["enum"]
    body = document["components"]["schemas"]["ThingBodyRequest"]["properties"]["name"]
    assert body["minLength"] == 1 and "\\u0020" in body["pattern"] and "\\u0000" in body["pattern"]
    assert set(document["components"]["schemas"]["Error"]["required"]) == {"detail", "code"}
