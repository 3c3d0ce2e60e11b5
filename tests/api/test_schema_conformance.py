"""The OpenAPI schema tells the truth: schemathesis generates requests from it (valid and invalid,
every check) and every answer must be one the schema documents, in the documented shape.

Bounded for CI: deterministic generation, a few examples per operation plus schemathesis's
coverage cases (boundaries, empty and missing values, wrong types), in process through the WSGI
app (no network), once with a participant representative's token and once anonymously. Settings
shared with a full ``st run`` are in ``schemathesis.toml`` at the repository root.
"""

from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings

from innocluster.api.models import APIToken
from innocluster.apikit.authentication import hash_secret
from innocluster.registry.services.register import load_reference_data
from innocluster.wsgi import application
from tests.factories.registry import draft_application

from .helpers import user_with_role

ROOT = Path(__file__).resolve().parents[2]
SECRET = "conformance-test-secret-0123456789abcdefghijklmnop"
EXAMPLES = 10


schema = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/?format=json",
    application,
    config=schemathesis.Config.from_path(ROOT / "schemathesis.toml"),
).exclude(path_regex=r"/(schema|docs)/$")  # documents, not data: nothing to generate for them


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    """Made once for the module inside a transaction that is rolled back at its end (each test's
    own transaction nests inside it): the shipped policy, the reference data, a representative with
    a draft application and a token."""
    from innocluster.core.policy.services import load_defaults

    # Requests run through the real WSGI handler, which closes the connection after each request
    # (``close_old_connections``): the test's transaction must survive, as under the test client.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_defaults()
            load_reference_data()
            rep = user_with_role("conformance-rep", "participant_rep")
            draft_application(rep)
            APIToken.objects.create(
                user=rep,
                name="conformance",
                key_hash=hash_secret(SECRET),
                prefix=SECRET[:8],
                expires_at=timezone.now() + timedelta(days=1),
            )
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


CALLERS = {"token": {"Authorization": f"Bearer {SECRET}"}, "anonymous": {}}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_api_conforms_to_its_schema(case, data, db):
    for headers in CALLERS.values():
        case.call_and_validate(headers=headers)
