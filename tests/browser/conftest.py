"""Headless Chromium for the report's browser tests: Debian's ``chromium`` driven by Playwright.

Skipped, with the reason shown, where Playwright's Python package or a Chromium binary is
missing (``.ci/run`` installs Debian's ``chromium``; ``NNBENCH_CHROMIUM`` names another binary).
Playwright's own browser download is never used. One browser per module; each test gets a
fresh page that records every request and console message.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-quic"]


def chromium_path() -> str | None:
    return (os.environ.get("NNBENCH_CHROMIUM") or shutil.which("chromium")
            or shutil.which("chromium-browser"))


@pytest.fixture(scope="module")
def browser() -> Any:
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="Playwright's Python package is not installed")
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium binary: apt-get install chromium (or set NNBENCH_CHROMIUM)")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=FLAGS)
        yield browser
        browser.close()


class Opened:
    """A page and what it did: requests (URLs), console messages and page errors."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.console: list[tuple[str, str]] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.console.append(("pageerror", str(e))))

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(t, m) for t, m in self.console if t in ("error", "pageerror")]

    def ready(self, timeout: float = 30_000) -> None:
        """Wait until the page has drawn the current view and its charts."""
        self.page.wait_for_function("window.nnbenchReport && window.nnbenchReport.ready",
                                    timeout=timeout)

    def act(self, fn: Any) -> None:
        """Do something that re-renders, then wait for the new view."""
        self.page.evaluate("window.nnbenchReport.ready = false")
        fn()
        self.ready()


@pytest.fixture
def open_report(browser: Any) -> Any:
    contexts = []

    def open_(path: Path) -> Opened:
        context = browser.new_context(viewport={"width": 1300, "height": 900})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page)
        url = path.resolve().as_uri()

        def guard(route: Any) -> None:  # intercept everything: only the file itself may load
            if route.request.url == url:
                route.continue_()
            else:
                opened.blocked.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page.goto(url)
        opened.ready()
        return opened

    yield open_
    for context in contexts:
        context.close()
