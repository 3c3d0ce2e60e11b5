from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from innocluster.core.guards import requires

from .forms import EventSearchForm
from .selectors import EventFilter, search_events


@requires("audit.view_log")
@require_safe
def audit_log(request):
    """Staff and auditors search who did what, when, to which object and why."""
    form = EventSearchForm(request.GET or None)
    criteria = EventFilter(**form.cleaned_data) if form.is_valid() else EventFilter()
    page = Paginator(search_events(criteria), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/log.html", {"form": form, "page": page, "query": query.urlencode()})
