"""What the register adds to the platform: everything it needs, in one place.

Navigation, home cards (public figures, staff queues, the applicant's application), reminder
sources, the executors that carry out its decisions when a body adopts them, its dated rules (``policy.yaml``) and law cases (``lawcases/``), its roles and deciding
body, its HTML mounts and API routes, its rows of the authorization table (``authorization.yaml``).
"""

from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import ApiRoute, CardSource, Manifest, Metric, Mount, NavEntry
from innocluster.core.policy.attributes import Attribute
from innocluster.registry import cards, executors, providers, reminders, what_if
from innocluster.registry.roles import BODIES, DECISION_TYPES, ROLES
from innocluster.registry.selectors import metrics
from innocluster.registry.services import compliance


def _category_name(row: dict) -> str:
    language = (get_language() or "en").split("-")[0]
    return row.get(f"name_{language}") or row["name_en"]


# The register's figures (``registry.selectors.metrics``): participants in the register on a day,
# in all and per shipped category (``registry.participants_<category>``), and the applications'
# deadlines kept.
METRICS = (
    Metric("registry.participants", _("Participants in the register"), "count", metrics.participants),
    *(
        Metric(
            f"registry.participants_{row['code']}",
            format_lazy("{}: {}", _("Participants in the register"), lazy(_category_name, str)(row)),
            "count",
            metrics.participants_in(row["code"]),
        )
        for row in metrics.shipped_categories()
    ),
    Metric(
        "registry.applications_decided",
        _("Applications decided this year"),
        "count",
        metrics.decided_count,
    ),
    Metric(
        "registry.applications_decided_on_time",
        _("Applications decided within the deadline this year"),
        "ratio",
        metrics.decided_on_time_share,
    ),
    Metric(
        "registry.applications_overdue",
        _("Applications past their deadline"),
        "count",
        metrics.overdue_applications,
    ),
)

API = "innocluster.registry."

MANIFEST = Manifest(
    hooks={"policy.what_ifs": what_if.WHAT_IFS, "decisions.executors": executors.EXECUTORS},
    navigation=(
        NavEntry("registry:register", _("Participant register"), "registry.public", order=200),
        NavEntry("portal:home", _("My applications"), "registry.portal", order=300),
        NavEntry("registry_staff:queue", _("Applications"), "registry.application.read", order=400),
    ),
    cards=(
        CardSource("public", cards.public_cards),
        CardSource("staff", cards.staff_cards),
        CardSource("portal", cards.participant_cards),
    ),
    reminders={
        "registry.application_deadlines": reminders.application_deadlines,
        "registry.compliance_reports_due": compliance.report_reminders,
    },
    roles=ROLES,
    bodies=BODIES,
    decision_types=DECISION_TYPES,
    permissions=("innocluster.registry.permissions",),
    urls=(
        Mount("staff/registry/", urls="innocluster.registry.urls.staff"),
        Mount("portal/", urls="innocluster.registry.urls.portal"),
        Mount("register/", urls="innocluster.registry.urls.public"),
        Mount("verify/<str:number>/", view="innocluster.registry.views.public.verify", name="verify"),
    ),
    api=(
        ApiRoute("participants/", API + "api.register.ParticipantListView", "participants"),
        ApiRoute(
            "participants/<str:number>/", API + "api.register.ParticipantDetailView", "participant-detail"
        ),
        ApiRoute(
            "participants/<str:number>/<str:action>/",
            API + "api.participants.ParticipantTransitionView",
            "participant-transition",
        ),
        ApiRoute("applications/", API + "api.applications.ApplicationListView", "applications"),
        ApiRoute(
            "applications/<int:pk>/", API + "api.applications.ApplicationDetailView", "application-detail"
        ),
        ApiRoute(
            "applications/<int:pk>/submit/",
            API + "api.applications.ApplicationSubmitView",
            "application-submit",
        ),
        ApiRoute(
            "applications/<int:pk>/project/",
            API + "api.project.ApplicationProjectView",
            "application-project",
        ),
        ApiRoute(
            "applications/<int:pk>/transitions/",
            API + "api.applications.ApplicationTransitionView",
            "application-transitions",
        ),
    ),
    admin=("innocluster.registry.admin",),
    metrics=METRICS,
    search=(providers.RegisterSearch(),),
    exports=(providers.RegisterExport(),),
    # What the eligibility conditions may test about an application (the organisation's facts are
    # declared by parties).
    attributes=(
        Attribute(
            "category",
            "application",
            "text",
            _("participant category"),
            lambda application: application.category.code if application.category_id else None,
        ),
    ),
)
