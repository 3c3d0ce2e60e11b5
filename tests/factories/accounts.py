"""People for tests: users holding a role, signed in the way the real pages sign them in."""

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import factory
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
    record_authentication,
)
from allauth.account.internal.userkit import user_id_to_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from innocluster.core.access.services import grant_role
from innocluster.core.accounts.services import enrol_totp

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TEST_PASSWORD = "pw-Test-2026"


class UserFactory(factory.django.DjangoModelFactory):
    """A user holding ``role`` (granted through the service, so audited like a real grant) and,
    unless ``enrolled=False``, enrolled in TOTP 2FA with :data:`TEST_TOTP_SECRET`."""

    class Meta:
        model = settings.AUTH_USER_MODEL
        skip_postgeneration_save = True

    class Params:
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if extracted:
            grant_role(user=user, role=extracted, reason="test")

    @factory.post_generation
    def enrolled(user, create, extracted, **kwargs):
        if extracted is None or extracted:
            enrol_totp(user, TEST_TOTP_SECRET)


def user_with_role(role: str, username: str | None = None, *, superuser: bool = False, enrolled: bool = True):
    """A fresh copy of a :class:`UserFactory` user named ``username`` (the role by default)."""
    user = UserFactory(username=username or role, role=role, enrolled=enrolled, superuser=superuser)
    return get_user_model().objects.get(pk=user.pk)


@dataclass(frozen=True)
class Person:
    """Who a test acts as: a role, a username and whether 2FA is set up (staff have it)."""

    role: str
    username: str
    enrolled: bool = True


def _rep(username: str) -> Person:
    return Person("participant_rep", username, enrolled=False)


# The people the tests act as, by the name a test calls them. "applicant" and "rep" are one
# person (the company's representative, user "acme") seen from the application or the register.
CAST: dict[str, Person] = {
    "applicant": _rep("acme"),
    "rep": _rep("acme"),
    **{
        name: _rep(name) for name in ("other", "colleague", "stranger", "head", "deputy", "clerk", "outsider")
    },
    "a": _rep("a"),
    "b": _rep("b"),
    "registrar": Person("registrar", "reg"),
    "commission": Person("commission_member", "com"),
    "admin": Person("fund_admin", "fadmin"),
    "subsoil": Person("subsoil_rep", "subsoil", enrolled=False),
}
# The registry's usual four: an applicant, a stranger to their application, a registrar and a
# commission member.
DEFAULT_PEOPLE = ("applicant", "other", "registrar", "commission")


def make_people(cast: "Iterable[str] | Mapping[str, Person | str]" = DEFAULT_PEOPLE) -> dict:
    """Users for ``cast``, created in its order: names from :data:`CAST`, or a mapping of names to
    a :class:`Person` (or to a name in :data:`CAST`) for people of the test's own."""
    entries = cast.items() if isinstance(cast, Mapping) else ((name, name) for name in cast)
    people, made = {}, {}
    for name, who in entries:
        person = CAST[who] if isinstance(who, str) else who
        if person.username not in made:
            made[person.username] = user_with_role(person.role, person.username, enrolled=person.enrolled)
        people[name] = made[person.username]
    return people


def login_with_2fa(client, user) -> None:
    """force_login plus the records allauth writes when the password and then a TOTP code were
    accepted (so the 2FA middleware and token issuing see a real two-factor session)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    record_authentication(request, user, "password", username=user.get_username())
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()


def reauthenticate(client, user) -> None:
    """The record allauth writes when a person re-enters their password for a sensitive action."""
    session = client.session
    records = list(session.get(AUTHENTICATION_METHODS_SESSION_KEY, []))
    records.append({"method": "password", "at": time.time(), "reauthenticated": True})
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()
