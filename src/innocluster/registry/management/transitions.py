"""What the ``application`` and ``participant`` commands share: the actor, the decision record
referred to, and one way to run a transition through the workflow's dispatcher and report it.

The CLI is the third interface of the same commands (beside the staff pages and the API): it reads
arguments into inputs and calls ``WORKFLOW.perform``; a refusal is exit 1 with the domain's
message on stderr (ARCHITECTURE, CLI conventions), a wrong argument exit 2 (argparse).
"""

import json
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from innocluster.core.errors import DomainError
from innocluster.core.workflow import Workflow


def actor(username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"no user {username!r}", returncode=1) from None


def decision(number: str | None, decided_on: date | None):
    """The recorded decision with this number (and date), or ``None`` when none is named."""
    if not number:
        return None
    from innocluster.registry.selectors.staff import decision_by_number

    found = decision_by_number(number, decided_on)
    if not found:
        raise CommandError(f"no decision is recorded under number {number!r}", returncode=1)
    if len(found) > 1:
        raise CommandError(f"several decisions have number {number!r}: give --decision-date", returncode=1)
    return found[0]


def refusal(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def add_common_arguments(parser, workflow: Workflow) -> None:
    parser.add_argument("action", choices=workflow.names(), help="The transition to perform.")
    parser.add_argument("--as", dest="as_user", required=True, metavar="USERNAME", help="Who acts.")
    parser.add_argument("--json", action="store_true", dest="as_json", help="Print the result as JSON.")


def run(command: BaseCommand, workflow: Workflow, obj, action: str, *, by, inputs: dict, report) -> None:
    """Perform ``action`` and print ``report(result)`` (a dict) as text or JSON."""
    try:
        result = workflow.perform(obj, action, by=by, **inputs)
    except DomainError as error:
        raise CommandError(str(error), returncode=1) from error
    except ValidationError as error:
        raise CommandError(refusal(error), returncode=1) from error
    data = report(result)
    if command.options_json:
        command.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        command.stdout.write(
            " ".join(f"{key}={value}" for key, value in data.items() if value not in (None, ""))
        )
