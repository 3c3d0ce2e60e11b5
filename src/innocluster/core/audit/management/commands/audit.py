"""`innocluster audit verify | seal | checkpoint`: operate and check the sealed audit log.

Exit codes follow ARCHITECTURE: 0 when the chain is intact, 1 when it is not (the first bad row on
stderr), 2 for wrong usage (argparse).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from innocluster.core.audit.chain import (
    ChainTamperedError,
    export_checkpoints,
    seal_pending,
    verify,
    write_checkpoint,
)


class Command(BaseCommand):
    help = "Verify, seal and checkpoint the audit chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, title="subcommands")
        p_verify = sub.add_parser("verify", help="Recompute the chain; exit 1 if it was altered.")
        p_verify.add_argument("--json", action="store_true", help="Print the result as a JSON object.")
        p_verify.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="Also check against checkpoints exported earlier (`audit checkpoint --export`).",
        )
        sub.add_parser("seal", help="Seal the pending events into the chain.")
        p_cp = sub.add_parser("checkpoint", help="Seal pending events and checkpoint the head.")
        p_cp.add_argument(
            "--export", metavar="FILE", help="Write all checkpoints as JSON to FILE ('-': stdout)."
        )

    def handle(self, *args, subcommand, **options):
        return getattr(self, f"handle_{subcommand}")(**options)

    def handle_verify(self, *, checkpoints: str | None = None, **options):
        as_json = options["json"]
        exported = _load_checkpoints(checkpoints) if checkpoints else None
        result = verify(exported_checkpoints=exported)
        if as_json:
            self.stdout.write(_dumps(result.as_dict()))
        elif result.ok:
            self.stdout.write(result.summary())
        if not result.ok:
            count = len(result.problems) + result.omitted
            if not as_json:
                self.stderr.write(f"audit chain BROKEN — first bad row: {result.first_problem.message}")
                if count > 1:
                    self.stderr.write(f"all {count} problems:")
                    for problem in result.problems:
                        self.stderr.write(f"  [{problem.kind}] {problem.message}")
                    if result.omitted:
                        self.stderr.write(f"  … and {result.omitted} more")
            raise CommandError(f"audit verify found {count} problem(s)", returncode=1)

    def handle_seal(self, **_):
        try:
            count = seal_pending()
        except ChainTamperedError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(f"sealed {count} audit event(s)")

    def handle_checkpoint(self, *, export: str | None = None, **_):
        try:
            seal_pending()
            checkpoint = write_checkpoint()
        except ChainTamperedError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        if checkpoint is None:
            self.stderr.write("no new checkpoint: the head is already checkpointed (or the chain is empty)")
        else:
            self.stderr.write(f"checkpoint written at seq {checkpoint.seq} (event id={checkpoint.event_id})")
        if export:
            data = _dumps(export_checkpoints())
            if export == "-":
                self.stdout.write(data)
            else:
                Path(export).write_text(data + "\n", encoding="utf-8")
                self.stderr.write(f"checkpoints exported to {export}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _load_checkpoints(path: str) -> list[dict]:
    """Accept the export as written (a list) or wrapped as ``{"checkpoints": [...]}``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot read checkpoints from {path}: {exc}", returncode=2) from exc
    if isinstance(data, dict):
        data = data.get("checkpoints")
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise CommandError(f"{path} does not hold a list of exported checkpoints", returncode=2)
    return data
