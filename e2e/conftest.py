"""Browser tests: Playwright drives Debian's Chromium against Django's live server.

Where Chromium is missing they are skipped with a loud message; CI sets INNOCLUSTER_REQUIRE_BROWSER=1
so that a missing browser fails instead.
"""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("INNOCLUSTER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
SCREENSHOTS = (
    Path(__file__).resolve().parent.parent / "var" / "screenshots"
)  # pytest-playwright empties test-results/


def pytest_collection_modifyitems(config, items):
    if HAVE_CHROMIUM:
        return
    here = Path(__file__).resolve().parent
    browser_items = [item for item in items if here in Path(str(item.fspath)).resolve().parents]
    if not browser_items:
        return
    message = (
        "Chromium not found: browser tests cannot run. On Debian: apt-get install chromium "
        "(or set INNOCLUSTER_CHROMIUM=/path/to/chromium)."
    )
    if os.environ.get("INNOCLUSTER_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(message + " INNOCLUSTER_REQUIRE_BROWSER=1 makes this an error.")
    config.issue_config_time_warning(pytest.PytestWarning(message), stacklevel=2)
    print(f"\n*** {message} Skipping {len(browser_items)} browser tests. ***\n")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def screenshot(request):
    """Save a full-page screenshot under var/screenshots/ for a person to look at."""

    def take(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
