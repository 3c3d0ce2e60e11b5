"""``innocluster manifest [--json]``: what each installed app adds to the platform."""

import json

from django.core.management.base import BaseCommand

from innocluster.core.manifest import manifests


def _summary(m) -> dict:
    return {
        "app": m.app,
        "navigation": [f"{n.url_name} ({n.action})" for n in m.navigation],
        "cards": [f"{c.audience}: {getattr(c.source, '__name__', c.source)}" for c in m.cards],
        "reminders": sorted(m.reminders),
        "roles": [r.key for r in m.roles],
        "bodies": [b.code for b in m.bodies],
        "decision_types": [d.code for d in m.decision_types],
        "policy": [str(p.relative_to(m.path)) for p in m.policy_files()],
        "lawcases": m.lawcases if m.file(m.lawcases) else None,
        "authorization": m.authorization if m.file(m.authorization) else None,
        "urls": [mount.prefix or "/" for mount in m.urls],
        "api": [route.route for route in m.api],
        "commands": list(m.commands),
        "admin": list(m.admin),
        "search": [type(p).__name__ for p in m.search],
        "exports": [getattr(p, "code", type(p).__name__) for p in m.exports],
        "metrics": [metric.code for metric in m.metrics],
    }


class Command(BaseCommand):
    help = "List what each installed app declares in its manifest."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, as_json: bool, **options):
        found = [_summary(m) for m in manifests()]
        if as_json:
            self.stdout.write(json.dumps(found, ensure_ascii=False, indent=2))
            return
        for app in found:
            self.stdout.write(app.pop("app"))
            for field, value in app.items():
                if value:
                    shown = ", ".join(value) if isinstance(value, list) else value
                    self.stdout.write(f"  {field}: {shown}")
