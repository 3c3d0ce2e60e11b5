"""The financing agreement as PDF, wholly in Kazakh or wholly in Russian (``?lang=kk|ru``).

Like the register's papers, the wording lives in one template per language (an official paper's
text does not follow the reader's UI language or wait for a catalogue); the facts come from the
award and the agreement version in force: the parties (the Fund and the grantee with its BIN), the
project, the amount in tenge (figures and words), the dates, the milestones, the tranche schedule,
the decision it rests on and the agreement's number. Dates print as dd.mm.yyyy."""

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML

from innocluster.core.decisions.executors import body_label
from innocluster.core.money import amount_in_words, format_kzt
from innocluster.grants.models import AgreementVersion, Award, Tranche

LANGUAGES = ("kk", "ru")


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def agreement_html(award: Award, language: str) -> str:
    """The HTML the agreement's PDF is printed from (tests read it too)."""
    if language not in LANGUAGES:
        raise ValidationError({"lang": _("The agreement is issued in Kazakh (kk) or Russian (ru).")})
    application = award.application
    organisation = application.organisation
    version = (
        award.versions.filter(status=AgreementVersion.Status.APPROVED).order_by("-version").first()
        or award.versions.order_by("version").first()
    )
    milestones = list(award.milestones.order_by("position"))
    with translation.override(language):
        tranches = [
            {
                "position": t.position,
                "amount": format_kzt(t.amount, language),
                "planned_on": _date(t.planned_on),
                "milestone": t.milestone.position if t.milestone_id else None,
                "status": Tranche.Status(t.status).label,
                "cancelled": t.status == Tranche.Status.CANCELLED,
            }
            for t in award.tranches.select_related("milestone").order_by("position")
        ]
        decision = award.decision
        return render_to_string(
            f"grants/awards/agreement_{language}.html",
            {
                "award": award,
                "number": award.number,
                "version": version,
                "language": language,
                "organisation_name": (getattr(organisation, f"name_{language}", "") or organisation.name_ru),
                "bin": organisation.bin,
                "project": application.project.title,
                "application": application.number,
                "amount": format_kzt(award.amount, language),
                "amount_words": amount_in_words(award.amount, language),
                "cofinancing": format_kzt(application.cofinancing_amount, language),
                "starts_on": _date(version.starts_on if version else application.starts_on),
                "ends_on": _date(version.ends_on if version else application.ends_on),
                "awarded_on": _date(award.awarded_at.date()),
                "milestones": [
                    {
                        "position": m.position,
                        "title": m.title,
                        "deliverable": m.deliverable,
                        "due_on": _date(m.due_on),
                    }
                    for m in milestones
                ],
                "tranches": tranches,
                "decision_body": body_label(decision.body),
                "decision_number": decision.number,
                "decision_date": _date(decision.decided_on),
                "status": award.get_status_display(),
                "active": award.status == "active",
            },
        )


def agreement_pdf(award: Award, language: str) -> bytes:
    # No base URL: the template is self-contained and nothing is fetched while rendering.
    return HTML(string=agreement_html(award, language)).write_pdf()
