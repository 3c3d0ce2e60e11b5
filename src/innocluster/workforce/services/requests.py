"""Requests to attract a foreign specialist: one command per business action, each the command of
a transition of ``workflow.WORKFLOW`` (the pages, the API and the CLI reach them through
``WORKFLOW.perform``). Called directly (seeding, tests), each locks the request, asks ``can`` and
checks the state first (``TransitionDenied``, ``IllegalTransition``), then the business rules, then
writes through ``core.workflow.execute`` (state, fields and the audit event in one transaction).

Rules (policy in force on the day of the step):

- the contract ends after it starts and runs at most ``workforce.visa_max_years`` (the work visa's
  longest term); the passport must be valid at least until the contract ends (a visa is not issued
  beyond the passport) — field errors on ``contract_end`` and ``passport_expiry``;
- the employer is the Fund or a participant in good standing on the day it files, submits and is
  approved (``EmployerNotEligible``);
- the check confirms the documents ``workforce.documents.required`` are all there and the employer
  is eligible, or refuses naming what is missing (``CheckFailed``);
- the decision is due ``workforce.decision_days`` working days after the (re)submission's Almaty
  date; a return stops the clock (no deadline), a resubmission restarts it;
- approval issues the confirmation and the visa-support letters (numbers, verification codes).
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import can, require
from innocluster.core.audit.services import normalise, record_event
from innocluster.core.policy import values as policy
from innocluster.core.workflow import IllegalTransition, TransitionDenied, execute
from innocluster.workforce.errors import CheckFailed
from innocluster.workforce.models import EngagementRequest, Extension, RevisionItem, Specialist
from innocluster.workforce.rules import decision_deadline, latest_contract_end
from innocluster.workforce.selectors.eligibility import employer_standing
from innocluster.workforce.selectors.requests import missing_documents
from innocluster.workforce.services.common import almaty_day, moment, require_eligible
from innocluster.workforce.services.letters import issue_letters
from innocluster.workforce.workflow import EDITABLE, WORKFLOW

S = EngagementRequest.Status
FIELDS = (
    "position",
    "occupation_code",
    "category",
    "monthly_salary",
    "contract_start",
    "contract_end",
    "justification",
)


def _date_text(value: dt.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _locked(request: EngagementRequest, name: str, by) -> EngagementRequest:
    """The request under a row lock, if ``by`` may perform ``name`` on it from its current state."""
    transition = WORKFLOW.get(name)
    row = (
        EngagementRequest.objects.select_for_update()
        .select_related("specialist", "employer")
        .get(pk=request.pk)
    )
    decision = can(by, transition.action, row)
    if not decision.allowed:
        raise TransitionDenied(transition, decision.reason)
    if not transition.allowed_from(row.status):
        raise IllegalTransition(WORKFLOW, transition, row.status)
    return row


def term_problems(
    *, contract_start: dt.date, contract_end: dt.date, passport_expiry: dt.date | None, on: dt.date
) -> dict[str, str]:
    """What is wrong with a contract term, by field (empty when nothing)."""
    problems: dict[str, str] = {}
    if contract_end <= contract_start:
        problems["contract_end"] = _("The contract must end after it starts.")
        return problems
    latest = latest_contract_end(contract_start=contract_start, on=on)
    if contract_end > latest:
        years = policy.value("workforce.visa_max_years", on=on)
        problems["contract_end"] = _(
            "A contract under the simplified procedure runs at most %(years)s years (the longest work "
            "visa): this one may end on %(latest)s at the latest."
        ) % {"years": years, "latest": _date_text(latest)}
    if passport_expiry is not None and passport_expiry < contract_end:
        problems["passport_expiry"] = _(
            "The passport must be valid at least until the contract ends (%(end)s); it expires on "
            "%(expiry)s. Enter the new passport first."
        ) % {"end": _date_text(contract_end), "expiry": _date_text(passport_expiry)}
    return problems


def _check_terms(request: EngagementRequest, on: dt.date) -> None:
    problems = term_problems(
        contract_start=request.contract_start,
        contract_end=request.contract_end,
        passport_expiry=request.specialist.passport_expiry,
        on=on,
    )
    if problems:
        raise ValidationError(problems)


def _clean_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"not request fields: {sorted(unknown)}")
    clean = dict(fields)
    if "monthly_salary" in clean and not isinstance(clean["monthly_salary"], Decimal):
        try:
            clean["monthly_salary"] = Decimal(str(clean["monthly_salary"]))
        except InvalidOperation:
            raise ValidationError({"monthly_salary": _("Enter the salary as an amount in tenge.")}) from None
    if isinstance(clean.get("occupation_code"), str):
        clean["occupation_code"] = clean["occupation_code"].strip()
    return clean


def _validate(request: EngagementRequest, on: dt.date) -> None:
    errors: dict[str, Any] = {}
    try:
        request.full_clean(
            exclude=["status", "round", "filed_by", "employer", "specialist"], validate_constraints=False
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if request.monthly_salary is not None and request.monthly_salary <= 0 and "monthly_salary" not in errors:
        errors["monthly_salary"] = [_("The salary must be more than zero.")]
    if not errors:
        errors.update(
            term_problems(
                contract_start=request.contract_start,
                contract_end=request.contract_end,
                passport_expiry=request.specialist.passport_expiry,
                on=on,
            )
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def start_request(*, by, specialist: Specialist, **fields: Any) -> EngagementRequest:
    """A draft request for ``specialist`` by its employer. Refused for a user who does not act for
    the employer, for an employer not in good standing, and field by field."""
    request = EngagementRequest(
        employer=specialist.employer, specialist=specialist, filed_by=by, **_clean_fields(fields)
    )
    require(by, "workforce.file", request)
    require_eligible(specialist.employer)
    _validate(request, policy.today())
    request.save()
    record_event(
        action="workforce.request.started",
        actor=by,
        obj=request,
        changes={name: normalise([None, getattr(request, name)]) for name in ("specialist_id", *FIELDS)},
    )
    return request


@transaction.atomic
def update_request(request: EngagementRequest, *, by, **fields: Any) -> EngagementRequest:
    """Change a draft or a returned request; audited."""
    locked = EngagementRequest.objects.select_for_update().select_related("specialist").get(pk=request.pk)
    require(by, "workforce.file", locked)
    if locked.status not in EDITABLE:
        raise ValidationError(
            _("The request is “%(state)s” and can no longer be changed.")
            % {"state": WORKFLOW.state_label(locked.status)}
        )
    fields = _clean_fields(fields)
    before = {name: getattr(locked, name) for name in fields}
    for name, value in fields.items():
        setattr(locked, name, value)
    _validate(locked, policy.today())
    changed = {
        n: normalise([before[n], getattr(locked, n)]) for n in fields if before[n] != getattr(locked, n)
    }
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
        record_event(action="workforce.request.changed", actor=by, obj=locked, changes=changed)
        for name in changed:
            setattr(request, name, getattr(locked, name))
    return locked


def _submission(
    request: EngagementRequest, name: str, *, by, on: dt.date | None, changes=None
) -> EngagementRequest:
    at = moment(on)
    day = almaty_day(at)
    require_eligible(request.employer, day)
    _check_terms(request, day)
    return execute(
        WORKFLOW,
        request,
        name,
        by=by,
        changes=changes,
        extra_fields={"submitted_at": at, "deadline": decision_deadline(submitted_on=day)},
    )


@transaction.atomic
def submit(request: EngagementRequest, *, by, on: dt.date | None = None) -> EngagementRequest:
    """Draft → submitted: the decision clock starts (``workforce.decision_days`` working days)."""
    row = _locked(request, "submit", by)
    return _submission(row, "submit", by=by, on=on)


@transaction.atomic
def resubmit(
    request: EngagementRequest, *, by, on: dt.date | None = None, responses: Mapping[int, str] | None = None
) -> EngagementRequest:
    """Returned → submitted: the clock starts again from this day. ``responses`` answer the last
    round's items by id (optional: the items say what to change, the documents show it)."""
    row = _locked(request, "resubmit", by)
    try:
        answers = {int(key): value for key, value in (responses or {}).items()}
    except (TypeError, ValueError):
        raise ValidationError(
            {"responses": _("Answer the comments of the last return by their number.")}
        ) from None
    answered: dict[str, list] = {}
    for item in RevisionItem.objects.filter(request=row, round=row.round, id__in=list(answers)):
        text = str(answers[item.pk]).strip()
        if text:
            item.response = text
            item.save(update_fields=["response"])
            answered[f"item:{item.pk}"] = [None, text]
    return _submission(row, "resubmit", by=by, on=on, changes=answered)


def check_problems(request: EngagementRequest, on: dt.date | None = None) -> list[str]:
    """What stops the check: missing documents and an employer out of good standing."""
    on = on or policy.today()
    problems = []
    missing = missing_documents(request, on=on)
    if missing:
        problems.append(
            _("missing documents: %(kinds)s") % {"kinds": ", ".join(kind.name for kind in missing)}
        )
    standing = employer_standing(request.employer, on)
    if not standing.eligible:
        problems.append(standing.reason)
    return problems


@transaction.atomic
def check(request: EngagementRequest, *, by, on: dt.date | None = None) -> EngagementRequest:
    """Submitted → checked: the documents are complete and the employer is eligible, or
    ``CheckFailed`` naming what is missing (the HR officer then returns the request)."""
    row = _locked(request, "check", by)
    problems = check_problems(row, on=almaty_day(moment(on)))
    if problems:
        raise CheckFailed(problems)
    return execute(WORKFLOW, request, "check", by=by)


@transaction.atomic
def return_for_revision(
    request: EngagementRequest, *, by, reason: str = "", items: Iterable[tuple[str, str]] = ()
) -> EngagementRequest:
    """Back to the employer with itemised comments (a bare ``reason`` becomes one general item); the
    clock stops: no deadline runs while the employer revises."""
    row = _locked(request, "return_for_revision", by)
    items = [(str(i).strip(), str(t).strip()) for i, t in items if str(t).strip()]
    if not items and (reason or "").strip():
        items = [(_("General"), reason.strip())]
    if not items:
        raise ValidationError({"reason": _("Write at least one comment for the employer.")})
    text = "\n".join(f"{item}: {comment}" for item, comment in items)
    next_round = (RevisionItem.objects.filter(request=row).aggregate(r=Max("round"))["r"] or 0) + 1
    result = execute(
        WORKFLOW,
        request,
        "return_for_revision",
        by=by,
        reason=text,
        extra_fields={"deadline": None, "round": next_round},
    )
    RevisionItem.objects.bulk_create(
        [
            RevisionItem(request=row, round=next_round, item=item[:100], text=comment, created_by=by)
            for item, comment in items
        ]
    )
    return result


@transaction.atomic
def approve(request: EngagementRequest, *, by, on: dt.date | None = None) -> EngagementRequest:
    """Checked → approved: the employer is still eligible, the term still holds; the confirmation
    and the visa-support letters are issued."""
    row = _locked(request, "approve", by)
    at = moment(on)
    day = almaty_day(at)
    require_eligible(row.employer, day)
    _check_terms(row, day)
    letters = issue_letters(row, by=by, at=at)
    return execute(
        WORKFLOW,
        request,
        "approve",
        by=by,
        changes={"letters": [None, [letter.number for letter in letters]]},
        extra_fields={"decided_at": at, "decided_by": by},
    )


@transaction.atomic
def refuse(request: EngagementRequest, *, by, grounds: str, on: dt.date | None = None) -> EngagementRequest:
    """Submitted or checked → refused, with the grounds (required)."""
    _locked(request, "refuse", by)
    grounds = (grounds or "").strip()
    if not grounds:
        raise ValidationError({"grounds": _("Give the grounds of the refusal.")})
    return execute(
        WORKFLOW,
        request,
        "refuse",
        by=by,
        reason=grounds,
        extra_fields={"grounds": grounds, "decided_at": moment(on), "decided_by": by},
    )


def _visa_problems(row: EngagementRequest, visa_valid_until: dt.date | None) -> dict:
    if visa_valid_until is None:
        return {}
    if visa_valid_until < row.contract_start:
        return {"visa_valid_until": _("The visa must be valid when the contract starts.")}
    if visa_valid_until > row.specialist.passport_expiry:
        return {"visa_valid_until": _("A visa is not valid beyond the passport.")}
    return {}


@transaction.atomic
def activate(request: EngagementRequest, *, by, visa_valid_until: dt.date | None = None) -> EngagementRequest:
    """Approved → active: the specialist has the visa (its end date, when known) and works."""
    row = _locked(request, "activate", by)
    problems = _visa_problems(row, visa_valid_until)
    if problems:
        raise ValidationError(problems)
    extra = {"visa_valid_until": visa_valid_until} if visa_valid_until else {}
    return execute(WORKFLOW, request, "activate", by=by, extra_fields=extra)


@transaction.atomic
def extend(
    request: EngagementRequest,
    *,
    by,
    new_contract_end: dt.date,
    reason: str,
    visa_valid_until: dt.date | None = None,
) -> EngagementRequest:
    """An active specialist's contract runs longer (and the visa, when renewed): the request stays
    active and an ``Extension`` records the change. The whole term from the contract's start stays
    within ``workforce.visa_max_years``, and the passport must cover it."""
    row = _locked(request, "extend", by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason of the extension.")})
    if new_contract_end <= row.contract_end:
        raise ValidationError({"new_contract_end": _("The new end must be later than the current one.")})
    problems = term_problems(
        contract_start=row.contract_start,
        contract_end=new_contract_end,
        passport_expiry=row.specialist.passport_expiry,
        on=policy.today(),
    )
    if "contract_end" in problems:
        problems["new_contract_end"] = problems.pop("contract_end")
    problems.update(_visa_problems(row, visa_valid_until))
    if problems:
        raise ValidationError(problems)
    Extension.objects.create(
        request=row,
        previous_contract_end=row.contract_end,
        new_contract_end=new_contract_end,
        visa_valid_until=visa_valid_until,
        reason=reason,
        created_by=by,
    )
    extra: dict[str, Any] = {"contract_end": new_contract_end}
    if visa_valid_until:
        extra["visa_valid_until"] = visa_valid_until
    return execute(WORKFLOW, request, "extend", by=by, reason=reason, extra_fields=extra)


@transaction.atomic
def end(
    request: EngagementRequest, *, by, end_reason: str, reason: str = "", on: dt.date | None = None
) -> EngagementRequest:
    """Active → ended: the specialist left, the contract ended, the employer was excluded, or
    another reason (then ``reason`` says which)."""
    _locked(request, "end", by)
    if end_reason not in EngagementRequest.EndReason.values:
        raise ValidationError({"end_reason": _("Choose why the engagement ends.")})
    reason = (reason or "").strip()
    if end_reason == EngagementRequest.EndReason.OTHER and not reason:
        raise ValidationError({"reason": _("Say why the engagement ends.")})
    return execute(
        WORKFLOW,
        request,
        "end",
        by=by,
        reason=reason,
        extra_fields={"end_reason": end_reason, "ended_on": on or policy.today()},
    )
