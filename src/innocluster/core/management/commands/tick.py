"""``innocluster tick``: periodic housekeeping, run every few minutes from cron or a systemd timer.

Besides sealing the audit chain it keeps the task queue honest (``django-tasks-db`` has no retries
and a killed worker leaves its task RUNNING) and sends the reminders that are due.
"""

from django.core.management.base import BaseCommand, CommandError

from innocluster.core.audit.chain import ChainTamperedError, seal_pending, write_checkpoint
from innocluster.core.notifications.reminders import enqueue_due_reminders
from innocluster.core.notifications.tasks import requeue_stuck_tasks, retry_failed_emails


class Command(BaseCommand):
    help = (
        "Requeue stuck background tasks, retry failed e-mails, send due reminders, then seal pending "
        "audit events and write an audit checkpoint."
    )

    def handle(self, *args, **options):
        # Queue housekeeping first: it must happen even when the audit chain turns out tampered,
        # and the audit events it writes are then sealed by this same tick.
        requeued = requeue_stuck_tasks()
        retried = retry_failed_emails()
        reminders = enqueue_due_reminders()
        try:
            sealed = seal_pending()
            checkpoint = write_checkpoint()
        except ChainTamperedError as exc:
            raise CommandError(str(exc)) from exc
        where = f"checkpoint at seq {checkpoint.seq}" if checkpoint else "no new checkpoint"
        self.stdout.write(
            f"tick: {sealed} audit events sealed, {where}; {reminders} reminders created, "
            f"{requeued} stuck tasks requeued, {retried} failed e-mails retried"
        )
