import json

from allauth.account.decorators import reauthentication_required
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from innocluster.core.access.views import requires

from .services import personal_data


@requires("accounts.personal_data")
@require_safe
@reauthentication_required
def my_data(request):
    """Signed-in users download what the system holds about them, as JSON. A sensitive read: the
    password (or second factor) is asked again when the last one is more than a few minutes old."""
    payload = personal_data(request.user, request_ip=request.META.get("REMOTE_ADDR"))
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="innocluster-my-data-{request.user.pk}.json"'
    return response
