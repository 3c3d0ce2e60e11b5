"""The root URLconf with the API included, for tests written before ``src/innocluster/urls.py``
includes ``innocluster.api.urls``. Once it does, this module is the root URLconf unchanged and the
``pytest.mark.urls(API_URLCONF)`` markers can simply be dropped."""

from django.urls import include, path

from innocluster.urls import urlpatterns as root_patterns

urlpatterns = [*root_patterns]
if not any(str(entry.pattern) == "api/v1/" for entry in root_patterns):
    urlpatterns.append(path("api/v1/", include("innocluster.api.urls")))
