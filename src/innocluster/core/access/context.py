"""Navigation by role, from the apps' manifests: a link appears only when ``can`` allows what it
leads to (and when its URL exists in this build)."""

from django.urls import NoReverseMatch, reverse

from innocluster.core import manifest

from .permissions import can


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    for entry in manifest.navigation():
        if not can(user, entry.action).allowed:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": entry.label, "current": request.path == url})
    return {"navigation": items}
