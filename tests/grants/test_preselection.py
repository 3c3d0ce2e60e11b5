"""Pre-selection by the subsoil users who finance a call: financers, marks, closing, and the
shortlist pages (no personal data; someone else's call is a 404)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.grants.models import CallFinancer, PreselectionMark, ProjectApplication
from innocluster.grants.services import preselection as services
from tests.factories.accounts import login_with_2fa, user_with_role
from tests.factories.grants import application, publish_now
from tests.grants.conftest import ready_call

D = Decimal
pytestmark = pytest.mark.django_db


def refused(call_, field: str) -> str:
    with pytest.raises(ValidationError) as caught:
        call_()
    assert field in caught.value.message_dict, caught.value.message_dict
    return " ".join(caught.value.message_dict[field])


def _subsoil_company(user=None):
    from innocluster.parties.services.representatives import add_representative
    from tests.factories.levy import subsoil_user

    organisation = subsoil_user()
    if user is not None:
        add_representative(organisation, user=user, role="head", by=None)
    return organisation


@pytest.fixture
def scene(programme, people):
    """A published call financed by one subsoil user (its rep ``sub``), a second subsoil user
    (rep ``sub2``) not financing it, and two applications in pre-selection."""
    from tests.factories.registry import registered_participant

    call = publish_now(ready_call(programme, people["pm"], code="PS"), people["pm2"])
    sub, sub2 = (
        user_with_role("subsoil_rep", "sub", enrolled=False),
        user_with_role("subsoil_rep", "sub2", enrolled=False),
    )
    company, other = _subsoil_company(sub), _subsoil_company(sub2)
    financer = services.add_financer(call, bin=company.bin, pledged="50000000", by=people["pm"])
    participant = registered_participant(people["rep"])
    first = application(
        call, participant.organisation, people["rep"], status="preselection", participant=participant
    )
    second = application(call, participant.organisation, people["rep"], status="preselection",
                         participant=participant, title="Leak detection by drones")  # fmt: skip
    return {"call": call, "sub": sub, "sub2": sub2, "company": company, "other": other,
            "financer": financer, "first": first, "second": second, "participant": participant}  # fmt: skip


# --- financers -----------------------------------------------------------------------------------


def test_financer_added_by_bin_with_pledge_and_refusals_name_the_field(scene, people):
    call, financer = scene["call"], scene["financer"]
    assert financer.organisation == scene["company"] and financer.pledged == D("50000000.00")
    assert AuditEvent.objects.filter(action="grants.financer.added").count() == 1
    assert "already" in refused(
        lambda: services.add_financer(call, bin=scene["company"].bin, pledged="1", by=people["pm"]), "bin"
    )
    assert "No organisation" in refused(
        lambda: services.add_financer(call, bin="000000000000", pledged="1", by=people["pm"]), "bin"
    )
    not_subsoil = scene["participant"].organisation
    assert "not a subsoil user" in refused(
        lambda: services.add_financer(call, bin=not_subsoil.bin, pledged="1", by=people["pm"]), "bin"
    )
    refused(
        lambda: services.add_financer(call, bin=scene["other"].bin, pledged="-5", by=people["pm"]), "pledged"
    )
    with pytest.raises(PermissionDenied):
        services.add_financer(call, bin=scene["other"].bin, pledged="1", by=scene["sub"])
    assert CallFinancer.objects.filter(call=call).count() == 1


def test_financer_with_marks_cannot_be_removed_one_without_can(scene, people):
    services.mark(scene["first"], scene["financer"], interested=True, amount="1000000", by=scene["sub"])
    assert "cannot be removed" in refused(
        lambda: services.remove_financer(scene["financer"], by=people["pm"]), "financer"
    )
    second = services.add_financer(scene["call"], bin=scene["other"].bin, pledged="0", by=people["pm"])
    services.remove_financer(second, by=people["pm"])
    assert list(CallFinancer.objects.filter(call=scene["call"])) == [scene["financer"]]
    assert AuditEvent.objects.filter(action="grants.financer.removed").count() == 1


# --- marks ---------------------------------------------------------------------------------------


def test_mark_limits(scene):
    app, financer, sub = scene["first"], scene["financer"], scene["sub"]
    assert "exceed" in refused(
        lambda: services.mark(app, financer, interested=True, amount="15000000.01", by=sub), "amount"
    )
    refused(lambda: services.mark(app, financer, interested=True, amount="0", by=sub), "amount")
    refused(lambda: services.mark(app, financer, interested=False, amount="-1", by=sub), "amount")
    assert not PreselectionMark.objects.exists()
    services.mark(app, financer, interested=True, amount="15000000", by=sub)
    services.mark(scene["second"], financer, interested=False, amount="0", by=sub)
    assert PreselectionMark.objects.count() == 2


def test_a_change_updates_the_one_mark_with_old_and_new_in_the_audit(scene):
    app, financer, sub = scene["first"], scene["financer"], scene["sub"]
    services.mark(app, financer, interested=True, amount="2000000", comment="fits our field", by=sub)
    services.mark(app, financer, interested=False, amount="0", comment="budget cut", by=sub)
    mark = PreselectionMark.objects.get()
    assert (mark.interested, mark.amount, mark.comment) == (False, D("0.00"), "budget cut")
    event = AuditEvent.objects.get(action="grants.preselection.remarked")
    assert event.changes["interested"] == [True, False]
    assert event.changes["amount"] == ["2000000.00", "0.00"]


def test_marks_refused_by_a_non_financer_and_after_closing(scene, people):
    app = scene["first"]
    # Another subsoil user's rep cannot mark with the financer of a call its company does not finance.
    refused(
        lambda: services.mark(app, scene["financer"], interested=True, amount="1", by=scene["sub2"]),
        "financer",
    )
    services.mark(app, scene["financer"], interested=True, amount="1000000", by=scene["sub"])
    services.close_preselection(scene["call"], by=people["pm"])
    assert "closed" in refused(
        lambda: services.mark(app, scene["financer"], interested=False, amount="0", by=scene["sub"]), "status"
    )
    assert PreselectionMark.objects.get().interested is True


def test_mark_refused_when_the_application_is_not_in_preselection(scene):
    ProjectApplication.objects.filter(pk=scene["first"].pk).update(status="submitted")
    scene["first"].refresh_from_db()
    assert "not in pre-selection" in refused(
        lambda: services.mark(
            scene["first"], scene["financer"], interested=True, amount="1", by=scene["sub"]
        ),
        "status",
    )


# --- closing -------------------------------------------------------------------------------------


def test_close_moves_interested_to_expertise_and_the_rest_out(scene, people):
    first, second = scene["first"], scene["second"]
    services.mark(first, scene["financer"], interested=True, amount="3000000", by=scene["sub"])
    services.mark(second, scene["financer"], interested=False, by=scene["sub"])
    counts = services.close_preselection(scene["call"], by=people["pm"])
    assert counts == {"expertise": 1, "not_preselected": 1}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "expertise" and second.status == "not_preselected"
    assert first.preselection_closed_at is not None and second.preselection_closed_at is not None
    assert AuditEvent.objects.filter(action="grants.preselection.closed").count() == 2
    assert "No application" in refused(
        lambda: services.close_preselection(scene["call"], by=people["pm"]), "status"
    )
    with pytest.raises(PermissionDenied):
        services.close_preselection(scene["call"], by=scene["sub"])


# --- pages ---------------------------------------------------------------------------------------


def test_shortlist_pages_show_the_project_and_no_personal_data(client, scene):
    login_with_2fa(client, scene["sub"])
    app = scene["first"]
    response = client.get(f"/portal/grants/preselection/calls/{scene['call'].pk}/")
    assert response.status_code == 200
    assert app.number in response.content.decode()
    response = client.get(f"/portal/grants/preselection/applications/{app.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Digital twin of a gas processing line" in text
    assert "Model and data pipeline" in text and "Unplanned stops avoided" in text
    assert "TRL 5" in text
    assert "A. Seitkali" not in text  # the team
    assert scene["participant"].organisation.name not in text  # the applicant (decided: not shown)
    assert "passport.pdf" not in text and "business_plan.pdf" not in text  # the files
    response = client.post(
        f"/portal/grants/preselection/applications/{app.pk}/mark/",
        {"mark-interested": "yes", "mark-amount": "4000000", "mark-comment": ""},
    )
    assert response.status_code == 303
    assert PreselectionMark.objects.get().amount == D("4000000.00")
    response = client.post(
        f"/portal/grants/preselection/applications/{app.pk}/mark/",
        {"mark-interested": "yes", "mark-amount": "99000000"},
    )
    assert response.status_code == 400 and "exceed" in response.content.decode()
    assert PreselectionMark.objects.get().amount == D("4000000.00")


def test_a_rep_of_a_non_financing_company_gets_404(client, scene):
    login_with_2fa(client, scene["sub2"])
    assert client.get(f"/portal/grants/preselection/calls/{scene['call'].pk}/").status_code == 404
    assert client.get(f"/portal/grants/preselection/applications/{scene['first'].pk}/").status_code == 404
    response = client.post(
        f"/portal/grants/preselection/applications/{scene['first'].pk}/mark/",
        {"mark-interested": "yes", "mark-amount": "1"},
    )
    assert response.status_code == 404
    assert not PreselectionMark.objects.exists()
    assert scene["call"].code not in client.get("/portal/grants/preselection/").content.decode()


def test_staff_page_shows_marks_and_closes(client, scene, people):
    services.mark(scene["first"], scene["financer"], interested=True, amount="3000000", by=scene["sub"])
    login_with_2fa(client, people["pm"])
    response = client.get(f"/staff/grants/preselection/calls/{scene['call'].pk}/")
    text = response.content.decode()
    assert response.status_code == 200 and scene["company"].bin in text and "3,000,000.00" in text
    response = client.post(
        f"/staff/grants/preselection/calls/{scene['call'].pk}/financers/",
        {"financer-bin": scene["other"].bin, "financer-pledged": "1000"},
    )
    assert response.status_code == 303
    response = client.post(f"/staff/grants/preselection/calls/{scene['call'].pk}/close/")
    assert response.status_code == 303
    assert ProjectApplication.objects.get(pk=scene["first"].pk).status == "expertise"
