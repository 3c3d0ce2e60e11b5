"""``innocluster application ACTION ID --as USERNAME``: perform a transition of an application
(accept, return_for_revision, approve, reject, issue_certificate, ...) through the same command as
the staff page and the API.

    innocluster application accept 12 --as registrar
    innocluster application return_for_revision 12 --as registrar --item "Charter" "Sign it" --reason "…"
    innocluster application approve 12 --as commission --decision SC-4 [--decision-date 2026-04-10]
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from innocluster.registry.management import transitions
from innocluster.registry.models import Application
from innocluster.registry.workflow import APPLICATION_WORKFLOW


class Command(BaseCommand):
    help = "Perform a transition of an application (audited, notified), as the staff page and the API do."

    def add_arguments(self, parser):
        transitions.add_common_arguments(parser, APPLICATION_WORKFLOW)
        parser.add_argument("id", type=int, help="The application number.")
        parser.add_argument("--reason", default="", help="The reason (return, reject).")
        parser.add_argument(
            "--item",
            nargs=2,
            action="append",
            default=[],
            metavar=("ITEM", "TEXT"),
            help="return_for_revision: one itemised comment (repeatable).",
        )
        parser.add_argument("--decision", help="approve, reject: the number of the recorded decision.")
        parser.add_argument("--decision-date", type=date.fromisoformat, help="when several share the number")

    def handle(self, *args, action, id, as_user, **options):
        self.options_json = options["as_json"]
        by = transitions.actor(as_user)
        application = Application.objects.filter(pk=id).first()
        if application is None:
            raise CommandError(f"no application {id}", returncode=1)
        inputs = {
            "reason": options["reason"],
            "items": [tuple(pair) for pair in options["item"]],
            "decision": transitions.decision(options["decision"], options["decision_date"]),
        }
        transitions.run(
            self,
            APPLICATION_WORKFLOW,
            application,
            action,
            by=by,
            inputs={k: v for k, v in inputs.items() if v},
            report=lambda result: {
                "application": result.pk,
                "action": action,
                "status": result.status,
                "moderation_due": result.moderation_due,
                "commission_due": result.commission_due,
                "decision": result.decision.number if result.decision_id else None,
                "register_number": result.participant.number if result.participant_id else None,
            },
        )
