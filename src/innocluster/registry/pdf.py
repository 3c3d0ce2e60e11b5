"""Printable documents of the register: the participation agreement and the participant's
certificate, as PDF.

Both are bilingual side by side (Kazakh left, Russian right, each column wholly in its language),
as official papers in Kazakhstan are, so the wording is in the templates rather than in the
translation catalogues and does not follow the reader's UI language. Dates print as dd.mm.yyyy.
"""

from datetime import date

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from weasyprint import HTML

from innocluster.core.identifiers import mask_iin
from innocluster.core.policy import values as policy
from innocluster.registry.models import Application, Participant

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def _date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _render(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    # No base URL: the templates are self-contained and nothing is fetched while rendering.
    return HTML(string=html).write_pdf()


def _legal_basis(on) -> dict[str, str]:
    """The law of the regime in force on ``on`` (the decision's or the registration's date), in
    both languages: a 2024 agreement reprinted later still cites the law it was made under (blank if
    no regime is loaded)."""
    from innocluster.core.policy.models import Regime

    try:
        regime = Regime.objects.filter(code=policy.regime_on(on)).first()
    except policy.PolicyError:
        regime = None
    return {
        "kk": regime.legal_basis_kk if regime else "",
        "ru": regime.legal_basis_ru if regime else "",
    }


def _party(organisation, individual, *, masked: bool) -> dict[str, str]:
    """Names and identifying number of the organisation or person, for both columns."""
    if organisation is not None:
        return {
            "name_kk": organisation.name_kk or organisation.name_ru,
            "name_ru": organisation.name_ru,
            "number": organisation.bin,
            "is_organisation": True,
        }
    return {
        "name_kk": individual.name,
        "name_ru": individual.name,
        "number": mask_iin(individual.iin) if masked else individual.iin,
        "is_organisation": False,
    }


def verify_url(number: str) -> str:
    """The absolute public address that confirms registration ``number`` (printed and in the QR)."""
    base = (getattr(settings, "INNOCLUSTER_BASE_URL", "") or DEFAULT_BASE_URL).rstrip("/")
    return base + reverse("verify", args=[number])


def agreement_pdf(application: Application, *, mask_iin: bool = False) -> bytes:
    """The participation agreement between the Fund and the applicant, on the commission's
    decision, for both parties to sign. A contract names its party in full: the IIN is not masked
    for the party itself (the default); ``mask_iin`` prints it masked, for staff who may read the
    application but not personal data. Raises ``ValidationError`` on ``decision`` when the
    application has no decision yet."""
    decision = application.decision
    if decision is None:
        raise ValidationError(
            {"decision": _("The agreement follows the commission's decision; record it first.")}
        )
    context = {
        "application": application,
        "party": _party(application.organisation, application.individual, masked=mask_iin),
        "category": application.category,
        "decision_number": decision.number,
        "decision_date": _date(decision.decided_on),
        "basis": _legal_basis(decision.decided_on),
        # The priority activities the agreement binds the participant to (OKED code, both names).
        "activities": list(application.priority_activities.order_by("oked")),
        "project_title": application.project_title,
        "project_starts_on": _date(application.project_starts_on),
        "project_ends_on": _date(application.project_ends_on),
    }
    return _render("registry/pdf/agreement.html", context)


def certificate_pdf(participant: Participant) -> bytes:
    """The certificate of a registered participant with a QR code of its public verification page.

    The certificate is shown to third parties, so a person's IIN is masked as on the public register
    (one masking everywhere, so no two printed forms add up to the whole number)."""
    url = verify_url(participant.number)
    qr = segno.make(url, error="m")
    context = {
        "participant": participant,
        "party": _party(participant.organisation, participant.individual, masked=True),
        "category": participant.category,
        "registered_on": _date(participant.registered_on),
        "verify_url": url,
        "qr_svg": qr.svg_data_uri(scale=4, border=2),
        "basis": _legal_basis(participant.registered_on),
    }
    return _render("registry/pdf/certificate.html", context)
