"""After a warning sign the whole conversation changes (clinical.md §3a, §3b).

Whole conversations, typed, in every locale: an emergency sign said about oneself or
someone else, then everything a person might say or tap next. Every later reply starts
with the call, carries at most the sign's first action, and never a count or a step.
Then the milder signs that still change the session: a possible clot, an injury, a
pregnancy warning, and a cramp that is not in the leg.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from skill.build.models import LOCALES
from skill.content import content_for
from skill.state import CAUTIONS, SessionState
from tests.conftest import NIGHT, Conversation

SAID_NUMBER = {
    "en-US": "911",
    "en-CA": "911",
    "en-GB": "999",
    "en-AU": "triple zero",
    "en-IN": "112",
}
# Each §3b sign, about oneself and about someone else; none copied from clinical.md.
SIGNS = [
    ("BREATHING", "my leg is swollen and I can't get my breath"),
    ("BREATHING", "my husband is gasping for air"),
    ("STROKE_SIGNS", "I can't lift my arm and my words are coming out wrong"),
    ("STROKE_SIGNS", "my mum's face has dropped on one side"),
    ("WHOLE_BODY_SHAKING", "I'm pregnant and I just had a fit"),
    ("WHOLE_BODY_SHAKING", "my son is shaking all over"),
    ("UNRESPONSIVE", "I think I passed out"),
    ("UNRESPONSIVE", "grandma won't wake up"),
    ("COLD_PALE_LIMB", "my foot has gone white and cold"),
    ("COLD_PALE_LIMB", "my dad's leg is cold and blue"),
    ("HARD_AFTER_INJURY", "I hurt my calf and it's rock hard and getting worse"),
    ("HARD_AFTER_INJURY", "my daughter's calf is rock hard after an injury"),
    ("HEAT_CONFUSION", "I've been in the sun all day and I'm confused"),
    ("HEAT_CONFUSION", "my grandad's been in the hot sun and he's not making sense"),
    ("IN_WATER_SELF", "help I'm going under"),
    ("STRUGGLING_IN_WATER", "my friend is struggling in the water"),
    ("LOCKED_JAW", "my jaw won't open since I stepped on a nail"),
    ("LOCKED_JAW", "her jaw is locked"),
    ("SADDLE_NUMBNESS", "I can't feel down there and I wet myself"),
    ("SADDLE_NUMBNESS", "my husband's gone weak in both legs"),
]
TAP = "tap:"
# Everything after the emergency that keeps the session open; then the ways it ends.
FOLLOW_UPS = [
    "ok",
    "yes",
    "next",
    "repeat",
    "resume",
    "do it again",
    "help",
    "what's the weather like on mars",
    "my calf is cramping",
    "start my bedtime stretches",
    f"{TAP}next",
    # "Done" on a screen means what saying "done" means: on to the next thing, here the call.
    f"{TAP}done",
    f"{TAP}still",
    f"{TAP}not-a-button",
]
ENDINGS = ["no", "stop", "thanks", "goodnight"]
COUNT = re.compile(r"\b1 2 3\b|Starting now|Get into the stretch")
CASES = [(locale, sign, words) for locale in LOCALES for sign, words in SIGNS]


def turn(talk: Conversation, words: str) -> dict:
    if words.startswith(TAP):
        return talk.tap(words.removeprefix(TAP))
    return talk.say(words)


def steps_and_tips(locale: str) -> list[str]:
    """Every first-aid step, routine block and tip the locale can say."""
    content = content_for(locale)
    return [
        content.fill(line.say)
        for where, line in content.all_lines()
        if where.startswith(("first_aid.", "situation.", "routine.", "info.prevention"))
    ]


def the_call(locale: str) -> str:
    return f"Please call {SAID_NUMBER[locale]} now if you haven't."


def assert_only_the_call(reply: dict, locale: str, sign: str) -> None:
    """The call in one sentence, then at most the sign's first action (clinical.md §3a)."""
    actions = content_for(locale).emergency_actions(sign)
    call = the_call(locale)
    expected = f"{call} {actions[0].say}" if actions else call
    assert reply["speech"] == expected
    assert not COUNT.search(reply["speech"])


@pytest.mark.parametrize(("locale", "sign", "words"), CASES)
def test_after_an_emergency_every_reply_is_the_call(locale: str, sign: str, words: str) -> None:
    talk = Conversation(locale=locale)
    first = talk.say(words)
    assert first["slots"]["symptom"]["id"] == sign
    said = SAID_NUMBER[locale]
    assert first["speech"].startswith((f"Call {said} now.", f"Call {said} now,"))
    actions = content_for(locale).emergency_actions(sign)
    assert 1 <= len(actions) <= 2
    assert first["speech"].endswith(" ".join(action.say for action in actions))
    for words_next in FOLLOW_UPS:
        reply = turn(talk, words_next)
        assert_only_the_call(reply, locale, sign)
        assert not reply["end_session"], words_next
        assert reply["reprompt"] == the_call(locale)
    for ending in ENDINGS:
        reply = turn(talk, ending)
        assert reply["speech"] == the_call(locale), ending
        assert reply["end_session"], ending
        talk.say(words)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_step_or_tip_follows_an_emergency(locale: str) -> None:
    talk = Conversation(locale=locale)
    talk.say("ow my calf is cramping")
    talk.say("my wife's face is drooping")
    for words in FOLLOW_UPS:
        speech = turn(talk, words)["speech"]
        assert not [step for step in steps_and_tips(locale) if step in speech], words


def test_the_seizure_question_comes_first_and_whole_body_shaking_stays_an_emergency() -> None:
    talk = Conversation()
    question = talk.say("my husband is having a fit")["speech"]
    assert question.startswith("People say seizure or fit for different things.")
    assert "general information" not in question
    assert talk.say("his whole body")["speech"].startswith("Call 911 now.")
    for words in ["ok", "it's just his leg"]:
        assert_only_the_call(talk.say(words), "en-US", "WHOLE_BODY_SHAKING")
    assert talk.say("no")["speech"] == the_call("en-US")


def test_a_different_emergency_sign_gets_its_own_answer(talk: Conversation) -> None:
    talk.say("my husband's face is drooping")
    assert_only_the_call(talk.say("his face is drooping"), "en-US", "STROKE_SIGNS")
    new = talk.say("now he's stopped breathing")
    assert new["speech"].startswith("Call 911 now.")
    assert new["speech"].endswith(
        "Check they are breathing. If they are, roll them onto their side."
    )
    assert_only_the_call(talk.say("ok"), "en-US", "UNRESPONSIVE")
    # A milder sign adds nothing: still the call.
    assert_only_the_call(talk.say("and his leg is swollen"), "en-US", "UNRESPONSIVE")


def test_opening_again_within_the_hour_starts_with_the_call_and_offers_no_routine() -> None:
    talk = Conversation()
    talk.say("start my bedtime stretches")
    talk.say("no")
    talk.say("pause")
    talk.say("I'm in the water and I can't stay afloat")
    talk.say("stop")
    opened = talk.say("open cramp coach", after=timedelta(minutes=20))
    assert "If the emergency from earlier is still going on, call 911 now." in opened["speech"]
    assert "carry on" not in opened["speech"]
    talk.say("stop")
    resumed = talk.say("ask cramp coach to resume")
    assert "Wall calf stretch" not in resumed["speech"]
    later = talk.say("open cramp coach", after=timedelta(hours=2))
    assert "emergency from earlier" not in later["speech"]


# ---------------------------------------------------------------- a possible clot
COMFORT = re.compile(r"\b(rub\w*|warm\w*|heat|walk\w*|massage|stretch)\b", re.IGNORECASE)
AFTER_A_CLOT = [
    "no",
    "ok",
    "yes",
    "next",
    "it's still cramping",
    "it's gone",
    "do it again",
    "count thirty seconds",
    "other leg",
    "start my bedtime stretches",
    "how do I prevent cramps",
    "resume",
    "my calf is cramping",
    "can I rub it",
    "help",
    "go home",
    f"{TAP}still",
    f"{TAP}eased",
    f"{TAP}next",
]
ADVICE_TODAY = {
    "en-US": "after-hours health line",
    "en-CA": "811",
    "en-GB": "111",
    "en-AU": "healthdirect on 1800 022 222",
    "en-IN": "your local health advice line",
}


@pytest.mark.parametrize("locale", LOCALES)
def test_a_possible_clot_mid_first_aid_stops_rubbing_warmth_and_walking(locale: str) -> None:
    talk = Conversation(locale=locale)
    talk.say("my calf is cramping")
    answer = talk.say("my calf is warm and puffy")["speech"]
    assert ADVICE_TODAY[locale] in answer
    assert "Keep the leg still and raised." in answer
    for words in AFTER_A_CLOT:
        reply = turn(talk, words)
        assert not COMFORT.search(reply["speech"]), (words, reply["speech"])
        assert not COUNT.search(reply["speech"])
        assert "still and raised" in reply["speech"], words
        if reply["end_session"]:
            talk.say("my calf is red and swollen")


def test_words_not_caught_under_a_caution_are_said_to_be_so_then_the_caution() -> None:
    talk = Conversation()
    talk.say("my calf is red and swollen and hot")
    reply = talk.say("blah blah purple")
    assert reply["speech"].startswith("Sorry, I didn't catch that. Please keep the leg still")
    assert not reply["end_session"]


def test_the_en_au_health_line_is_said_digit_by_digit() -> None:
    talk = Conversation(locale="en-AU")
    ssml = talk.say("my calf is hot and swollen")["ssml"]
    digits = '<say-as interpret-as="digits">'
    assert f"{digits}1800</say-as> {digits}022</say-as> {digits}222</say-as>" in ssml


def test_en_in_names_the_ambulance_number() -> None:
    reply = Conversation(locale="en-IN").say("my father's face is drooping")
    assert reply["speech"].startswith("Call 112 now, or 108 for an ambulance.")
    assert '<say-as interpret-as="digits">108</say-as>' in reply["ssml"]


# ---------------------------------------------------------------- an injury, not a cramp
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    "words",
    [
        "my hamstring went while sprinting and I felt a pop",
        "I fell and hurt my leg and now I can't put weight on it",
        "something snapped in my calf",
    ],
)
def test_an_injury_gets_no_stretch_or_rub(locale: str, words: str) -> None:
    talk = Conversation(locale=locale)
    answer = talk.say(words)["speech"]
    assert answer.startswith("That sounds like an injury, not a cramp. Don't stretch it or rub it.")
    assert "ice wrapped in a cloth" in answer and "Keep it raised." in answer
    assert "If you can't put weight on it, get medical advice today." in answer
    for words_next in ["ok", "next", "do it again", "count twenty seconds", "my calf", "no"]:
        reply = talk.say(words_next)
        assert not COUNT.search(reply["speech"])
        assert not [step for step in steps_and_tips(locale) if step in reply["speech"]]


# ---------------------------------------------------------------- pregnancy warning signs
PREGNANCY_NOW = {
    "en-US": "midwife, maternity unit or doctor now",
    "en-CA": "midwife, maternity unit or doctor now",
    "en-GB": "midwife, maternity unit or GP now, or call 111",
    "en-AU": "midwife, maternity unit or GP now",
    "en-IN": "midwife, maternity unit or doctor now",
}


@pytest.mark.parametrize("locale", LOCALES)
def test_pregnancy_warning_signs_get_now_and_no_tips(locale: str) -> None:
    talk = Conversation(locale=locale)
    talk.say("I'm pregnant and my calf is cramping")
    answer = talk.say("I'm pregnant and my vision is blurry")["speech"]
    assert PREGNANCY_NOW[locale] in answer
    assert "prevent" not in answer
    for words in [
        "how do I prevent cramps",
        "tell me more",
        "yes",
        "it's gone",
        "bedtime stretches",
    ]:
        reply = talk.say(words)
        assert PREGNANCY_NOW[locale].split(",")[0] in reply["speech"], words
        assert not [tip for tip in steps_and_tips(locale) if tip in reply["speech"]], words
        assert "prevent" not in reply["speech"]


@pytest.mark.parametrize(
    "words",
    [
        "I'm 30 weeks pregnant and I've got a pounding headache",
        "I am pregnant with a splitting headache",
        "I'm pregnant and I'm seeing stars",
        "I'm pregnant and my feet are suddenly swollen",
        "pregnant and I have blurred vision",
    ],
)
def test_pregnancy_warning_signs_are_heard(words: str) -> None:
    assert "needs checking now" in Conversation().say(words)["speech"]


@pytest.mark.parametrize(
    "words", ["I'm pregnant and my calf is cramping", "cramp in my calf while pregnant"]
)
def test_naming_a_situation_keeps_the_night_steps(words: str) -> None:
    talk = Conversation(start=NIGHT)
    first = talk.say(words)["speech"]
    assert "turn on a light" in first
    assert "keep your heel down" in talk.say("next")["speech"]


# ---------------------------------------------------------------- not the leg
PLACES = {
    "BELLY": ["my stomach", "in my belly"],
    "CHEST": ["my chest"],
    "JAW": ["my jaw"],
    "NECK": ["it's in my neck"],
    "HAND": ["my hand"],
    "ARM": ["my left arm"],
}
PLACE_CASES = [
    (locale, place, words) for locale in LOCALES for place, said in PLACES.items() for words in said
]


@pytest.mark.parametrize(("locale", "place", "words"), PLACE_CASES)
def test_a_cramp_not_in_the_leg_never_gets_the_calf(locale: str, place: str, words: str) -> None:
    talk = Conversation(locale=locale)
    assert "Where is the cramp" in talk.say("open cramp coach")["speech"]
    reply = talk.say(words)
    assert reply["slots"]["muscle"]["id"] == place
    assert reply["speech"].startswith("I guide leg cramps.")
    assert f"call {SAID_NUMBER[locale]} now" in reply["speech"]
    assert "calf" not in reply["speech"]
    assert not COUNT.search(reply["speech"])
    assert not [step for step in steps_and_tips(locale) if step in reply["speech"]]


# ---------------------------------------------------------------- night and water
def test_at_night_the_front_of_the_thigh_is_stretched_lying_down() -> None:
    talk = Conversation(start=NIGHT)
    said = [talk.say("I've got cramp in the front of my thigh")["speech"]]
    for _ in range(4):
        said.append(talk.say("next")["speech"])
    everything = " ".join(said)
    assert "Lie on your side" in everything and "heel toward your bottom" in everything
    assert "chair" not in everything
    assert not re.search(r"\bstand\b", everything)


def test_every_night_stretch_can_be_done_without_standing() -> None:
    content = content_for("en-US")
    for muscle in ("CALF", "FRONT_THIGH", "BACK_THIGH", "FOOT", "TOES"):
        steps = content.first_aid_steps(muscle, None, night=True)
        for step in steps:
            if step.hold:
                assert not re.search(r"\b(stand|chair|wall)\b", step.say, re.I), step.say
            if re.search(r"\bstand\b", step.say):
                assert step.say.index("sit on the edge of the bed first") < step.say.index("stand")


def test_in_water_someone_else_comes_first_and_nobody_stretches_in_it() -> None:
    content = content_for("en-US")
    steps = content.first_aid_steps("CALF", "SWIMMING")
    first = content.fill(steps[0].say)
    assert first.startswith("If someone else is struggling in the water, call")
    assert "Don't go in yourself. Throw them something that floats." in first
    water = [step for step in steps if step.kind in ("bystander", "float", "out")]
    for step in water:
        for sentence in re.split(r"(?<=[.?!])\s+", step.say):
            assert len(sentence.split()) <= 15, sentence
            assert not re.search(r"\band\b.*\band\b", sentence), sentence
        assert not re.search(r"\bstretch (it|gently)\b", step.say), step.say


# ---------------------------------------------------------------- claims within sources
@pytest.mark.parametrize("locale", LOCALES)
def test_after_care_and_tips_stay_within_the_sources(locale: str) -> None:
    content = content_for(locale)
    doctor = content.line("after_care_doctor")
    assert "stays swollen, red or numb, get advice today" in doctor
    said = " ".join(line.say for _, line in content.all_lines())
    assert "sports drink" not in said
    assert "help most" not in said


@pytest.mark.parametrize("locale", LOCALES)
def test_every_emergency_sign_has_short_actions_of_its_own(locale: str) -> None:
    content = content_for(locale)
    emergencies = [sign for sign, level in content._red_flag_levels.items() if level == "EMERGENCY"]
    for sign in emergencies:
        actions = content.emergency_actions(sign)
        assert 1 <= len(actions) <= 2, sign
        for action in actions:
            assert {"§3b"} <= set(action.src), sign
            assert len(action.say.split()) <= 15 and action.say.count(". ") == 0, action.say


# The safety lines this module is about: one instruction a sentence, at most 15 words.
SAFETY_LINES = (
    "emergency_actions.",
    "cautions.",
    "not_leg.",
    "lines.emergency",
    "lines.urgent_today",
    "lines.after_care_doctor",
    "lines.caution_question",
    "situation.SWIMMING",
    "situation.NIGHT",
)


@pytest.mark.parametrize("locale", LOCALES)
def test_safety_sentences_are_short(locale: str) -> None:
    content = content_for(locale)
    for where, line in content.all_lines():
        if where.startswith(SAFETY_LINES):
            for sentence in re.split(r"(?<=[.?!])\s+", content.fill(line.say)):
                assert len(sentence.split()) <= 15, (where, sentence)


def test_a_tender_swollen_calf_is_a_possible_clot(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    assert "still and raised" in talk.say("my calf is swollen and tender")["speech"]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_caution_the_content_names_is_one_the_state_keeps(locale: str) -> None:
    content = content_for(locale)
    assert set(content._red_flag_cautions.values()) == set(content._cautions) == CAUTIONS


def test_a_session_keeps_only_known_cautions() -> None:
    state = SessionState.from_dict({"cautions": ["CLOT", "NOT_ONE", 3]})
    assert state.cautions == ["CLOT"]
    assert SessionState.from_dict({"cautions": "CLOT"}).cautions == []


def test_a_leg_that_got_worse_and_is_hard_swollen_or_hot_keeps_the_clot_caution() -> None:
    """Heard the long way round ("it's worse", then "yes" to hard, swollen or hot), the
    caution holds as it does for "my calf is red and swollen": no rub, heat or walk."""
    talk = Conversation()

    def worse_then_hard() -> None:
        for words in ("my calf is cramping", "ready", "it hurts more"):
            talk.say(words)
        assert "Keep the leg still and raised." in talk.say("yes")["speech"]

    worse_then_hard()
    for words in AFTER_A_CLOT:
        reply = turn(talk, words)
        assert not COMFORT.search(reply["speech"]), (words, reply["speech"])
        assert not COUNT.search(reply["speech"])
        assert "still and raised" in reply["speech"], words
        if reply["end_session"]:
            worse_then_hard()
