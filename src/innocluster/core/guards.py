"""How a view names the access action that guards it.

A plain marker in core's library layer, so that any platform app (the audit log's page too) can
declare its views' rules without importing ``core.access``, which itself records audit events: the
marker is read by ``core.access.views.AccessMiddleware``.
"""

from collections.abc import Callable

ATTRIBUTE = "innocluster_access_action"


def requires(action: str) -> Callable:
    """Mark a view as guarded by ``action`` (checked by ``AccessMiddleware``)."""

    def mark(view):
        setattr(view, ATTRIBUTE, action)
        return view

    return mark
