"""Uploading bank statements: the same import as ``innocluster statements import``, its summary
shown to the finance officer."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from innocluster.core.access.views import requires
from innocluster.core.errors import DomainError
from innocluster.finance.forms import UploadForm
from innocluster.finance.selectors.banking import recent_imports
from innocluster.finance.services.statements import import_statement


@requires("finance.statements.import")
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request):
    """A statement file in any supported format: imported at once (or only checked), the summary
    (statements, lines, new, already imported, matched, unmatched) shown, or the refusal naming
    the line of the file; nothing is written when the file is refused."""
    form = UploadForm(request.POST or None, request.FILES or None)
    summary, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                summary = import_statement(
                    uploaded.file,
                    file_name=uploaded.name,
                    fmt=form.cleaned_data["format"],
                    by=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                )
                form = UploadForm()
            except DomainError as error:
                form.add_error("file", str(error))
                status = 422
        else:
            status = 422
    return render(
        request,
        "finance/statements.html",
        {"form": form, "summary": summary, "imports": recent_imports()},
        status=status,
    )
