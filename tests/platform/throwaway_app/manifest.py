"""Everything the throw-away app adds, declared here and nowhere else."""

from innocluster.core.manifest import ApiRoute, Card, CardSource, Manifest, Mount, NavEntry, RoleSpec

from . import formulas  # noqa: F401  (registers the law-case formula)


def keeper_card(user, today):
    from innocluster.core.access.permissions import can

    if not can(user, "throwaway.view").allowed:
        return []
    return [Card(title="Throw-away queue", text="3 things wait.", warn=True)]


MANIFEST = Manifest(
    navigation=(NavEntry("throwaway:index", "Throw-away things", "throwaway.view", order=450),),
    cards=(CardSource("staff", keeper_card),),
    roles=(RoleSpec("throwaway_keeper", "Keeper of throw-away things", group="staff"),),
    permissions=("tests.platform.throwaway_app.permissions",),
    urls=(Mount("throwaway/", urls="tests.platform.throwaway_app.urls"),),
    api=(ApiRoute("throwaway/", "tests.platform.throwaway_app.views.ThingsView", "throwaway-things"),),
)
