"""What a screen shows beside the speech: Echo Show, Fire TV and the Alexa phone app (APL).

One APL document (`content/apl/document.json`) draws every screen: a short title, one
large instruction line, a picture where one helps, and during a counted hold a countdown
that runs on the device. The document and the data every screen shares (colours per
theme, sizes per layout, `content/apl/screen.json`) are JSON files; this module only
fills in the step. The countdown's start times come from the reply's own timing plan
(`Speech.counted_holds`), so the screen counts with the voice.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import cache

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill import intents
from skill.content import CONTENT_DIR, Content, Step
from skill.invoke import PlainJson
from skill.record import Record, flag, text, whole
from skill.speech import CountedHold

log = logging.getLogger(__name__)
APL_DIR = CONTENT_DIR / "apl"
TOKEN = "cramp-coach"
RENDER_DOCUMENT = "Alexa.Presentation.APL.RenderDocument"
USER_EVENT = "Alexa.Presentation.APL.UserEvent"
# A tap on a screen button is handled like the spoken intent it stands for.
# "Done" is the word "done": in every state it does what saying it does.
BUTTON_INTENTS = {
    "next": intents.NEXT,
    "done": intents.NEXT,
    "ready": intents.NEXT,
    "skip": intents.SKIP,
    "yes": intents.YES,
    "no": intents.NO,
    "eased": intents.CRAMP_EASED,
    "still": intents.STILL_CRAMPING,
    "again": intents.HOLD_AGAIN,
    "calf": intents.CRAMP_NOW,
    "thigh": intents.CRAMP_NOW,
    "foot": intents.CRAMP_NOW,
    "toes": intents.CRAMP_NOW,
    "front": intents.CRAMP_NOW,
    "back": intents.CRAMP_NOW,
    "back_thigh": intents.CRAMP_NOW,
}
# The slot ids a button's intent carries, as if the words had been said.
BUTTON_SLOTS = {
    "calf": {"muscle": "CALF"},
    "thigh": {"muscle": "THIGH"},
    "foot": {"muscle": "FOOT"},
    "toes": {"muscle": "TOES"},
    "front": {"muscle": "FRONT_THIGH"},
    "back": {"muscle": "BACK_THIGH"},
    "back_thigh": {"muscle": "BACK_THIGH"},
}
STEP_BUTTONS = ("next", "done")
POSITION_BUTTONS = ("ready", "skip")
EASED_BUTTONS = ("eased", "still")
HOLD_BUTTONS = ("again", "no")
YES_NO_BUTTONS = ("yes", "no")
LOCATION_BUTTONS = ("calf", "thigh", "foot", "toes")
THIGH_PART_BUTTONS = ("front", "back")
KNEE_PART_BUTTONS = ("calf", "back_thigh")
# The APL document's countdown runs at most this many holds a reply (the routine's three).
MAX_HOLDS = 3
# What a screen kept in the session may hold (it comes back from the client).
MAX_SHOWN_CHARS = 2000
MAX_HOLD_START_MS = 300_000


@dataclass
class Screen(Record):
    """One screen, kept in the session (plain values only) so "repeat" can show it again."""

    title: str = ""
    text: str = ""
    icon: str = ""
    buttons: list[str] = field(default_factory=list)
    emergency: bool = False
    hint: str = ""
    # [start in ms from the start of the reply, seconds] for each counted hold.
    holds: list[list[float]] = field(default_factory=list)

    def check(self, name: str, value: object) -> object:
        """Screens come back in the session from the client: short text, our buttons,
        holds of sensible lengths; anything else is refused (the field's default)."""
        match name:
            case "title" | "text" | "icon" | "hint":
                return text(value, MAX_SHOWN_CHARS)
            case "emergency":
                return flag(value)
            case "buttons":
                if not isinstance(value, list):
                    raise TypeError("not a list")
                return [button for button in value if button in BUTTON_INTENTS]
            case "holds":
                if not isinstance(value, list) or len(value) > MAX_HOLDS:
                    raise ValueError("not a short list")
                return [
                    [float(whole(start, 0, MAX_HOLD_START_MS)), whole(seconds, 1, 60)]
                    for start, seconds in value
                ]
        return value


def step_screen(content: Content, step: Step, buttons: tuple[str, ...] = STEP_BUTTONS) -> Screen:
    """A guided step: the routine's blocks are titled by name, first aid's by kind."""
    title = step.name.capitalize() if step.name else content.screen_titles.get(step.kind, "")
    return Screen(title=title, text=step.show, icon=step.icon, buttons=list(buttons))


def titled(
    content: Content,
    key: str,
    icon: str = "",
    buttons: tuple[str, ...] = (),
    emergency: bool = False,
) -> Screen:
    """A screen whose words are the content's `screen.<key>_title` and `screen.<key>`."""
    return Screen(
        title=content.screen_line(f"{key}_title"),
        text=content.screen_line(key),
        icon=icon,
        buttons=list(buttons),
        emergency=emergency,
    )


def with_holds(screen: Screen, holds: list[CountedHold]) -> None:
    screen.holds = [[hold.start_ms, hold.seconds] for hold in holds[:MAX_HOLDS]]


def supports_apl(handler_input: HandlerInput) -> bool:
    """True for a device with an APL screen (not a character display, not a speaker) that
    can render our document's APL version. A device that reports an older version, or
    none, gets no document at all rather than one it cannot draw: the reply is spoken,
    as on a speaker."""
    context = handler_input.request_envelope.context
    system = getattr(context, "system", None)
    interfaces = getattr(getattr(system, "device", None), "supported_interfaces", None)
    apl = getattr(interfaces, "alexa_presentation_apl", None)
    if apl is None:
        return False
    device = apl_version(getattr(getattr(apl, "runtime", None), "max_version", None))
    return device is not None and device >= document_version()


def apl_version(text: object) -> tuple[int, ...] | None:
    """ "1.8" as (1, 8), "2023.3" as (2023, 3): APL's versions compare part by part."""
    if not isinstance(text, str):
        return None
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return None


@cache
def document_version() -> tuple[int, ...]:
    version = apl_version(document()["version"])
    if version is None:
        raise ValueError("skill/content/apl/document.json has no valid version")
    return version


def can_share(response: Response) -> bool:
    """Alexa refuses an APL directive beside a dialog directive (NOTES.md, Screens)."""
    return not any(
        (getattr(directive, "object_type", None) or "").startswith("Dialog.")
        for directive in response.directives or []
    )


def layout_for(handler_input: HandlerInput) -> str:
    """round, landscape, portrait or tv, from ask-sdk-core's viewport profile."""
    # Imported here, for devices with a screen: it loads the SDK's viewport models, which
    # a speaker's cold start does not need.
    from ask_sdk_core.utils.viewport import get_viewport_profile

    envelope = handler_input.request_envelope
    viewport = getattr(envelope.context, "viewport", None)
    if viewport is None:
        return "landscape"
    try:
        profile = get_viewport_profile(envelope).value
    except (TypeError, ValueError, AskSdkException):
        # The SDK raises its own exception for sizes it has no group for (negative ones).
        log.warning("unreadable viewport: %r", viewport)
        return "landscape"
    if profile.startswith("HUB_ROUND"):
        return "round"
    if profile.startswith("TV_"):
        return "tv"
    if "PORTRAIT" in profile:
        return "portrait"
    if profile == "UNKNOWN_VIEWPORT_PROFILE":
        return _layout_by_shape(viewport)
    return "landscape"


def _layout_by_shape(viewport: object) -> str:
    """For screens no profile names: go by shape and proportions."""
    if str(getattr(viewport, "shape", "")).endswith("ROUND"):
        return "round"
    width = getattr(viewport, "current_pixel_width", None) or 0
    height = getattr(viewport, "current_pixel_height", None) or 0
    return "portrait" if height > width else "landscape"


@cache
def document() -> PlainJson:
    """Loaded once and shared by every response: never changed after loading."""
    with (APL_DIR / "document.json").open(encoding="utf-8") as handle:
        return PlainJson(json.load(handle))


@cache
def shared_data() -> dict:
    with (APL_DIR / "screen.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def datasource(screen: Screen, content: Content, layout: str, night: bool) -> PlainJson:
    """The document's `payload.cramp`: this screen, its theme and its layout's sizes."""
    data = shared_data()
    theme = "emergency" if screen.emergency else "night" if night else "day"
    waits = []
    end_of_last = 0.0
    for start, seconds in screen.holds:
        waits.append({"wait": round(start - end_of_last), "seconds": int(seconds)})
        end_of_last = start + seconds * 1000
    size = dict(data["layouts"][layout])
    if screen.emergency:
        # The call leads: "Call 911 now" is the largest line, what else to do under it.
        size["title"], size["text"] = size["text"], size["title"]
    return PlainJson(
        cramp={
            "title": screen.title,
            "text": screen.text,
            "icon": screen.icon,
            "hint": screen.hint,
            "buttons": [
                {"id": button, "label": content.button_labels[button]} for button in screen.buttons
            ],
            "holds": waits,
            "labels": {
                "ready": content.screen_line("get_ready"),
                "release": content.screen_line("release"),
            },
            "layout": layout,
            # Which theme: the skill's own decision (night, emergency), for the console.
            "mode": theme,
            "theme": dict(data["themes"][theme]),
            "size": size,
        }
    )


def render(screen: Screen, content: Content, layout: str, night: bool) -> PlainJson:
    """The RenderDocument directive, as the JSON Alexa reads. Not the SDK's model class:
    importing its APL package took a sixth of a Lambda cold start (bench/: make bench)."""
    return PlainJson(
        type=RENDER_DOCUMENT,
        token=TOKEN,
        document=document(),
        datasources=datasource(screen, content, layout, night),
    )


def tapped_intent(handler_input: HandlerInput) -> str | None:
    """The intent a screen tap stands for, if the request is a tap on one of our buttons."""
    request = handler_input.request_envelope.request
    arguments = getattr(request, "arguments", None) or []
    if arguments and isinstance(arguments[0], str):
        return BUTTON_INTENTS.get(arguments[0])
    return None


def tapped_slots(handler_input: HandlerInput) -> dict[str, str]:
    """The slot ids of a tapped button ("Calf": muscle CALF); none for most buttons."""
    arguments = getattr(handler_input.request_envelope.request, "arguments", None) or []
    if arguments and isinstance(arguments[0], str):
        return dict(BUTTON_SLOTS.get(arguments[0], {}))
    return {}
