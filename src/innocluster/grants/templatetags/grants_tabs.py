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


@register.inclusion_tag("grants/_staff_tabs.html", takes_context=True)
def grants_staff_tabs(context) -> dict:
    """The tabs the reader may open; the current one is the tab whose address is the longest
    start of the page's (the programmes and calls tab holds every page no later stage holds)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    urls = {url_name: reverse(url_name) for url_name, _label, _action in STAFF_TABS}
    current = max((url for url in urls.values() if path.startswith(url)), key=len, default=None)
    tabs = [
        {"url": urls[url_name], "label": label, "current": urls[url_name] == current}
        for url_name, label, action in STAFF_TABS
        if can(user, action).allowed
    ]
    return {"tabs": tabs if len(tabs) > 1 else []}
