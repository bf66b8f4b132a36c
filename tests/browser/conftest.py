"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Playwright's own browser download is not used (it cannot be fetched here): the tests launch
/usr/bin/chromium and skip, saying why, when it is missing (`make browser` installs it as root
on Debian). Every test saves phone-sized screenshots (390×844) under
test-artifacts/screenshots/ for review, and the public pages are checked with axe-core,
vendored in static/js/vendor/.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path(os.environ.get("LIAISON_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
# WCAG 2.1 A and AA rules; "serious" and "critical" findings fail the test.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}



@pytest.fixture(scope="module")
def chromium():
    """One browser per test module. Playwright's sync API runs an event loop in this thread, so
    while it runs Django must be told the tests' own ORM calls (factories, assertions) are
    ordinary synchronous code; the flag is set only for that time and taken back after, so it
    never leaks into other tests or the subprocesses they start."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (`make browser` does it as root)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def new_phone(chromium):
    """A fresh phone-sized page in its own context (cookies are not shared). Content Security
    Policy violations and script errors are collected in `page.errors`."""
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", device_scale_factor=2)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.errors = []
    # HTTP error statuses are the tests' business (some pages answer 400 on purpose); what
    # must never happen is a policy violation or a script error.
    page.on(
        "console",
        lambda message: message.type == "error" and "Content Security Policy" in message.text and page.errors.append(message.text),
    )
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.fixture
def phone(chromium):
    page = new_phone(chromium)
    yield page
    errors = list(page.errors)
    page.context.close()
    assert not errors, f"the browser reported errors: {errors}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


@pytest.fixture
def shoot(request):
    """`shoot(page, "name")` saves a full-page screenshot named after the test and `name`."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def _shoot(page, name: str) -> Path:
        counter["n"] += 1
        path = SCREENSHOTS / f"{_slug(request.node.name)}-{counter['n']:02d}-{_slug(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shoot


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page; the serious and critical WCAG 2.1 A/AA violations.

    axe is loaded from the site's own static files, so the page's Content Security Policy
    (default-src 'self', no inline scripts) stays in force while it runs.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        origin = page.evaluate("() => location.origin")
        page.add_script_tag(url=f"{origin}/{settings.STATIC_URL.strip('/')}/js/vendor/axe.min.js")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [v for v in result["violations"] if v.get("impact") in FAILING_IMPACTS]


@pytest.fixture
def assert_accessible():
    def _check(page) -> None:
        violations = axe_violations(page)
        summary = [
            {"rule": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
            for v in violations
        ]
        assert not violations, f"axe found on {page.url}:\n" + json.dumps(summary, ensure_ascii=False, indent=1)

    return _check
