"""The test console in a real browser: Debian's Chromium, headless, on a phone-sized
screen, driven by Playwright through a whole conversation against a real server on
loopback. Skipped only where no Chromium is installed (`.ci/run` installs it)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

import pytest
import waitress

from skill.web.server import ServerConfig, create_app
from tests.test_server import DAYTIME

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
)
# As root, in a closed network: no sandbox, and nothing that phones home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--mute-audio",
]
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = waitress.create_server(
        create_app(ServerConfig(settings=DAYTIME)), host="127.0.0.1", port=0, threads=4
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_a_whole_conversation_on_a_phone(browser, base_url: str) -> None:
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url)

    def say(text: str) -> str:
        before = page.locator("#log li.skill").count()
        page.fill("#text", text)
        page.click("#send")
        page.locator("#log li.skill").nth(before).wait_for()
        return page.locator("#log li.skill").nth(before).inner_text()

    assert "Where is the cramp" in say("")
    reply = say("my calf is cramping")
    assert "Okay, your calf" in reply and "CrampNowIntent" in reply and "muscle=calf" in reply
    assert page.locator("#device-title").inner_text() == "Stretch"
    assert page.locator("#device-icon svg path").count() >= 1

    page.locator("#device-buttons button", has_text="Ready").click()
    page.locator("#log li.skill").nth(2).wait_for()
    assert "Starting now" in page.locator("#log li.skill").nth(2).inner_text()
    assert page.locator("#device-count").is_visible()

    page.locator("#device-buttons button", has_text="Still cramping").click()
    page.locator("#log li.skill").nth(3).wait_for()
    assert "rub the calf" in page.locator("#log li.skill").nth(3).inner_text()

    assert "Warmth helps" in say("next")
    counted = say("count twenty seconds")
    assert "1 2 3" in counted and "StretchHoldIntent" in counted
    assert page.locator("#device-count").is_visible()

    assert "Okay, stopping" in say("stop")
    assert page.locator("#log li.ended").last.inner_text().startswith("Session ended")

    # Phone-sized: nothing wider than the screen, and thumb-sized targets.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    mic = page.locator("#mic").bounding_box()
    assert mic and mic["width"] >= 48 and mic["height"] >= 48
    assert not errors
    assert all(url.startswith((base_url, "data:")) for url in requests), requests


def test_new_session_starts_over(browser, base_url: str) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(base_url)
    page.fill("#text", "my foot is cramping")
    page.click("#send")
    page.locator("#log li.skill").first.wait_for()
    page.click("#new-session")
    assert page.locator("#log li").count() == 0
    page.fill("#text", "next")
    page.click("#send")
    page.locator("#log li.skill").first.wait_for()
    # A new session has no step to go on to: the skill asks where the cramp is.
    assert "Where is the cramp" in page.locator("#log li.skill").first.inner_text()


def test_a_british_conversation_says_999_digit_by_digit(browser, base_url: str) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(base_url)
    page.select_option("#locale", "en-GB")
    page.select_option("#screen", "hub")
    page.fill("#text", "I've got cramp in my calf and I can't breathe")
    page.click("#send")
    page.locator("#log li.skill").first.wait_for()
    assert page.locator("#log li.skill").first.inner_text().startswith("Call 999 now.")
    assert page.locator("#device-title").inner_text() == "Call 999 now"
    steps = page.evaluate(
        """stepsOf('<speak>Call <say-as interpret-as="digits">999</say-as> now.</speak>')"""
    )
    assert [step["say"] for step in steps] == ["Call", "9 9 9", "now."]
