"""Calls for applications: entered as a draft by a programme manager, submitted, and published on
a second person's approval (another programme manager or a Fund executive; never the call's
creator or submitter). Only a draft changes; the approver may send a call back to draft with a
reason; a published call may be withdrawn with a reason.

Refusals are ``ValidationError``s naming the field; nothing changes on a refusal."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.grants import selectors
from innocluster.grants.models import Call, CallDocument, CallStatus, Criterion, Programme

CALL_FIELDS = (
    "title_kk", "title_ru", "title_en", "summary_kk", "summary_ru", "summary_en", "opens_at", "closes_at",
    "year", "budget", "cofinancing_share", "max_amount", "max_months",
)  # fmt: skip
CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _decimal(value, field: str, errors: dict, *, places: Decimal = CENT):
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = _("Enter a number.")
        return None
    if not number.is_finite():
        errors[field] = _("Enter a number.")
        return None
    return number.quantize(places)


def _clean(fields: dict) -> dict:
    """The call's own fields checked one by one (a submission checks them together)."""
    errors, clean = {}, {}
    for name in CALL_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if name in ("budget", "max_amount"):
            value = _decimal(value if value not in (None, "") else "0", name, errors)
            if value is not None and value < 0:
                errors[name] = _("An amount cannot be negative.")
        elif name == "cofinancing_share":
            value = _decimal(
                value if value not in (None, "") else "0", name, errors, places=Decimal("0.0001")
            )
            if value is not None and not (0 <= value <= 1):
                errors[name] = _("The co-financing share is between 0 and 1 (0.2 for 20%).")
        elif name in ("year", "max_months"):
            try:
                value = int(value)
            except (TypeError, ValueError):
                errors[name] = _("Enter a whole number.")
                continue
            if name == "year" and not 2000 <= value <= 2100:
                errors[name] = _("Enter the budget year, such as 2026.")
            if name == "max_months" and value < 1:
                errors[name] = _("The duration is at least one month.")
        elif name in ("opens_at", "closes_at"):
            if value is not None and timezone.is_naive(value):
                errors[name] = _("Give the time with its time zone.")
        else:
            value = (value or "").strip()
        clean[name] = value
    if "title_en" in clean and not clean["title_en"]:
        errors["title_en"] = _("Give the call a title in English.")
    if errors:
        raise ValidationError(errors)
    return clean


def _categories(codes) -> list:
    found = selectors.categories_by_code(codes)
    unknown = sorted(set(codes) - {c.code for c in found})
    if unknown:
        raise ValidationError(
            {
                "eligible_categories": _("Unknown participant categories: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            }
        )
    return found


def _locked_draft(call: Call) -> Call:
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.status != CallStatus.DRAFT:
        raise ValidationError(
            {
                "status": _("Only a draft call can be changed; this call is %(status)s.")
                % {"status": locked.get_status_display()}
            }
        )
    return locked


def _plain(number: Decimal) -> str:
    """A weight as people write it: 60, 62.5 (never 6E+1)."""
    return f"{number.normalize():f}"


def _changes(values: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}


def create_call(programme: Programme, *, code: str, by, eligible_categories=(), **fields) -> Call:
    require(by, "grants.call.edit", programme)
    code = (code or "").strip()
    errors = {}
    if not code:
        errors["code"] = _("Give the call a code.")
    elif Call.objects.filter(programme=programme, code=code).exists():
        errors["code"] = _("The programme already has a call with this code.")
    try:
        clean = _clean({"title_en": "", **fields})
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    categories = _categories(list(eligible_categories))
    clean.setdefault("year", (clean.get("opens_at") or timezone.now()).year)
    with transaction.atomic():
        call = Call.objects.create(programme=programme, code=code, created_by=_user(by), **clean)
        call.eligible_categories.set(categories)
        record_event(
            action="grants.call.created",
            actor=by,
            obj=call,
            changes={"code": code, **_changes(clean), "eligible_categories": [c.code for c in categories]},
        )
        return call


def update_call(call: Call, *, by, eligible_categories=None, **fields) -> Call:
    """Change a draft's fields (those given)."""
    require(by, "grants.call.edit", call)
    clean = _clean(fields)
    categories = None if eligible_categories is None else _categories(list(eligible_categories))
    with transaction.atomic():
        call = _locked_draft(call)
        before = {name: getattr(call, name) for name in clean}
        for name, value in clean.items():
            setattr(call, name, value)
        call.save()
        changes = {k: [before[k], v] for k, v in _changes(clean).items() if _changes(before)[k] != v}
        if categories is not None:
            old = sorted(call.eligible_categories.values_list("code", flat=True))
            call.eligible_categories.set(categories)
            new = sorted(c.code for c in categories)
            if old != new:
                changes["eligible_categories"] = [old, new]
        record_event(action="grants.call.updated", actor=by, obj=call, changes=changes)
        return call


# --- documents and criteria (draft only) -------------------------------------------------------


def _item_fields(item: dict, errors: dict) -> dict:
    code = (item.get("code") or "").strip()
    if not code:
        errors["code"] = _("Give it a code.")
    title_en = (item.get("title_en") or "").strip()
    if not title_en:
        errors["title_en"] = _("Give it a title in English.")
    return {
        "code": code,
        "title_en": title_en,
        "title_kk": (item.get("title_kk") or "").strip(),
        "title_ru": (item.get("title_ru") or "").strip(),
    }


def _add_document(call: Call, item: dict) -> CallDocument:
    errors = {}
    fields = _item_fields(item, errors)
    if fields["code"] and call.documents.filter(code=fields["code"]).exists():
        errors["code"] = _("The call already lists a document with this code.")
    if errors:
        raise ValidationError(errors)
    position = (call.documents.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return CallDocument.objects.create(
        call=call, position=position, required=bool(item.get("required", True)), **fields
    )


def _add_criterion(call: Call, item: dict) -> Criterion:
    errors = {}
    fields = _item_fields(item, errors)
    if fields["code"] and call.criteria.filter(code=fields["code"]).exists():
        errors["code"] = _("The rubric already has a criterion with this code.")
    weight = _decimal(item.get("weight"), "weight", errors)
    if weight is not None and not (0 < weight <= HUNDRED):
        errors["weight"] = _("A weight is above 0 and at most 100.")
    try:
        scale_max = int(item.get("scale_max"))
    except (TypeError, ValueError):
        scale_max = None
        errors["scale_max"] = _("Enter a whole number.")
    if scale_max is not None and scale_max < 1:
        errors["scale_max"] = _("The highest score is at least 1.")
    if errors:
        raise ValidationError(errors)
    position = (call.criteria.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return Criterion.objects.create(
        call=call,
        position=position,
        weight=weight,
        scale_max=scale_max,
        description=(item.get("description") or "").strip(),
        **fields,
    )


def add_document(call: Call, *, by, **item) -> CallDocument:
    require(by, "grants.call.edit", call)
    with transaction.atomic():
        call = _locked_draft(call)
        document = _add_document(call, item)
        record_event(action="grants.call.document_added", actor=by, obj=call, changes={"code": document.code})
        return document


def remove_document(call: Call, document_pk: int, *, by) -> None:
    require(by, "grants.call.edit", call)
    with transaction.atomic():
        call = _locked_draft(call)
        document = call.documents.filter(pk=document_pk).first()
        if document is None:
            raise ValidationError({"document": _("The call lists no such document.")})
        document.delete()
        record_event(
            action="grants.call.document_removed", actor=by, obj=call, changes={"code": document.code}
        )


def add_criterion(call: Call, *, by, **item) -> Criterion:
    require(by, "grants.call.edit", call)
    with transaction.atomic():
        call = _locked_draft(call)
        criterion = _add_criterion(call, item)
        record_event(
            action="grants.call.criterion_added",
            actor=by,
            obj=call,
            changes={"code": criterion.code, "weight": criterion.weight, "scale_max": criterion.scale_max},
        )
        return criterion


def remove_criterion(call: Call, criterion_pk: int, *, by) -> None:
    require(by, "grants.call.edit", call)
    with transaction.atomic():
        call = _locked_draft(call)
        criterion = call.criteria.filter(pk=criterion_pk).first()
        if criterion is None:
            raise ValidationError({"criterion": _("The rubric has no such criterion.")})
        criterion.delete()
        record_event(
            action="grants.call.criterion_removed", actor=by, obj=call, changes={"code": criterion.code}
        )


def set_documents(call: Call, documents: list[dict], *, by) -> list[CallDocument]:
    """Replace a draft's required documents with ``documents`` (dicts of code, titles, required)."""
    require(by, "grants.call.edit", call)
    with transaction.atomic():
        call = _locked_draft(call)
        call.documents.all().delete()
        made = [_add_document(call, item) for item in documents]
        record_event(
            action="grants.call.documents_set", actor=by, obj=call, changes={"codes": [d.code for d in made]}
        )
        return made


def set_criteria(call: Call, criteria: list[dict], *, by) -> list[Criterion]:
    """Replace a draft's rubric with ``criteria`` (dicts of code, titles, description, weight,
    scale_max). The weights are checked to sum to 100 when the call is submitted."""
    require(by, "grants.call.edit", call)
    with transaction.atomic():
        call = _locked_draft(call)
        call.criteria.all().delete()
        made = [_add_criterion(call, item) for item in criteria]
        record_event(
            action="grants.call.criteria_set",
            actor=by,
            obj=call,
            changes={"criteria": {c.code: [c.weight, c.scale_max] for c in made}},
        )
        return made


# --- the workflow ------------------------------------------------------------------------------


def readiness_errors(call: Call, now=None) -> dict:
    """What stops ``call`` from being submitted or published, by field (empty: ready)."""
    now = now or timezone.now()
    errors = {}
    if call.opens_at is None:
        errors["opens_at"] = _("Say when the call opens.")
    if call.closes_at is None:
        errors["closes_at"] = _("Say when the call closes.")
    elif call.opens_at is not None and call.closes_at <= call.opens_at:
        errors["closes_at"] = _("The call closes after it opens.")
    elif call.closes_at <= now:
        errors["closes_at"] = _("The call's window is in the past: it must close in the future.")
    available = selectors.available_for_call(call)
    if call.budget <= 0:
        errors["budget"] = _("Give the call a budget above zero.")
    elif call.budget > available:
        errors["budget"] = _(
            "The budget %(budget)s is more than the programme has available for %(year)s from this source: %(available)s."
        ) % {"budget": call.budget, "year": call.year, "available": available}
    if call.max_amount <= 0:
        errors["max_amount"] = _("Give the largest amount of one award, above zero.")
    elif call.max_amount > call.budget:
        errors["max_amount"] = _("The largest amount of one award cannot exceed the call's budget.")
    if call.max_months < 1:
        errors["max_months"] = _("The duration is at least one month.")
    if not call.eligible_categories.exists():
        errors["eligible_categories"] = _("Choose at least one participant category that may apply.")
    criteria = list(call.criteria.all())
    if not criteria:
        errors["criteria"] = _("Add at least one scoring criterion.")
    else:
        total = sum((c.weight for c in criteria), Decimal("0"))
        if total != HUNDRED:
            errors["criteria"] = _("The criteria's weights sum to %(total)s; they must sum to 100.") % {
                "total": _plain(total)
            }
    if not call.documents.filter(required=True).exists():
        errors["documents"] = _("List at least one required document.")
    return errors


def submit_call(call: Call, *, by, now=None) -> Call:
    """Send a draft call for a second person's approval. ``now`` (default: the present) is the
    instant the window is judged against: a loader of past calls replays them at their dates."""
    require(by, "grants.call.edit", call)
    now = now or timezone.now()
    with transaction.atomic():
        call = _locked_draft(call)
        errors = readiness_errors(call, now)
        if errors:
            raise ValidationError(errors)
        call.status = CallStatus.SUBMITTED
        call.submitted_by = _user(by)
        call.submitted_at = now
        call.returned_reason = ""
        call.save(update_fields=["status", "submitted_by", "submitted_at", "returned_reason"])
        record_event(action="grants.call.submitted", actor=by, obj=call, changes={"status": call.status})
        return call


def _locked_submitted(call: Call) -> Call:
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.status != CallStatus.SUBMITTED:
        raise ValidationError(
            {"status": _("Only a call submitted for approval can be approved or returned.")}
        )
    return locked


def approve_call(call: Call, *, by, now=None) -> Call:
    """Publish a submitted call: a second person's approval (``now`` as for :func:`submit_call`)."""
    require(by, "grants.call.approve", call)
    now = now or timezone.now()
    with transaction.atomic():
        call = _locked_submitted(call)
        user = _user(by)
        if user is not None and user.pk in (call.created_by_id, call.submitted_by_id):
            raise ValidationError(
                {
                    "approved_by": _(
                        "A second person approves a call: not the one who entered or submitted it."
                    )
                }
            )
        errors = readiness_errors(call, now)
        if errors:
            raise ValidationError(errors)
        call.status = CallStatus.PUBLISHED
        call.approved_by = user
        call.approved_at = now
        call.save(update_fields=["status", "approved_by", "approved_at"])
        record_event(action="grants.call.approved", actor=by, obj=call, changes={"status": call.status})
        return call


def return_call(call: Call, *, by, reason: str) -> Call:
    """The approver sends a submitted call back to draft, saying why."""
    require(by, "grants.call.approve", call)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the call goes back to its author.")})
    with transaction.atomic():
        call = _locked_submitted(call)
        call.status = CallStatus.DRAFT
        call.returned_reason = reason
        call.save(update_fields=["status", "returned_reason"])
        record_event(
            action="grants.call.returned", actor=by, obj=call, reason=reason, changes={"status": call.status}
        )
        return call


def withdraw_call(call: Call, *, by, reason: str) -> Call:
    """Take a published call off the public list, saying why."""
    require(by, "grants.call.approve", call)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the call is withdrawn.")})
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.status != CallStatus.PUBLISHED:
            raise ValidationError({"status": _("Only a published call can be withdrawn.")})
        call.status = CallStatus.WITHDRAWN
        call.withdrawn_reason = reason
        call.save(update_fields=["status", "withdrawn_reason"])
        record_event(
            action="grants.call.withdrawn", actor=by, obj=call, reason=reason, changes={"status": call.status}
        )
        return call
