"""The local understanding's shortcuts at a fresh start are the libraries' own results:
slot lists built without hassil's parser offer the same values in the same order, and
numbers are spelled as unicode_rbnf spells them. (The readings themselves are compared
with hassil alone in tests/test_recogniser.py.)"""

from __future__ import annotations

import pytest
from hassil import Intents
from hassil.intents import TextSlotList
from unicode_rbnf import RbnfEngine

from skill.build.models import LOCALES
from skill.dev import nlu
from skill.dev.exact import PrefixSlotList, parse_list


def test_numbers_are_spelled_as_unicode_rbnf_spells_them() -> None:
    engine = RbnfEngine.for_language("en")
    expected = {n: engine.format_number(n).text.replace("-", " ") for n in range(1, 1001)}
    assert nlu._number_words() == expected


def _every_list(locale: str) -> dict[str, dict]:
    lists = nlu.exact_only(locale)._intents.lists.raw()
    assert {"AMAZON_TIME", "AMAZON_DURATION", "SYMPTOM", "MUSCLE"} <= lists.keys()
    return lists


def _starts(values: list) -> list[str]:
    """Texts that start with each value, with a shorter and a longer neighbour."""
    texts = []
    for value in values[::7]:
        text = value.text_in.text
        texts += [f"{text} and more ", text[:-1], f"{text}s ", f"my {text} "]
    return texts


@pytest.mark.parametrize("locale", ["en-US", "en-IN"])
def test_plain_lists_offer_what_hassil_s_own_lists_offer(locale: str) -> None:
    for name, raw in _every_list(locale).items():
        fast = parse_list(name, raw)
        alone = Intents.from_dict({"language": "en", "intents": {}, "lists": {name: raw}})
        slow = alone.slot_lists[name]
        if not isinstance(slow, TextSlotList):
            assert type(fast) is type(slow) and fast == slow, name
            continue
        assert isinstance(fast, PrefixSlotList), name
        assert fast.values == slow.values, name
        for text in [*_starts(slow.values), "", " ", "x", "half-past ten ", "left_calf "]:
            assert fast.get_candidates(text) == slow.get_candidates(text), (name, text)


def test_a_list_with_template_syntax_is_left_to_hassil() -> None:
    raw = {"values": [{"in": "(left|right) calf", "out": "CALF"}, {"in": "shin", "out": "SHIN"}]}
    parsed = parse_list("MUSCLE", raw)
    assert type(parsed) is TextSlotList
    assert [value.value_out for value in parsed.values] == ["CALF", "SHIN"]
    assert type(parsed.values[0].text_in).__name__ != "TextChunk"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_s_lists_are_plain_words(locale: str) -> None:
    """The shortcut applies to every list the model and the built-in stand-ins give (a
    value with other characters would quietly cost a fresh start its time again)."""
    for name, raw in _every_list(locale).items():
        if "values" in raw:
            assert isinstance(parse_list(name, raw), PrefixSlotList), name
