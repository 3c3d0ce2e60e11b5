"""``innocluster tick``: periodic housekeeping, run every few minutes from cron or a systemd timer."""

from django.core.management.base import BaseCommand, CommandError

from innocluster.core.audit.chain import ChainTamperedError, seal_pending, write_checkpoint


class Command(BaseCommand):
    help = "Seal pending audit events and write an audit checkpoint."

    def handle(self, *args, **options):
        try:
            sealed = seal_pending()
            checkpoint = write_checkpoint()
        except ChainTamperedError as exc:
            raise CommandError(str(exc)) from exc
        where = f"checkpoint at seq {checkpoint.seq}" if checkpoint else "no new checkpoint"
        self.stdout.write(f"tick: {sealed} audit events sealed, {where}")
