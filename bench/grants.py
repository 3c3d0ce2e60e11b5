"""Benchmark of the staff's project applications at scale, beside raw-SQL baselines reading the same rows.

    .venv/bin/python bench/grants.py [--n 20000] [--calls 20] [--assignments 60000]
                                     [--database-url URL] [--reps 30] [--json] [--keep|--reuse|--reset]

Migrates a fresh database (by default a new SQLite file under var/bench/, removed afterwards unless
``--keep``), loads the policy and the reference data, bulk-seeds ``--orgs`` organisations in the
register (``innocluster.seed.registry_bulk``) and then, with ``bulk_create`` (BENCHMARK DATA: it
BYPASSES THE COMMANDS, no audit events), ``--calls`` published calls of one programme, ``--n``
applications spread over them and over the last 300 days (every status but draft), each with two
milestones, three budget items, a team member, a KPI and two files, and ``--assignments`` expert
assignments (the reviews of the applications past the intake submitted, with weighted scores).
Then it times, through ``django.test.Client`` signed in as a programme manager with 2FA:

(a) the staff list ``/staff/grants/applications/`` with a filter (the intake queue, ``status=submitted``,
    and one call, ``call=<id>``): 60 rows with their call, organisation, project, expert count and
    average score, the counts per status and the intake due dates — beside raw SQL fetching the
    same 60 rows (with the two per-row subqueries) and the counts per status;
(b) one application's page ``/staff/grants/applications/<pk>/`` (an application at the expert
    commission, with its milestones, budget, team, KPIs, files, register entry and reviews) — beside
    raw SQL reading the same rows;
(c) the queries per page (the list must stay at or under 10, the detail at or under 15).

Each timing is ``time.perf_counter`` over ``--reps`` repetitions after one warm-up: median and p95
(nearest rank). The reference, an open-source grant manager, answers its submissions list in
490 ms with 140 queries at 10,000 submissions; the list here must be at least 5× faster.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

import _benchkit as benchkit

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_MS, REFERENCE_QUERIES = 490.0, 140
D = Decimal
LISTED = ("submitted", "returned", "ineligible", "preselection", "not_preselected", "expertise", "decision",
          "awarded", "declined")  # fmt: skip
# How the seeded applications are spread over the statuses (weights).
SPREAD = (25, 5, 5, 10, 5, 20, 10, 10, 10)
PAST_INTAKE = {"expertise", "decision", "awarded", "declined"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="applications to seed (default 20000)")
    parser.add_argument("--calls", type=int, default=20, help="calls to spread them over (default 20)")
    parser.add_argument("--assignments", type=int, default=60_000, help="expert assignments (default 60000)")
    parser.add_argument(
        "--orgs", type=int, default=2_000, help="organisations in the register (default 2000)"
    )
    parser.add_argument("--database-url", help="default: a new SQLite file under var/bench/")
    parser.add_argument("--reps", type=int, default=30, help="repetitions per measurement (default 30)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    parser.add_argument("--reset", action="store_true", help="flush a non-empty database first")
    parser.add_argument("--reuse", action="store_true", help="time the data already in the database")
    return parser.parse_args()


timed = benchkit.timed


class Bench:
    def __init__(self, args: argparse.Namespace, progress):
        from django.db import connection

        self.args, self.progress, self.connection = args, progress, connection
        self.vendor = connection.vendor
        self.results: dict = {"n": args.n, "database": self.vendor, "timings": {}, "queries": {}}

    # --- database ------------------------------------------------------------------------------
    def prepare(self) -> None:
        from django.core.management import call_command

        from innocluster.grants.models import ProjectApplication

        has_data = ProjectApplication.objects.exists
        self.reused = benchkit.prepare(self.args, lambda: has_data(), "project applications")
        if self.reused:
            return
        if has_data():
            call_command("flush", interactive=False, verbosity=0)
        from innocluster.core.policy.services import load_defaults
        from innocluster.registry.services.register import load_reference_data

        load_defaults()
        load_reference_data()

    def people(self):
        sys.path.insert(0, str(ROOT))
        from django.contrib.auth import get_user_model

        from tests.factories.accounts import user_with_role

        users = get_user_model().objects
        manager = users.filter(username="bench-pm").first() or user_with_role("programme_manager", "bench-pm")
        experts = [
            users.filter(username=f"bench-expert-{i}").first()
            or user_with_role("expert", f"bench-expert-{i}")
            for i in range(10)
        ]
        return manager, experts

    def seed(self, manager, experts) -> float:
        from django.db import transaction
        from django.utils import timezone

        from innocluster.core.calendar import ALMATY
        from innocluster.grants.models import (
            ApplicationFile,
            BudgetItem,
            Call,
            CallDocument,
            ExpertAssignment,
            Milestone,
            Project,
            ProjectApplication,
            ProjectKpi,
            TeamMember,
        )
        from innocluster.grants.services.programmes import create_programme
        from innocluster.registry.models import Participant
        from innocluster.seed.registry_bulk import seed_registry_bulk

        started = time.perf_counter()
        args, rng = self.args, random.Random(20260413)
        seed_registry_bulk(args.orgs, None, seed=20260413)
        entries = list(
            Participant.objects.filter(organisation__isnull=False).values_list("id", "organisation_id")
        )
        now = timezone.now()
        year = now.astimezone(ALMATY).year
        programme = create_programme(
            code="BENCH", kind="grant", title_en="Benchmark grants", fund_source="levy", by=manager
        )
        with transaction.atomic():
            calls = Call.objects.bulk_create(
                [
                    Call(
                        programme=programme,
                        code=f"C{i:02d}",
                        title_en=f"Call {i}",
                        year=year,
                        status="published",
                        opens_at=now - dt.timedelta(days=320),
                        closes_at=now + dt.timedelta(days=30),
                        budget=D("500000000.00"),
                        max_amount=D("30000000.00"),
                        max_months=24,
                        cofinancing_share=D("0.2"),
                        created_by=manager,
                    )
                    for i in range(args.calls)
                ]
            )
            CallDocument.objects.bulk_create(
                [
                    CallDocument(call=c, position=1, code="business_plan", title_en="Business plan")
                    for c in calls
                ]
            )
            statuses = rng.choices(LISTED, weights=SPREAD, k=args.n)
            plans = []
            for i in range(args.n):
                participant, organisation = entries[i % len(entries)]
                submitted = now - dt.timedelta(minutes=rng.randrange(300 * 24 * 60))
                plans.append((i, calls[i % len(calls)], participant, organisation, submitted, statuses[i]))
            projects = Project.objects.bulk_create(
                [Project(organisation_id=org, title=f"Project {i:05d}", created_by=manager)
                 for i, _c, _p, org, _s, _st in plans],
                batch_size=2000,
            )  # fmt: skip
            applications = []
            for (i, call, participant, organisation, submitted, status), project in zip(
                plans, projects, strict=True
            ):
                requested = D(rng.randrange(1_000_000, 30_000_000)).quantize(D("0.01"))
                applications.append(
                    ProjectApplication(
                        call=call, project=project, organisation_id=organisation, participant_id=participant,
                        applicant=manager, number=f"{call.code}-{i // len(calls) + 1:04d}", status=status,
                        summary="A digital twin cuts unplanned stops.", starts_on=dt.date(year, 3, 1),
                        ends_on=dt.date(year + 1, 2, 28), requested_amount=requested,
                        cofinancing_amount=(requested * D("0.25")).quantize(D("0.01")), submitted_at=submitted,
                        revision_round=1 if status == "returned" else 0,
                    )
                )  # fmt: skip
                if self.progress and i % 2000 == 0:
                    self.progress(i, args.n)
            applications = ProjectApplication.objects.bulk_create(applications, batch_size=2000)
            rows: dict[type, list] = {
                Milestone: [],
                BudgetItem: [],
                TeamMember: [],
                ProjectKpi: [],
                ApplicationFile: [],
            }
            for app in applications:
                half = (app.requested_amount / 2).quantize(D("0.01"))
                rows[Milestone] += [
                    Milestone(application=app, position=1, title="Model", starts_on=dt.date(year, 3, 1),
                              due_on=dt.date(year, 8, 31), amount=half),
                    Milestone(application=app, position=2, title="Pilot", starts_on=dt.date(year, 9, 1),
                              due_on=dt.date(year + 1, 2, 28), amount=app.requested_amount - half),
                ]  # fmt: skip
                rows[BudgetItem] += [
                    BudgetItem(application=app, kind="salaries", year=year, requested=half, cofinanced=D("1000.00")),
                    BudgetItem(application=app, kind="equipment", year=year, requested=app.requested_amount - half),
                    BudgetItem(application=app, kind="salaries", year=year + 1, requested=D("0.00"),
                               cofinanced=app.cofinancing_amount - D("1000.00")),
                ]  # fmt: skip
                rows[TeamMember].append(TeamMember(application=app, name="A. Seitkali", role="Lead"))
                rows[ProjectKpi].append(ProjectKpi(application=app, name="Stops avoided", unit="%", target=D("10"),
                                                   year=year + 1))  # fmt: skip
                for code in ("passport", "business_plan"):
                    rows[ApplicationFile].append(
                        ApplicationFile(
                            application=app,
                            code=code,
                            version=1,
                            file=f"grants/{app.pk}-{code}.pdf",
                            original_name=f"{code}.pdf",
                            content_type="application/pdf",
                            size=1000,
                            sha256="0" * 64,
                            uploaded_by=manager,
                        )
                    )
            for model, items in rows.items():
                model.objects.bulk_create(items, batch_size=5000)
            assignments, per = [], max(1, args.assignments // max(1, len(applications)))
            extra = args.assignments - per * len(applications)
            for k, app in enumerate(applications):
                for r in range(per + (1 if k < extra else 0)):
                    done = app.status in PAST_INTAKE
                    assignments.append(
                        ExpertAssignment(
                            application=app, expert=experts[(k + r) % len(experts)], assigned_by=manager,
                            status="submitted" if done else "assigned",
                            total=D(rng.randrange(4000, 9500)) / 100 if done else None,
                            opinion=("expedient" if rng.random() < 0.6 else "inexpedient") if done else "",
                        )
                    )  # fmt: skip
            ExpertAssignment.objects.bulk_create(assignments, batch_size=5000)
        return time.perf_counter() - started

    # --- (a) the list ----------------------------------------------------------------------------
    def raw_list(self, status: str | None, call: int | None) -> tuple[list[tuple], list[tuple]]:
        where, params = ["a.status <> 'draft'"], []
        if status:
            where.append("a.status = %s")
            params.append(status)
        if call:
            where.append("a.call_id = %s")
            params.append(call)
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.id, a.number, a.status, a.requested_amount, a.submitted_at, c.code, p.code, o.name_kk,"
                " o.name_ru, o.name_en, o.bin, pr.title,"
                " (SELECT COUNT(*) FROM grants_expertassignment e WHERE e.application_id = a.id"
                "  AND e.status IN ('assigned', 'reviewing', 'submitted')),"
                " (SELECT AVG(e.total) FROM grants_expertassignment e WHERE e.application_id = a.id"
                "  AND e.status = 'submitted' AND e.total IS NOT NULL)"
                " FROM grants_projectapplication a JOIN grants_call c ON c.id = a.call_id"
                " JOIN grants_programme p ON p.id = c.programme_id JOIN parties_organisation o ON o.id = a.organisation_id"
                " JOIN grants_project pr ON pr.id = a.project_id WHERE "
                + " AND ".join(where)
                + " ORDER BY a.submitted_at DESC, a.id DESC LIMIT 60",
                params,
            )
            rows = cursor.fetchall()
            counted = [w for w in where if not w.startswith("a.status =")]
            cursor.execute(
                "SELECT a.status, COUNT(*) FROM grants_projectapplication a WHERE "
                + " AND ".join(counted)
                + " GROUP BY a.status",
                [p for w, p in zip(where[1:], params, strict=True) if not w.startswith("a.status =")],
            )
            return rows, cursor.fetchall()

    def measure_list(self, client, reps: int, call_id: int) -> None:
        for key, label, params, status, call in (
            ("a_intake_queue", "(a) list ?status=submitted (intake queue, 60 rows, due dates)",
             {"status": "submitted"}, "submitted", None),
            ("a_call", "(a') list ?call=<id> (60 rows of one call)", {"call": str(call_id)}, None, call_id),
        ):  # fmt: skip
            self.results["timings"][key] = {
                "label": label,
                "django": timed(
                    lambda params=params: _get_ok(client, "/staff/grants/applications/", params), reps
                ),
                "raw": timed(lambda status=status, call=call: self.raw_list(status, call), reps),
            }
            self.results["queries"][label] = _count(client, "/staff/grants/applications/", params)

    # --- (b) one application -----------------------------------------------------------------------
    def raw_detail(self, pk: int) -> tuple:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.*, c.code, c.title_en, c.budget, c.max_amount, p.code, o.name_ru, o.bin, pr.title,"
                " u.username, pt.id, pt.number, pt.status FROM grants_projectapplication a"
                " JOIN grants_call c ON c.id = a.call_id JOIN grants_programme p ON p.id = c.programme_id"
                " JOIN parties_organisation o ON o.id = a.organisation_id JOIN grants_project pr ON pr.id = a.project_id"
                " JOIN auth_user u ON u.id = a.applicant_id LEFT JOIN registry_participant pt ON pt.id = a.participant_id"
                " WHERE a.id = %s",
                [pk],
            )
            application = cursor.fetchone()
            lists = []
            for sql in (
                "SELECT * FROM grants_milestone WHERE application_id = %s ORDER BY position",
                "SELECT * FROM grants_budgetitem WHERE application_id = %s ORDER BY kind, year, id",
                "SELECT * FROM grants_teammember WHERE application_id = %s ORDER BY id",
                "SELECT * FROM grants_projectkpi WHERE application_id = %s ORDER BY id",
                "SELECT * FROM grants_applicationfile WHERE application_id = %s ORDER BY code, version DESC",
                "SELECT e.*, u.username FROM grants_expertassignment e JOIN auth_user u ON u.id = e.expert_id"
                " WHERE e.application_id = %s ORDER BY e.round, e.id",
            ):
                cursor.execute(sql, [pk])
                lists.append(cursor.fetchall())
            cursor.execute(
                "SELECT status, effective_on FROM registry_statuschange WHERE participant_id = %s"
                " ORDER BY effective_on, id",
                [application[-3]],
            )
            lists.append(cursor.fetchall())
            return application, lists

    def measure_detail(self, client, reps: int, pk: int) -> None:
        path = f"/staff/grants/applications/{pk}/"
        label = "(b) one application at the expert commission (HTML)"
        self.results["timings"]["b_detail"] = {
            "label": label,
            "django": timed(lambda: _get_ok(client, path), reps),
            "raw": timed(lambda: self.raw_detail(pk), reps),
        }
        self.results["queries"][label] = _count(client, path)
        submitted = _first(self.connection, "submitted")
        self.results["queries"]["(b') one application awaiting intake (HTML)"] = _count(
            client, f"/staff/grants/applications/{submitted}/"
        )

    # --- the run -------------------------------------------------------------------------------
    def run(self) -> dict:
        from django.test import Client

        self.prepare()
        manager, experts = self.people()
        self.results["seed_seconds"] = 0.0 if self.reused else self.seed(manager, experts)
        from innocluster.grants.models import ExpertAssignment, ProjectApplication

        self.results["rows"] = {
            "applications": ProjectApplication.objects.count(),
            "assignments": ExpertAssignment.objects.count(),
        }
        with self.connection.cursor() as cursor:  # fresh statistics, as autovacuum would gather
            cursor.execute("ANALYZE")
        sys.path.insert(0, str(ROOT))
        from tests.factories.accounts import login_with_2fa

        client = Client()
        login_with_2fa(client, manager)
        call_id = ProjectApplication.objects.order_by("call_id").values_list("call_id", flat=True).first()
        self.measure_list(client, self.args.reps, call_id)
        self.measure_detail(client, self.args.reps, _first(self.connection, "expertise"))
        return self.results


def _first(connection, status: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id) FROM grants_projectapplication WHERE status = %s", [status])
        return cursor.fetchone()[0]


def _get_ok(client, path: str, params: dict | None = None):
    response = client.get(path, params or {})
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} {params or ''} answered {response.status_code}")
    response.content  # noqa: B018  (rendered already; read it as a browser would)
    return response


def _count(client, path: str, params: dict | None = None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        _get_ok(client, path, params)
    return len(ctx.captured_queries)


def print_table(results: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console() if sys.stdout.isatty() else Console(width=160)
    rows = results["rows"]
    console.print(
        f"[bold]grants benchmark[/bold] on {results['database']}: {rows['applications']} applications, "
        f"{rows['assignments']} expert assignments (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs); "
        + (f"bulk seeding {results['seed_seconds']:.1f} s" if results["seed_seconds"] else "reused")
    )
    table = Table(title="median / p95 in ms")
    for name in ("measurement", "Django median", "Django p95", "raw SQL median", "raw SQL p95", "× raw",
                 "Django CPU median", "vs reference 490 ms"):  # fmt: skip
        table.add_column(name, justify="left" if name == "measurement" else "right")
    for key, item in results["timings"].items():
        django, raw = item["django"], item["raw"]
        versus = f"{REFERENCE_MS / django['median_ms']:.1f}× faster" if key.startswith("a") else ""
        table.add_row(
            item["label"], f"{django['median_ms']:.2f}", f"{django['p95_ms']:.2f}", f"{raw['median_ms']:.2f}",
            f"{raw['p95_ms']:.2f}", f"{django['median_ms'] / raw['median_ms']:.1f}", f"{django['cpu_median_ms']:.2f}",
            versus,
        )  # fmt: skip
    console.print(table)
    queries = Table(title=f"queries per page (list ≤ 10, detail ≤ 15; the reference: {REFERENCE_QUERIES})")
    queries.add_column("page")
    queries.add_column("queries", justify="right")
    for page, count in results["queries"].items():
        limit = 10 if page.startswith("(a") else 15
        queries.add_row(page, f"{count}" + ("" if count <= limit else " [red](over)[/red]"))
    console.print(queries)


def main() -> None:
    args = parse_args()
    sqlite_file = benchkit.setup(args, "grants", extra_hosts=True)
    benchkit.run(args, sqlite_file, lambda progress: Bench(args, progress).run(), print_table)


if __name__ == "__main__":
    main()
