"""The letters of an approved request: the PDF download (``/portal/workforce/letters/<number>/``)
for those who may read the specialist's personal data in full (the HR officer and the employer's
representatives; anyone else who cannot see the request gets a 404, as if it did not exist; every
download is an audited read), and the public verification page a letter's QR points to
(``/verify/letter/<number>/?code=...``: a wrong code or an unknown number is the same "not
found")."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.audit.services import record_event
from innocluster.core.http import client_ip, pdf_attachment
from innocluster.core.policy import values as policy
from innocluster.workforce import letters_pdf
from innocluster.workforce.selectors import reports as selectors
from innocluster.workforce.selectors.personal_data import mask_passport
from innocluster.workforce.selectors.requests import request_for

FULL = "workforce.personal_data"


@requires(FULL)
@require_safe
def letter(request, number):
    """The letter ``number`` as PDF, for the HR officer or a representative of the employer."""
    found = selectors.letter_by_number(number)
    engagement = request_for(request.user, found.request_id) if found else None
    if engagement is None or not can(request.user, FULL, engagement).allowed:
        raise Http404("no such letter")
    content = letters_pdf.letter_pdf(found)
    shown = (
        ["passport_number", "date_of_birth"] if found.kind == found.Kind.VISA_SUPPORT else ["date_of_birth"]
    )
    record_event(
        action="workforce.letter.downloaded",
        actor=request.user,
        obj=found,
        changes={"number": found.number, "kind": found.kind, "fields": shown},
        ip=client_ip(request),
    )
    return pdf_attachment(content, letters_pdf.filename(found))


@requires("workforce.letter.verify")
@require_safe
def verify(request, number):
    """Is letter ``number`` genuine, and is it valid today? Needs the code printed with it."""
    found = selectors.verified_letter(number, request.GET.get("code", ""))
    if found is None:
        return render(request, "workforce/documents/not_found.html", {"number": number[:30]}, status=404)
    engagement = found.request
    context = {
        "letter": found,
        "engagement": engagement,
        "status": selectors.letter_status(found),
        "today": policy.today(),
        "passport": mask_passport(engagement.specialist.passport_number),
    }
    return render(request, "workforce/documents/verify.html", context)
