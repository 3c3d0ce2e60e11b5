"""The `innocluster` command as an operator runs it: from another directory, on a fresh database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

INNOCLUSTER = str(Path(sys.executable).with_name("innocluster"))


def _environment(tmp_path, **env) -> dict:
    """The operator's environment, with this checkout's code first: the installed command may be
    another copy's (an editable install of another worktree)."""
    import innocluster

    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set for e2e only
    return {
        **inherited,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "INNOCLUSTER_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "innocluster.settings",
        "DEBUG": "1",
        "PYTHONPATH": str(Path(innocluster.__file__).parents[1]),
        **env,
    }


def run(args, tmp_path, **env):
    environment = _environment(tmp_path, **env)
    return subprocess.run(
        [INNOCLUSTER, *args], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("cli")
    first = run(["demo", "--no-serve"], tmp_path)
    assert first.returncode == 0, first.stderr
    return tmp_path, first


def test_demo_prepares_data_and_prints_logins(demo_db):
    _, first = demo_db
    from innocluster.core.policy.services import read_defaults

    shipped = read_defaults()  # every installed app's policy.yaml, through the manifests
    assert f"{len(shipped['values'])} policy values" in first.stdout
    assert "applications: 17 added" in first.stdout and "registered 2" in first.stdout
    assert "Demo logins (role-key  username  password  totp-secret):" in first.stdout
    assert "fund_admin  admin  " in first.stdout
    assert "registrar  registrar  " in first.stdout and "subsoil_rep  subsoil-rep  " in first.stdout
    assert "audit chain: OK" in first.stdout
    assert "levy: 6 contracts, 19 declarations, 21 obligations assessed, 5 payments this year" in first.stdout
    assert "governance: 10 bodies loaded, 14 members appointed (2 terms ended)" in first.stdout
    assert "grants: 2 programmes, calls in states draft 1, published 1, submitted 1" in first.stdout
    ledger = run(["ledger", "check"], demo_db[0])
    assert ledger.returncode == 0, ledger.stdout + ledger.stderr
    assert (
        "Mail (sign-up confirmations, password resets, notices) is not sent: it is printed on the console"
        in (first.stdout)
    )


def test_demo_is_idempotent_and_the_chain_verifies(demo_db):
    tmp_path, _ = demo_db
    again = run(["demo", "--no-serve"], tmp_path)
    assert again.returncode == 0, again.stderr
    assert "0 regimes, 0 policy values, 0 calendar overrides added" in again.stdout
    assert "governance: members already present (kept)" in again.stdout
    assert "grants: programmes already present (kept)" in again.stdout
    verify = run(["audit", "verify"], tmp_path)
    assert verify.returncode == 0, verify.stderr
    assert "OK" in verify.stdout


def test_policy_show_json_from_any_directory(demo_db):
    tmp_path, _ = demo_db
    shown = run(["policy", "show", "levy.rate", "--on", "2026-01-01", "--json"], tmp_path)
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["value"] == "0.01" and data["regime"] == "astana-hub-2025"  # the timeline's, on that day
    assert data["valid_from"] <= "2026-01-01"


def test_exit_codes_domain_error_1_wrong_usage_2(demo_db):
    tmp_path, _ = demo_db
    missing = run(["policy", "show", "levy.rate", "--on", "2000-01-01", "--regime", "pit-2014"], tmp_path)
    assert missing.returncode == 1
    assert "no value of 'levy.rate' in force in regime 'pit-2014' on 2000-01-01" in missing.stderr
    before = run(["policy", "show", "levy.rate", "--on", "2000-01-01"], tmp_path)
    assert before.returncode == 1 and "no regime in force on 2000-01-01" in before.stderr
    wrong = run(["policy", "show", "levy.rate", "--on", "yesterday"], tmp_path)
    assert wrong.returncode == 2
    assert "not a date" in wrong.stderr
    assert run(["policy"], tmp_path).returncode == 2


def test_law_cases_pass_on_the_demo_database(demo_db):
    tmp_path, _ = demo_db
    result = run(["policy", "test"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "law cases passed" in result.stdout


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "production-secret-with-enough-entropy-7f3a9c2e1b",
        "INNOCLUSTER_BASE_URL": "https://cluster.example.kz",
        "ALLOWED_HOSTS": "cluster.example.kz",
        "INNOCLUSTER_AUDIT_KEY": "audit-key-from-the-secret-store",
        "INNOCLUSTER_MFA_KEY": "mfa-key-from-the-secret-store",
    }
    ok = run(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **env)
    assert ok.returncode == 0, ok.stderr
    # Without an explicit audit key and with a plain-http public URL, the deployment is refused.
    env.pop("INNOCLUSTER_AUDIT_KEY")
    env["INNOCLUSTER_BASE_URL"] = "http://cluster.example.kz"
    bad = run(["check", "--deploy"], tmp_path, **env)
    assert bad.returncode == 1
    assert "innocluster.E001" in bad.stderr and "innocluster.E002" in bad.stderr


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(db, settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite-specific settings")
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert settings.DATABASES["default"]["OPTIONS"]["timeout"] >= 5


def test_demo_refuses_to_create_printed_passwords_without_debug(tmp_path):
    refused = run(["demo", "--no-serve"], tmp_path, DEBUG="0")
    assert refused.returncode == 1
    assert "DEBUG=1" in refused.stderr


def test_policy_list_of_an_unknown_regime_is_an_error(demo_db):
    tmp_path, _ = demo_db
    result = run(["policy", "list", "--regime", "no-such"], tmp_path)
    assert result.returncode == 1 and "unknown regime 'no-such'" in result.stderr


def test_a_reader_that_stops_early_ends_the_command_quietly(demo_db):
    """``innocluster policy list | head -1``: no BrokenPipeError traceback, exit 141 (128 + SIGPIPE,
    what a C tool reports in the same pipe). The read end is closed before the command writes, so
    the pipe is broken whatever the size of the output."""
    tmp_path, _ = demo_db
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        finished = subprocess.run(
            [INNOCLUSTER, "policy", "list"],
            cwd=tmp_path,
            env=_environment(tmp_path),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert finished.stderr == ""  # no traceback, no "Exception ignored ... BrokenPipeError"
    assert finished.returncode == 141

    shell = subprocess.run(
        ["/bin/sh", "-c", f"{INNOCLUSTER} policy list | head -1"],
        cwd=tmp_path,
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shell.stdout.count("\n") == 1 and shell.stderr == "", shell.stderr


def test_registry_actions_from_the_command_line(demo_db):
    """``innocluster participant``: the dispatcher's result as JSON, a refusal as exit 1 with the
    domain's message on stderr, a wrong action as exit 2 (usage). Runs last: it changes the demo."""
    import sqlite3

    tmp_path, _ = demo_db
    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:
        (number,) = db.execute(
            "select number from registry_participant where status = 'registered' order by number limit 1"
        ).fetchone()
    done = run(
        ["participant", "suspend", number, "--as", "registrar", "--grounds", "No annual report", "--json"],
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "suspended"
    again = run(["participant", "suspend", number, "--as", "registrar", "--grounds", "Again"], tmp_path)
    assert again.returncode == 1
    # The domain's message (in the deployment's language), no traceback.
    assert again.stderr.startswith("CommandError: ") and "“" in again.stderr
    assert "Traceback" not in again.stderr
    wrong = run(["participant", "fly", number, "--as", "registrar"], tmp_path)
    assert wrong.returncode == 2
