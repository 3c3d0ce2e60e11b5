"""Small request and response helpers shared by the staff pages, the organisations' portal and the
decision record, so that every page answers a POST, a refusal and a download the same way.

In core (the lowest layer), so every app above may use it.
"""

from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _


def client_ip(request) -> str | None:
    """The address the audit log records for a request (as the server saw it)."""
    return request.META.get("REMOTE_ADDR")


def see_other(to, *args, **kwargs) -> HttpResponseRedirect:
    """After a POST, send the browser on with a GET (303 See Other), so a reload does not post
    again. ``to`` is what :func:`~django.shortcuts.redirect` takes: a URL name with its arguments,
    a model or a URL."""
    return HttpResponseRedirect(resolve_url(to, *args, **kwargs), status=303)


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's refusal beside the fields it names (the rest at the top of the form): the
    services validate again, and the person should see why where they typed it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def open_stored_or_404(file) -> File:
    """Open an uploaded file for reading; a file lost from storage is a 404 with a message, not a
    500 page."""
    try:
        return file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file of this document is missing from storage.")) from None


def _no_sniff(response):
    # The browser must take the declared type, never guess one from the content of an upload.
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_attachment(handle, *, filename: str, content_type: str | None = None) -> FileResponse:
    """An opened file as a download under ``filename`` (never shown inline, never type-sniffed),
    so a stored upload cannot run as a page of the site."""
    return _no_sniff(FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type))


def pdf_attachment(content: bytes, filename: str) -> HttpResponse:
    """A generated PDF (agreement, certificate) as a download under ``filename``."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _no_sniff(response)
