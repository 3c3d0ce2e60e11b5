"""Workflows: states and transitions declared as data, executed by services.

A workflow is a table — from which states, to which state, under which access action, whether a
reason is required, which notification follows — rather than methods scattered over a model. The
UI reads it to offer only the buttons a user may press (:meth:`Workflow.available`), the
authorization tests read it to find every action a workflow needs, and one executor
(:func:`execute`) applies any transition the same way:

1. lock the row (``select_for_update``) inside a transaction, so two people pressing the same
   button at once cannot both succeed: the second one waits, then sees the new state;
2. check the state *of the locked row* (:class:`IllegalTransition`), then the user's right
   (:class:`TransitionDenied`, from :func:`~innocluster.core.access.permissions.can`), then the
   reason when the transition requires one (``ValidationError`` on ``reason``);
3. save the new state with any extra fields, append the audit event in the same transaction;
4. notify after commit, so nobody is told about a change that was rolled back.

Services wrap it: ``publish_decision(decision, by=...)`` calls
``execute(DECISION_WORKFLOW, decision, "publish", by=...)``.

**One command per transition, one dispatcher for every interface.** A transition may name the
command that performs it (``command=``: a callable or a dotted path, resolved when first used so a
workflow table can name services that import it). :func:`perform` (also
:meth:`Workflow.perform`) is what the HTML views, the API and the CLI call with the action name
they were given: it finds the transition, locks the row, checks the user's right
(:class:`TransitionDenied`) and the state of the locked row (:class:`IllegalTransition`), checks
the inputs (a required reason, the command's required inputs: ``ValidationError`` by field), then
calls the command in the same transaction; the command writes, audits and notifies. An unknown
action name is :class:`UnknownTransition`. So no interface keeps its own if/elif of actions, and
the three interfaces cannot drift apart: they differ only in how they read inputs and show errors. Views turn ``TransitionDenied`` into
403 and the object-visibility question (404) stays theirs: the executor does not know who may *see*
a row, only who may *change* it.

Notifications are reached through a hook rather than an import, so that ``core.workflow`` does not
depend on the notifications app (and works before it exists): pass ``notify=`` to the workflow or
to :func:`execute`, or let the default look up
``innocluster.core.notifications.services.notify`` when the notification is due.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.functional import Promise, lazy
from django.utils.module_loading import import_string
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _

from innocluster.core.access.permissions import can
from innocluster.core.audit.services import diff, record_event
from innocluster.core.errors import DomainError, lock_failures_as_domain_errors

logger = logging.getLogger(__name__)

NOTIFY_MODULE = "innocluster.core.notifications.services"
NOTIFY_FUNCTION = "notify"

# ``notify(*, recipients, key, context=None, obj=None, actor=None)``
Notify = Callable[..., Any]
# ``recipients(obj, transition) -> iterable of users``: who is told about a transition.
Recipients = Callable[[models.Model, "Transition"], Iterable[Any]]


@dataclass(frozen=True)
class Transition:
    """One row of a workflow's table.

    ``action`` is the access action asked of :func:`can` (``"decisions.publish"``);
    ``name`` is the verb services and URLs use (``"return_for_revision"``) and the last part of the
    audit action; ``label`` is what the button says (lazy-translated); ``notify`` is the
    notification key sent after commit, if any.

    ``command`` performs the transition for :func:`perform`: a callable or the dotted path of one,
    called as ``command(obj, by=user, **inputs)``; without one, :func:`execute` applies the bare
    transition. ``reason_field`` names the input(s) that carry the reason (at least one must be
    non-blank when ``reason_required``), ``reason_message`` what to say when they are blank.
    """

    source: str | tuple[str, ...]
    target: str
    action: str
    name: str
    label: str | Promise
    reason_required: bool = False
    notify: str | None = None
    command: Callable[..., Any] | str | None = None
    reason_field: str | tuple[str, ...] = "reason"
    reason_message: str | Promise | None = None

    @property
    def reason_fields(self) -> tuple[str, ...]:
        return (self.reason_field,) if isinstance(self.reason_field, str) else tuple(self.reason_field)

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else tuple(self.source)

    def allowed_from(self, state: str) -> bool:
        return state in self.sources


def _state_list(labels: Iterable[Any]) -> str:
    return get_text_list([f"“{label}”" for label in labels], str(_("or")))


_lazy_state_list = lazy(_state_list, str)


class IllegalTransition(DomainError):
    """The record is not in a state this transition starts from (someone else may have moved it
    first: the check runs on the locked row)."""

    default_code = "illegal_transition"

    def __init__(self, workflow: Workflow, transition: Transition, state: str):
        self.workflow, self.transition, self.state = workflow, transition, state
        super().__init__(
            _("This %(object)s is “%(state)s”; “%(transition)s” is possible only when it is %(allowed)s."),
            params={
                "object": workflow.model._meta.verbose_name,
                "state": workflow.state_label(state),
                "transition": transition.label,
                "allowed": _lazy_state_list([workflow.state_label(s) for s in transition.sources]),
            },
        )


class TransitionDenied(DomainError):
    """The user's role does not allow the transition; the message is :func:`can`'s reason.
    Interfaces answer it with 403."""

    default_code = "transition_denied"

    def __init__(self, transition: Transition, reason: str):
        self.transition = transition
        super().__init__(reason or _("Your role does not allow this action."))


class UnknownTransition(DomainError):
    """The workflow has no transition of that name (a mistyped URL, body or CLI argument).
    Interfaces answer it with 404 (a page) or 400 (a request body)."""

    default_code = "unknown_transition"

    def __init__(self, workflow: Workflow, name: str):
        self.workflow, self.name = workflow, name
        super().__init__(
            _("There is no action “%(action)s” for a %(object)s."),
            params={"action": name, "object": workflow.model._meta.verbose_name},
        )


class Workflow:
    """The transitions of one model's state field, validated when declared.

    Declaring a transition from or to a state that is not one of the field's choices, or two
    transitions with the same name, raises ``ValueError`` at import time rather than at the first
    click. ``label`` prefixes audit actions (default: ``"<app_label>.<model_name>"``).
    """

    def __init__(
        self,
        *,
        model: type[models.Model],
        transitions: Iterable[Transition],
        state_field: str = "status",
        label: str | None = None,
        recipients: Recipients | None = None,
        notify: Notify | None = None,
    ):
        self.model = model
        self.state_field = state_field
        self.transitions: list[Transition] = list(transitions)
        self.label = label or model._meta.label_lower
        self.recipients = recipients
        self.notify = notify
        try:
            field = model._meta.get_field(state_field)
        except FieldDoesNotExist:
            raise ValueError(f"{model.__name__} has no state field {state_field!r}") from None
        self._state_labels: dict[str, Any] = dict(field.flatchoices) if field.choices else {}
        self._by_name: dict[str, Transition] = {}
        for transition in self.transitions:
            if transition.name in self._by_name:
                raise ValueError(f"{self.label}: transition {transition.name!r} is declared twice")
            self._by_name[transition.name] = transition
            if self._state_labels:
                unknown = {*transition.sources, transition.target} - set(self._state_labels)
                if unknown:
                    raise ValueError(
                        f"{self.label}.{transition.name}: unknown state(s) {sorted(unknown)}; "
                        f"{model.__name__}.{state_field} allows {sorted(self._state_labels)}"
                    )

    def __repr__(self) -> str:
        return f"<Workflow {self.label}: {', '.join(self._by_name)}>"

    def get(self, name: str) -> Transition:
        """The transition called ``name``; an unknown name is a programming error (``KeyError``)."""
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"{self.label} has no transition {name!r}") from None

    def find(self, name: str) -> Transition:
        """The transition called ``name`` as asked by a user: :class:`UnknownTransition` if none."""
        transition = self._by_name.get(name)
        if transition is None:
            raise UnknownTransition(self, name)
        return transition

    def names(self) -> list[str]:
        return list(self._by_name)

    def check(self, user, name: str, obj: models.Model | None = None) -> Transition:
        """The transition, if ``user``'s role allows it (on ``obj``, when given), else
        :class:`TransitionDenied`. For an interface that must answer 403 before reading a form;
        :func:`perform` asks again on the locked row."""
        transition = self.find(name)
        decision = can(user, transition.action, obj)
        if not decision.allowed:
            raise TransitionDenied(transition, decision.reason)
        return transition

    def perform(self, obj: models.Model, name: str, *, by, **inputs: Any) -> Any:
        """:func:`perform` on this workflow."""
        return perform(self, obj, name, by=by, **inputs)

    def allowed_from(self, state: str) -> list[Transition]:
        """Transitions that start from ``state``, whoever asks (declaration order)."""
        return [t for t in self.transitions if t.allowed_from(state)]

    def available(self, user, obj: models.Model) -> list[Transition]:
        """Transitions ``user`` may perform on ``obj`` now: what the UI offers as buttons.

        Reads the state from the instance given (no lock); :func:`execute` checks again on the
        locked row, so a stale page can offer a button whose click is then refused plainly.
        """
        state = getattr(obj, self.state_field)
        return [t for t in self.allowed_from(state) if can(user, t.action, obj).allowed]

    def actions(self) -> set[str]:
        """Every access action the workflow asks for (for the authorization tests)."""
        return {t.action for t in self.transitions}

    def state_label(self, state: str) -> Any:
        """The translated label of ``state`` (the raw value when the field has no choices)."""
        return self._state_labels.get(state, state)


def execute(
    workflow: Workflow,
    obj: models.Model,
    name: str,
    *,
    by,
    reason: str = "",
    changes: Mapping[str, Any] | None = None,
    ip: str | None = None,
    extra_fields: Mapping[str, Any] | None = None,
    notify: Notify | None = None,
) -> models.Model:
    """Perform transition ``name`` on ``obj`` as user ``by`` and return the updated row.

    ``extra_fields`` are set and saved together with the state (e.g. ``published_at``) and appear
    in the audit event's changes; ``changes`` adds further entries to the audit event (for changes
    a service made elsewhere in the same transaction). ``notify`` overrides the workflow's hook.

    Raises :class:`IllegalTransition` or :class:`TransitionDenied` (nothing is written), or
    ``ValidationError({"reason": ...})`` when a required reason is blank. The instance passed in
    gets the new state and extra fields too, so callers holding it do not read a stale state.
    """
    transition = workflow.get(name)
    reason = (reason or "").strip()
    extra = dict(extra_fields or {})
    if workflow.state_field in extra:
        raise ValueError("extra_fields cannot set the state field; the transition does")
    model = workflow.model
    with transaction.atomic():
        # Re-read under a row lock: the state that matters is the one at commit, not the one the
        # user saw on the page. A concurrent transition waits here, then sees our new state.
        row = model._default_manager.select_for_update().get(pk=obj.pk)
        old = getattr(row, workflow.state_field)
        if not transition.allowed_from(old):
            raise IllegalTransition(workflow, transition, old)
        decision = can(by, transition.action, row)
        if not decision.allowed:
            raise TransitionDenied(transition, decision.reason)
        if transition.reason_required and not reason:
            raise ValidationError(
                {
                    "reason": ValidationError(
                        _("Give a reason: “%(transition)s” requires one."),
                        code="reason_required",
                        params={"transition": transition.label},
                    )
                }
            )
        before = {field: getattr(row, field) for field in extra}
        setattr(row, workflow.state_field, transition.target)
        for field, value in extra.items():
            setattr(row, field, value)
        row.save(update_fields=[workflow.state_field, *extra])
        audit_changes: dict[str, Any] = {workflow.state_field: [old, transition.target]}
        audit_changes.update(diff(before, {field: getattr(row, field) for field in extra}))
        audit_changes.update(changes or {})
        record_event(
            action=f"{workflow.label}.{transition.name}",
            actor=by,
            obj=row,
            changes=audit_changes,
            reason=reason,
            ip=ip,
        )
        if transition.notify:
            _schedule_notification(workflow, transition, row, old, by=by, reason=reason, hook=notify)
    for field in [workflow.state_field, *extra]:
        setattr(obj, field, getattr(row, field))
    return row


def perform(workflow: Workflow, obj: models.Model, name: str, *, by, **inputs: Any) -> Any:
    """Perform the transition ``name`` on ``obj`` as ``by`` through its command; the one entry point
    of the HTML views, the API and the CLI. Returns what the command returns (the updated row).

    In one transaction: lock the row; refuse with :class:`TransitionDenied` if the role may not
    (also when the command's own ``require`` refuses: ``PermissionDenied`` becomes the same
    error), with :class:`IllegalTransition` if the locked row's state does not allow it; refuse a
    blank reason the transition requires and a missing input the command requires
    (``ValidationError`` by field); then run the command. Inputs the command does not take are
    dropped, so an interface may pass what its form or body holds. Nothing is written on a refusal;
    a lock the database gives up on is :class:`~innocluster.core.errors.RecordsBusy`.
    """
    transition = workflow.find(name)
    with lock_failures_as_domain_errors(), transaction.atomic():
        row = workflow.model._default_manager.select_for_update().get(pk=obj.pk)
        decision = can(by, transition.action, row)
        if not decision.allowed:
            raise TransitionDenied(transition, decision.reason)
        state = getattr(row, workflow.state_field)
        if not transition.allowed_from(state):
            raise IllegalTransition(workflow, transition, state)
        # The caller's instance may be stale: commands that read its state see the locked one.
        setattr(obj, workflow.state_field, state)
        command = _command(transition)
        if command is None:
            return execute(workflow, obj, transition.name, by=by, reason=inputs.get("reason", ""))
        inputs = _accepted_inputs(command, transition, inputs)
        _check_inputs(command, transition, inputs)
        try:
            return command(obj, by=by, **inputs)
        except PermissionDenied as error:
            raise TransitionDenied(transition, str(error)) from error


def _command(transition: Transition) -> Callable[..., Any] | None:
    command = transition.command
    return _import(command) if isinstance(command, str) else command


@cache
def _import(path: str) -> Callable[..., Any]:
    return import_string(path)


def _parameters(command: Callable[..., Any]) -> dict[str, inspect.Parameter]:
    parameters = dict(inspect.signature(command).parameters)
    parameters.pop(next(iter(parameters)), None)  # the object itself
    parameters.pop("by", None)
    return parameters


def _accepted_inputs(command, transition: Transition, inputs: Mapping[str, Any]) -> dict[str, Any]:
    parameters = _parameters(command)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return dict(inputs)
    return {key: value for key, value in inputs.items() if key in parameters}


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict, set)):
        return not value
    return False


def _check_inputs(command, transition: Transition, inputs: Mapping[str, Any]) -> None:
    errors: dict[str, Any] = {}
    if transition.reason_required and all(_blank(inputs.get(f)) for f in transition.reason_fields):
        message = transition.reason_message or _("Give a reason: “%(transition)s” requires one.")
        errors[transition.reason_fields[0]] = ValidationError(
            message, code="reason_required", params={"transition": transition.label}
        )
    for key, parameter in _parameters(command).items():
        required = parameter.default is inspect.Parameter.empty and parameter.kind in (
            inspect.Parameter.KEYWORD_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        )
        if required and key not in errors and _blank(inputs.get(key)):
            errors[key] = ValidationError(_("This field is required."), code="required")
    if errors:
        raise ValidationError(errors)


def _schedule_notification(workflow, transition, row, old, *, by, reason, hook) -> None:
    """Queue the notification for after commit. Recipients are resolved now, inside the
    transaction, so they describe the record as it was changed. ``robust``: a failing notification
    is logged and must not turn a committed transition into an error for the user."""
    recipients = list(workflow.recipients(row, transition)) if workflow.recipients else []
    if not recipients:
        logger.debug("%s.%s: no recipients for %r", workflow.label, transition.name, transition.notify)
        return
    # Raw values for code, lazy labels for templates (each recipient reads them in their language);
    # ``state`` is what the generic ``workflow.transition`` templates show.
    context = {
        "workflow": workflow.label,
        "transition": transition.name,
        "transition_label": transition.label,
        "from": old,
        "to": transition.target,
        "previous_state": workflow.state_label(old),
        "state": workflow.state_label(transition.target),
        "reason": reason,
    }

    def send() -> None:
        function = hook or workflow.notify or default_notify()
        if function is None:
            return
        function(recipients=recipients, key=transition.notify, context=context, obj=row, actor=by)

    transaction.on_commit(send, robust=True)


def default_notify() -> Notify | None:
    """``notifications.services.notify`` if it exists yet, else ``None`` (with a debug line).

    Looked up lazily, when a notification is due: the notifications app is written separately
    and ``core.workflow`` must not fail to import while it is missing or half-done. Only the
    module's or the function's absence is tolerated; an error raised *inside* that module
    propagates (and is logged by the robust ``on_commit``), because hiding it would lose messages.
    """
    try:
        module = importlib.import_module(NOTIFY_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name not in {NOTIFY_MODULE, NOTIFY_MODULE.rpartition(".")[0]}:
            raise
        logger.debug("notifications are not available yet (%s missing); skipping", NOTIFY_MODULE)
        return None
    function = getattr(module, NOTIFY_FUNCTION, None)
    if function is None:
        logger.debug("%s.%s does not exist yet; skipping", NOTIFY_MODULE, NOTIFY_FUNCTION)
    return function
