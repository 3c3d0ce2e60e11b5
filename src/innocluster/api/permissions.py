"""The API app's own access actions (its root, schema, docs, the caller and their tokens).

The permission class and the routing helper are apikit's (``innocluster.apikit.permissions``).
This module is imported by ``ApiConfig.ready()``, which declares the actions.
"""

import rules

from innocluster.core.access.permissions import anyone, declare, signed_in


@rules.predicate
def owns_token(user, token=None) -> bool:
    """True for the token's owner; with no token (the view-level question) it does not object."""
    return token is None or token.user_id == user.pk


declare("api.root", anyone)
declare("api.schema", anyone)
declare("api.docs", anyone)
declare("api.me", signed_in)
declare("api.tokens", signed_in)
declare("api.tokens.revoke", signed_in & owns_token)
declare("api.policy.rules", anyone)
declare("api.policy.value", anyone)
