"""Screens (APL): the document inflates for every step, the countdown keeps time with the
voice, layouts follow the device, taps act like speech, speakers get no directive."""

from __future__ import annotations

import json
import re
from itertools import product

import jsonschema
import pytest
from ask_sdk_model import Response
from ask_sdk_model.dialog import DelegateDirective

from harness.replies import DATA
from skill.builder import build_skill
from skill.content import Step, content_for
from skill.dev.envelopes import SCREENS
from skill.invoke import invoke
from skill.model_files import MANIFEST
from skill.screen import (
    BUTTON_INTENTS,
    EASED_BUTTONS,
    HOLD_BUTTONS,
    STEP_BUTTONS,
    Screen,
    can_share,
    datasource,
    document,
    shared_data,
    step_screen,
    titled,
)
from skill.speech import estimated_seconds
from tests.apl_render import DIMENSION, HEX_COLOUR, AplError, evaluate, inflate
from tests.conftest import NIGHT, Conversation

CONTENT = content_for("en-US")
LAYOUTS = sorted(shared_data()["layouts"])
PHASES = ("ready", "hold", "done")
RENDER = "Alexa.Presentation.APL.RenderDocument"


def every_step() -> list[Step]:
    steps: list[Step] = []
    for muscle in ("CALF", "FRONT_THIGH", "BACK_THIGH", "FOOT", "TOES"):
        for situation in (None, "NIGHT", "EXERCISE", "PREGNANCY", "SWIMMING"):
            steps += CONTENT.first_aid_steps(muscle, situation)
    return steps + list(CONTENT.routine.standing) + list(CONTENT.routine.seated)


def every_screen() -> list[Screen]:
    holds = [[21_000.0, 30], [45_000.0, 10], [70_000.0, 10]]
    screens = [step_screen(CONTENT, step, EASED_BUTTONS) for step in every_step()]
    screens += [
        titled(CONTENT, "hold", icon="timer", buttons=HOLD_BUTTONS),
        titled(CONTENT, "warm_up"),
        titled(CONTENT, "emergency", icon="phone", emergency=True),
        Screen(title="Cramp Coach", text="Where is the cramp?", buttons=list(STEP_BUTTONS)),
    ]
    return [*screens, Screen(**{**screens[0].to_dict(), "holds": holds})]


def check_inflated(data: dict, phase: str) -> list[str]:
    """Inflate the document as a device would; returns the texts it shows."""
    graphics = document()["graphics"]
    scope = {"payload": data, "phase": phase, "remaining": 7}
    shown = []
    for component in inflate(document()["mainTemplate"]["item"], scope):
        props = component.props
        for key, value in props.items():
            if "olor" in key:
                assert HEX_COLOUR.match(str(value)), (key, value)
            if key.startswith(("font", "padding")) and key != "fontWeight":
                assert DIMENSION.match(str(value)), (key, value)
        if component.type == "Text":
            assert str(props["text"]).strip(), props
            shown.append(str(props["text"]))
        if component.type == "VectorGraphic":
            assert props["source"] in graphics
            assert isinstance(props["width"], int) and props["width"] > 0
        if component.type == "Container" and "direction" in props:
            assert props["direction"] in ("row", "column")
        if component.type == "TouchWrapper":
            (press,) = props["onPress"]
            assert press["type"] == "SendEvent" and press["arguments"][0] in BUTTON_INTENTS
    return shown


def countdown_commands(data: dict) -> list[tuple[int, int]]:
    """The (wait, seconds) each CountHold in the root's onMount runs with."""
    root = document()["mainTemplate"]["item"]
    (sequence,) = root["onMount"]
    assert sequence["type"] == "Sequential" and sequence["screenLock"] is True
    runs = []
    scope = {"payload": data}
    defined = document()["commands"]["CountHold"]
    names = {parameter["name"] for parameter in defined["parameters"]}
    for command in sequence["commands"]:
        assert command["type"] == "CountHold"
        assert set(command) - {"type", "when"} == names
        if evaluate(command["when"], scope):
            runs.append((evaluate(command["wait"], scope), evaluate(command["seconds"], scope)))
    return runs


# ------------------------------------------------------------------ the document itself
def test_the_document_is_apl_with_our_graphics_and_commands() -> None:
    doc = document()
    assert doc["type"] == "APL" and doc["mainTemplate"]["parameters"] == ["payload"]
    for name, graphic in doc["graphics"].items():
        assert graphic["type"] == "AVG" and graphic["width"] == graphic["height"] == 100, name
        for item in graphic["items"]:
            assert re.fullmatch(r"[MLQTAZmlqtaz0-9 ,.\-]+", item["pathData"]), name
    binds = {bind["name"] for bind in doc["mainTemplate"]["item"]["bind"]}
    for command in doc["commands"]["CountHold"]["commands"]:
        inner = command.get("commands", [command])
        for step in inner:
            assert step["type"] == "SetValue" and step["componentId"] == "root"
            assert step["property"] in binds


def test_every_icon_the_content_names_is_drawn() -> None:
    icons = {step.icon for step in every_step() if step.icon} | {"timer", "phone"}
    assert icons <= set(document()["graphics"])


@pytest.mark.parametrize(("layout", "night"), list(product(LAYOUTS, (False, True))))
def test_every_screen_inflates_in_every_layout(layout: str, night: bool) -> None:
    for screen in every_screen():
        data = datasource(screen, CONTENT, layout, night)
        for phase in PHASES:
            shown = check_inflated(data, phase)
            assert screen.title in shown and screen.text in shown
        countdown_commands(data)


def test_the_inflater_catches_a_broken_binding() -> None:
    data = datasource(every_screen()[0], CONTENT, "landscape", False)
    del data["cramp"]["theme"]["accent"]
    with pytest.raises(AplError):
        check_inflated(data, "hold")


def test_round_and_tv_screens_have_no_buttons_phones_and_hubs_do() -> None:
    screen = step_screen(CONTENT, every_step()[0])
    for layout, has_buttons in [("round", False), ("tv", False), ("portrait", True)]:
        shown = check_inflated(datasource(screen, CONTENT, layout, False), "ready")
        assert ("Next" in shown) is has_buttons, layout


def test_the_countdown_shows_seconds_left_then_release() -> None:
    data = datasource(every_screen()[-1], CONTENT, "landscape", False)
    assert "7" in check_inflated(data, "hold")
    assert "Release" in check_inflated(data, "done")
    assert "Get into position" in check_inflated(data, "ready")


# ------------------------------------------------------------------ in conversation
def first_render(reply: dict) -> dict:
    assert reply["directives"] == [RENDER], reply["directives"]
    return reply["screen"]


def test_a_first_aid_stretch_counts_down_when_the_voice_counts() -> None:
    talk = Conversation(screen="hub")
    waiting = first_render(talk.say("my calf is cramping"))
    assert [button["id"] for button in waiting["buttons"]] == ["ready", "skip"]
    assert waiting["holds"] == []
    reply = talk.say("ready")
    screen = first_render(reply)
    assert screen["title"] == "Stretch" and screen["icon"] == "calf_stretch"
    assert [button["id"] for button in screen["buttons"]] == ["eased", "still"]
    ((wait, seconds),) = [(hold["wait"], hold["seconds"]) for hold in screen["holds"]]
    assert seconds == 30
    # Independently of the plan: the SSML up to the first number, at Alexa's rate.
    before_count = reply["ssml"].split("Starting now.")[0] + "Starting now.</speak>"
    assert wait == pytest.approx(estimated_seconds(before_count) * 1000, rel=0.03)
    assert countdown_commands({"cramp": screen}) == [(wait, 30)]


def test_a_routine_block_counts_each_of_its_three_holds() -> None:
    talk = Conversation(screen="hub")
    talk.say("start my bedtime stretches")
    talk.say("no")
    screen = first_render(talk.say("next"))
    routine = CONTENT.routine
    assert [hold["seconds"] for hold in screen["holds"]] == [routine.hold_seconds] * 3
    # Between holds: "and release", then the relax period up to "starting now".
    gaps = [hold["wait"] for hold in screen["holds"][1:]]
    release_ms = len(CONTENT.line("hold_release").split()) / 2.5 * 1000
    assert gaps == [round(routine.relax_seconds * 1000 + release_ms)] * 2
    assert screen["title"] == "Left calf stretch" and screen["icon"] == "wall_calf_stretch"


def test_at_night_the_screen_is_dim_and_waits_for_the_slower_words() -> None:
    day = first_render(Conversation(screen="hub").say("my calf is cramping"))
    talk = Conversation(screen="hub", start=NIGHT)
    assert first_render(talk.say("my calf is cramping"))["title"] == "Light on"
    talk.say("the light is on")
    reply = talk.say("ready")
    night = first_render(reply)
    assert night["theme"] == shared_data()["themes"]["night"]
    assert day["theme"] == shared_data()["themes"]["day"]
    # The night voice speaks words at 90%; the count itself keeps its pace.
    assert night["holds"][0]["seconds"] == 30
    before_count = reply["ssml"].split("Starting now.")[0] + "Starting now.</speak>"
    at_normal_rate = estimated_seconds(before_count) * 1000
    assert night["holds"][0]["wait"] > at_normal_rate * 1.03


def test_an_emergency_screen_says_call_now() -> None:
    talk = Conversation(screen="phone")
    screen = first_render(talk.say("I can't breathe"))
    assert screen["title"] == "Call 911 now" and screen["icon"] == "phone"
    assert screen["theme"] == shared_data()["themes"]["emergency"]
    assert screen["layout"] == "portrait" and screen["mode"] == "emergency"
    # It leads with the call: the title is the largest line on the card.
    sizes = screen["size"]
    assert float(sizes["title"].removesuffix("dp")) > float(sizes["text"].removesuffix("dp"))


def test_a_question_with_no_step_shows_the_question() -> None:
    talk = Conversation(screen="hub")
    screen = first_render(talk.say(""))
    assert screen["title"] == "Cramp Coach"
    assert screen["text"] == "Where is the cramp: calf, thigh, foot or toes?"
    assert [button["id"] for button in screen["buttons"]] == ["calf", "thigh", "foot", "toes"]


def test_repeat_shows_the_same_screen_again() -> None:
    """The same screen; after a hold, without its countdown, as the hold is not counted
    again (repeat then says the question)."""
    talk = Conversation(screen="hub")
    first = first_render(talk.say("count thirty seconds"))
    assert first_render(talk.say("repeat")) == {**first, "holds": []}
    assert first["holds"][0]["seconds"] == 30


def test_a_speaker_gets_no_directive() -> None:
    talk = Conversation()
    for text in ("", "my calf is cramping", "next", "I can't breathe"):
        reply = talk.say(text)
        assert reply["directives"] == [] and "screen" not in reply


# ------------------------------------------------------------------ taps
def test_tapping_next_is_saying_next() -> None:
    spoken, tapped = Conversation(screen="hub"), Conversation(screen="hub")
    for talk in (spoken, tapped):
        talk.say("my foot is cramping")
        talk.say("no")
    said = spoken.say("next")
    pressed = tapped.tap("next")
    assert pressed["speech"] == said["speech"] and pressed["screen"] == said["screen"]
    assert pressed["intent"] == "Alexa.Presentation.APL.UserEvent"


# (what was said before, the button, the words it stands for in that state)
TAPS = [
    (["my calf is cramping"], "ready", "ready"),
    (["my calf is cramping"], "skip", "skip"),
    (["my calf is cramping", "ready", "no"], "next", "next"),
    (["my calf is cramping", "ready", "no"], "done", "done"),
    (["my calf is cramping", "ready"], "eased", "it's gone"),
    (["my calf is cramping", "ready"], "still", "it still hurts"),
    (["my calf is cramping", "ready", "it's worse"], "yes", "yes"),
    (["my calf is cramping", "ready", "it's worse"], "no", "no"),
    (["open cramp coach"], "calf", "calf"),
    (["open cramp coach"], "thigh", "thigh"),
    (["open cramp coach"], "foot", "foot"),
    (["open cramp coach"], "toes", "toes"),
    (["my thigh is cramping"], "front", "front"),
    (["my thigh is cramping"], "back", "back"),
    (["it's behind my knee"], "calf", "calf"),
    (["it's behind my knee"], "back_thigh", "back of thigh"),
    (["my calf is cramping", "ready", "yes"], "yes", "yes"),
    (["my calf is cramping", "ready", "yes"], "no", "no"),
    (["start my bedtime stretches"], "no", "no"),
    # The routine waits for "ready" at each stretch, as first aid does.
    (["start my bedtime stretches", "no"], "ready", "ready"),
    (["start my bedtime stretches", "no"], "skip", "skip"),
    (["start my bedtime stretches", "no", "ready"], "ready", "ready"),
    # Paused, the question's screen stays: "ready" ends the pause as the word does.
    (["start my bedtime stretches", "no", "hang on"], "ready", "ready"),
    (["my calf is cramping", "hang on"], "ready", "ready"),
    (["my calf is cramping", "ready", "hang on"], "eased", "it's gone"),
    (["how do I prevent cramps"], "yes", "yes"),
    (["count thirty seconds"], "again", "do it again"),
    (["count thirty seconds"], "no", "no"),
]


def test_every_button_is_tapped_in_a_test() -> None:
    assert {button for _, button, _ in TAPS} == set(BUTTON_INTENTS)


@pytest.mark.parametrize(("before", "button", "words"), TAPS, ids=[t[1] for t in TAPS])
def test_a_tap_means_what_its_word_means_there(before: list[str], button: str, words: str) -> None:
    spoken, tapped = Conversation(screen="hub"), Conversation(screen="hub")
    for talk in (spoken, tapped):
        for text in before:
            talk.say(text)
    shown = [b["id"] for b in tapped.replies[-1]["screen"]["buttons"]]
    assert button in shown, shown
    said, pressed = spoken.say(words), tapped.tap(button)
    assert pressed["speech"] == said["speech"]
    assert pressed["end_session"] == said["end_session"]
    assert tapped.state == spoken.state


def test_tapping_done_mid_first_aid_moves_on_and_never_ends_it() -> None:
    talk = Conversation(screen="hub")
    talk.say("my calf is cramping")
    talk.say("ready")
    talk.say("no")
    reply = talk.tap("done")
    assert reply["end_session"] is False and "Warmth" in reply["speech"]


def test_tapping_it_has_eased_gives_after_care_and_done_stops() -> None:
    talk = Conversation(screen="hub")
    talk.say("my calf is cramping")
    assert "glad it's eased" in talk.tap("eased")["speech"]
    assert talk.tap("done")["end_session"] is True


def test_an_unknown_tap_gets_a_spoken_answer_and_keeps_the_question() -> None:
    talk = Conversation(screen="hub")
    talk.say("my calf is cramping")
    reply = talk.tap("Cached_Pager_Previous")
    assert reply["end_session"] is False and "Say ready when you're in position" in reply["speech"]


# ------------------------------------------------------------------ devices and envelopes
@pytest.mark.parametrize(
    ("screen", "layout"),
    [("round", "round"), ("hub", "landscape"), ("phone", "portrait"), ("tv", "tv")],
)
def test_each_kind_of_screen_gets_its_layout(screen: str, layout: str) -> None:
    assert screen in SCREENS
    reply = Conversation(screen=screen).say("")
    assert first_render(reply)["layout"] == layout


def envelope(name: str) -> dict:
    return json.loads((DATA / "requests" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "renders"),
    [
        ("LaunchRequest_APL_Viewport_Viewports_visual_context__alexa-net-apl.json", True),
        # An Echo Show that reports APL 1.1: older than our document, so no document.
        ("LaunchRequest_APL_Display_Viewport_EchoShow_deDE__phlexa-issue10.json", False),
        ("LaunchRequest_APLT_character_display_EchoDotClock__amazon-docs.json", False),
        ("LaunchRequest_Display_interface_EchoShow_legacy__alexa-cookbook.json", False),
        ("IntentRequest_Display_interface__alexa-cookbook.json", False),
        (
            "SessionEndedRequest_ERROR_INVALID_RESPONSE_EchoShow_Viewport_signed_raw__"
            "cf-alexa-verifier.json",
            False,
        ),
    ],
)
def test_real_envelopes_render_only_on_apl_screens_that_can(name: str, renders: bool) -> None:
    response = invoke(build_skill(), envelope(name))["response"]
    types = [directive["type"] for directive in response.get("directives") or []]
    assert types == ([RENDER] if renders else [])
    if renders:
        directive = response["directives"][0]
        assert directive["document"] == document()
        check_inflated(directive["datasources"], "ready")


@pytest.mark.parametrize(
    ("max_version", "renders"),
    [
        ("1.0", False),
        ("1.7", False),
        ("1.8", True),
        ("1.10", True),
        ("2024.2", True),
        (None, False),
    ],
)
def test_a_document_is_sent_only_to_a_device_that_can_render_its_version(
    max_version: str | None, renders: bool
) -> None:
    request = envelope("LaunchRequest_APL_Viewport_Viewports_visual_context__alexa-net-apl.json")
    apl = request["context"]["System"]["device"]["supportedInterfaces"]["Alexa.Presentation.APL"]
    if max_version is None:
        apl.pop("runtime", None)
    else:
        apl["runtime"] = {"maxVersion": max_version}
    response = invoke(build_skill(), request)["response"]
    assert bool(response.get("directives")) == renders
    assert response["outputSpeech"]["ssml"]
    assert document()["version"] == "1.8", "update the versions above with the document's"


def test_the_real_user_event_fragment_is_answered() -> None:
    request = json.loads(
        (
            DATA / "requests/fragments/request-object_Alexa.Presentation.APL.UserEvent__"
            "aplsnippets.json"
        ).read_text(encoding="utf-8")
    )
    launch = envelope("LaunchRequest_APL_Viewport_Viewports_visual_context__alexa-net-apl.json")
    launch["request"] = request
    launch["session"]["new"] = False
    response = invoke(build_skill(), launch)["response"]
    assert "Sorry, I didn't catch that." in response["outputSpeech"]["ssml"]
    assert response["shouldEndSession"] is False


def test_no_screen_beside_a_dialog_directive() -> None:
    assert can_share(Response())
    assert not can_share(Response(directives=[DelegateDirective()]))


def test_the_manifest_declares_apl_and_passes_the_schema() -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    schema = json.loads((DATA / "schemas/skill-manifest.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(manifest, schema)
    interfaces = manifest["manifest"]["apis"]["custom"]["interfaces"]
    assert {"type": "ALEXA_PRESENTATION_APL"} in interfaces
    description = manifest["manifest"]["publishingInformation"]["locales"]["en-US"]["description"]
    assert "not a substitute for professional medical advice" in description
    assert "emergency" in description


def test_a_viewport_the_sdk_cannot_place_still_gets_its_reply_and_a_screen() -> None:
    launch = envelope("LaunchRequest_APL_Viewport_Viewports_visual_context__alexa-net-apl.json")
    launch["context"]["Viewport"]["currentPixelWidth"] = -1
    response = invoke(build_skill(), launch)["response"]
    assert "Where is the cramp" in response["outputSpeech"]["ssml"]
    assert response["directives"][0]["datasources"]["cramp"]["layout"] == "landscape"


def contrast(one: str, other: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("theme", ["day", "night", "emergency"])
def test_every_theme_is_readable(theme: str) -> None:
    """At least 4.5:1 (WCAG AA) for every line on the screen, by day and by night."""
    colours = shared_data()["themes"][theme]
    for name in ("text", "dim", "accent"):
        assert contrast(colours[name], colours["background"]) >= 4.5, name
    assert contrast(colours["text"], colours["button"]) >= 4.5
