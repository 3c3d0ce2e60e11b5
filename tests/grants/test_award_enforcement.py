"""Enforcement against a grantee (suspension, resumption, termination, clawback) is the Fund
executive's decision (``grants.award.enforce``): a programme manager is refused, in the service and
on the pages. Each measure may cite a decision record of the Fund executive; the record cited is
kept and audited, and a record that does not fit (another body's, not approving, the award's own,
cited for another award, revoked, unknown) is refused on the field with nothing changed."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innocluster.core.access.permissions import can
from innocluster.core.audit.models import AuditEvent
from innocluster.grants.models import Award, Clawback
from innocluster.grants.selectors import awards as selectors
from innocluster.grants.services import agreements as svc
from innocluster.grants.services import tranches
from tests.grants.awards_support import cast_fixture, decision, make_award, org_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def made(programme, cast, org):
    """15 million: tranche 1 (advance) 9 million, tranche 2 6 million; decision FE-1."""
    return make_award(programme, cast, org)


@pytest.fixture
def ordered(cast):
    """The Fund executive's decision ordering a measure."""
    return decision(cast["executive"], number="FE-2")


def _today():
    from innocluster.core.policy import values as policy

    return policy.today()


def _login(client, user):
    from tests.factories.accounts import login_with_2fa

    login_with_2fa(client, user)


def _url(award, action):
    return f"/staff/grants/awards/{award.pk}/{action}/"


def _events(action):
    return AuditEvent.objects.filter(action=action)


# --- who decides ------------------------------------------------------------------------------------


def test_only_the_fund_executive_holds_the_enforcement_permission(cast):
    assert can(cast["executive"], "grants.award.enforce").allowed
    for who in ("pm", "pm2", "finance", "auditor", "rep"):
        assert not can(cast[who], "grants.award.enforce").allowed
    # Amendments stay with the programme managers and the executive.
    assert can(cast["pm2"], "grants.agreement.approve").allowed


def test_a_programme_manager_cannot_enforce_in_the_services(made, cast):
    tranches.pay(made.tranches.get(position=1), on=_today(), by=cast["finance"])
    for call in (
        lambda: svc.suspend(made, reason="Audit", by=cast["pm"]),
        lambda: svc.terminate(made, reason="Stopped", by=cast["pm"]),
        lambda: svc.clawback(made, amount="1.00", reason="Misuse", by=cast["pm"]),
    ):
        with pytest.raises(PermissionDenied):
            call()
    Award.objects.filter(pk=made.pk).update(status="suspended")
    with pytest.raises(PermissionDenied):
        svc.resume(made, reason="Done", by=cast["pm"])
    made.refresh_from_db()
    assert made.status == "suspended" and not Clawback.objects.exists()
    assert not _events("grants.award.suspended").exists()


def test_a_programme_manager_gets_403_and_the_executive_succeeds(client, made, cast):
    tranches.pay(made.tranches.get(position=1), on=_today(), by=cast["finance"])
    _login(client, cast["pm"])
    page = client.get(f"/staff/grants/awards/{made.pk}/")
    assert page.status_code == 200
    for prefix in ("suspend", "terminate", "clawback"):
        assert f'name="{prefix}-reason"'.encode() not in page.content
    data = {"suspend-reason": "Audit", "terminate-reason": "Stopped", "clawback-amount": "1.00"}
    data["clawback-reason"] = "Misuse"
    for action in ("suspend", "terminate", "clawback", "resume"):
        assert client.post(_url(made, action), data).status_code == 403
    made.refresh_from_db()
    assert made.status == "active" and not Clawback.objects.exists()
    client.logout()

    _login(client, cast["executive"])
    page = client.get(f"/staff/grants/awards/{made.pk}/")
    for prefix in ("suspend", "terminate", "clawback"):
        assert f'name="{prefix}-reason"'.encode() in page.content
    assert b'name="resume-reason"' not in page.content  # not suspended
    assert client.post(_url(made, "suspend"), {"suspend-reason": "Audit"}).status_code == 303
    made.refresh_from_db()
    assert made.status == "suspended" and made.status_decision is None
    assert client.post(_url(made, "resume"), {"resume-reason": "Audit closed"}).status_code == 303
    done = client.post(_url(made, "clawback"), {"clawback-amount": "1000.00", "clawback-reason": "Misuse"})
    assert done.status_code == 303 and Clawback.objects.get().amount == D("1000.00")
    assert client.post(_url(made, "terminate"), {"terminate-reason": "Stopped"}).status_code == 303
    made.refresh_from_db()
    assert made.status == "terminated"


def test_the_action_views_keep_refusing_plainly(client, made, cast):
    _login(client, cast["executive"])
    refused = client.post(_url(made, "suspend"), {"suspend-reason": " "})
    assert refused.status_code == 400
    made.refresh_from_db()
    assert made.status == "active"
    assert client.post("/staff/grants/awards/999999/suspend/", {"suspend-reason": "x"}).status_code == 404
    assert client.get(_url(made, "suspend")).status_code == 405
    # Nothing paid: a clawback is refused on its amount, on the page.
    refused = client.post(_url(made, "clawback"), {"clawback-amount": "1.00", "clawback-reason": "x"})
    assert refused.status_code == 400 and b"At most" in refused.content


# --- the decision cited ------------------------------------------------------------------------------


def test_the_page_offers_the_executives_decisions_that_fit(client, made, cast, ordered):
    other_body = decision(cast["executive"], body="board_of_trustees", number="BT-9")
    rejected = decision(cast["executive"], number="FE-3", outcome="rejected")
    options = selectors.enforcement_decisions(made)
    assert [d.pk for d in options] == [ordered.pk]
    _login(client, cast["executive"])
    page = client.get(f"/staff/grants/awards/{made.pk}/").content.decode()
    assert f'<option value="{ordered.pk}">' in page and "FE-2" in page
    for unfit in (made.decision, other_body, rejected):
        assert f'<option value="{unfit.pk}">' not in page


def test_a_cited_termination_decision_is_kept_audited_and_shown(client, made, cast, ordered):
    _login(client, cast["executive"])
    data = {"terminate-reason": "The grantee stopped the project", "terminate-decision": str(ordered.pk)}
    assert client.post(_url(made, "terminate"), data).status_code == 303
    made.refresh_from_db()
    assert made.status == "terminated" and made.status_decision_id == ordered.pk
    event = _events("grants.award.terminated").get()
    assert event.changes["decision"] == [None, ordered.pk]
    page = client.get(f"/staff/grants/awards/{made.pk}/").content.decode()
    assert f'href="/staff/decisions/{ordered.pk}/"' in page and "№ FE-2" in page


def test_a_cited_clawback_decision_is_kept_audited_and_shown(client, made, cast, ordered):
    tranches.pay(made.tranches.get(position=1), on=_today(), by=cast["finance"])
    _login(client, cast["executive"])
    data = {"clawback-amount": "2000000.00", "clawback-reason": "Ineligible", "clawback-decision": ordered.pk}
    assert client.post(_url(made, "clawback"), data).status_code == 303
    assert Clawback.objects.get().decision_id == ordered.pk
    assert _events("grants.award.clawback").get().changes["decision"] == [None, ordered.pk]
    page = client.get(f"/staff/grants/awards/{made.pk}/").content.decode()
    assert "Ineligible" in page and f'href="/staff/decisions/{ordered.pk}/"' in page
    # Suspension and resumption cite theirs too (the same decision may order both measures).
    svc.suspend(made, reason="Audit", by=cast["executive"], decision=ordered)
    made.refresh_from_db()
    assert made.status_decision_id == ordered.pk
    assert _events("grants.award.suspended").get().changes["decision"] == [None, ordered.pk]
    svc.resume(made, reason="Audit closed", by=cast["executive"])
    made.refresh_from_db()
    assert made.status == "active" and made.status_decision is None


def test_an_unfit_or_missing_decision_is_refused_on_the_field_and_nothing_changes(
    client, programme, made, cast, ordered
):
    from innocluster.core.decisions.services import revoke_decision

    other = _second_award(programme, cast)
    svc.suspend(other, reason="Audit", by=cast["executive"], decision=ordered)  # cited for another award
    revoked = decision(cast["executive"], number="FE-5")
    revoke_decision(revoked, by=cast["executive"], reason="Entered in error")
    unfit = {
        "award decision": made.decision,
        "another award's": ordered,
        "another body's": decision(cast["executive"], body="board_of_trustees", number="BT-1"),
        "not approving": decision(cast["executive"], number="FE-4", outcome="rejected"),
        "revoked": revoked,
    }
    for label, record in unfit.items():
        with pytest.raises(ValidationError) as exc:
            svc.terminate(made, reason="Stopped", by=cast["executive"], decision=record)
        assert set(exc.value.message_dict) == {"decision"}, label
        assert selectors.decision_problem(record, made), label
    with pytest.raises(ValidationError) as exc:
        svc.suspend(made, reason="Audit", by=cast["executive"], decision=999999)
    assert set(exc.value.message_dict) == {"decision"}
    _login(client, cast["executive"])
    for pk in (made.decision.pk, ordered.pk, 999999):
        refused = client.post(
            _url(made, "terminate"), {"terminate-reason": "Stopped", "terminate-decision": pk}
        )
        assert refused.status_code == 400
    made.refresh_from_db()
    assert made.status == "active" and made.status_decision is None
    assert list(made.tranches.values_list("status", flat=True)) == ["planned", "planned"]
    assert not _events("grants.award.terminated").exists()
    tranches.pay(made.tranches.get(position=1), on=_today(), by=cast["finance"])
    with pytest.raises(ValidationError) as exc:
        svc.clawback(made, amount="1.00", reason="Misuse", by=cast["executive"], decision=ordered)
    assert set(exc.value.message_dict) == {"decision"}
    assert not Clawback.objects.exists()


def _second_award(programme, cast):
    """Another participant's award, on its own decision FE-7."""
    from innocluster.grants.services.awards import award
    from tests.factories.accounts import Person, make_people
    from tests.factories.registry import registered_participant
    from tests.grants.awards_support import awaiting

    rep = make_people({"rep2": Person("participant_rep", "rep2", enrolled=False)})["rep2"]
    app = awaiting(programme, cast, registered_participant(rep), code="C2")
    made = decision(cast["executive"], number="FE-7")
    return award(app, amount=app.requested_amount, decision=made, by=cast["executive"])
