"""Real browser tests: Playwright driving Debian's chromium against app.py on loopback.

Gradio keeps a connection open, so the tests wait for `load` and for elements, never `networkidle`.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app_server import AppServer, running_app
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.server]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "browser-test-password"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[AppServer]:  # type: ignore[no-untyped-def]
    with running_app(tmp_path_factory.mktemp("browser") / "data", ASSISTANT_STAFF_PASSWORD=PASSWORD) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        assert b.version.startswith(("1", "2"))  # a real chromium answered
        yield b
        b.close()


def _open(browser, server: AppServer, **context):  # type: ignore[no-untyped-def]
    page = browser.new_page(**context)
    page.goto(server.url + "/", wait_until="load")
    page.wait_for_selector("#question textarea")
    return page


def _ask(page, question: str, n_bot: int = 1) -> None:  # type: ignore[no-untyped-def]
    page.fill("#question textarea", question)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#chat .bot.message').length >= n && "
        "!document.querySelector('#chat .pending') && document.querySelector('#question textarea').value === ''",
        arg=n_bot,
        timeout=30_000,
    )
    page.wait_for_timeout(500)


def test_answer_with_citation_and_sources(browser, server: AppServer) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server, viewport={"width": 1200, "height": 1000})
    assert page.get_by_text("Answers come only from one article").is_visible()
    _ask(page, "How do I do a glute bridge?")
    chat = page.locator("#chat")
    assert "[1]" in chat.inner_text()
    page.get_by_text(re.compile(r"^Sources \(\d+\)")).first.click()  # however many passages it cites
    page.get_by_text("Example exercises:").wait_for(timeout=5000)
    assert "Lift your hips toward the ceiling" in chat.inner_text()
    page.screenshot(path=str(ARTIFACTS / "public-chat.png"), full_page=True)
    page.close()


def test_thumbs_down_lands_in_the_feedback_store(browser, server: AppServer) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server)
    _ask(page, "What is PFPS?")
    page.get_by_label("Dislike").last.click()
    page.locator("#reason textarea").wait_for(timeout=10_000)
    page.fill("#reason textarea", "too long for me")
    page.click("#reason-send")
    page.wait_for_function(
        "() => !document.querySelector('#reason textarea') || document.querySelector('#reason textarea').value === ''",
        timeout=10_000,
    )
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "feedback.png"), full_page=True)
    with sqlite3.connect(server.data_dir / "feedback.sqlite3") as db:
        rows = db.execute("SELECT question, rating, reason, decision FROM feedback").fetchall()
    assert ("What is PFPS?", -1, "too long for me", "answer") in rows
    page.close()


def test_user_markup_is_shown_as_text_and_runs_nothing(browser, server: AppServer) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    payload = "<img src=x onerror=alert(1)> ![p](http://127.0.0.1:9/track.png) [go](javascript:alert(2))"
    _ask(page, payload)
    page.wait_for_timeout(1000)
    assert dialogs == []
    assert page.locator("#chat img[src='x']").count() == 0
    assert page.locator("#chat img[src*='track.png']").count() == 0
    assert page.locator("#chat a[href^='javascript']").count() == 0
    assert "<img src=x onerror=alert(1)>" in page.locator("#chat .user.message").first.inner_text()
    page.close()


def test_staff_login_refuses_wrong_password_and_opens_with_right_one(browser, server: AppServer) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1200, "height": 1100})
    page.goto(server.url + "/staff", wait_until="load")  # as the README writes it: redirected to the login
    assert page.url == server.url + "/staff/"
    page.get_by_label("username").fill("staff")
    page.get_by_label("password").fill("wrong")
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Incorrect Credentials").wait_for(timeout=10_000)
    assert page.get_by_text("Why the assistant answered as it did").count() == 0
    page.get_by_label("username").fill("staff")
    page.get_by_label("password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Why the assistant answered as it did").wait_for(timeout=20_000)
    page.fill("#staff-question textarea", "Which stretches help tight hip flexors?")
    page.click("#staff-go")
    page.locator("#staff-verdict").get_by_text("Decision:").wait_for(timeout=20_000)
    page.wait_for_timeout(800)
    assert "answer" in page.locator("#staff-verdict").inner_text()
    page.screenshot(path=str(ARTIFACTS / "staff-console.png"), full_page=True)
    page.close()


def test_phone_sized_screen_with_keyboard_only(browser, server: AppServer) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.locator("#question textarea").focus()
    page.keyboard.type("how do I stretch my quads?")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('#chat .bot.message').length >= 1", timeout=30_000
    )
    page.wait_for_timeout(800)
    assert "buttocks" in page.locator("#chat").inner_text()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 392, f"page scrolls sideways on a phone ({width}px)"
    send = page.locator("#send").bounding_box()
    assert send and send["x"] + send["width"] <= 392
    page.screenshot(path=str(ARTIFACTS / "phone.png"), full_page=True)
    page.close()
