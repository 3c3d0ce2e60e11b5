"""Helpers shared by the portal's pages."""

from django.http import Http404
from django.utils.translation import gettext as _

from innocluster.registry.selectors import portal as selectors

GET_OR_POST = ["GET", "HEAD", "POST"]


def posted(request, *, files: bool = False):
    """The submitted data of a POST (even an empty one, so the form is bound), None on a GET."""
    if request.method != "POST":
        return (None, None) if files else None
    return (request.POST, request.FILES) if files else request.POST


def organisation_or_404(request, pk: int):
    organisation = selectors.organisation_for(request.user, pk)
    if organisation is None:
        raise Http404(_("There is no such organisation."))
    return organisation
