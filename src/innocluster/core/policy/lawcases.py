"""Law cases: YAML examples from the law run against the real domain formulas.

A case file holds ``cases:``, each with ``name``, ``date`` (the day the rules are read on),
``regime`` (optional: without it, the regime the timeline puts in force on ``date``), ``formula`` (a registered name), ``inputs`` and either ``expected`` or ``expected_error``
(an exception class name such as ``NoValueInForce``). Apps ship theirs in ``<app>/lawcases/``.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from . import formulas
from .values import recording_reads


@dataclass
class CaseResult:
    file: str
    name: str
    passed: bool
    expected: Any
    actual: Any
    reads: frozenset[tuple[str, str]] = frozenset()

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "name": self.name,
            "passed": self.passed,
            "expected": _plain(self.expected),
            "actual": _plain(self.actual),
        }


class CaseFileError(Exception):
    """A case file that cannot be read: names the file and the case."""


def _plain(value: Any) -> Any:
    """A JSON-ready copy of an expected or actual value (a list of dates stays a list)."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (date, Decimal, Fraction)):
        return str(value) if not isinstance(value, date) else value.isoformat()
    return value


def default_paths() -> list[Path]:
    """Every installed app's law-case folder (``lawcases/`` unless its manifest names another)."""
    from innocluster.core.manifest import lawcase_folders

    return lawcase_folders()


def case_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")))
        elif path.exists():
            files.append(path)
        else:
            raise CaseFileError(f"{path}: no such file or directory")
    return files


def _equal(expected: Any, actual: Any) -> bool:
    if isinstance(actual, Decimal):
        return expected is not None and Decimal(str(expected)) == actual
    if isinstance(actual, Fraction):
        return expected is not None and Fraction(str(expected)) == actual
    return expected == actual


def run_case(file: str, case: dict[str, Any]) -> CaseResult:
    """Run one case, noting which ``(regime, key)`` pairs its formula read."""
    with recording_reads() as reads:
        result = _run_case(file, case)
    result.reads = frozenset(reads)
    return result


def _run_case(file: str, case: dict[str, Any]) -> CaseResult:
    for field in ("name", "formula", "inputs"):
        if field not in case:
            raise CaseFileError(f"{file}: case {case.get('name', '?')!r} has no {field!r}")
    if ("expected" in case) == ("expected_error" in case):
        raise CaseFileError(
            f"{file}: case {case['name']!r} needs exactly one of 'expected', 'expected_error'"
        )
    func = formulas.get(case["formula"])
    kwargs = dict(case["inputs"])
    kwargs.setdefault("on", case.get("date"))
    kwargs.setdefault("regime", case.get("regime"))
    try:
        actual = func(**kwargs)
    except Exception as exc:  # a case may expect a domain error; anything else is reported as the result
        actual = type(exc).__name__
        if "expected_error" in case:
            return CaseResult(
                file, case["name"], actual == case["expected_error"], case["expected_error"], actual
            )
        return CaseResult(file, case["name"], False, case["expected"], f"{actual}: {exc}")
    if "expected_error" in case:
        return CaseResult(file, case["name"], False, case["expected_error"], actual)
    return CaseResult(file, case["name"], _equal(case["expected"], actual), case["expected"], actual)


def _shown(file: Path) -> str:
    """A short path for messages: inside the package, from ``innocluster/``; else as given."""
    package = Path(__file__).resolve().parents[2]
    resolved = file.resolve()
    if resolved.is_relative_to(package):
        return str(resolved.relative_to(package.parent))
    return str(file)


def run(paths: list[Path] | None = None) -> list[CaseResult]:
    results = []
    for file in case_files(paths or default_paths()):
        with open(file, encoding="utf-8") as fh:
            try:
                data = yaml.safe_load(fh) or {}
            except yaml.YAMLError as exc:
                raise CaseFileError(f"{file}: not valid YAML: {exc}") from exc
        for case in data.get("cases", []):
            results.append(run_case(_shown(file), case))
    return results


def uncovered(results: list[CaseResult]) -> list[tuple[str, str]]:
    """Every ``(regime, key)`` with values in the database that no passing case reads."""
    from .models import ParameterValue

    known = set(ParameterValue.objects.values_list("regime__code", "key").distinct())
    covered = set().union(*(r.reads for r in results if r.passed)) if results else set()
    return sorted(known - covered)
