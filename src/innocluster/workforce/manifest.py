"""What the workforce app adds to the platform: the HR officer's role, access rules, dated rules and
law cases (``policy.yaml``, ``lawcases/``), the expiry reminders and the governance metrics. Pages,
API, letters' PDFs and the state bodies' report come in later tasks on top of the services and
selectors here."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import ApiRoute, CardSource, Manifest, Metric, Mount, NavEntry
from innocluster.workforce import reminders
from innocluster.workforce.cards import portal_card, staff_card
from innocluster.workforce.roles import ROLES
from innocluster.workforce.selectors import requests as workforce_requests

METRICS = (
    Metric("workforce.active", _("Foreign specialists working"), "count", workforce_requests.active_count),
    Metric(
        "workforce.pending",
        _("Foreign specialist requests awaiting a decision"),
        "count",
        workforce_requests.pending_count,
    ),
    Metric(
        "workforce.sla_compliance",
        _("Foreign specialist requests decided on time"),
        "ratio",
        workforce_requests.sla_compliance,
    ),
    Metric(
        "workforce.sla_breaches",
        _("Foreign specialist requests decided late or overdue"),
        "count",
        workforce_requests.sla_breaches,
    ),
)

# --- pages, cards and API (workforce pages) ---
API = "innocluster.workforce.api.endpoints."
PAGES = {
    "navigation": (
        NavEntry("workforce:queue", _("Foreign specialists"), "workforce.read", order=540),
        NavEntry("workforce_portal:home", _("Our foreign specialists"), "workforce.file", order=340),
    ),
    "cards": (
        CardSource("staff", staff_card, action="workforce.read", order=540),
        CardSource("portal", portal_card, action="workforce.file", order=340),
    ),
    "urls": (
        Mount("staff/workforce/", urls="innocluster.workforce.urls.staff"),
        Mount("portal/workforce/", urls="innocluster.workforce.urls.portal"),
    ),
    "api": (
        ApiRoute("workforce/requests/", API + "RequestListView", "workforce-requests"),
        ApiRoute("workforce/requests/<int:pk>/", API + "RequestDetailView", "workforce-request"),
        ApiRoute(
            "workforce/requests/<int:pk>/actions/<str:name>/",
            API + "RequestActionView",
            "workforce-request-action",
        ),
        ApiRoute("workforce/specialists/", API + "SpecialistListView", "workforce-specialists"),
        ApiRoute("workforce/specialists/<int:pk>/", API + "SpecialistDetailView", "workforce-specialist"),
    ),
}
# --- end of the pages block ---

MANIFEST = Manifest(
    roles=ROLES,
    permissions=("innocluster.workforce.permissions",),
    reminders={"workforce.expiries": reminders.expiry_reminders},
    metrics=METRICS,
    admin=("innocluster.workforce.admin",),
    **PAGES,
)
