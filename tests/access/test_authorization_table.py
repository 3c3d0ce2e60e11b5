"""Walk every URL pattern as every role and compare with the committed authorization table."""

from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.test import Client

from innocluster.core.access import urltable
from innocluster.core.access.roles import FUND_ADMIN, role_keys
from tests.factories.accounts import Person, login_with_2fa

OBSERVED = Path(__file__).resolve().parents[2] / "var" / "authorization.observed.yaml"


# Every role, each a user named after it with 2FA (``people`` fixture, tests/conftest.py).
PEOPLE = {role: Person(role, role) for role in role_keys()}


@pytest.fixture
def people(people):
    from innocluster.core.audit.chain import seal_pending
    from innocluster.core.services import load_overrides, mark_year_checked

    load_overrides()
    mark_year_checked(year=2026, decree="Order No. 1 on the transfer of days off (test)")
    get_user_model().objects.filter(username=FUND_ADMIN).update(is_staff=True)
    seal_pending()
    return people


def test_every_pattern_is_in_the_table_and_every_status_matches(people):
    table = urltable.load_table()
    routes = dict(urltable.patterns())
    missing = sorted(set(routes) - set(table))
    stale = sorted(set(table) - set(routes))
    observed, mismatches = {}, []
    for route, entry in routes.items():
        spec = table.get(route, {"expect": {"default": 0}})
        probe = urltable.probe_for(route, entry, spec)
        row = {}
        for who in urltable.who():
            client = Client()
            if who != "anonymous":
                login_with_2fa(client, people[who])
            response = getattr(client, probe.method)(probe.path, probe.data)
            row[who] = response.status_code
            assert response.status_code < 500, (
                f"{probe.method.upper()} {probe.path} as {who}: {response.status_code}"
            )
            if route in table and response.status_code != urltable.expected(spec, who):
                mismatches.append(
                    f"{probe.method.upper()} {probe.path} as {who}: "
                    f"{response.status_code}, table says {urltable.expected(spec, who)}"
                )
        default = max(set(row.values()), key=list(row.values()).count)
        observed[route] = {"expect": {"default": default, **{w: s for w, s in row.items() if s != default}}}
    OBSERVED.parent.mkdir(exist_ok=True)
    OBSERVED.write_text(yaml.safe_dump({"patterns": observed}, allow_unicode=True, sort_keys=True))
    assert not missing, f"URL patterns missing from the authorization table: {missing}"
    assert not stale, f"table rows for patterns that no longer exist: {stale}"
    assert not mismatches, "\n".join(mismatches)
