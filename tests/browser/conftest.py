"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright against the live app."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# fixtures in that thread are still synchronous, so allow them (test-only setting).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("JANGKAU_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("JANGKAU_TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests, closed when they are done.

    Package scope, not session: Playwright's sync API keeps an event loop running in the test
    thread while it is open, which would break later tests that call ``asyncio.run``.
    """
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("JANGKAU_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (CI installs Debian's chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def live_kutim(live_server, transactional_db):
    """The live server with the real data (transactional tests start from an empty database)."""
    from jangkau.regions.models import Village
    from tests.conftest import load_kutim_into_db

    if not Village.objects.exists():
        load_kutim_into_db()
    return live_server


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
