"""What the governance app adds to the platform: the corporate secretary's, trustees' and
committee members' roles, the Board of Trustees and the Managing Committee as deciding bodies,
the bodies kept as regime data (``data/bodies.yaml``) with their members, and the pages that show
them, the development strategy with its KPIs and the control dashboard (read from the other apps'
metrics through their manifests), the kinds of decision the bodies take for the Fund, the authority matrix (which body
decides what) as the platform's ``decisions.authority`` provider, and the executor that approves a
strategy version when the Board of Trustees adopts it (``executors.py``). Its dated rules and law cases (``policy.yaml``, ``lawcases/``) join when present."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import Manifest, Mount, NavEntry
from innocluster.governance import executors
from innocluster.governance.authority import Matrix
from innocluster.governance.roles import BODIES, DECISION_TYPES, ROLES

MANIFEST = Manifest(
    roles=ROLES,
    bodies=BODIES,
    decision_types=DECISION_TYPES,
    hooks={"decisions.authority": (Matrix(),), "decisions.executors": executors.EXECUTORS},
    permissions=("innocluster.governance.permissions",),
    navigation=(
        NavEntry("governance:bodies", _("Bodies"), "governance.read", order=600),
        NavEntry("governance:meetings", _("Meetings"), "governance.meeting.read", order=605),
        NavEntry("governance:my", _("My meetings and votes"), "governance.my", order=606),
        NavEntry(
            "governance_public:resolutions", _("Decisions of the bodies"), "governance.public", order=210
        ),
        NavEntry("governance:authority", _("Who decides what"), "governance.read", order=608),
        NavEntry("governance:strategy", _("Development strategy"), "governance.read", order=610),
        NavEntry("governance:control", _("Control dashboard"), "governance.read", order=620),
    ),
    urls=(
        Mount("staff/governance/", urls="innocluster.governance.urls"),
        Mount("governance/", urls="innocluster.governance.urls_public"),
    ),
    admin=("innocluster.governance.admin",),
)
