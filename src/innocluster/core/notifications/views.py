"""The inbox: a user's own notifications. Another user's notification answers 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from innocluster.core.access.views import requires

from . import selectors, services
from .models import Notification

PAGE_SIZE = 25


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


@requires("notifications.inbox")
@require_GET
def inbox(request):
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread": selectors.unread_count(request.user)},
    )


@requires("notifications.inbox")
@require_POST
def mark_read(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(notification, by=request.user)
    return _back(request)


@requires("notifications.inbox")
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return _back(request)
