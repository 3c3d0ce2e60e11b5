"""The site's pages are public: each home shows only what its reader's roles allow."""

from innocluster.core.access.permissions import anyone, declare

declare("site.home", anyone)
declare("site.rules", anyone)
