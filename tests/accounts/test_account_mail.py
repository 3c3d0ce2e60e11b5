"""Account mails (allauth's) are ours: Kazakh and Russian side by side (English first for a reader
who chose English), signed with the Fund's name from settings, and readable on the console."""

import io
import re
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from innocluster.core.notifications.console import EmailBackend as ConsoleBackend
from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "aigerim@acme.kz",
    "username": "aigerim",
    "password1": "Steppe-Eagle-2026",
    "password2": "Steppe-Eagle-2026",
    "role": "participant_rep",
    "consent": "on",
}
KK, RU, EN = (settings.INNOCLUSTER_FUND_NAME[lang] for lang in ("kk", "ru", "en"))
CONFIRM_LINK = re.compile(r"http://testserver/accounts/confirm-email/[\w:-]+/")


def test_the_signup_mail_carries_the_link_in_kazakh_and_russian_signed_by_the_fund(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    (message,) = mail.outbox
    body = message.body
    assert CONFIRM_LINK.search(body)
    assert message.subject == "Электрондық пошта мекенжайын растаңыз / Подтвердите адрес электронной почты"
    assert "Мекенжайды растау үшін мына сілтемені ашыңыз" in body  # Kazakh
    assert "Чтобы подтвердить адрес, откройте ссылку" in body  # Russian
    assert body.index("Сәлеметсіз бе!") < body.index("Здравствуйте!")  # Kazakh first
    assert KK in body and RU in body
    assert "Hello" not in body and "127.0.0.1:8000" not in message.subject
    assert body.count(CONFIRM_LINK.search(body).group()) == 2  # once in each language


def test_a_reader_who_chose_english_reads_english_first_then_kazakh_and_russian(client):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject.startswith("Confirm your e-mail address / Электрондық пошта")
    body = message.body
    assert (
        body.index("To confirm the address")
        < body.index("Мекенжайды растау")
        < body.index("Чтобы подтвердить")
    )
    assert EN in body and KK in body and RU in body


def test_the_console_shows_the_mail_readable_not_base64(client):
    client.post("/accounts/signup/", SIGNUP)
    (message,) = mail.outbox
    stream = io.StringIO()
    ConsoleBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert CONFIRM_LINK.search(printed)
    assert "Мекенжайды растау үшін мына сілтемені ашыңыз" in printed and RU in printed
    assert "Subject: Confirm your e-mail address / Электрондық пошта" in printed
    assert "base64" not in printed


def test_the_stock_console_would_have_printed_base64(client):
    """Why the backend exists: Django's own prints the body as it travels."""
    from django.core.mail.backends.console import EmailBackend

    client.post("/accounts/signup/", SIGNUP)
    stream = io.StringIO()
    EmailBackend(stream=stream).send_messages(mail.outbox)
    assert "Мекенжайды растау" not in stream.getvalue()  # base64 or quoted-printable


def test_a_password_reset_mail_is_ours_too(client):
    user_with_role("participant_rep", "aigerim", enrolled=False)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="aigerim")
    user.email = "aigerim@acme.kz"
    user.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    client.post("/accounts/password/reset/", {"email": "aigerim@acme.kz"})
    client.post("/accounts/password/reset/", {"email": "nobody@acme.kz"})
    reset, unknown = mail.outbox
    assert reset.subject == "Құпиясөзді қалпына келтіру / Сброс пароля"
    assert re.search(r"http://testserver/accounts/password/reset/key/\S+", reset.body)
    assert "Пайдаланушы атыңыз (ұмытқан болсаңыз): aigerim" in reset.body
    assert unknown.subject == "Бұл мекенжаймен тіркелгі жоқ / Учётной записи с этим адресом нет"
    assert "http://testserver/accounts/signup/" in unknown.body


def _allauth_mail_templates() -> list[str]:
    root = Path(allauth.__file__).parent / "templates"
    return sorted(
        str(path.relative_to(root))
        for folder in ("account/email", "mfa/email")
        for path in (root / folder).glob("*.txt")
        if not path.name.startswith("base_")
    )


def test_every_mail_allauth_sends_has_our_template():
    names = _allauth_mail_templates()
    assert len(names) >= 34
    for name in names:
        origin = Path(get_template(name).origin.name)
        assert "allauth" not in origin.parts, f"{name} is still allauth's stock text"


@pytest.mark.parametrize("name", [n for n in _allauth_mail_templates() if n.endswith("_message.txt")])
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_mail_renders_in_both_official_languages_with_the_fund_name(name, language):
    context = {
        "user": type("U", (), {"username": "aigerim"})(),
        "email": "aigerim@acme.kz",
        "activate_url": "http://testserver/accounts/confirm-email/k/",
        "password_reset_url": "http://testserver/accounts/password/reset/key/k/",
        "signup_url": "http://testserver/accounts/signup/",
        "code": "ABC123",
        "from_email": "a@acme.kz",
        "to_email": "b@acme.kz",
        "deleted_email": "c@acme.kz",
        "ip": "10.0.0.1",
        "user_agent": "Firefox",
        "timestamp": timezone.now(),
        "username": "aigerim",
    }
    with translation.override(language):
        body = render_to_string(name, context)
        subject = render_to_string(name.replace("_message.txt", "_subject.txt"), context).strip()
    assert "Сәлеметсіз бе!" in body and "Здравствуйте!" in body and KK in body and RU in body
    assert (EN in body) is (language == "en")
    assert " / " in subject and "\n" not in subject
    assert "{{" not in body and "{%" not in body
