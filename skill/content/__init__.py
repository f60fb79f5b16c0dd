"""What the skill says. The source is the TOML beside this module: the shared English
(`en.toml`) and each locale's own file of differences (`en-GB.toml`, ...). `make models`
merges each locale's and writes it to `merged/<locale>.json`, which is what the skill
reads: one small JSON file per locale, no TOML parsed on a cold start.

Content is data so a clinician can audit every sentence against its sources without
reading code, and so new locales are a small file of differences rather than code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from skill.speech import Said, digits

CONTENT_DIR = Path(__file__).resolve().parent
MERGED_DIR = CONTENT_DIR / "merged"
DEFAULT_LOCALE = "en-US"
# Never guess a country's emergency number: an unknown locale hears this instead.
UNKNOWN_EMERGENCY_NUMBER = "your local emergency number"
# clinical.md §3's levels, most severe first: when several warning signs are heard at
# once, the most severe one decides the answer.
LEVELS = ("EMERGENCY", "URGENT_TODAY", "SEE_DOCTOR")
# Situations whose first-aid steps the content names (SITUATION ids of the model).
NIGHT = "NIGHT"
SWIMMING = "SWIMMING"


@dataclass(frozen=True)
class Line:
    """One spoken item and the clinical.md keys it rests on; optionally a shorter night form."""

    say: str
    src: tuple[str, ...]
    night: str | None = None

    @staticmethod
    def parse(item: dict) -> Line:
        return Line(say=item["say"], src=tuple(item["src"]), night=item.get("night"))


@dataclass(frozen=True)
class Step(Line):
    """A step of a guided flow (first aid or the bedtime routine).

    `show` is the one short line a screen shows for it, `icon` its picture if one helps.
    """

    kind: str = ""
    hold: bool = False
    name: str = ""
    show: str = ""
    icon: str = ""

    @staticmethod
    def parse(item: dict) -> Step:
        return Step(
            say=item["say"],
            src=tuple(item["src"]),
            kind=item.get("kind", ""),
            hold=item.get("hold", False),
            name=item.get("name", ""),
            show=item.get("show", ""),
            icon=item.get("icon", ""),
        )


@dataclass(frozen=True)
class Routine:
    """The bedtime routine: blocks of counted holds, standing or seated, same order."""

    standing: tuple[Step, ...]
    seated: tuple[Step, ...]
    reps: int
    hold_seconds: int
    relax_seconds: int
    warm_up_seconds: int

    @staticmethod
    def parse(data: dict) -> Routine:
        return Routine(
            standing=tuple(Step.parse(item) for item in data["standing"]),
            seated=tuple(Step.parse(item) for item in data["seated"]),
            reps=data["reps"],
            hold_seconds=data["hold_seconds"],
            relax_seconds=data["relax_seconds"],
            warm_up_seconds=data["warm_up_seconds"],
        )

    def blocks(self, seated: bool) -> tuple[Step, ...]:
        return self.seated if seated else self.standing

    def other_side(self, index: int) -> int:
        """The same stretch on the other leg ("calf_left" and "calf_right")."""
        kind = self.standing[index].kind
        swapped = kind.replace("left", "RIGHT").replace("right", "left").replace("RIGHT", "right")
        kinds = [block.kind for block in self.standing]
        return kinds.index(swapped) if swapped in kinds else index


@dataclass(frozen=True)
class Caution:
    """What a milder warning sign changes for the rest of a session (clinical.md §3a).

    `answer` is said when the sign is heard, after the level's advice when `with_level`;
    `again` replaces every comfort step, hold, routine or tip asked for later.
    """

    answer: Line
    again: Line
    with_level: bool

    @staticmethod
    def parse(item: dict) -> Caution:
        return Caution(
            Line.parse(item["answer"]), Line.parse(item["again"]), item.get("with_level", False)
        )


@dataclass(frozen=True)
class Topic:
    """An information answer: a short version first, then deeper items on request."""

    short: Line
    more: tuple[Line, ...] = field(default_factory=tuple)


class Content:
    """Typed access to one locale's content file."""

    def __init__(self, data: dict, emergency_number: str | None = None) -> None:
        """`emergency_number`, when given, replaces the locale's number with words said as
        they are (an unsupported locale's "your local emergency number")."""
        meta = data["meta"]
        self.locale: str = meta["locale"]
        # As shown on a screen, and as said: digit by digit unless the locale has words
        # for it ("triple zero" for 000).
        self.emergency_number: str = emergency_number or meta["emergency_number"]
        said = emergency_number or meta.get("emergency_number_said")
        self._spoken = {"number": said or digits(self.emergency_number)}
        self._shown = {"number": self.emergency_number}
        # Other numbers a locale names (clinical.md §3b's locale lines), each said digit by
        # digit, group by group ("1800 022 222").
        for key in ("health_line", "ambulance_number"):
            if key in meta:
                self._spoken[key] = " ".join(digits(group) for group in meta[key].split())
                self._shown[key] = meta[key]
        self._muscles: dict[str, str] = data["muscles"]
        self._sides: dict[str, str] = data["sides"]
        self.days: dict[str, str] = data["days"]
        self._lines = {key: Line.parse(item) for key, item in data["lines"].items()}
        self._first_aid = {
            muscle: [Step.parse(item) for item in steps]
            for muscle, steps in data["first_aid"].items()
        }
        for muscle, same in data.get("first_aid_same_as", {}).items():
            self._first_aid[muscle] = self._first_aid[same]
        self._situations: dict[str, dict] = data.get("first_aid_situations", {})
        self.routine = Routine.parse(data["routine"])
        info = data["info"]
        self._topics = {
            name: Topic(Line.parse(topic["short"]), tuple(Line.parse(m) for m in topic["more"]))
            for name, topic in info.items()
            if "short" in topic
        }
        self._prevention_topics = {
            key: Line.parse(item) for key, item in info.get("prevention_topics", {}).items()
        }
        self._red_flag_levels: dict[str, str] = data["red_flag_levels"]
        self._red_flag_extra = {
            key: Line.parse(item) for key, item in data.get("red_flag_extra", {}).items()
        }
        self._emergency_actions = {
            key: tuple(Line.parse(item) for item in items)
            for key, items in data.get("emergency_actions", {}).items()
        }
        self._red_flag_cautions: dict[str, str] = data.get("red_flag_cautions", {})
        self._cautions = {
            name: Caution.parse(caution) for name, caution in data.get("cautions", {}).items()
        }
        self._not_leg = {key: Line.parse(item) for key, item in data.get("not_leg", {}).items()}
        screen = dict(data["screen"])
        self.screen_titles: dict[str, str] = screen.pop("titles")
        self.button_labels: dict[str, str] = screen.pop("buttons")
        self._screen_lines = {
            key: Line.parse(item) if isinstance(item, dict) else Line(item, ("ui",))
            for key, item in screen.items()
        }

    def line(self, key: str, night: bool = False, **values: object) -> str:
        """A line's text with its placeholders filled; the emergency number is always known."""
        line = self._lines[key]
        return self.fill(line.night if night and line.night else line.say, **values)

    def has_line(self, key: str) -> bool:
        return key in self._lines

    def fill(self, text: str, **values: object) -> str:
        """Spoken text with its placeholders filled; phone numbers are marked to be said
        digit by digit. Text from this content comes back as `Said`, knowing its path,
        so that "repeat" can say it again from the path and values alone."""
        filled = text.format(**self._spoken, **values)
        path = self._paths.get(text)
        if path is None:
            return filled
        plain = {
            name: value if isinstance(value, int) and not isinstance(value, bool) else str(value)
            for name, value in values.items()
        }
        return Said(filled, path, plain)

    def say_again(self, path: str, values: dict) -> Said:
        """The text at a content path (as `all_lines` names it) filled with `values`;
        KeyError for a path this locale does not have."""
        said = self.fill(self._templates[path], **values)
        if not isinstance(said, Said):
            raise KeyError(path)
        return said

    @cached_property
    def _templates(self) -> dict[str, str]:
        return {where: line.say for where, line in self.all_lines()}

    @cached_property
    def _paths(self) -> dict[str, str]:
        """Each template's path (the first, where two places say the same words)."""
        paths: dict[str, str] = {}
        for where, template in self._templates.items():
            paths.setdefault(template, where)
        return paths

    def screen_line(self, key: str) -> str:
        """Words a screen shows (not spoken), with the numbers filled in as written."""
        return self._screen_lines[key].say.format(**self._shown)

    def muscle_name(self, muscle: str) -> str:
        return self._muscles.get(muscle, self._muscles["LEG"])

    def place(self, muscle: str | None, side: str | None) -> str:
        """ "left calf", "calf", "leg": where a cramp was, in words."""
        name = self.muscle_name(muscle or "LEG")
        side_word = self._sides.get(side or "")
        if side_word and side != "BOTH":
            return f"{side_word} {name}"
        return name

    def muscles(self) -> tuple[str, ...]:
        return tuple(self._muscles)

    def sides(self) -> tuple[str, ...]:
        return tuple(self._sides)

    def topics(self) -> tuple[str, ...]:
        return tuple(self._topics)

    def situations(self) -> dict[str, int]:
        """Each situation first aid adapts to, and how many steps it adds."""
        return {
            name: len(extra.get("before", [])) + len(extra.get("after", []))
            for name, extra in self._situations.items()
        }

    def has_first_aid(self, muscle: str | None) -> bool:
        return muscle in self._first_aid

    def first_aid_steps(
        self, muscle: str, situation: str | None, night: bool = False
    ) -> list[Step]:
        """The muscle's steps, adapted to the situation (night, exercise, pregnancy, water).

        At night the night steps come too, whatever situation is named (clinical.md §6: light
        on, sit on the edge of the bed before standing), except in water.
        """
        steps = list(self._first_aid[muscle])
        situations = [situation or ""]
        if night and situation not in (NIGHT, SWIMMING):
            situations.insert(0, NIGHT)
        before: list[Step] = []
        after: list[Step] = []
        for name in situations:
            extra = self._situations.get(name, {})
            replace = {kind: Step.parse(item) for kind, item in extra.get("replace", {}).items()}
            steps = [replace.get(step.kind, step) for step in steps]
            before += [Step.parse(item) for item in extra.get("before", [])]
            after += [Step.parse(item) for item in extra.get("after", [])]
        return before + steps + after

    def topic(self, name: str) -> Topic:
        return self._topics[name]

    def prevention_topic(self, topic_id: str | None) -> Line | None:
        return self._prevention_topics.get(topic_id or "")

    def red_flag_level(self, symptom: str | None) -> str | None:
        return self._red_flag_levels.get(symptom or "")

    def severity(self, symptom: str | None) -> int:
        """0 for an emergency sign, more for milder ones, most for one not known."""
        level = self.red_flag_level(symptom)
        return LEVELS.index(level) if level else len(LEVELS)

    def most_severe(self, symptoms: Iterable[str | None]) -> str | None:
        """Of the signs heard, the one whose level is most severe (the first, on a tie)."""
        known = [symptom for symptom in symptoms if self.red_flag_level(symptom)]
        return min(known, key=self.severity) if known else None

    def red_flag_extra(self, symptom: str | None) -> Line | None:
        return self._red_flag_extra.get(symptom or "")

    def emergency_actions(self, symptom: str | None) -> tuple[Line, ...]:
        """clinical.md §3b: what to do while waiting, one action a line, the first most needed."""
        return self._emergency_actions.get(symptom or "", ())

    def caution_for(self, symptom: str | None) -> str | None:
        """The caution a warning sign puts on the rest of the session (clinical.md §3a)."""
        return self._red_flag_cautions.get(symptom or "")

    def caution(self, name: str) -> Caution:
        return self._cautions[name]

    def not_leg(self, place: str | None) -> Line | None:
        """The answer for a cramp somewhere other than the leg (clinical.md §3a), if it is one."""
        return self._not_leg.get(place or "")

    def all_lines(self) -> Iterator[tuple[str, Line]]:
        """Every spoken item with a name saying where it lives, for audits and tests."""
        for key, line in self._lines.items():
            yield f"lines.{key}", line
            if line.night:
                yield f"lines.{key}.night", Line(line.night, line.src)
        for muscle, steps in self._first_aid.items():
            for index, step in enumerate(steps):
                yield f"first_aid.{muscle}[{index}]", step
        for situation, extra in self._situations.items():
            for part in ("before", "after"):
                for index, item in enumerate(extra.get(part, [])):
                    yield f"situation.{situation}.{part}[{index}]", Step.parse(item)
            for kind, item in extra.get("replace", {}).items():
                yield f"situation.{situation}.replace.{kind}", Step.parse(item)
        for index, step in enumerate(self.routine.standing):
            yield f"routine.standing[{index}]", step
        for index, step in enumerate(self.routine.seated):
            yield f"routine.seated[{index}]", step
        for name, topic in self._topics.items():
            yield f"info.{name}.short", topic.short
            for index, line in enumerate(topic.more):
                yield f"info.{name}.more[{index}]", line
        for key, line in self._prevention_topics.items():
            yield f"info.prevention_topics.{key}", line
        for key, line in self._red_flag_extra.items():
            yield f"red_flag_extra.{key}", line
        for key, lines in self._emergency_actions.items():
            for index, line in enumerate(lines):
                yield f"emergency_actions.{key}[{index}]", line
        for name, caution in self._cautions.items():
            yield f"cautions.{name}.answer", caution.answer
            yield f"cautions.{name}.again", caution.again
        for key, line in self._not_leg.items():
            yield f"not_leg.{key}", line
        for key, line in self._screen_lines.items():
            yield f"screen.{key}", line

    def all_shown(self) -> Iterator[tuple[str, str]]:
        """Every short text a screen can show, for the same audits as spoken lines."""
        for where, line in self.all_lines():
            if isinstance(line, Step) and line.show:
                yield f"{where}.show", line.show
        for kind, title in self.screen_titles.items():
            yield f"screen.titles.{kind}", title
        for button, label in self.button_labels.items():
            yield f"screen.buttons.{button}", label


@cache
def available_locales() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in MERGED_DIR.glob("*.json")))


def content_for(locale: str | None) -> Content:
    """A locale's content; an unsupported one gets en-US words but no guessed number.
    Only supported locales are kept, so requests naming made-up ones cannot grow a cache."""
    return _content(locale if locale in available_locales() else None)


@cache
def _content(locale: str | None) -> Content:
    if locale is None:
        return Content(_merged(DEFAULT_LOCALE), emergency_number=UNKNOWN_EMERGENCY_NUMBER)
    return Content(_merged(locale))


def _merged(locale: str) -> dict:
    with (MERGED_DIR / f"{locale}.json").open(encoding="utf-8") as handle:
        return json.load(handle)
