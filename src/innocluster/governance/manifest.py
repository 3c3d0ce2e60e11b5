"""What the governance app adds to the platform: the corporate secretary's, trustees' and
committee members' roles, the Board of Trustees and the Managing Committee as deciding bodies,
the bodies kept as regime data (``data/bodies.yaml``) with their members, and the pages that show
them, the kinds of decision they take for the Fund, and the authority matrix (which body decides
what) as the platform's ``decisions.authority`` provider. Its dated rules and law cases
(``policy.yaml``, ``lawcases/``) join when present."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import Manifest, Mount, NavEntry
from innocluster.governance.authority import Matrix
from innocluster.governance.roles import BODIES, DECISION_TYPES, ROLES

MANIFEST = Manifest(
    roles=ROLES,
    bodies=BODIES,
    decision_types=DECISION_TYPES,
    hooks={"decisions.authority": (Matrix(),)},
    permissions=("innocluster.governance.permissions",),
    navigation=(NavEntry("governance:bodies", _("Bodies"), "governance.read", order=600),),
    urls=(Mount("staff/governance/", urls="innocluster.governance.urls"),),
    admin=("innocluster.governance.admin",),
)
