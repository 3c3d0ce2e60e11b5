"""Access rules for the inbox. Which notifications a user sees is decided by the query (their own)."""

from innocluster.core.access.permissions import declare, signed_in

declare("notifications.inbox", signed_in)
