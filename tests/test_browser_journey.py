"""A new user's whole journey in real Chromium against `streamlit run`.

Register an organisation, start an audit, answer every indicator, open the
results and see the heatmap. Chromium comes from Debian's package
(/usr/bin/chromium, or $CHROMIUM); Playwright only drives it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from staymobil_core.answers import read_answers
from staymobil_core.database import DATABASE_ENV, connect
from staymobil_core.framework import load_bundled_framework
from staymobil_core.organisations import list_organisations
from staymobil_core.scoring import score_audit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_SECONDS = 60
# Answers cycle through this list so the total is neither 0 nor 100.
ANSWER_CYCLE = ["Yes", "Yes", "Partly", "Yes", "No"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """Run the app with `streamlit run` on a free loopback port."""
    port = free_port()
    database = tmp_path / "journey.duckdb"
    log_path = tmp_path / "streamlit.log"
    env = {**os.environ, DATABASE_ENV: str(database)}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, process, log_path)
        yield url, database, log_path, process
    finally:
        stop(process)
        # pytest shows this only when the test fails.
        print(f"streamlit log:\n{log_path.read_text()}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=20)


def wait_for_health(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited early:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(
        f"streamlit did not start in {STARTUP_SECONDS} s:\n{log_path.read_text()}"
    )


@pytest.fixture
def page(server):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        yield context.new_page()
        browser.close()


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished the rerun a click started."""
    page.wait_for_timeout(150)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)


def type_text(page: Page, label: str, text: str) -> None:
    """Fill a text input and press Enter, which sends it to the app, then wait."""
    field = page.get_by_label(label, exact=True)
    field.fill(text)
    field.press("Enter")
    wait_idle(page)
    expect(field).to_have_value(text)


def choose(page: Page, label: str, option: str) -> None:
    """Pick a selectbox option by typing it, as a keyboard user would."""
    box = page.get_by_label(label, exact=True).first
    box.click()
    box.press_sequentially(option)
    box.press("Enter")


def test_register_answer_and_read_heatmap(server, page):
    url, database, log_path, process = server
    framework = load_bundled_framework()

    page.goto(f"{url}/organisation")
    page.get_by_label("Name", exact=True).first.fill("Lakeside Vocational School")
    choose(page, "Country", "Finland")
    choose(page, "Size", "medium (50-249 staff)")
    page.get_by_role("button", name="Register organisation").click()
    expect(
        page.get_by_text("Organisation 'Lakeside Vocational School' registered.")
    ).to_be_visible()

    wait_idle(page)
    page.get_by_role("tab", name="Start an audit").click()
    wait_idle(page)
    type_text(page, "Audit lead", "Aino Virtanen")
    type_text(page, "Lead's department", "Quality")
    page.get_by_role("button", name="Start audit").click()
    expect(page.get_by_role("heading", name="Audit")).to_be_visible(timeout=30_000)
    wait_idle(page)

    codes = {o.label: o.code for o in framework.answer_scale}
    clicked: dict[str, str] = {}
    for number, phase in enumerate(framework.phases, start=1):
        phases = page.locator(".st-key-audit_phase")
        phases.get_by_text(f"{number}. {phase.name} ({phase.when})", exact=True).click()
        wait_idle(page)
        for activity in phase.core_activities:
            activities = page.locator(".st-key-audit_activity")
            activities.get_by_text(activity.name, exact=True).click()
            wait_idle(page)
            for indicator in framework.indicators_for("sending"):
                if indicator.core_activity_id != activity.id:
                    continue
                group = page.get_by_role("radiogroup", name=f"Answer to {indicator.id}")
                label = ANSWER_CYCLE[len(clicked) % len(ANSWER_CYCLE)]
                group.get_by_text(label, exact=True).click()
                expect(
                    group.get_by_role("radio", name=label, exact=True)
                ).to_be_checked()
                wait_idle(page)
                clicked[indicator.id] = codes[label]

    applicable = framework.indicators_for("sending")
    expect(
        page.get_by_text(f"{len(applicable)} of {len(applicable)} indicators done")
    ).to_be_visible()

    page.get_by_role("link", name="Results").click()
    expect(page.get_by_role("heading", name="Heatmap")).to_be_visible(timeout=30_000)
    heatmap = page.get_by_test_id("stVegaLiteChart").first
    expect(heatmap).to_be_visible()
    expect(heatmap.locator("canvas, svg").first).to_be_visible()
    expected = score_audit(framework, "sending", clicked).total
    total = page.get_by_test_id("stMetric").filter(has_text="Total")
    expect(total).to_contain_text(f"{expected.score:.0f} points")
    coverage = page.get_by_test_id("stMetric").filter(has_text="Coverage")
    expect(coverage).to_contain_text(f"{len(applicable)} of {len(applicable)}")

    # A reload starts a new browser session; the stored answers come back.
    page.reload()
    expect(page.get_by_role("heading", name="Heatmap")).to_be_visible(timeout=30_000)
    expect(coverage).to_contain_text(f"{len(applicable)} of {len(applicable)}")

    # DuckDB lets one process hold the file, so stop the app before reading it.
    stop(process)
    con = connect(database)
    try:
        organisation = list_organisations(con)[0]
        stored = read_answers(con, 1)
    finally:
        con.close()
    assert organisation.name == "Lakeside Vocational School"
    assert {i: a.code for i, a in stored.items()} == clicked
