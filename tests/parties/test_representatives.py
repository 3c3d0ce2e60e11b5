"""Who acts for an organisation: the first representative, who adds whom, and the last head."""
# Moved from tests/registry with the representatives' services.

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.parties.models import Representative
from innocluster.parties.selectors import organisations_of
from innocluster.parties.services.representatives import add_representative, deactivate_representative
from tests.registry.test_membership import make_organisation

pytestmark = pytest.mark.django_db


# The people these tests act as (``people`` fixture, tests/conftest.py).
PEOPLE = ("head", "deputy", "clerk", "outsider")


@pytest.fixture
def organisation(people):
    organisation = make_organisation()
    add_representative(organisation, user=people["head"], role="head", by=None)
    return organisation


def test_nobody_names_themselves_the_first_representative(people):
    """That is a claim of authority, which a registrar confirms (tests/parties/test_claims.py)."""
    organisation = make_organisation()
    with pytest.raises(PermissionDenied):
        add_representative(organisation, user=people["head"], role="head", by=people["head"])
    assert not Representative.objects.exists()
    rep = add_representative(organisation, user=people["head"], role="head", by=None)
    assert (rep.active, rep.role, rep.added_by) == (True, "head", None)
    event = AuditEvent.objects.get(action="parties.representative.added")
    assert event.object_id == str(rep.pk) and event.changes["role"] == [None, "head"]
    assert list(organisations_of(people["head"])) == [organisation]


def test_the_system_may_name_the_first_representative(people):
    organisation = make_organisation()
    rep = add_representative(organisation, user=people["deputy"], role="authorised", by=None)
    assert rep.active and rep.added_by is None


def test_the_first_representative_must_manage_the_others(people):
    organisation = make_organisation()
    with pytest.raises(ValidationError) as exc:
        add_representative(organisation, user=people["clerk"], role="contact", by=None)
    assert "role" in exc.value.error_dict
    assert not Representative.objects.exists()


def test_nobody_else_names_the_first_representative(people):
    organisation = make_organisation()
    with pytest.raises(PermissionDenied):
        add_representative(organisation, user=people["clerk"], role="head", by=people["outsider"])


def test_the_head_adds_others_and_others_cannot(people, organisation):
    add_representative(organisation, user=people["clerk"], role="contact", by=people["head"])
    for by in (people["clerk"], people["outsider"], None):  # a contact, a stranger, the system
        with pytest.raises(PermissionDenied):
            add_representative(organisation, user=people["deputy"], role="authorised", by=by)
    deputy = add_representative(organisation, user=people["deputy"], role="authorised", by=people["head"])
    assert deputy.added_by == people["head"]
    # An authorised representative manages too.
    assert add_representative(organisation, user=people["outsider"], role="contact", by=people["deputy"])


def test_someone_already_acting_is_not_added_twice(people, organisation):
    with pytest.raises(ValidationError) as exc:
        add_representative(organisation, user=people["head"], role="contact", by=people["head"])
    assert "user" in exc.value.error_dict
    with pytest.raises(ValidationError):
        add_representative(organisation, user=people["clerk"], role="boss", by=people["head"])


def test_deactivation_needs_a_reason_and_is_audited(people, organisation):
    clerk = add_representative(organisation, user=people["clerk"], role="contact", by=people["head"])
    with pytest.raises(ValidationError) as exc:
        deactivate_representative(clerk, by=people["head"], reason=" ")
    assert "reason" in exc.value.error_dict
    deactivate_representative(clerk, by=people["head"], reason="Left the company")
    clerk.refresh_from_db()
    assert not clerk.active
    event = AuditEvent.objects.get(action="parties.representative.deactivated")
    assert event.reason == "Left the company" and event.changes == {"active": [True, False]}
    assert list(organisations_of(people["clerk"])) == []
    with pytest.raises(ValidationError):
        deactivate_representative(clerk, by=people["head"], reason="Again")


def test_only_a_manager_deactivates(people, organisation):
    clerk = add_representative(organisation, user=people["clerk"], role="contact", by=people["head"])
    head = Representative.objects.get(user=people["head"])
    for by in (people["clerk"], people["outsider"], None):
        with pytest.raises(PermissionDenied):
            deactivate_representative(head, by=by, reason="Coup")
    assert Representative.objects.filter(active=True).count() == 2
    assert clerk.active


def test_the_last_active_head_stays(people, organisation):
    head = Representative.objects.get(user=people["head"])
    add_representative(organisation, user=people["deputy"], role="authorised", by=people["head"])
    with pytest.raises(ValidationError) as exc:
        deactivate_representative(head, by=people["deputy"], reason="Replaced")
    assert "last active head" in exc.value.messages[0]
    second = add_representative(organisation, user=people["clerk"], role="head", by=people["head"])
    deactivate_representative(head, by=people["deputy"], reason="Replaced")
    head.refresh_from_db()
    assert not head.active
    with pytest.raises(ValidationError):
        deactivate_representative(second, by=people["clerk"], reason="Leaving")


def test_adding_again_reactivates_the_same_row(people, organisation):
    clerk = add_representative(organisation, user=people["clerk"], role="contact", by=people["head"])
    deactivate_representative(clerk, by=people["head"], reason="Parental leave")
    again = add_representative(organisation, user=people["clerk"], role="authorised", by=people["head"])
    assert again.pk == clerk.pk
    again.refresh_from_db()
    assert (again.active, again.role) == (True, "authorised")
    assert Representative.objects.filter(user=people["clerk"]).count() == 1
    event = AuditEvent.objects.get(action="parties.representative.reactivated")
    assert event.changes["role"] == ["contact", "authorised"]


def test_organisations_of(people, organisation):
    other = make_organisation("ТОО «Другое»")
    add_representative(other, user=people["head"], role="head", by=None)
    assert set(organisations_of(people["head"])) == {organisation, other}
    assert list(organisations_of(people["outsider"])) == []
    assert list(organisations_of(AnonymousUser())) == []
    assert list(organisations_of(None)) == []
