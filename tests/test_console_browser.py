"""The test console in a real browser: Debian's Chromium, headless, driven by Playwright
against a real server on loopback, at two phone sizes and a desktop one. After every
turn the newest reply and the device's screen must be fully in view above the input;
the round and TV previews must draw what the reply sends them; a reload must keep the
user; "Save as test" must give a file `cramp-coach test` replays green. Screenshots of
each size go to build/console/ for people to look at. Skipped only where no Chromium is
installed (`apt-get install chromium`; `.ci/run` installs it)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import waitress

from skill.config import Settings
from skill.dev.cli import main
from skill.web.server import ServerConfig, create_app
from tests.conftest import ROOT

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
SIZES = {
    "phone-360x740": PHONE,
    "phone-390x844": {"width": 390, "height": 844},
    "desktop-1280x800": {"width": 1280, "height": 800},
}
SCREENSHOTS = ROOT / "build" / "console"
# The console runs on the real clock: never night here unless a test's device clock says so.
DAYTIME = Settings(night="00:00-00:00", diary=True)

# Where an element is, against the viewport and the top of the input bar.
WHERE = """(element) => {
  const box = element.getBoundingClientRect();
  const bar = document.getElementById("bottom").getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, left: box.left, right: box.right,
          bar: bar.top, width: innerWidth, height: innerHeight};
}"""

# WCAG contrast of an element's text against the first opaque background behind it.
CONTRAST = """(element, pseudo) => {
  const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = (c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  let node = element, background = null;
  while (node && node.nodeType === 1) {
    const colour = rgb(getComputedStyle(node).backgroundColor);
    if (colour.length < 4 || colour[3] > 0.99) { background = colour; break; }
    node = node.parentNode;
  }
  background = background || [255, 255, 255];
  const text = luminance(rgb(getComputedStyle(element, pseudo || null).color));
  const [light, dark] = [text, luminance(background)]
    .sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}"""


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


class Console:
    """One browser page on the console, talking turn by turn."""

    def __init__(self, browser, base_url: str, size: dict, script: str = "", **options) -> None:
        self.context = browser.new_context(viewport=size, accept_downloads=True, **options)
        if script:
            self.context.add_init_script(script)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.base_url = base_url
        self.open()

    def open(self) -> None:
        self.page.goto(self.base_url)
        self.page.evaluate("document.getElementById('speak').checked = false")
        self.shown = 0

    def settings(self, **choices: str) -> None:
        self.page.click("#menu")
        for name, value in choices.items():
            self.page.select_option(f"#{name}", value)
        self.page.click("#menu")

    def _turn(self, act) -> dict:
        with self.page.expect_response(lambda r: r.url.endswith("/api/say")) as answer:
            act()
        reply = answer.value.json()
        self.shown += 1
        self.page.wait_for_selector(f'body[data-shown="{self.shown}"]', state="attached")
        return reply

    def say(self, text: str) -> dict:
        def act() -> None:
            self.page.fill("#text", text)
            self.page.click("#send")

        return self._turn(act)

    def tap(self, button: str) -> dict:
        return self._turn(lambda: self.page.click(f'#device-buttons button[data-id="{button}"]'))

    def where(self, selector: str) -> dict:
        return self.page.locator(selector).last.evaluate(WHERE)

    def assert_in_view(self, selector: str) -> None:
        box = self.where(selector)
        assert box["top"] >= -0.5 and box["left"] >= -0.5, (selector, box)
        assert box["right"] <= box["width"] + 0.5, (selector, box)
        assert box["bottom"] <= box["bar"] + 0.5, (selector, box)

    def assert_turn_in_view(self, reply: dict) -> None:
        """The newest reply, all of it, and the screen the reply sends, above the input."""
        newest = self.page.locator("#log li.skill").last
        assert newest.inner_text().startswith(reply["speech"].split(". ")[0])
        self.assert_in_view("#log li.skill")
        if reply.get("screen"):
            assert self.page.locator("#device-title").inner_text() == reply["screen"]["title"]
            self.assert_in_view("#frame-box")
        else:
            assert self.page.locator("#strip").is_hidden()

    def assert_preview_matches(self, reply: dict) -> None:
        """Buttons and icon exactly as the reply's layout has them; the frame's shape."""
        screen = reply["screen"]
        size = screen["size"]
        buttons = self.page.locator("#device-buttons button")
        expected = [b["label"] for b in screen["buttons"]] if size["buttons"] else []
        assert buttons.all_inner_texts() == expected
        has_icon = bool(screen["icon"]) and size["icon"] > 0
        assert (self.page.locator("#device-icon svg").count() == 1) is has_icon
        assert self.page.locator("#device").get_attribute("data-layout") == screen["layout"]
        radius = self.page.locator("#device").evaluate("e => getComputedStyle(e).borderRadius")
        assert (radius == "50%") is (screen["layout"] == "round")
        ratio = self.page.locator("#device").evaluate("e => e.offsetWidth / e.offsetHeight")
        viewport = reply["inspect"]["request"]["context"]["Viewport"]
        assert ratio == pytest.approx(viewport["pixelWidth"] / viewport["pixelHeight"], rel=0.01)

    def assert_readable(self) -> None:
        """At least 4.5:1 for every kind of text on the page, the placeholder too."""
        for selector in ("#log li.skill", "#log li.you", ".meta", "#who", "#text", "#send"):
            for element in self.page.locator(selector).all():
                assert element.evaluate(CONTRAST) >= 4.5, selector
        placeholder = self.page.locator("#text").evaluate(CONTRAST, "::placeholder")
        assert placeholder >= 4.5

    def close(self) -> None:
        assert not self.errors
        assert all(url.startswith((self.base_url, "data:", "blob:")) for url in self.requests)
        self.context.close()


@pytest.mark.parametrize("name", list(SIZES))
def test_the_newest_reply_and_the_screen_stay_in_view(browser, base_url: str, name: str) -> None:
    size = SIZES[name]
    console = Console(browser, base_url, size, is_mobile=size["width"] < 500, has_touch=True)
    page = console.page
    # The placeholder fits its box, whole.
    fits = page.evaluate(
        """() => { const input = document.getElementById('text');
        const style = getComputedStyle(input);
        const canvas = document.createElement('canvas').getContext('2d');
        canvas.font = `${style.fontSize} ${style.fontFamily}`;
        const room = input.clientWidth - parseFloat(style.paddingLeft)
          - parseFloat(style.paddingRight);
        return canvas.measureText(input.placeholder).width <= room; }"""
    )
    assert fits

    launch = console.say("")
    assert "Where is the cramp" in launch["speech"]
    console.assert_turn_in_view(launch)
    first_aid = console.say("my calf is cramping")
    assert first_aid["intent"] == "CrampNowIntent"
    console.assert_turn_in_view(first_aid)
    console.assert_preview_matches(first_aid)
    assert "CrampNowIntent" in page.locator("#log li.skill .meta").last.inner_text()
    # The count waits for the person to be in position: the Ready button starts it.
    hold = console.tap("ready")
    assert hold["screen"]["holds"]
    console.assert_turn_in_view(hold)
    console.assert_preview_matches(hold)
    assert page.locator("#device-count").is_visible()
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    assert (SCREENSHOTS / f"{name}.png").stat().st_size > 0
    for turn in (lambda: console.tap("still"), lambda: console.say("next")):
        reply = turn()
        console.assert_turn_in_view(reply)
        console.assert_preview_matches(reply)
    console.assert_readable()

    # The emergency card leads with the call.
    emergency = console.say("I can't breathe")
    console.assert_turn_in_view(emergency)
    title, text = (
        page.locator(selector).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        for selector in ("#device-title", "#device-text")
    )
    assert page.locator("#device-title").inner_text() == "Call 911 now" and title > text
    page.screenshot(path=str(SCREENSHOTS / f"{name}-emergency.png"))

    stop = console.say("stop")
    console.assert_turn_in_view(stop)
    assert page.locator("#log li.ended").last.inner_text().startswith("Session ended")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= size["width"]
    mic = page.locator("#mic").bounding_box()
    assert mic and mic["width"] >= 48 and mic["height"] >= 48
    console.close()


def test_round_and_tv_previews_draw_what_the_reply_sends(browser, base_url: str) -> None:
    console = Console(browser, base_url, PHONE)
    for device in ("round", "tv"):
        console.settings(screen=device)
        reply = console.say("my calf is cramping")
        layout = reply["screen"]
        assert layout["layout"] == device and layout["size"]["buttons"] is False
        console.assert_preview_matches(reply)
        assert console.page.locator("#device-buttons button").count() == 0
        console.assert_turn_in_view(reply)
        console.page.screenshot(path=str(SCREENSHOTS / f"phone-360x740-{device}.png"))
    console.close()


def test_night_follows_the_skill_not_the_browser_clock(browser, base_url: str) -> None:
    """A browser whose clock says 3 a.m. beside a skill that says day: the page is day. A
    skill that decides night (03:00 on the device's clock) dims the page with its screen."""
    console = Console(browser, base_url, PHONE, script="Date.prototype.getHours = () => 3;")
    reply = console.say("my calf is cramping")
    assert reply["screen"]["mode"] == "day"
    assert "night" not in (console.page.get_attribute("body", "class") or "")
    console.close()

    night_server = ServerConfig()  # night from 22:00 to 07:00 (UTC), as shipped
    server = waitress.create_server(create_app(night_server), host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        console = Console(browser, f"http://127.0.0.1:{server.effective_port}", PHONE)
        console.settings(clock="03:00")
        reply = console.say("my calf is cramping")
        assert reply["screen"]["mode"] == "night"
        assert "night" in console.page.get_attribute("body", "class")
        console.assert_readable()
        console.page.screenshot(path=str(SCREENSHOTS / "phone-360x740-night.png"))
        console.close()
    finally:
        server.close()


def test_a_reload_keeps_the_user_and_save_as_test_replays_green(
    browser, base_url: str, tmp_path: Path
) -> None:
    console = Console(browser, base_url, {"width": 390, "height": 844})
    page = console.page
    # The saved test replays on the shipped settings (night from 22:00 UTC), this server
    # on daytime ones: a device clock in the afternoon keeps both in the day at any hour.
    console.settings(clock="15:00")
    assert "Shall I keep one?" in console.say("log a cramp in my calf")["speech"]
    assert "Noted" in console.say("yes")["speech"]
    token = page.evaluate("localStorage.getItem('cramp-coach-console-user')")
    assert token

    page.reload()
    console.open()
    assert page.evaluate("localStorage.getItem('cramp-coach-console-user')") == token
    assert page.locator("#who").inner_text() == "returning"
    # A reload resets the device clock to the server's: chosen again, or after midnight
    # the cramp noted at 15:00 would be later today and not in the last 7 days.
    console.settings(clock="15:00")
    console.say("my foot is cramping")
    console.tap("ready")
    console.tap("still")
    history = console.say("how many cramps did I have")
    assert history["speech"].startswith("One cramp in the last 7 days")

    # The inspector: the reply's line opens it; each part opens on its own and copies.
    from playwright.sync_api import expect

    inspector = page.locator("#log li.skill").last.locator("details.inspect")
    inspector.locator("summary.meta").click()
    assert "Route: diary." in inspector.inner_text()
    request = inspector.locator("details", has_text="Request envelope")
    request.locator("summary").click(position={"x": 4, "y": 8})
    expect(request.locator("pre")).to_contain_text('"userId": "console.')
    request.locator("button.copy").click()
    expect(request.locator("button.copy")).not_to_have_text("Copy")

    page.click("#menu")
    with page.expect_download() as download:
        page.click("#save-test")
    saved = tmp_path / "saved.yaml"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert "say: my foot is cramping" in text and "tap: still" in text
    assert main(["test", str(saved)]) == 0
    assert main(["test", "--url", base_url, str(saved)]) == 0

    # Forget me: the server erases the user, the browser drops its token.
    page.click("#forget-me")
    page.locator("#log li.info", has_text="Forgotten").wait_for()
    assert page.evaluate("localStorage.getItem('cramp-coach-console-user')") is None
    page.click("#menu")
    again = console.say("how many cramps did I have")
    assert again["user"] != token and "One cramp" not in again["speech"]
    console.close()


def test_new_session_starts_over(browser, base_url: str) -> None:
    console = Console(browser, base_url, PHONE)
    console.say("my foot is cramping")
    console.page.click("#menu")
    console.page.click("#new-session")
    assert console.page.locator("#log li").count() == 0
    console.page.click("#menu")
    # A new session has no step to go on to: the skill asks where the cramp is.
    assert "Where is the cramp" in console.say("next")["speech"]
    console.close()


def test_a_british_conversation_says_999_digit_by_digit(browser, base_url: str) -> None:
    console = Console(browser, base_url, PHONE)
    console.settings(locale="en-GB", screen="hub")
    reply = console.say("I've got cramp in my calf and I can't breathe")
    assert reply["speech"].startswith("Call 999 now.")
    assert console.page.locator("#device-title").inner_text() == "Call 999 now"
    steps = console.page.evaluate(
        """stepsOf('<speak>Call <say-as interpret-as="digits">999</say-as> now.</speak>')"""
    )
    assert [step["say"] for step in steps] == ["Call", "9 9 9", "now."]
    console.close()


def test_the_microphone_says_what_is_wrong(browser, base_url: str) -> None:
    """Served to a phone over plain http on the network, recognition cannot start: the page
    says so, and what to do, instead of failing silently."""
    insecure = "Object.defineProperty(window, 'isSecureContext', {value: false});"
    console = Console(browser, base_url, PHONE, script=insecure)
    console.page.click("#mic")
    note = console.page.locator("#mic-note")
    assert note.is_visible() and "HTTPS or localhost" in note.inner_text()
    console.close()

    no_recognition = "delete window.webkitSpeechRecognition; delete window.SpeechRecognition;"
    console = Console(browser, base_url, PHONE, script=no_recognition)
    console.page.click("#mic")
    assert "no speech recognition" in console.page.locator("#mic-note").inner_text()
    console.close()


@pytest.fixture(scope="module", autouse=True)
def screenshots_folder() -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
