"""What the workforce pages share: a request or specialist the user may see (else 404), the
specialist's personal data as the reader may see it, a service's refusal shown on the form, the
history labels."""

from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innocluster.core.errors import DomainError
from innocluster.core.http import client_ip
from innocluster.workforce.countries import country_name
from innocluster.workforce.selectors.personal_data import personal_data
from innocluster.workforce.selectors.requests import request_for, specialist_for
from innocluster.workforce.workflow import WORKFLOW

GET_OR_POST = ["GET", "HEAD", "POST"]

EVENT_LABELS = {
    "workforce.request.started": gettext_lazy("Request started"),
    "workforce.request.changed": gettext_lazy("Request changed"),
    "workforce.document.uploaded": gettext_lazy("Document uploaded"),
    "workforce.document.downloaded": gettext_lazy("Document downloaded"),
    "workforce.specialist.registered": gettext_lazy("Specialist registered"),
    "workforce.specialist.changed": gettext_lazy("Specialist's details changed"),
    "workforce.personal_data.read": gettext_lazy("Personal data read"),
}


def event_label(action: str) -> str:
    """What an audit action means: the workflow's button label for a transition, a phrase else."""
    prefix = f"{WORKFLOW.label}."
    if action.startswith(prefix):
        try:
            return str(capfirst(WORKFLOW.get(action[len(prefix) :]).label))
        except KeyError:
            pass
    label = EVENT_LABELS.get(action)
    return str(label) if label is not None else action


def request_or_404(request, pk: int):
    found = request_for(request.user, pk)
    if found is None:
        raise Http404(_("There is no such request."))
    return found


def specialist_or_404(request, pk: int):
    found = specialist_for(request.user, pk)
    if found is None:
        raise Http404(_("There is no such specialist."))
    return found


def shown_personal_data(request, specialist, page: str):
    """The passport number and date of birth for this reader (a full read is audited)."""
    return personal_data(
        request.user, specialist, where={"page": page, "specialist": specialist.pk}, ip=client_ip(request)
    )


def refusal_to_form(form, error: DomainError) -> None:
    form.add_error(None, str(error))


def citizenship(specialist) -> str:
    return country_name(specialist.citizenship)


def value_text(value) -> str:
    """A policy value as people read it: yes/no, a list, a date, a share in per cent."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import formats

    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal) and value < 1:
        from innocluster.core.templatetags.money import format_percent

        return format_percent(value)
    return str(value)


def advice_rows(advice) -> dict | None:
    """The advice panel's two lists with the values as text (``None`` without a regime in force)."""
    if advice is None:
        return None

    def rows(items):
        return [
            {"label": i.label, "value": value_text(i.value), "reference": i.reference, "key": i.key}
            for i in items
        ]

    return {"simplified": rows(advice.simplified), "normal": rows(advice.normal)}
