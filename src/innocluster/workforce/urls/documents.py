"""The letters' downloads, included at ``portal/workforce/letters/`` (the public verification page
is mounted on its own at ``verify/letter/<number>/``, printed on the letters)."""

from django.urls import path

from innocluster.workforce.views import documents as views

app_name = "workforce_letters"
urlpatterns = [
    path("<str:number>/", views.letter, name="letter"),
]
