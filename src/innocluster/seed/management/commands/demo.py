"""``innocluster demo``: migrate, load demo data idempotently, print the logins, serve the app."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from innocluster.core.audit.chain import ChainTamperedError, seal_pending, verify


def mail_destination() -> str:
    """Where the mails of the app (sign-up confirmations, password resets, notices) go, in a line a
    newcomer can act on: in the demo they are printed on the console, not sent."""
    backend = settings.MAILERS["default"]["BACKEND"]
    options = settings.MAILERS["default"].get("OPTIONS", {})
    what = "Mail (sign-up confirmations, password resets, notices)"
    if backend.endswith("console.EmailBackend"):
        return f"{what} is not sent: it is printed on the console of the demo server, this window."
    if backend.endswith("smtp.EmailBackend"):
        return f"{what} is sent through SMTP at {options.get('host')}:{options.get('port')}."
    if backend.endswith("filebased.EmailBackend"):
        return f"{what} is written as files to {options.get('file_path')}."
    return f"{what} goes to the {backend} backend."


class Command(BaseCommand):
    help = "Migrate the database, load demo data (idempotent) and serve the app on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="prepare the data and exit")
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="create the demo accounts (one shared, printed password) even with DEBUG off",
        )

    def handle(self, *args, port: int, no_serve: bool, allow_without_debug: bool, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "demo creates accounts with a printed password: run it with DEBUG=1 (as `make demo` does), "
                "or pass --allow-without-debug on a throwaway database"
            )
        from innocluster.seed.applications import seed_applications_demo
        from innocluster.seed.finance import seed_finance_demo
        from innocluster.seed.foundation import seed_foundation
        from innocluster.seed.governance import seed_governance_demo
        from innocluster.seed.governance_meetings import seed_meetings_demo
        from innocluster.seed.grants import seed_grants_demo
        from innocluster.seed.grants_cycle import seed_grants_cycle
        from innocluster.seed.registry import seed_registry_demo
        from innocluster.seed.workforce import seed_workforce_demo

        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        result = seed_foundation()
        registry = seed_registry_demo()
        applications = seed_applications_demo()
        finance = seed_finance_demo()
        grants = seed_grants_demo()
        cycle = seed_grants_cycle()
        workforce = seed_workforce_demo()
        governance = seed_governance_demo()
        governance_meetings = seed_meetings_demo()
        try:
            seal_pending()
        except ChainTamperedError as exc:
            raise CommandError(str(exc)) from exc
        check = verify()
        db = settings.DATABASES["default"]
        self.stdout.write(f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}")
        self.stdout.write(
            f"demo data: {result.regimes_added} regimes, {result.values_added} policy values, "
            f"{result.overrides_added} calendar overrides added (existing rows kept)"
        )
        if not check.ok:
            raise CommandError(f"audit chain BROKEN: {check.first_problem.message}")
        self.stdout.write(
            f"register: {registry.organisations} organisations, {registry.individuals} individuals, "
            f"{registry.participants} register entries added (existing kept)"
        )
        self.stdout.write(
            f"applications: {applications.applications} added in states "
            f"{', '.join(f'{k} {v}' for k, v in sorted(applications.by_status.items())) or '-'} (existing kept)"
        )
        if finance.skipped:
            self.stdout.write("finance: already present (kept)")
        else:
            self.stdout.write(
                f"finance: {finance.bank_accounts} bank accounts, {finance.lines} statement lines "
                f"({finance.matched} reconciled, {finance.unmatched} waiting), entries {', '.join(finance.entries)}"
            )
            levy = finance.levy
            self.stdout.write(
                f"levy: {levy.contracts} contracts, {levy.declarations} declarations, {levy.obligations} "
                f"obligations assessed, {len(levy.payments)} payments this year (one for two obligations, "
                "left for the officer)"
            )
        if grants.skipped:
            self.stdout.write("grants: programmes already present (kept)")
        else:
            self.stdout.write(
                f"grants: {grants.programmes} programmes, calls in states "
                f"{', '.join(f'{k} {v}' for k, v in sorted(grants.by_status.items())) or '-'}"
            )
        if cycle.skipped:
            self.stdout.write("grants cycle: the closed call already present (kept)")
        else:
            self.stdout.write(
                f"grants cycle: call {cycle.call} closed with applications "
                f"{', '.join(f'{k} {v}' for k, v in sorted(cycle.by_status.items()))}; {cycle.reviews} reviews, "
                f"{cycle.recused} recused; {cycle.awards} awards, {cycle.disbursed} KZT paid; open call "
                f"{', '.join(f'{k} {v}' for k, v in sorted(cycle.open_call.items())) or '-'}; "
                f"challenge with {cycle.challenge_answers} answers"
            )
        if workforce.skipped:
            self.stdout.write("foreign specialists: already present (kept)")
        else:
            self.stdout.write(
                f"foreign specialists: {workforce.specialists} with requests in states "
                f"{', '.join(f'{k} {v}' for k, v in sorted(workforce.by_status.items())) or '-'}"
            )
        if governance.skipped:
            self.stdout.write("governance: members already present (kept)")
        else:
            self.stdout.write(
                f"governance: {governance.bodies_added} bodies loaded, {governance.members} members appointed "
                f"({governance.ended} terms ended)"
            )
        if not governance_meetings.skipped:
            self.stdout.write(
                f"meetings: {governance_meetings.meetings} added, {governance_meetings.resolutions} resolutions adopted"
            )
        if governance.kpis:
            self.stdout.write(
                f"governance: development strategy 2025-2029 approved with {governance.kpis} KPIs"
            )
        self.stdout.write(f"audit chain: OK, {check.checked} events sealed")
        self.stdout.write("")
        self.stdout.write("Demo logins (role-key  username  password  totp-secret):")
        for role, username, secret in [*result.logins, *cycle.logins]:
            self.stdout.write(f"{role}  {username}  {result.password}  {secret}")
        self.stdout.write(
            "Staff, commission, expert, trustee, committee and auditor accounts sign in with a TOTP code: "
            "add the secret to an authenticator app."
        )
        if getattr(settings, "MFA_TOTP_INSECURE_BYPASS_CODE", None):
            self.stdout.write(
                f"DEBUG demo only: the code {settings.MFA_TOTP_INSECURE_BYPASS_CODE} is accepted instead of a TOTP code."
            )
        self.stdout.write(mail_destination())
        if no_serve:
            return
        url = f"http://127.0.0.1:{port}/"
        self.stdout.write(f"\nServing on {url}  (admin: {url}admin/)  — stop with Ctrl+C")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)
