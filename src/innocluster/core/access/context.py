"""Navigation by role: a link appears only when ``can`` allows what it leads to."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .permissions import can

NAVIGATION = [
    ("home", _("Home"), "core.home"),
    ("registry:register", _("Participant register"), "registry.public"),
    ("portal:home", _("My applications"), "registry.portal"),
    ("registry_staff:queue", _("Applications"), "registry.application.read"),
    ("parties_staff:claims", _("Claims of authority"), "parties.claim.decide"),
    ("notifications:inbox", _("Inbox"), "notifications.inbox"),
    ("decisions:list", _("Decisions"), "decisions.view"),
    ("audit_log", _("Audit log"), "audit.view_log"),
    ("admin:index", _("Administration"), "admin.site"),
]


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    for name, label, action in NAVIGATION:
        if not can(user, action).allowed:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "current": request.path == url})
    return {"navigation": items}
