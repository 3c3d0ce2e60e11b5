"""Helpers shared by the staff pages: dates as staff read them, the IIN shown (and its reading
audited) or masked by role, a compliance report's failed tests."""

from django.utils import formats

from innocluster.core.access.permissions import can
from innocluster.core.audit.services import record_event
from innocluster.core.http import client_ip
from innocluster.core.identifiers import mask_iin


def date_text(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else "—"


def record_iin_read(request, individual, *, where: dict) -> None:
    """Audit that staff were shown a person's full IIN, and ``where`` (the number stays out)."""
    record_event(
        action="registry.personal_data.read",
        actor=request.user,
        obj=individual,
        changes={"fields": ["iin"], **where},
        ip=client_ip(request),
    )


def iin_for(request, individual, *, where: dict) -> str:
    """A person's IIN as the viewer may see it: in full for those who may read personal data (an
    audited read), else masked; blank for an organisation."""
    if individual is None:
        return ""
    if not can(request.user, "registry.view_personal_data").allowed:
        return mask_iin(individual.iin)
    record_iin_read(request, individual, where=where)
    return individual.iin


def failed_checks(report) -> list[dict]:
    """The tests a report failed, as evaluated when it was filed (``passed`` None: not applied)."""
    return [c for c in (report.checks or []) if isinstance(c, dict) and c.get("passed") is False]
