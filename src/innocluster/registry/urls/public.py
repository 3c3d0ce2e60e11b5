"""Public register pages, included by the root URLconf at ``register/``.

``/verify/<number>/`` lives at the root (printed on certificates and QR codes), so the root URLconf
routes it straight to :func:`views.verify` under the name ``verify``.
"""

from django.urls import path

from innocluster.registry.views import public as views

app_name = "registry"

urlpatterns = [
    path("", views.register, name="register"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("<str:number>/", views.participant, name="participant"),
]
