"""What the workforce app adds to the platform: the HR officer's role, access rules, dated rules and
law cases (``policy.yaml``, ``lawcases/``), the expiry reminders, the governance metrics with their
month-end series, the employer's portal and the HR officer's pages, cards and API, the letters
(PDF, public verification), the state bodies' report, statistics and the ``innocluster
workforce`` command."""

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import ApiRoute, CardSource, Manifest, Metric, Mount, NavEntry
from innocluster.workforce import reminders
from innocluster.workforce.cards import portal_card, staff_card
from innocluster.workforce.roles import ROLES
from innocluster.workforce.selectors import reports as workforce_reports
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

# --- letters, reports and statistics (workforce documents) ---
# More specific than the staff and portal pages' mounts (``staff/workforce/``, ``portal/workforce/``):
# listed before them. The letters' public verification page sits at the root like the
# certificates' (``verify/<number>/``), printed on the letters and in their QR codes.
DOCUMENT_URLS = (
    Mount("staff/workforce/reports/", urls="innocluster.workforce.urls.reports"),
    Mount("portal/workforce/letters/", urls="innocluster.workforce.urls.documents"),
    Mount(
        "verify/letter/<str:number>/",
        view="innocluster.workforce.views.documents.verify",
        name="verify_letter",
    ),
)
DOCUMENT_NAV = (
    NavEntry("workforce_reports:index", _("Foreign specialists: reports"), "workforce.read", order=545),
)
# Month-end series (``workforce.selectors.reports.month_points``: one query whatever the range).
SERIES = {
    "workforce.active": workforce_reports.active_series,
    "workforce.pending": workforce_reports.pending_series,
    "workforce.sla_compliance": workforce_reports.sla_compliance_series,
    "workforce.sla_breaches": workforce_reports.sla_breaches_series,
}
METRICS = tuple(replace(metric, series=SERIES.get(metric.code, metric.series)) for metric in METRICS)
# --- end of documents ---

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
    commands=("workforce",),
    navigation=PAGES["navigation"] + DOCUMENT_NAV,
    cards=PAGES["cards"],
    # The documents' mounts are more specific than the pages' (``staff/workforce/``): first.
    urls=DOCUMENT_URLS + PAGES["urls"],
    api=PAGES["api"],
    admin=("innocluster.workforce.admin",),
)
