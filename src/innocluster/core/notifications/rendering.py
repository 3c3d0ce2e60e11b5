"""Notification texts: one subject and one body template per key and language.

Templates live in ``templates/notifications/<key>/<language>/{subject,body}.txt``; a language
without its own pair falls back to English (and is then rendered wholly in English). They are plain text, rendered without HTML escaping,
in the recipient's language (so ``|date`` and lazy translations come out in that language).
"""

import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation

FALLBACK_LANGUAGE = "en"
_KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")


class UnknownNotificationKey(LookupError):
    """No templates exist for this notification key (in the requested language or in English)."""


def language_for(user) -> str:
    """The language to write to ``user`` in: their own choice when the user model has one."""
    language = getattr(user, "innocluster_language", None) or settings.LANGUAGE_CODE
    known = {code for code, _name in settings.LANGUAGES}
    return language if language in known else settings.LANGUAGE_CODE


def _templates(key: str, language: str):
    """``(language, subject template, body template)``: the language's own, else English's."""
    for candidate in dict.fromkeys([language, FALLBACK_LANGUAGE]):
        try:
            return (
                candidate,
                get_template(f"notifications/{key}/{candidate}/subject.txt"),
                get_template(f"notifications/{key}/{candidate}/body.txt"),
            )
        except TemplateDoesNotExist:
            continue
    raise UnknownNotificationKey(
        f"Unknown notification key {key!r}: no template notifications/{key}/{FALLBACK_LANGUAGE}/"
        "subject.txt and body.txt. Add them (and the kk and ru ones) to an app's templates."
    )


def _plain(template, context: Mapping[str, Any]) -> str:
    # The backend wrapper escapes HTML; e-mail text must not, so render the engine template directly.
    return template.template.render(Context(dict(context), autoescape=False))


def _tidy_body(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def render(key: str, language: str, context: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """``(subject, body)`` for ``key`` in ``language``; raises :class:`UnknownNotificationKey`."""
    if not _KEY.match(key or ""):
        raise UnknownNotificationKey(
            f"Invalid notification key {key!r}: use dotted lower-case words, e.g. 'workflow.transition'."
        )
    # Text that falls back to English is rendered wholly in English (dates, lazy labels too).
    language, subject_template, body_template = _templates(key, language)
    with translation.override(language):
        subject = _plain(subject_template, context or {})
        body = _plain(body_template, context or {})
    # A header cannot span lines; keep the subject to one line of sensible length.
    subject = " ".join(subject.split())[:255]
    return subject, _tidy_body(body)
