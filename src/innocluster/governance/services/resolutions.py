"""Publishing an adopted resolution: the body chooses which of its resolutions the public sees.
Publication is one way (a published resolution is a public record) and audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.governance.models import Resolution
from innocluster.governance.services.meetings import refuse

PUBLISH = "governance.resolution.publish"


@transaction.atomic
def publish_resolution(resolution: Resolution, *, by) -> Resolution:
    resolution = Resolution.objects.select_for_update().select_related("body").get(pk=resolution.pk)
    require(by, PUBLISH, resolution.body)
    if resolution.published:
        refuse("resolution", _("This resolution is already published."))
    resolution.published = True
    resolution.save(update_fields=["published"])
    record_event(
        action="governance.resolution.published",
        actor=by,
        obj=resolution,
        changes={"published": [False, True]},
    )
    return resolution
