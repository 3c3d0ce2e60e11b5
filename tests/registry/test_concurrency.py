"""Two requests at once (a double click, two tabs, an API retry) must not make two drafts. SQLite
serialises writers, so only PostgreSQL can show the race the row lock prevents."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from innocluster.registry.models import Application, ParticipantCategory
from innocluster.registry.services import applications
from innocluster.registry.services.register import load_reference_data
from tests.factories.accounts import user_with_role


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_starts_make_one_draft(policy_loaded):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    load_reference_data()
    applicant = user_with_role("participant_rep", "twotabs", enrolled=False)
    category = ParticipantCategory.objects.get(code="company")
    inside, release, results = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                applications.start_application(by=applicant, category=category)
                inside.set()
                release.wait(10)  # keep the transaction (and the applicant's row lock) open
            results["first"] = "created"
        finally:
            connection.close()

    def second():
        inside.wait(10)
        try:
            applications.start_application(by=applicant, category=category)
            results["second"] = "created"
        except ValidationError as exc:
            results["second"] = str(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inside.wait(10)
    threading.Event().wait(0.5)  # the second request now waits on the lock
    assert "second" not in results
    release.set()
    for thread in threads:
        thread.join(20)
    assert results["first"] == "created"
    assert "already have application" in results["second"]
    assert Application.objects.filter(applicant=applicant).count() == 1
