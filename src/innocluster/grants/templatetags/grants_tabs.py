"""The tabs above every staff page of project financing: one "Project financing" entry in the
navigation, and here each stage the reader may open, the current one marked."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from innocluster.core.access.permissions import can

register = template.Library()

# (URL name, label, action): the stages in the order a call goes through them.
STAFF_TABS = (
    ("grants:index", _("Programmes and calls"), "grants.read"),
    ("grants_applications:list", _("Project applications"), "grants.read"),
    ("grants_preselection_staff:index", _("Pre-selection"), "grants.financers.manage"),
    ("grants_expertise:index", _("Expert commission"), "grants.expertise.read"),
    ("grants_awards:list", _("Grant awards"), "grants.read"),
    ("grants_reports:queue", _("Grantee reports"), "grants.read"),
)

# Pages under /staff/grants/ that belong to no later stage (programmes, calls) mark the first tab.
_OWN_PREFIXES = ("/staff/grants/applications/", "/staff/grants/preselection/", "/staff/grants/expertise/",
                 "/staff/grants/awards/", "/staff/grants/reports/")  # fmt: skip


@register.inclusion_tag("grants/_staff_tabs.html", takes_context=True)
def grants_staff_tabs(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    tabs = []
    for url_name, label, action in STAFF_TABS:
        if not can(user, action).allowed:
            continue
        url = reverse(url_name)
        if url_name == "grants:index":
            current = path.startswith(url) and not path.startswith(_OWN_PREFIXES)
        else:
            current = path.startswith(url)
        tabs.append({"url": url, "label": label, "current": current})
    return {"tabs": tabs if len(tabs) > 1 else []}
