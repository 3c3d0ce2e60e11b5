"""What the levy adds to the platform: its representative role, access rules, dated rules and law
cases (``policy.yaml``, ``lawcases/``), the declaration reminders, the ``innocluster levy`` command,
and its contributions to finance: the bank-line matcher and the listener that records payments."""

from innocluster.core.manifest import Manifest
from innocluster.levy import reminders
from innocluster.levy.matchers import LevyMatcher, LevyMatchListener
from innocluster.levy.roles import ROLES

MANIFEST = Manifest(
    roles=ROLES,
    permissions=("innocluster.levy.permissions",),
    reminders={"levy.declaration_deadline": reminders.declaration_reminders},
    commands=("levy",),
    hooks={
        "finance.matchers": (LevyMatcher(),),
        "finance.match_listeners": (LevyMatchListener(),),
    },
)
