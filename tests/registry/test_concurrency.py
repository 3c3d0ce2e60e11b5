"""Two requests at once (a double click, two tabs, an API retry) must not make two drafts. SQLite
serialises writers, so only PostgreSQL can show the race the row lock prevents."""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from innocluster.registry.models import Application, ParticipantCategory
from innocluster.registry.services import applications, moderation
from innocluster.registry.services import commission as commission_services
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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_batches_over_the_same_applications_in_opposite_order_never_fail_raw(policy_loaded, monkeypatch):
    """Each batch pauses after deciding its first application, so without one lock order batch A
    holds 1 and waits for 2 while batch B holds 2 and waits for 1: PostgreSQL kills one with a
    deadlock error. Locked by primary key up front, B waits for A and then hears plainly that the
    applications are decided already (or, had the database still refused, to try again)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    from innocluster.core.errors import DomainError
    from tests.factories.registry import commission_decision, draft_application

    registrar = user_with_role("registrar", "reg-batch")
    commission = user_with_role("commission_member", "com-batch")
    chosen = []
    for name in ("first", "second"):
        applicant = user_with_role("participant_rep", f"batch-{name}", enrolled=False)
        application = draft_application(applicant)
        applications.submit(application, by=applicant)
        moderation.accept(application, by=registrar)
        chosen.append(application)

    both_inside = threading.Barrier(2, timeout=3)
    real_decide = commission_services.decide

    def decide_then_pause(application, **kwargs):
        decided = real_decide(application, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_inside.wait()  # both batches hold one row each (only without a lock order)
        return decided

    monkeypatch.setattr(commission_services, "decide", decide_then_pause)
    results = {}

    def run(label, order):
        try:
            commission_services.decide_batch(order, **commission_decision(commission, number=f"SC-{label}"))
            results[label] = "decided"
        except DomainError as exc:
            results[label] = f"plain: {exc}"
        except Exception as exc:
            results[label] = f"raw: {type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("A", chosen)),
        threading.Thread(target=run, args=("B", chosen[::-1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not [r for r in results.values() if r.startswith("raw")], results
    assert sorted(results.values())[0] == "decided", results
    assert {a.status for a in Application.objects.filter(pk__in=[a.pk for a in chosen])} == {"approved"}
