"""Warning signs (clinical.md §3): heard however they are said, answered at the right level.

The phrasings are written fresh, the way a frightened or half-asleep person talks, about
themselves or someone else; none is copied from the guide's examples.
"""

from __future__ import annotations

import copy
import re
from datetime import timedelta
from functools import cache, reduce

import pytest

from skill.build import models
from skill.content import content_for
from skill.dev.nlu import LocalUnderstanding, for_locale
from tests.conftest import Conversation

EMERGENCY, URGENT, DOCTOR = "EMERGENCY", "URGENT_TODAY", "SEE_DOCTOR"

PHRASINGS = [
    # Breathless, chest pain or coughing blood with a leg problem: a possible clot.
    ("my leg's all swollen and I can't get my breath", EMERGENCY),
    ("there's a crushing pain in my chest and my calf hurts", EMERGENCY),
    ("I just coughed up blood and my leg is puffy", EMERGENCY),
    ("help I can hardly breathe", EMERGENCY),
    ("my husband is gasping for air and his leg is swollen", EMERGENCY),
    ("my husband can't breathe properly", EMERGENCY),
    ("I cannot get my breath and my leg is swollen", EMERGENCY),
    # Stroke signs.
    ("my mum's face has dropped on one side", EMERGENCY),
    ("I can't lift my right arm and my words sound wrong", EMERGENCY),
    ("his speech is all slurred", EMERGENCY),
    ("one side of my body has gone numb", EMERGENCY),
    ("my wife's face is drooping", EMERGENCY),
    ("she's slurring her words", EMERGENCY),
    # Whole-body shaking, not waking, a long fit, a fit in pregnancy.
    ("my wife is shaking all over and won't answer me", EMERGENCY),
    ("he's jerking all over and I can't wake him", EMERGENCY),
    ("she's been fitting for more than five minutes", EMERGENCY),
    ("I'm pregnant and I just had a fit", EMERGENCY),
    ("my dad passed out and he's twitching", EMERGENCY),
    ("grandma won't wake up", EMERGENCY),
    # A cold, pale, numb limb that cannot move.
    ("my foot's gone white and freezing cold", EMERGENCY),
    ("my leg is cold and blue and I can't move it", EMERGENCY),
    ("my toes are pale and icy", EMERGENCY),
    ("suddenly I can't feel my leg at all", EMERGENCY),
    # An injury, then a rock-hard calf and worsening pain.
    ("I fell off my bike earlier and now my calf is rock hard and it's getting worse", EMERGENCY),
    ("after that kick at football my calf is rock solid and the pain keeps building", EMERGENCY),
    ("I hurt my leg today and the calf is tight as a drum and worse every hour", EMERGENCY),
    # Confusion after heat.
    ("I was out in the sun all day and I'm cramping everywhere and feel muddled", EMERGENCY),
    ("been working in the heat and now I'm confused and my legs keep cramping", EMERGENCY),
    ("my grandad's been in the hot sun and he's not making sense", EMERGENCY),
    # Someone struggling in water.
    ("my son got a cramp in the pool and he's going under", EMERGENCY),
    ("my friend is struggling in the water", EMERGENCY),
    ("someone's drowning", EMERGENCY),
    # In the water oneself (on a phone, say): the swimmer's own actions.
    ("help I'm drowning", EMERGENCY),
    ("I can't stay afloat", EMERGENCY),
    # Locked jaw or stiff neck after a dirty wound.
    ("I stepped on a rusty nail last week and now my jaw won't open", EMERGENCY),
    ("my jaw's locked and my neck is stiff since I cut my foot", EMERGENCY),
    ("I can't open my mouth properly", EMERGENCY),
    # Saddle numbness, bladder or bowel control, both legs weak.
    ("I can't feel anything down below and I've wet myself", EMERGENCY),
    ("both my legs have gone weak and I can't control my bladder", EMERGENCY),
    ("it's gone numb between my legs", EMERGENCY),
    # An injury, not a cramp (clinical.md §3a): its own answer, no stretch.
    ("my hamstring went while sprinting and I felt a pop", DOCTOR),
    ("I fell and hurt my leg and I can't put weight on it", DOCTOR),
    ("I felt something tear in my calf playing tennis", DOCTOR),
    # A cramp that will not let go.
    ("it's been cramping for twenty minutes and won't let go", URGENT),
    ("this cramp has lasted over ten minutes", URGENT),
    ("it hasn't let go for a quarter of an hour", URGENT),
    # One calf red, hot, swollen.
    ("my calf is hot and swollen", URGENT),
    ("my left calf is red and puffy and sore", URGENT),
    ("one of my calves is much bigger than the other", URGENT),
    # Pregnancy warning signs.
    ("I'm pregnant and my vision has gone blurry", URGENT),
    ("I'm thirty weeks pregnant and I've got a terrible headache", URGENT),
    ("I'm pregnant and my hands and face have suddenly swollen up", URGENT),
    ("I'm pregnant and seeing spots", URGENT),
    # Dark urine with muscle pain.
    ("my pee is dark brown and my muscles ache", URGENT),
    ("my wee looks like coke", URGENT),
    ("my urine is the colour of tea and my legs hurt", URGENT),
    # Fluid loss, water tablets, belly and chest, heat cramps that don't settle.
    ("I've been throwing up all day and now my legs cramp", URGENT),
    ("I've had diarrhoea for two days and I'm cramping", URGENT),
    ("since I started the water tablets I've been cramping badly", URGENT),
    ("my stomach and chest are cramping as well", URGENT),
    ("I've had heat cramps for over an hour and they won't settle", URGENT),
    # Frequent cramps, new medicines, numbness, wasting, pain on walking.
    ("I get them every single night", DOCTOR),
    ("these cramps wake me up every night", DOCTOR),
    ("I've had cramps ever since I started a new medicine", DOCTOR),
    ("my doctor put me on statins and now I cramp a lot", DOCTOR),
    ("my calf hurts when I walk and gets better when I stop", DOCTOR),
    ("my leg muscles are wasting away", DOCTOR),
    ("I get tingling and numbness with the cramps", DOCTOR),
    ("I'm getting cramps most nights", DOCTOR),
    # Two signs at once: the most severe decides, wherever it comes in the sentence.
    ("my calf is red and swollen and I can't breathe", EMERGENCY),
    ("my chest feels really tight and my leg is swollen", EMERGENCY),
    ("I get cramps every night and now my face is drooping", EMERGENCY),
    ("my calf has swollen up and it's been cramping for twenty minutes", URGENT),
    ("I'm pregnant and seeing flashing lights and I get them every single night", URGENT),
]
NOT_RED_FLAGS = [
    "I'm not short of breath, it's just my calf cramping",
    "no chest pain, just a cramp in my foot",
    "it isn't red and swollen",
    "he's not shaking all over, it's just his leg",
    "I've never had dark brown urine",
    "my calf is cramping but I can breathe fine",
    "he doesn't have chest pain",
    "there's no chest pain",
]
FIRST_AID_WORDS = re.compile(r"Straighten|pull your toes|rub|Get into the stretch")


def test_the_table_is_big_and_covers_every_level_and_sign() -> None:
    assert len(PHRASINGS) >= 60
    levels = [level for _, level in PHRASINGS]
    assert {EMERGENCY, URGENT, DOCTOR} <= set(levels)
    content = content_for("en-US")
    understanding = for_locale("en-US")
    symptoms = {understanding.understand(words).slots["symptom"].id for words, _ in PHRASINGS}
    assert symptoms == set(content._red_flag_levels)


@pytest.mark.parametrize(("words", "level"), PHRASINGS)
def test_each_phrasing_gets_its_level_first(words: str, level: str) -> None:
    talk = Conversation()
    talk.say("open cramp coach")
    reply = talk.say(words)
    assert reply["intent"] == "RedFlagIntent", words
    symptom = reply["slots"]["symptom"]["id"]
    assert content_for("en-US").red_flag_level(symptom) == level, (words, symptom)
    speech = reply["speech"]
    caution = content_for("en-US").caution_for(symptom)
    if caution and not content_for("en-US").caution(caution).with_level:
        # Its own answer instead of the level's (clinical.md §3a): pregnancy, an injury.
        assert speech.startswith(("In pregnancy, this needs checking now", "That sounds like"))
    elif level == EMERGENCY:
        assert speech.startswith("Call 911 now. I can't call for you")
    elif level == URGENT:
        assert speech.startswith("This can be a sign of something that needs checking today")
    else:
        assert speech.startswith("That's worth talking to a doctor about")
    assert not FIRST_AID_WORDS.search(speech.split(".")[0])
    assert not reply["end_session"]


# The number each locale says (clinical.md §3) and how the SSML says it: digit by digit, or
# in Australia "triple zero"; a locale without content never hears a guessed number.
NUMBERS = {
    "en-US": ("911", '<say-as interpret-as="digits">911</say-as>'),
    "en-CA": ("911", '<say-as interpret-as="digits">911</say-as>'),
    "en-GB": ("999", '<say-as interpret-as="digits">999</say-as>'),
    "en-IN": ("112", '<say-as interpret-as="digits">112</say-as>'),
    "en-AU": ("triple zero", "Call triple zero now."),
    "en-NZ": ("your local emergency number", "Call your local emergency number now."),
    "fr-FR": ("your local emergency number", "Call your local emergency number now."),
}


@pytest.mark.parametrize("locale", sorted(NUMBERS))
def test_a_red_flag_gives_the_locales_own_number(locale: str) -> None:
    number, markup = NUMBERS[locale]
    talk = Conversation(locale=locale)
    talk.say("open cramp coach")
    reply = talk.say("my dad's face is drooping")
    # en-IN goes on: "Call 112 now, or 108 for an ambulance."
    assert reply["speech"].startswith((f"Call {number} now.", f"Call {number} now,"))
    assert markup in reply["ssml"]
    again = talk.say("repeat")["speech"]
    assert again.startswith(f"Please call {number} now if you haven't.")


def test_every_supported_locale_has_a_number_check() -> None:
    assert set(models.LOCALES) <= set(NUMBERS)


@pytest.mark.parametrize("words", NOT_RED_FLAGS)
def test_negated_signs_are_not_red_flags(words: str) -> None:
    assert for_locale("en-US").understand(words).intent != "RedFlagIntent"


def test_the_most_severe_of_two_signs_decides_whichever_slot_it_is_in() -> None:
    """As Alexa may send them: the milder sign first, the emergency in `also`."""
    content = content_for("en-US")
    assert content.most_severe(["RED_SWOLLEN_CALF", "BREATHING"]) == "BREATHING"
    assert content.most_severe([None, "EVERY_NIGHT"]) == "EVERY_NIGHT"
    assert content.most_severe([None, "NOT_A_SIGN"]) is None
    request = {"symptom": "RED_SWOLLEN_CALF", "also": "STROKE_SIGNS"}
    reply = Conversation().say_intent("RedFlagIntent", request)
    assert reply["speech"].startswith("Call 911 now.")


def test_while_waiting_lines_follow_the_action() -> None:
    water = Conversation().say("my friend is struggling in the water")["speech"]
    assert water.index("Call 911 now") < water.index("Don't go in the water yourself.")
    heat = Conversation().say("I've been in the hot sun all day and I'm confused")["speech"]
    assert heat.startswith("Call 911 now") and "the shade or a cool room" in heat


def test_an_emergency_prompts_with_the_call(talk: Conversation) -> None:
    reply = talk.say("he won't wake up")
    assert reply["reprompt"] == "Call 911 now. Say repeat to hear that again."
    again = talk.say("repeat")
    assert again["speech"] == "Please call 911 now if you haven't. Check they are breathing."
    stop = talk.say("stop")
    assert stop["end_session"] is True
    assert stop["speech"] == "Please call 911 now if you haven't."


# ---------------------------------------------------------------- seizure, fit, convulsion
@pytest.mark.parametrize(
    "words", ["my wife is having a seizure", "he's having a fit", "I think I'm having convulsions"]
)
def test_seizure_words_get_one_question(talk: Conversation, words: str) -> None:
    reply = talk.say(words)
    assert reply["speech"].endswith("Is it one tight muscle, or is the whole body shaking?")
    assert not FIRST_AID_WORDS.search(reply["speech"])


@pytest.mark.parametrize("answer", ["the whole body", "all over", "his whole body is shaking"])
def test_whole_body_shaking_is_an_emergency(talk: Conversation, answer: str) -> None:
    talk.say("he's having a fit")
    assert talk.say(answer)["speech"].startswith("Call 911 now.")


@pytest.mark.parametrize("answer", ["just one muscle", "it's just a cramp", "one"])
def test_one_tight_muscle_is_a_cramp(talk: Conversation, answer: str) -> None:
    talk.say("I'm having a seizure")
    assert "Where is the cramp" in talk.say(answer)["speech"]
    assert "Straighten your leg" in talk.say("my calf")["speech"]


def test_naming_the_muscle_answers_the_seizure_question(talk: Conversation) -> None:
    talk.say("she's having a fit")
    assert "Straighten your leg" in talk.say("it's my calf")["speech"]


def test_a_seizure_in_a_named_muscle_is_a_cramp(talk: Conversation) -> None:
    assert "Straighten your leg" in talk.say("my calf is having a seizure")["speech"]


def test_an_unclear_answer_gets_both_ways_out(talk: Conversation) -> None:
    talk.say("she's having a fit")
    reply = talk.say("I don't know")
    assert reply["speech"].startswith("If the whole body is shaking, call 911 now.")
    assert "If it's one tight muscle" in reply["speech"]


# ---------------------------------------------------------------- safety wins everywhere
FLOWS = {
    "first aid": ["my calf is cramping"],
    "asking where": ["I've got a cramp"],
    "counted hold": ["count thirty seconds"],
    "routine offer": ["start my bedtime stretches"],
    "routine block": ["start my bedtime stretches", "no", "next"],
    "routine paused": ["start my bedtime stretches", "no", "pause"],
    "prevention": ["how do I prevent cramps"],
    "more information": ["why do I get cramps", "tell me more"],
    "diary": ["log a cramp in my calf"],
    "preference": ["count out loud"],
    "seizure question": ["he's having a fit"],
    "after care": ["my calf is cramping", "it's gone"],
}


@pytest.mark.parametrize("flow", sorted(FLOWS))
def test_a_red_flag_switches_any_flow_to_safety(flow: str) -> None:
    talk = Conversation()
    for words in FLOWS[flow]:
        talk.say(words)
    reply = talk.say("my face is drooping on one side", after=timedelta(seconds=3))
    assert reply["speech"].startswith("Call 911 now."), flow


@pytest.mark.parametrize("flow", ["<new session>", *sorted(FLOWS)])
def test_the_whole_body_heard_as_the_seizure_answer_is_the_same_emergency(flow: str) -> None:
    """Alexa may hear "his whole body is shaking" as SeizureScopeIntent when nothing asked
    about a seizure: the skill answers it as the sign itself, in every flow."""
    replies = []
    for intent, slots in (
        ("SeizureScopeIntent", {"scope": "WHOLE_BODY"}),
        ("RedFlagIntent", {"symptom": "WHOLE_BODY_SHAKING"}),
    ):
        talk = Conversation()
        for words in FLOWS.get(flow, []):
            talk.say(words)
        replies.append(talk.say_intent(intent, slots)["speech"])
    assert replies[0] == replies[1] and replies[0].startswith("Call 911 now."), flow


def test_a_cramp_over_ten_minutes_gets_the_urgent_advice(talk: Conversation) -> None:
    talk.say("my foot is cramping")
    reply = talk.say("it's still cramping", after=timedelta(minutes=11))
    assert "Please get medical advice today" in reply["speech"]


def test_medicine_questions_never_name_a_drug(talk: Conversation) -> None:
    for words in ["can I take magnesium", "should I stop my statins", "what pills help cramps"]:
        reply = talk.say(words)
        assert "ask your doctor or pharmacist" in reply["speech"], words
        assert "Don't start or stop a medicine on your own" in reply["speech"]


# ---------------------------------------------------------------- the interaction model
@cache
def every_locale() -> dict:
    """Every locale's samples and synonyms in one model: a conflict in no locale's model
    shows up here, and one check covers them all."""
    sources = [models.load_source(locale) for locale in models.LOCALES]
    return models.build_model(reduce(models.with_overlay, sources))


def understanding_of(*intents: str) -> LocalUnderstanding:
    """Local understanding of just some intents of every locale (faster conflict checks)."""
    model = copy.deepcopy(every_locale())
    language = model["interactionModel"]["languageModel"]
    language["intents"] = [i for i in language["intents"] if i["name"] in intents]
    return LocalUnderstanding(model)


def samples_of(intent: str) -> list[str]:
    intents = every_locale()["interactionModel"]["languageModel"]["intents"]
    return next(i for i in intents if i["name"] == intent)["samples"]


def values_of(slot_type: str) -> list[str]:
    types = every_locale()["interactionModel"]["languageModel"]["types"]
    values = next(t for t in types if t["name"] == slot_type)["values"]
    return [word for v in values for word in [v["name"]["value"], *v["name"].get("synonyms", [])]]


NOT_THE_LEG = re.compile(r"\b(chest|belly|stomach|tummy|jaw|neck|hands?|arms?)\b")


def test_red_flag_samples_never_read_as_a_cramp() -> None:
    """Every red-flag sample, filled with every warning sign (two-sign samples with a
    spread of them, to keep this quick), matches no cramp sample."""
    cramps = understanding_of("CrampNowIntent")
    signs = values_of("SYMPTOM")
    for sample in samples_of("RedFlagIntent"):
        for phrase in signs if "{also}" not in sample else signs[::40]:
            sentence = sample.replace("{symptom}", phrase).replace("{muscle}", "calf")
            sentence = sentence.replace("{also}", "short of breath")
            if cramps.intents_matching(sentence):
                # A cramp reading is safe only where the place is not the leg ("my chest
                # is killing me"): that answer is the warning-sign check, with the call.
                assert NOT_THE_LEG.search(sentence), sentence


def test_cramp_samples_never_read_as_a_red_flag() -> None:
    red_flags = understanding_of("RedFlagIntent")
    fill = {"{muscle}": "calf", "{side}": "left", "{situation}": "in bed"}
    for sample in samples_of("CrampNowIntent"):
        for slot, value in fill.items():
            sample = sample.replace(slot, value)
        assert not red_flags.intents_matching(sample), sample


@pytest.mark.parametrize(
    "words",
    ["should I drink tonic water", "can I take quinine for my cramps", "does tonic water help"],
)
def test_quinine_and_tonic_water_get_the_medicine_answer_never_a_tip(words: str) -> None:
    """People ask about quinine and tonic water (a quinine drink); the skill hears them so
    it can send them to a doctor or pharmacist, and never answers with drink advice."""
    reply = Conversation().say(words)
    assert reply["intent"] == "MedicineQuestionIntent", reply["intent"]
    assert "ask your doctor or pharmacist" in reply["speech"]
    assert "Drink fluids" not in reply["speech"]
