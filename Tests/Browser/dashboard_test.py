"""The dashboard in a real headless Chromium, against a real `hangar serve`.

Starts `hangar serve --home <fresh temp home> --port 0`, reads the token with `hangar token show`,
signs in through the dashboard, creates a Python flight, checks the schedule editor, presses
"Run now", waits for SUCCEEDED and the run's log lines, checks the flights page at 1280 px and
375 px (no horizontal overflow) and runs a query in the SQL box. Screenshots go to the artefacts
folder. Every wait has a deadline; the first step that does not happen ends the test with a
non-zero exit and a message naming it.

Run it through scripts/browser-test (which provides chromium and a cached Playwright venv):
    scripts/browser-test [path/to/hangar]
Against a server that is already running (while developing the dashboard):
    python Tests/Browser/dashboard_test.py --url http://127.0.0.1:8080 --token TOKEN
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect, sync_playwright

FLIGHT = "browser_test_flight"
EXPECTED_LINES = [
    "hello from the browser test",
    "second line: 2 + 2 = 4",
    "config GREETING = bonjour",
]
SOURCE = """import os
import sys

print("hello from the browser test")
print("second line: 2 + 2 =", 2 + 2)
print("config GREETING =", os.environ.get("GREETING"))
print("a line on stderr", file=sys.stderr)
"""

# A flight that runs until cancelled (bounded, so a broken cancel cannot leave it running long).
SLEEPER = "browser_test_sleeper"
SLEEPER_SOURCE = """import time

for i in range(240):
    print("still going", i, flush=True)
    time.sleep(0.5)
"""

START_TIMEOUT_S = 60      # hangar serve printing its address
UI_TIMEOUT_MS = 15_000    # a page or widget reacting
RUN_TIMEOUT_MS = 180_000  # the run reaching SUCCEEDED (the first Python run makes its environment)


class StepFailed(Exception):
    pass


class Steps:
    """Names each step, prints it, and turns any failure into a StepFailed naming the step."""

    def __init__(self) -> None:
        self.passed: list[str] = []
        self.current = "start"

    def __call__(self, name: str):
        self.current = name
        return self

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if error is None:
            self.passed.append(self.current)
            print(f"ok - {self.current}", flush=True)
            return False
        if isinstance(error, StepFailed):
            raise StepFailed(f"{self.current}: {error}") from None
        message = str(error).strip().splitlines()
        summary = "\n    ".join(message[:12])
        raise StepFailed(f"{self.current}: {summary}") from error


# ---- the server ---------------------------------------------------------------------------------


class Server:
    """`hangar serve` on a free port, with its output kept in a log file."""

    def __init__(self, hangar: str, home: Path, log_path: Path) -> None:
        self.hangar = hangar
        self.home = home
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.url: str | None = None

    def start(self) -> str:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [self.hangar, "serve", "--home", str(self.home), "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
            start_new_session=True,
        )
        first_line: list[str] = []
        got_line = threading.Event()

        def drain() -> None:
            # The first line announces the address; everything is copied to the log so the pipe
            # never fills up and stalls the server.
            for line in self.process.stdout:
                if not first_line:
                    first_line.append(line)
                    got_line.set()
                log.write(line)
                log.flush()
            got_line.set()
            log.close()

        threading.Thread(target=drain, daemon=True).start()
        if not got_line.wait(START_TIMEOUT_S) or not first_line:
            raise StepFailed(f"hangar serve printed nothing within {START_TIMEOUT_S}s (exit code {self.process.poll()}); see {self.log_path}")
        match = re.search(r"listening on (http://\S+)", first_line[0])
        if not match:
            raise StepFailed(f"hangar serve's first line is not 'listening on http://…': {first_line[0]!r}")
        self.url = match.group(1).rstrip("/")
        return self.url

    def token(self) -> str:
        result = subprocess.run([self.hangar, "token", "show", "--home", str(self.home)],
                                capture_output=True, text=True, timeout=30)
        if result.returncode != 0:
            raise StepFailed(f"hangar token show exited {result.returncode}: {result.stderr.strip()}")
        text = result.stdout.strip()
        if text.startswith("{"):
            return json.loads(text)["token"]
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            raise StepFailed("hangar token show printed no token")
        return lines[-1].split()[-1]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log_tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


# ---- checks -------------------------------------------------------------------------------------


def no_horizontal_overflow(page: Page, what: str) -> None:
    sizes = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})")
    if sizes["scroll"] > sizes["client"]:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                 .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''))"""
        )
        raise StepFailed(f"{what} overflows horizontally: {sizes['scroll']}px wide in a {sizes['client']}px viewport (widest: {', '.join(wide)})")


def run_checks(page: Page, url: str, token: str, artifacts: Path, steps: Steps) -> None:
    page.set_default_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)

    with steps("the dashboard asks for the token"):
        page.goto(url + "/")
        expect(page.get_by_role("heading", name="Sign in to Hangar")).to_be_visible()
        expect(page.get_by_label("Access token")).to_be_focused()

    with steps("a wrong token is refused next to the field"):
        page.get_by_label("Access token").fill("not-the-token")
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("[data-param=token] .field-error")).to_contain_text("not accepted")

    with steps("signing in with the token from `hangar token show` opens the flights page"):
        page.get_by_label("Access token").fill(token)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Flights", level=1)).to_be_visible()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        stored = page.evaluate("() => JSON.stringify(Object.assign({}, localStorage)) + document.cookie")
        if token in stored:
            raise StepFailed("the token is readable by the page (localStorage or a non-HttpOnly cookie)")

    with steps("a Python flight is created from the New flight form"):
        page.get_by_role("button", name="New flight").click()
        form = page.locator("form.new-flight")
        expect(form).to_be_visible()
        form.get_by_label("Name", exact=True).fill(FLIGHT)
        form.get_by_label("Python").check()
        form.get_by_label("Source code").fill(SOURCE)
        form.get_by_role("button", name="Add config value").click()
        form.get_by_label("Key", exact=True).fill("GREETING")
        form.get_by_label("Value", exact=True).fill("bonjour")
        form.get_by_role("button", name="Create flight").click()
        page.wait_for_url(re.compile(rf"#/flights/{FLIGHT}$"))
        expect(page.get_by_role("heading", name=FLIGHT, level=1)).to_be_visible()
        expect(page.locator("dl.details")).to_contain_text("GREETING")

    with steps("the schedule editor rejects `61 * * * *` as you type"):
        editor = page.locator("form.schedule-editor")
        cron = editor.get_by_label("Cron expression (UTC)")
        cron.fill("61 * * * *")
        error = editor.locator("[data-param=schedule_cron] .field-error")
        expect(error).to_be_visible()
        expect(error).not_to_be_empty()
        expect(cron).to_have_attribute("aria-invalid", "true")

    with steps("the schedule editor describes `15 7 * * *` as every day at 07:15 UTC with five fire times"):
        cron.fill("15 7 * * *")
        expect(editor.locator(".schedule-description")).to_contain_text("every day at 07:15 UTC")
        expect(editor.locator(".fire-times li")).to_have_count(5)
        expect(editor.locator(".fire-times li").first).to_contain_text("07:15 UTC")
        expect(error).to_be_hidden()

    with steps("Run now starts a run and opens its page"):
        page.get_by_role("button", name="Run now").click()
        page.wait_for_url(re.compile(r"#/runs/[^/]+$"))
        expect(page.get_by_role("heading", name="Run 1", level=1)).to_be_visible()

    with steps("the run page shows SUCCEEDED, live"):
        status = page.get_by_test_id("run-status")
        expect(status).to_have_text(re.compile(r"SUCCEEDED"), timeout=RUN_TIMEOUT_MS)

    with steps("the run's log lines appear"):
        log = page.locator(".log-lines")
        for line in EXPECTED_LINES:
            expect(log).to_contain_text(line)
        expect(page.locator(".log-line.stream-stderr", has_text="a line on stderr")).to_have_count(1)
        expect(page.locator(".log-state")).to_have_text("Log complete")
        expect(page.locator("dl.details dt:text-is('Exit code') + dd")).to_have_text("0")
        expect(page.get_by_role("button", name="Cancel run")).to_be_hidden()
        page.screenshot(path=str(artifacts / "dashboard-run.png"), full_page=True)

    with steps("the flight page lists the run with its trigger and duration"):
        page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=FLIGHT).click()
        expect(page.get_by_role("heading", name=FLIGHT, level=1)).to_be_visible()
        row = page.locator("table.runs-table tbody tr").first
        expect(row).to_contain_text("Run 1")
        expect(row).to_contain_text("SUCCEEDED")
        expect(row).to_contain_text("manual")
        expect(page.locator("figure.chart svg").first).to_be_visible()

    with steps("saving the schedule updates the flight"):
        editor = page.locator("form.schedule-editor")
        editor.get_by_label("Cron expression (UTC)").fill("15 7 * * *")
        expect(editor.locator(".schedule-description")).to_contain_text("every day at 07:15 UTC")
        editor.get_by_role("button", name="Save schedule").click()
        expect(editor.locator(".save-status")).to_have_text("Schedule saved.")
        page.screenshot(path=str(artifacts / "dashboard-flight.png"), full_page=True)

    with steps("the flights page shows the schedule in words, the last run and a duration chart"):
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Flights").click()
        row = page.locator("table.flights-table tbody tr", has_text=FLIGHT)
        expect(row).to_contain_text("every day at 07:15 UTC")
        expect(row).to_contain_text("SUCCEEDED")
        expect(row.locator("svg.spark rect")).to_have_count(1)
        page.screenshot(path=str(artifacts / "dashboard-flights.png"), full_page=True)

    with steps("the SQL box runs a query and shows the result"):
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Data").click()
        expect(page.get_by_role("heading", name="Data", level=1)).to_be_visible()
        page.get_by_label("SQL (one statement)").fill("SELECT 42 AS answer, 'a<b>' AS markup")
        page.get_by_role("button", name="Run query").click()
        result = page.locator(".sql-output table")
        expect(result).to_contain_text("answer")
        expect(result).to_contain_text("42")
        expect(result).to_contain_text("a<b>")  # shown as text, not parsed as markup
        page.get_by_label("SQL (one statement)").fill("SELEC nonsense")
        page.get_by_role("button", name="Run query").click()
        expect(page.locator(".sql-error")).to_be_visible()

    with steps("at 375 px wide the flights page has no horizontal overflow"):
        page.set_viewport_size({"width": 375, "height": 812})
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Flights").click()
        expect(page.locator("table.flights-table tbody tr", has_text=FLIGHT)).to_be_visible()
        page.wait_for_timeout(100)  # let layout settle after the viewport change (not a synchronisation wait)
        no_horizontal_overflow(page, "the flights page at 375 px")
        page.screenshot(path=str(artifacts / "dashboard-flights-375.png"), full_page=True)

    with steps("at 375 px wide the run page has no horizontal overflow"):
        page.goto(url + "/#/flights/" + FLIGHT)
        page.locator("table.runs-table a", has_text="Run 1").click()
        expect(page.get_by_test_id("run-status")).to_have_text(re.compile("SUCCEEDED"))
        expect(page.locator(".log-lines")).to_contain_text(EXPECTED_LINES[0])
        no_horizontal_overflow(page, "the run page at 375 px")
        page.screenshot(path=str(artifacts / "dashboard-run-375.png"), full_page=True)

    with steps("reloading keeps the route and the session"):
        page.reload()
        expect(page.get_by_test_id("run-status")).to_have_text(re.compile("SUCCEEDED"))

    with steps("Cancel stops an active run"):
        page.set_viewport_size({"width": 1280, "height": 900})
        created = page.request.post(url + "/api/v1/flights", data={"name": SLEEPER, "runtime": "python", "source_code": SLEEPER_SOURCE})
        if created.status != 201:
            raise StepFailed(f"POST /api/v1/flights answered {created.status}: {created.text()[:300]}")
        page.goto(url + "/#/flights/" + SLEEPER)
        page.get_by_role("button", name="Run now").click()
        page.wait_for_url(re.compile(r"#/runs/[^/]+$"))
        expect(page.locator(".log-lines")).to_contain_text("still going 2", timeout=RUN_TIMEOUT_MS)
        expect(page.get_by_test_id("run-status")).to_have_text(re.compile("RUNNING"))
        page.get_by_role("button", name="Cancel run").click()
        expect(page.get_by_test_id("run-status")).to_have_text(re.compile("CANCELLED"), timeout=60_000)
        expect(page.get_by_role("button", name="Cancel run")).to_be_hidden()
        expect(page.locator(".log-state")).to_have_text("Log complete")
        deleted = page.request.delete(url + "/api/v1/flights/" + SLEEPER)
        if deleted.status != 200:
            raise StepFailed(f"DELETE /api/v1/flights/{SLEEPER} answered {deleted.status}")

    with steps("deleting the flight asks for confirmation, then removes it"):
        page.goto(url + "/#/flights/" + FLIGHT)
        page.get_by_role("button", name="Delete flight…").click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text(f"Delete {FLIGHT}?")
        dialog.get_by_role("button", name="Cancel").click()
        expect(dialog).to_have_count(0)
        expect(page.get_by_role("heading", name=FLIGHT, level=1)).to_be_visible()
        page.get_by_role("button", name="Delete flight…").click()
        page.get_by_role("dialog").get_by_role("button", name="Delete flight").click()
        page.wait_for_url(re.compile(r"#/flights$"))
        expect(page.locator("#banner")).to_contain_text(f"Flight {FLIGHT} was deleted.")
        expect(page.get_by_role("heading", name="No flights yet")).to_be_visible()

    with steps("logging out asks for the token again"):
        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("heading", name="Sign in to Hangar")).to_be_visible()
        page.reload()
        expect(page.get_by_role("heading", name="Sign in to Hangar")).to_be_visible()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hangar", default=os.environ.get("HANGAR_BIN", ".build/debug/hangar"), help="the hangar binary (default: $HANGAR_BIN or .build/debug/hangar)")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--artifacts", default=".build/artifacts/browser", help="where screenshots and the server log go")
    parser.add_argument("--url", help="test a server that is already running instead of starting one")
    parser.add_argument("--token", help="its token (with --url)")
    parser.add_argument("--headed", action="store_true", help="show the browser window (needs a display)")
    args = parser.parse_args()

    artifacts = Path(args.artifacts).resolve()
    artifacts.mkdir(parents=True, exist_ok=True)
    for old in artifacts.glob("*.png"):
        old.unlink()

    steps = Steps()
    server: Server | None = None
    home: Path | None = None
    page_errors: list[str] = []
    started = time.monotonic()
    try:
        if args.url:
            url, token = args.url.rstrip("/"), args.token or ""
        else:
            hangar = str(Path(args.hangar).resolve())
            if not os.access(hangar, os.X_OK):
                raise StepFailed(f"no hangar binary at {hangar} (build it with: swift build --product hangar)")
            home = Path(tempfile.mkdtemp(prefix="hangar-browser-"))
            server = Server(hangar, home, artifacts / "serve.log")
            with steps("hangar serve starts on a free port"):
                url = server.start()
            with steps("hangar token show prints the token"):
                token = server.token()

        with sync_playwright() as playwright:
            with steps("headless Chromium starts"):
                browser = playwright.chromium.launch(
                    executable_path=args.chromium,
                    headless=not args.headed,
                    # Root in a container: Chromium's sandbox needs user namespaces it may not have.
                    args=["--no-sandbox", "--disable-dev-shm-usage"],
                )
                context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light", locale="en-US", timezone_id="UTC")
                page = context.new_page()
                page.on("pageerror", lambda error: page_errors.append(str(error)))
            try:
                run_checks(page, url, token, artifacts, steps)
                with steps("no uncaught JavaScript errors"):
                    if page_errors:
                        raise StepFailed("uncaught errors in the page:\n    " + "\n    ".join(page_errors))
            except (StepFailed, PlaywrightError, AssertionError):
                try:
                    page.screenshot(path=str(artifacts / "failure.png"), full_page=True)
                except PlaywrightError:
                    pass
                raise
            finally:
                browser.close()
    except StepFailed as failure:
        print(f"\nFAIL - {failure}", file=sys.stderr)
        if page_errors:
            print("JavaScript errors in the page:\n  " + "\n  ".join(page_errors), file=sys.stderr)
        print(f"screenshots and the server log: {artifacts}", file=sys.stderr)
        if server:
            print("last lines of hangar serve's log:\n" + server.log_tail(), file=sys.stderr)
        return 1
    finally:
        if server:
            server.stop()
        if home:
            shutil.rmtree(home, ignore_errors=True)

    print(f"browser test: all {len(steps.passed)} steps passed in {time.monotonic() - started:.1f}s; screenshots in {artifacts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
