"""The minutes of a meeting and an extract of one resolution, as PDF, each wholly in Kazakh or
wholly in Russian (the languages the Fund issues its papers in).

Unlike the register's bilingual papers, each document is rendered in one language under
``translation.override``: its wording comes from the translation catalogue, the meeting's texts
from the stored translations (item titles, resolutions, the summary), and the arithmetic of each
round is the text stored when the round closed (``BallotRound.steps[language]``). The facts come
from ``selectors_minutes.minutes_content``, the same structure the minutes page shows and the SHA-256 of
locked minutes covers. Dates print as dd.mm.yyyy.
"""

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import HTML

from innocluster.core.calendar import ALMATY
from innocluster.governance import selectors_minutes
from innocluster.governance.models import Minutes, MinutesStatus, Resolution

LANGUAGES = selectors_minutes.MINUTES_LANGUAGES  # kk, ru


def _check(language: str) -> None:
    if language not in LANGUAGES:
        raise ValidationError({"lang": _("The minutes are issued in Kazakh (kk) or Russian (ru).")})


def _when(value) -> str:
    return timezone.localtime(value, ALMATY).strftime("%d.%m.%Y") if value else ""


def _pdf(html: str) -> bytes:
    # No base URL: the templates are self-contained and nothing is fetched while rendering.
    return HTML(string=html).write_pdf()


def minutes_html(minutes: Minutes, language: str) -> str:
    """The HTML the minutes' PDF is printed from (tests read it too)."""
    _check(language)
    with translation.override(language):
        content = selectors_minutes.minutes_labels(
            selectors_minutes.minutes_content(minutes.meeting, language)
        )
        return render_to_string(
            "governance/pdf/minutes.html",
            {
                "c": content,
                "language": language,
                "minutes": minutes,
                "status": MinutesStatus(minutes.status).label,
                "locked": minutes.status == MinutesStatus.LOCKED,
                "circulated_on": _when(minutes.circulated_at),
                "comments_due": minutes.comments_due.strftime("%d.%m.%Y") if minutes.comments_due else "",
                "approved_on": _when(minutes.approved_at),
                "locked_on": _when(minutes.locked_at),
            },
        )


def minutes_pdf(minutes: Minutes, language: str) -> bytes:
    """The minutes in ``language`` (``kk`` or ``ru``): the body, the meeting's number, date,
    place and kind, who attended, every item with its rounds' arithmetic and result, the
    resolutions, the status of the minutes and, once locked, their SHA-256."""
    return _pdf(minutes_html(minutes, language))


def resolution_extract_html(resolution: Resolution, language: str) -> str:
    _check(language)
    with translation.override(language):
        content = selectors_minutes.resolution_content(resolution, language)
        if content is None:
            raise ValidationError({"resolution": _("This resolution's item is not on the meeting's agenda.")})
        content = selectors_minutes.minutes_labels(content)
        item = next(i for i in content["items"] if i["number"] == content["item"]["number"])
        minutes = Minutes.objects.filter(meeting=resolution.item.meeting).first()
        return render_to_string(
            "governance/pdf/extract.html",
            {
                "c": content,
                "item": item,
                "resolution": content["resolution"],
                "language": language,
                "minutes": minutes,
                "status": MinutesStatus(minutes.status).label if minutes else "",
                "locked": bool(minutes and minutes.status == MinutesStatus.LOCKED),
            },
        )


def resolution_extract_pdf(resolution: Resolution, language: str) -> bytes:
    """ "Extract from the minutes": the resolution's number, date and text, with the item's vote
    counts and the arithmetic of its rounds, in ``language`` (``kk`` or ``ru``)."""
    return _pdf(resolution_extract_html(resolution, language))
