"""What the workforce app adds to the platform: the HR officer's role, access rules, dated rules and
law cases (``policy.yaml``, ``lawcases/``), the expiry reminders and the governance metrics. Pages,
API, letters' PDFs and the state bodies' report come in later tasks on top of the services and
selectors here."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import Manifest, Metric
from innocluster.workforce import reminders
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

MANIFEST = Manifest(
    roles=ROLES,
    permissions=("innocluster.workforce.permissions",),
    reminders={"workforce.expiries": reminders.expiry_reminders},
    metrics=METRICS,
    admin=("innocluster.workforce.admin",),
)
