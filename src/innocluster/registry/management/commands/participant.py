"""``innocluster participant ACTION NUMBER --as USERNAME``: suspend, reinstate, exclude or take a
register entry out of the cluster, through the same command as the staff page, the portal and the
API.

    innocluster participant suspend 2026-00001 --as registrar --grounds "No annual report"
    innocluster participant exclude 2026-00001 --as registrar --grounds "…" --decision MC-7
    innocluster participant exit 2026-00001 --as head --reason "The company closes"
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from innocluster.registry.management import transitions
from innocluster.registry.selectors.register import participant_by_number
from innocluster.registry.workflow import PARTICIPANT_WORKFLOW


class Command(BaseCommand):
    help = "Perform a membership transition of a register entry (audited, notified)."

    def add_arguments(self, parser):
        transitions.add_common_arguments(parser, PARTICIPANT_WORKFLOW)
        parser.add_argument("number", help="The register number.")
        parser.add_argument("--grounds", default="", help="suspend, reinstate, exclude: the grounds.")
        parser.add_argument("--reason", default="", help="exit: why the participant leaves.")
        parser.add_argument("--on", type=date.fromisoformat, help="effective date (default today)")
        parser.add_argument("--decision", help="exclude: the number of the recorded decision.")
        parser.add_argument("--decision-date", type=date.fromisoformat, help="when several share the number")

    def handle(self, *args, action, number, as_user, **options):
        from innocluster.registry.services.membership import current_response_due

        self.options_json = options["as_json"]
        by = transitions.actor(as_user)
        participant = participant_by_number(number)
        if participant is None:
            raise CommandError(f"no participant {number!r}", returncode=1)
        inputs = {
            "grounds": options["grounds"],
            "reason": options["reason"],
            "on": options["on"],
            "decision": transitions.decision(options["decision"], options["decision_date"]),
        }
        transitions.run(
            self,
            PARTICIPANT_WORKFLOW,
            participant,
            action,
            by=by,
            inputs={k: v for k, v in inputs.items() if v},
            report=lambda result: {
                "participant": result.number,
                "action": action,
                "status": result.status,
                "status_since": result.status_since,
                "response_due": current_response_due(result),
            },
        )
