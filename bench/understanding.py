"""Local understanding: how often it is right on sentences it was not built from, and how fast.

The evaluation sets (bench/eval/, see its README) were written by someone who never saw the
interaction model; nothing is trained on them. For each locale, two readers side by side:
hassil alone (exact templates, as the skill understood before the recogniser) and the full
pipeline (hassil first, then the trained recogniser). Emergency recall is the first
number, then false emergencies. The labelled sets in tests/utterances/ are scored too, as
a check that nothing the tests rely on regressed.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harness.labelled import Labelled, labelled
from skill.build.models import LOCALES
from skill.content import content_for
from skill.dev import nlu
from skill.dev.nlu import RED_FLAG_INTENT, LocalUnderstanding, Recognition

EVAL_DIR = Path(__file__).resolve().parent / "eval"
# The second set (bench/eval/second/) was written blind later, before the model it
# measures was changed; its figures are reported beside the first set's.
SECOND_DIR = EVAL_DIR / "second"
# Written blind too, then read while the model was changed (bench/tuning/README.md): its
# figures say what was fixed, never how well unseen sentences are understood.
TUNING_DIR = EVAL_DIR.parent / "tuning"
# The first set was written before EndingIntent, WaitIntent and ReadyIntent existed and
# labels their sentences as the built-ins the skill answers alike ("ok thanks bye" ends
# the session either way; "hang on" pauses either way; "ready" is "next" in every state,
# skill/answers.py). Intents answered differently somewhere (Skip, Okay) are not mapped.
SAME_ANSWER = {
    "AMAZON.StopIntent": "EndingIntent",
    "AMAZON.PauseIntent": "WaitIntent",
    "AMAZON.NextIntent": "ReadyIntent",
}
# "His whole body is shaking" is the answer to the seizure question and the sign itself;
# the skill answers both readings with the same emergency in every state
# (tests/test_safety.py), so either counts in every set.
WHOLE_BODY_READINGS = frozenset(
    {
        ("SeizureScopeIntent", "scope", "WHOLE_BODY"),
        ("RedFlagIntent", "symptom", "WHOLE_BODY_SHAKING"),
    }
)
EMERGENCY = "EMERGENCY"
SEIZURE_INTENT = "SeizureIntent"
# Slots compared as numbers of seconds: the eval set counts "seconds=30" and
# "duration=PT30S" as the same request, and "P2W" as "P14D".
TIMED_SLOTS = ("seconds", "duration")
SIGN_SLOTS = nlu.SIGN_SLOTS
TARGETS = {
    "intent_slots": 0.90,
    "emergency_recall": 1.0,
    "false_emergencies": 0.03,
    "per_second": 1000,
    "load_s": 0.5,
    "first_answer_s": 0.5,
}
# Targets met when the figure is at most the target (the others: at least).
AT_MOST = ("false_emergencies", "load_s", "first_answer_s")
# A fresh process's first sentences, one process each: an ordinary request, one that
# names a time of day (the longest slot list, every spoken time, is read for it), and
# one no template matches (the recogniser is read for it).
FIRST_SENTENCES = (
    "my calf is cramping",
    "remind me to stretch at ten pm",
    "ugh my left calf is locking up on me again tonight",
)
COLD_RUNS = 3


@dataclass(frozen=True)
class Sign:
    """A warning sign from the evaluation set: its level and id, and the words."""

    level: str
    symptom: str
    locale: str
    text: str


@dataclass(frozen=True)
class NotSign:
    """A sentence that only mentions warning words: the intent it should be, or None."""

    intent: str | None
    locale: str
    text: str


def _rows(name: str, directory: Path = EVAL_DIR) -> list[list[str]]:
    lines = (directory / name).read_text(encoding="utf-8").splitlines()
    return [
        [part.strip() for part in line.split("|", 3)]
        for line in lines
        if line.strip() and not line.startswith("#")
    ]


def eval_utterances(locale: str, directory: Path = EVAL_DIR) -> list[Labelled]:
    return labelled(locale, directory)


def eval_signs(directory: Path = EVAL_DIR) -> list[Sign]:
    return [Sign(*row) for row in _rows("warning_signs.txt", directory)]


def eval_not_signs(directory: Path = EVAL_DIR) -> list[NotSign]:
    return [
        NotSign(None if intent == "NONE" else intent, locale, text)
        for intent, locale, text in _rows("not_warning.txt", directory)
    ]


def eval_sentences(directories: tuple[Path, ...] = (EVAL_DIR, SECOND_DIR)) -> set[str]:
    """Every sentence of these evaluation sets, normalised (a test keeps them out of the
    model's samples)."""
    texts = []
    for directory in directories:
        texts += [row.text for locale in LOCALES for row in eval_utterances(locale, directory)]
        texts += [row.text for row in eval_signs(directory)]
        texts += [row.text for row in eval_not_signs(directory)]
    return {nlu.normalize(text) for text in texts if text}


def _seconds(value: str) -> int | None:
    """ "30", "PT30S", "P2W" as seconds; None for anything else."""
    if value.isdigit():
        return int(value)
    units = {"S": 1, "M": 60, "H": 3600}
    day_units = {"D": 86400, "W": 7 * 86400, "M": 30 * 86400}
    if value.startswith("PT") and value[2:-1].isdigit() and value[-1] in units:
        return int(value[2:-1]) * units[value[-1]]
    if value.startswith("P") and value[1:-1].isdigit() and value[-1] in day_units:
        return int(value[1:-1]) * day_units[value[-1]]
    return None


def slots_heard(row: Labelled, result: Recognition) -> bool:
    """Are the row's slots among those heard, with the eval set's equivalences?"""
    found = {name: fill.id or fill.value for name, fill in result.slots.items()}
    wanted = dict(row.slots)
    wanted_signs = {wanted.pop(slot) for slot in SIGN_SLOTS if slot in wanted}
    if not wanted_signs <= {found.get(slot) for slot in SIGN_SLOTS}:
        return False
    wanted_times = {_seconds(wanted.pop(slot)) for slot in TIMED_SLOTS if slot in wanted}
    found_times = {_seconds(found[slot]) for slot in TIMED_SLOTS if slot in found}
    if not wanted_times <= found_times:
        return False
    if "period" in wanted and _seconds(wanted["period"]) == _seconds(found.get("period", "")):
        wanted.pop("period")
    return wanted.items() <= found.items()


def _emergency_by_design(row: Labelled) -> bool:
    """Lines whose right answer is itself a warning: a sign, a seizure, or "the whole
    body" in answer to the seizure question (GUIDE §3: whole-body shaking is an
    emergency). Hearing these as emergencies is no false alarm."""
    whole_body = row.intent == "SeizureScopeIntent" and row.slots.get("scope") == "WHOLE_BODY"
    return row.intent in (RED_FLAG_INTENT, SEIZURE_INTENT) or whole_body


def level_heard(result: Recognition, locale: str) -> str | None:
    """The warning level the skill answers a reading with (None for no warning). A seizure
    question counts as an emergency: its whole-body answer is one. Seizure words with a
    muscle the skill gives first aid for get that first aid, not the question
    (skill/handlers/safety.py, seizure_words)."""
    if result.intent == SEIZURE_INTENT:
        muscle = result.slots.get("muscle")
        if muscle is not None and content_for(locale).has_first_aid(muscle.id):
            return None
        return EMERGENCY
    return nlu.warning_level(result, locale)


def _intent_heard(row: Labelled, result: Recognition, directory: Path) -> bool:
    same = SAME_ANSWER.get(row.intent) if directory == EVAL_DIR else None
    return result.intent in (row.intent, same) or _whole_body_both(row, result)


def heard(row: Labelled, result: Recognition, directory: Path) -> bool:
    """Intent and slots as labelled, with the sets' equivalences."""
    return _intent_heard(row, result, directory) and (
        _whole_body_both(row, result) or slots_heard(row, result)
    )


def _whole_body_both(row: Labelled, result: Recognition) -> bool:
    labelled_as = {(row.intent, slot, value) for slot, value in row.slots.items()}
    found = {(result.intent, slot, fill.id) for slot, fill in result.slots.items()}
    return bool(labelled_as & WHOLE_BODY_READINGS) and bool(found & WHOLE_BODY_READINGS)


def score(
    understand: Callable[[str], Recognition], locale: str, directory: Path = EVAL_DIR
) -> dict:
    """Every figure for one reader in one locale, on one evaluation set."""
    rows = eval_utterances(locale, directory)
    signs = [sign for sign in eval_signs(directory) if sign.locale == locale]
    not_signs = [row for row in eval_not_signs(directory) if row.locale == locale]
    readings = [(row, understand(row.text)) for row in rows]
    intent_ok = [row for row, result in readings if _intent_heard(row, result, directory)]
    both_ok = [row for row, result in readings if heard(row, result, directory)]
    levels = [(sign, level_heard(understand(sign.text), locale)) for sign in signs]
    emergencies = [(sign, level) for sign, level in levels if sign.level == EMERGENCY]
    calm = [row.text for row in rows if not _emergency_by_design(row)]
    calm += [row.text for row in not_signs]
    false_alarms = [text for text in calm if level_heard(understand(text), locale) == EMERGENCY]
    false_warnings = [row.text for row in not_signs if level_heard(understand(row.text), locale)]
    return {
        "utterances": len(rows),
        "intent": round(len(intent_ok) / len(rows), 3),
        "intent_slots": round(len(both_ok) / len(rows), 3),
        "signs": len(signs),
        "emergencies": len(emergencies),
        "emergency_recall": round(
            sum(level == EMERGENCY for _, level in emergencies) / len(emergencies), 3
        ),
        "level": round(sum(sign.level == level for sign, level in levels) / len(signs), 3),
        "calm": len(calm),
        "false_emergencies": round(len(false_alarms) / len(calm), 3),
        "false_warnings": len(false_warnings),
        "not_signs": len(not_signs),
        "missed": {
            "intent_slots": [row.text for row in rows if row not in both_ok],
            "emergencies": [sign.text for sign, level in emergencies if level != EMERGENCY],
            "levels": [
                f"{sign.level}: {sign.text}" for sign, level in levels if sign.level != level
            ],
            "false_emergencies": false_alarms,
            "false_warnings": false_warnings,
        },
    }


def readers(locale: str) -> dict[str, tuple[Callable[[], LocalUnderstanding], str]]:
    """Each reader of a locale, how to build it, and what its load time measures."""
    return {
        "hassil": (lambda: nlu.exact_only(locale), "hassil"),
        "pipeline": (lambda: nlu.fresh(locale), "recogniser"),
    }


def rate(understanding: LocalUnderstanding, texts: list[str], rounds: int) -> float:
    """Utterances per second of this process's CPU time: the machine the benchmark runs
    on is shared, and wall time would measure the neighbours."""
    started = time.process_time()
    for _ in range(rounds):
        for text in texts:
            understanding.understand(text)
    return rounds * len(texts) / (time.process_time() - started)


# Run with `python -c` in a new interpreter (argv: locale, reader, sentence), so nothing
# is imported or cached before it starts timing: CPU seconds of the import, the build and
# the first answer, and the wall time from the import to the answer, as JSON.
COLD_CHILD = """
import json, sys, time
locale, reader, text = sys.argv[1:4]
wall = time.perf_counter()
started = time.process_time()
from skill.dev import nlu
imported = time.process_time()
understanding = nlu.fresh(locale) if reader == "pipeline" else nlu.exact_only(locale)
built = time.process_time()
understanding.understand(text)
answered = time.process_time()
print(json.dumps({
    "import_s": imported - started,
    "build_s": built - imported,
    "first_s": answered - built,
    "first_answer_s": answered - started,
    "first_answer_wall_s": time.perf_counter() - wall,
}))
"""


def cold_start(locale: str, reader: str, runs: int = COLD_RUNS) -> dict[str, float]:
    """A reader's start in new processes (medians of `runs` for each first sentence):
    the import, the build and the first answer, and `first_answer_s` for the slowest
    first sentence, which is what a person waits for after a start."""
    # An installed package has its bytecode (pip compiles it); a machine that forbids
    # writing it would measure compiling our modules instead, at every start.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    by_sentence = []
    for text in FIRST_SENTENCES:
        readings = []
        for _ in range(runs):
            child = subprocess.run(
                [sys.executable, "-c", COLD_CHILD, locale, reader, text],
                capture_output=True,
                text=True,
                check=True,
                cwd=Path(__file__).resolve().parent.parent,
                env=env,
            )
            readings.append(json.loads(child.stdout))
        by_sentence.append(
            {key: statistics.median(run[key] for run in readings) for key in readings[0]}
        )
    slowest = max(by_sentence, key=lambda figures: figures["first_answer_s"])
    return {
        "import_s": round(statistics.median(f["import_s"] for f in by_sentence), 3),
        "build_cold_s": round(statistics.median(f["build_s"] for f in by_sentence), 3),
        "first_answer_s": round(slowest["first_answer_s"], 3),
        "first_answer_wall_s": round(slowest["first_answer_wall_s"], 3),
    }


def measure(rounds: int, locales: tuple[str, ...] = LOCALES, cold_runs: int = COLD_RUNS) -> dict:
    results: dict = {}
    for locale in locales:
        texts = [row.text for row in eval_utterances(locale)]
        texts += [sign.text for sign in eval_signs() if sign.locale == locale]
        figures = {}
        for name, (build, _) in readers(locale).items():
            started = time.process_time()
            understanding = build()
            built = time.process_time() - started
            # Reads the recogniser's file, when the first sentence needs it (load_s).
            scored = score(understanding.understand, locale)
            figures[name] = {
                **scored,
                "second": score(understanding.understand, locale, SECOND_DIR),
                "tuning": score(understanding.understand, locale, TUNING_DIR),
                "build_s": round(built, 3),
                "load_s": round(understanding.recogniser_load_s, 3),
                "per_second": round(rate(understanding, texts, rounds)),
                **cold_start(locale, name, cold_runs),
            }
        labelled_rows = labelled(locale)
        pipeline = nlu.fresh(locale)
        figures["labelled"] = {
            "utterances": len(labelled_rows),
            "heard": sum(row.heard_by(pipeline) for row in labelled_rows),
        }
        results[locale] = figures
    return results


def missed_targets(results: dict) -> list[str]:
    """Each target the full pipeline misses, per locale, in words."""
    missed = []
    for locale, figures in results.items():
        pipeline = figures["pipeline"]
        for key, target in TARGETS.items():
            for where, found in (("", pipeline), ("second set ", pipeline.get("second", {}))):
                if key not in found:
                    continue
                value = found[key]
                if value > target if key in AT_MOST else value < target:
                    missed.append(f"{locale} {where}{key} {value} (target {target})")
    return missed


def main() -> None:
    """`python -m bench.understanding`: measure only the understanding, print the figures
    and record them in results.json and the README (the rest of the results is kept)."""
    from bench.report import update_readme
    from bench.run import README, RESULTS

    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    results["understanding"] = measure(rounds=5)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    README.write_text(update_readme(README.read_text(encoding="utf-8"), results))
    for locale, figures in results["understanding"].items():
        print(
            locale,
            {
                name: {k: v for k, v in f.items() if k not in ("missed", "second")}
                for name, f in figures.items()
            },
        )
    for target in missed_targets(results["understanding"]):
        print("missed:", target)


if __name__ == "__main__":
    main()
