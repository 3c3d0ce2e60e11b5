"""Two extension points of the decision record: who has the authority to take a kind of decision,
and what carries a decision out.

**Executors** (hook ``"decisions.executors"``). An app that owns a command a body's decision
triggers (admitting an applicant, excluding a member of the register) contributes an
:class:`Executor` in its manifest::

    hooks={"decisions.executors": (Executor("app.kind", _("Label"), "app.model", run, check),)}

The app that keeps the bodies' meetings finds the executor of an adopted item's decision type
with :func:`executor_for` and calls :func:`carry_out`; it never imports the app that owns the
command, and that app never imports it.

**Authority** (hook ``"decisions.authority"``). A contributed provider answers
``deciding(decision_type, on, amount=None) -> Authority | None``: the body that decides that kind
of decision on that day (for an amount, when the kind is banded by amount), by which majority and
under which reference. :func:`require_authority` refuses a decision recorded by another body. When
no provider is installed, or none knows the kind, the bodies a manifest's ``DecisionType``
declares are the answer; a kind nobody restricts is accepted.

**Carrying out on a decision.** A command an executor calls usually asks for a role of its own
app (a registrar, a commission member). While :func:`carry_out` runs a decision of a kind,
:func:`carries_out` (and the predicate :func:`carrying_out`) is true for a user who may carry
decisions out (``decisions.execute``), so the owning app can accept the call without opening its
pages to that user: views never run inside :func:`carry_out`.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import can, require
from innocluster.core.manifest import bodies, decision_types, hooks

EXECUTORS = "decisions.executors"
AUTHORITY = "decisions.authority"
EXECUTE = "decisions.execute"


@dataclass(frozen=True)
class Executor:
    """What carries out a decision of ``decision_type`` on a record of ``model``
    (``"app_label.modelname"``).

    ``run(obj, *, decision, by, text)`` (plus ``amount=`` when the decision names one) performs the owning app's command on ``obj`` under the
    recorded ``decision`` (``text``: the decision's wording, e.g. the grounds) and raises
    ``ValidationError`` when it cannot. ``check(obj)``, when given, raises ``ValidationError``
    when the command could not run now (the record is in the wrong state). ``find(reference)``,
    when given, finds the record by the reference people use for it (a register number); without
    it a record is named by its key."""

    decision_type: str
    label: Any
    model: str
    run: Callable[..., None]
    check: Callable[[Any], None] | None = None
    find: Callable[[str], Any] | None = None


@dataclass(frozen=True)
class Authority:
    """Who decides a kind of decision: the ``body`` (a body code), the ``majority`` its vote needs
    (a majority code), the ``reference`` it rests on (English, with Kazakh and Russian where
    written), and ``max_amount``: the highest amount the body decides (``None``: no cap)."""

    body: str
    majority: str
    reference: str
    max_amount: Decimal | None = None
    decision_type: str = ""
    reference_kk: str = ""
    reference_ru: str = ""
    source: str = ""

    def text(self, language: str) -> str:
        """The reference in ``language`` where written, else the English original."""
        found = {"kk": self.reference_kk, "ru": self.reference_ru}.get(language, "")
        return found or self.reference


# --- executors ---------------------------------------------------------------------------------


def executors() -> list[Executor]:
    """Every executor the installed apps contribute; a decision type has at most one."""
    found = list(hooks(EXECUTORS))
    seen: set[str] = set()
    for executor in found:
        if executor.decision_type in seen:
            raise ValueError(f"decision type {executor.decision_type!r} has two executors")
        seen.add(executor.decision_type)
    return found


def executor_for(decision_type: str) -> Executor | None:
    return next((e for e in executors() if e.decision_type == decision_type), None)


def model_label(obj) -> str:
    """``"app_label.modelname"`` of a model instance, as :attr:`Executor.model` names it."""
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


_current: ContextVar[tuple[str, Any] | None] = ContextVar("decision_carried_out", default=None)


@contextmanager
def _carrying_out(decision_type: str, decision) -> Iterator[None]:
    token = _current.set((decision_type, decision))
    try:
        yield
    finally:
        _current.reset(token)


def carry_out(executor: Executor, obj, *, decision, by, text: str, amount=None) -> None:
    """Run ``executor`` on ``obj`` under ``decision`` as ``by``. Refused (``PermissionDenied``)
    unless ``by`` may carry decisions out (``decisions.execute``); the decision's body must have the
    authority for the kind (:func:`require_authority`, asked by the command). ``amount`` (the
    amount the body decided, e.g. an agenda item's) is passed on to ``run`` only when given, so
    executors of kinds without an amount keep their signature."""
    require(by, EXECUTE)
    if model_label(obj) != executor.model:
        raise ValidationError(
            {"linked": _("This kind of decision is carried out on another kind of record.")}
        )
    with _carrying_out(executor.decision_type, decision):
        if amount is None:
            executor.run(obj, decision=decision, by=by, text=text)
        else:
            executor.run(obj, decision=decision, by=by, text=text, amount=amount)


def carries_out(user, decision_type: str) -> bool:
    """True inside :func:`carry_out` of a ``decision_type`` decision, for a user who may carry
    decisions out (``decisions.execute``): the owning app's command accepts the call."""
    current = _current.get()
    return current is not None and current[0] == decision_type and can(user, EXECUTE).allowed


def carrying_out(decision_type: str):
    """:func:`carries_out` as an access predicate, for an app's ``declare(...)``."""

    @rules.predicate(name=f"carrying_out({decision_type})")
    def predicate(user, obj=None) -> bool:
        return carries_out(user, decision_type)

    return predicate


# --- authority ---------------------------------------------------------------------------------


def authority_for(decision_type: str, on: date, amount: Decimal | None = None) -> Authority | None:
    """The authority the installed providers name for ``decision_type`` on ``on`` (the first that
    knows it), or ``None``."""
    for provider in hooks(AUTHORITY):
        found = provider.deciding(decision_type, on, amount=amount)
        if found is not None:
            return found
    return None


def declared_bodies(decision_type: str) -> tuple[str, ...]:
    """The bodies a manifest's ``DecisionType`` lists for the kind (empty: not restricted)."""
    return next((kind.bodies for kind in decision_types() if kind.code == decision_type), ())


def body_label(code: str) -> str:
    return str(next((body.label for body in bodies() if body.code == code), code))


def require_authority(decision, decision_type: str, *, on: date | None = None, amount=None) -> None:
    """Refuse (``ValidationError`` on ``decision``) a decision taken by a body other than the one
    the authority matrix names for ``decision_type`` (and ``amount``) on ``on`` (default: the
    decision's date). Without a matrix entry, the bodies of the kind's ``DecisionType``; a kind
    nobody restricts is accepted."""
    on = on or decision.decided_on
    authority = authority_for(decision_type, on, amount=amount)
    allowed = (authority.body,) if authority is not None else declared_bodies(decision_type)
    if not allowed or decision.body in allowed:
        return
    raise ValidationError(
        {
            "decision": _("This decision was taken by %(taken)s, but %(kind)s is decided by %(body)s.")
            % {
                "taken": body_label(decision.body),
                "kind": decision_type_label(decision_type),
                "body": ", ".join(body_label(code) for code in allowed),
            }
        }
    )


def decision_type_label(code: str) -> str:
    """The label a manifest gives the kind, or its code when no installed app declares it."""
    return str(next((kind.label for kind in decision_types() if kind.code == code), code))
