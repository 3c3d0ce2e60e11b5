"""The letters the Fund issues on approving a request, as PDF: the confirmation letter (for the
employer) and the visa-support letter (for the migration service).

Both are bilingual side by side (Kazakh left, Russian right), like the register's certificate, so
the wording is in the template and does not follow the reader's UI language; dates print as
dd.mm.yyyy. The Fund is the issuer; the letter names the employer (name, BIN), the specialist
(Latin name as in the passport, Cyrillic name, citizenship, date of birth, passport number), the
position, occupation code and category, the contract term, the legal basis (the regime's law and
the rule of the longest term), its number and date, and the verification address with its QR.

**The passport number**: the visa-support letter prints it **in full** (the migration service
issues the visa against that passport, a masked number would identify nobody); the confirmation
letter, which the employer keeps and may show to third parties, prints it masked as everywhere
else outside the HR officer's and the employer's screens. Both are downloaded only by those who
may read the personal data in full (the HR officer and the employer's representatives), and every
download is an audited read."""

from datetime import date

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from weasyprint import HTML

from innocluster.core.policy import values as policy
from innocluster.workforce.countries import country_name
from innocluster.workforce.models import EngagementRequest, Letter
from innocluster.workforce.selectors.personal_data import mask_passport

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
TERM_KEY = "workforce.visa_max_years"

CATEGORIES = {
    EngagementRequest.Category.MANAGER: {"kk": "басшы", "ru": "руководитель"},
    EngagementRequest.Category.SPECIALIST: {"kk": "маман", "ru": "специалист"},
    EngagementRequest.Category.QUALIFIED_WORKER: {"kk": "білікті жұмысшы", "ru": "квалифицированный рабочий"},
}


def _date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def verify_url(letter: Letter) -> str:
    """The absolute public address that confirms ``letter`` (printed and in the QR)."""
    base = (getattr(settings, "INNOCLUSTER_BASE_URL", "") or DEFAULT_BASE_URL).rstrip("/")
    path = reverse("verify_letter", args=[letter.number])
    return f"{base}{path}?{urlencode({'code': letter.verification_code})}"


def _legal_basis(on: date) -> dict[str, str]:
    """The regime's law and the reference of the rule on the term, in both languages."""
    from innocluster.core.policy.models import Regime

    try:
        regime = Regime.objects.filter(code=policy.regime_on(on)).first()
        rule = policy.lookup(TERM_KEY, on=on)
    except policy.PolicyError:
        rule = None
    years = rule.value if rule else ""
    if rule is not None and rule.source == "design":
        rule = None  # our own decision, not a legal reference: the letter cites the law only
    return {
        "kk": regime.legal_basis_kk if regime else "",
        "ru": regime.legal_basis_ru if regime else "",
        "rule_kk": (rule.reference_kk or rule.reference) if rule else "",
        "rule_ru": (rule.reference_ru or rule.reference) if rule else "",
        "years": years,
    }


def letter_pdf(letter: Letter) -> bytes:
    request = letter.request
    person = request.specialist
    issued_on = timezone.localdate(letter.issued_at, timezone=policy.ALMATY)
    visa = letter.kind == Letter.Kind.VISA_SUPPORT
    url = verify_url(letter)
    context = {
        "letter": letter,
        "visa": visa,
        "request": request,
        "employer": request.employer,
        "person": person,
        "passport": person.passport_number if visa else mask_passport(person.passport_number),
        "citizenship": {
            "kk": country_name(person.citizenship, "kk"),
            "ru": country_name(person.citizenship, "ru"),
            "code": person.citizenship,
        },
        "category": CATEGORIES.get(request.category, {"kk": request.category, "ru": request.category}),
        "issued_on": _date(issued_on),
        "date_of_birth": _date(person.date_of_birth),
        "passport_expiry": _date(person.passport_expiry),
        "contract_start": _date(request.contract_start),
        "contract_end": _date(request.contract_end),
        "visa_until": _date(request.visa_valid_until),
        "basis": _legal_basis(issued_on),
        "verify_url": url,
        "qr_svg": segno.make(url, error="m").svg_data_uri(scale=4, border=2),
    }
    html = render_to_string("workforce/documents/letter.html", context)
    # No base URL: the template is self-contained and nothing is fetched while rendering.
    return HTML(string=html).write_pdf()


def filename(letter: Letter) -> str:
    return f"{letter.number}.pdf"
