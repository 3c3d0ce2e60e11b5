"""The assessment (a dry run, then apply) and the National Bank's rates."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.errors import DomainError
from innocluster.core.http import see_other
from innocluster.core.policy import values as policy
from innocluster.levy import forms
from innocluster.levy.errors import ImportRefused
from innocluster.levy.selectors import contracts as contract_selectors
from innocluster.levy.services import assessment, rates
from innocluster.levy.views.common import (
    refusal_to_form,
)
from innocluster.levy.views.staff.common import (
    GET_OR_POST,
    PAGE_SIZE,
    _page,
)


@requires("levy.assess")
@require_http_methods(GET_OR_POST)
def assess(request):
    """The same service as ``innocluster levy assess``: ``check`` is its dry run (the table of
    obligations that would be created or adjusted, nothing written); ``apply`` runs it."""
    form = forms.AssessmentForm(request.POST or None, initial={"year": policy.today().year})
    result, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            dry_run = request.POST.get("action") != "apply"
            try:
                result = assessment.assess(form.cleaned_data["year"], by=request.user, dry_run=dry_run)
            except DomainError as error:
                refusal_to_form(form, error)
                status = 422
            else:
                if not dry_run:
                    messages.success(
                        request,
                        _(
                            "Assessed %(year)s: %(created)s created, %(adjusted)s adjusted, %(unchanged)s unchanged."
                        )
                        % {
                            "year": result.year,
                            "created": result.count("created"),
                            "adjusted": result.count("adjusted"),
                            "unchanged": result.count("unchanged"),
                        },
                    )
        else:
            status = 422
    counts = {k: result.count(k) for k in ("created", "adjusted", "unchanged")} if result else {}
    return _page(
        request, "levy/staff/assess.html", {"form": form, "result": result, "counts": counts}, status=status
    )


# --- rates ---------------------------------------------------------------------------------------


@requires("levy.read")
@require_http_methods(GET_OR_POST)
def rate_list(request):
    """The stored rates (newest first); an officer adds one or uploads the Bank's file."""
    may_manage = can(request.user, "levy.rates.manage").allowed
    if request.method == "POST" and not may_manage:
        raise PermissionDenied(_("Only a finance officer adds exchange rates."))
    add = forms.RateForm(request.POST if request.POST.get("action") == "add" else None, prefix="add")
    upload = forms.RatesFileForm(
        request.POST if request.POST.get("action") == "upload" else None,
        request.FILES if request.POST.get("action") == "upload" else None,
        prefix="upload",
    )
    errors, summary, status = [], None, 200
    if request.method == "POST":
        status = 422
        if add.is_bound and add.is_valid():
            try:
                rates.add_rate(by=request.user, **add.cleaned_data)
            except DomainError as error:
                add.add_error("rate", str(error))
            else:
                messages.success(request, _("The rate is stored."))
                return see_other("levy:rates")
        elif upload.is_bound and upload.is_valid():
            uploaded = upload.cleaned_data["file"]
            try:
                summary = rates.import_rates(uploaded.file, file_name=uploaded.name, by=request.user)
                status = 200
            except ImportRefused as error:
                errors = error.errors
            except DomainError as error:
                upload.add_error("file", str(error))
    page = Paginator(contract_selectors.rates().order_by("-date", "currency"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _page(
        request,
        "levy/staff/rates.html",
        {
            "page": page,
            "add": add,
            "upload": upload,
            "errors": errors,
            "summary": summary,
            "can_manage": may_manage,
        },
        status=status,
    )


# --- obligations, R&D spending and credits -------------------------------------------------------
