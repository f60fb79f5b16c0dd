"""hassil's exact matching, with an index in front so a sentence is not tried against
every template.

hassil skips a template whose required literal text is missing from the words, but it
checks that for every template of every intent on every call: with a few thousand
samples, that check is most of the time a sentence takes. Here each template is filed
once under one literal word it needs, and a call hands hassil only the templates whose
word is one of the words, in their original order. A word inside a template's literal
text (not glued to a slot or a choice) can only be matched by the same whole word, since
the local understanding's words are normalised to single spaces and no punctuation. hassil's
own filter and matcher then run unchanged on those, so the readings (and their order)
are exactly the ones hassil alone gives; a test compares the two on every sample.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from hassil import Intents, recognize_all
from hassil.expression import Sentence
from hassil.intents import Intent, IntentData, WildcardSlotList
from hassil.parse_expression import parse_sentence
from hassil.recognize import RecognizeResult

# (intent number, block number, template number): a template's place in the Intents.
Place = tuple[int, int, int]


class IndexedIntents:
    """An Intents object and an index of its templates by a literal word each needs.

    Templates are parsed only when a sentence first needs them (parsing thousands takes
    seconds, and most are never needed in a session); their order is kept, which is the
    order hassil tries and reports them in. Templates with wildcard lists are parsed up
    front, because hassil reorders those.
    """

    def __init__(self, intents: Intents) -> None:
        self.intents = intents
        self._always: list[Place] = []
        self._by_fragment: dict[str, list[Place]] = {}
        self._names = list(intents.intents)
        self._texts: dict[Place, str] = {}
        self._parsed: dict[Place, Sentence] = {}
        self._data: dict[tuple[int, int], IntentData] = {}
        wildcards = {
            name
            for name, slot_list in intents.slot_lists.items()
            if isinstance(slot_list, WildcardSlotList)
        }
        needs: dict[Place, set[str]] = {}
        for position, intent in enumerate(intents.intents.values()):
            for block, data in enumerate(intent.data):
                self._data[position, block] = data
                if wildcards:
                    for number, sentence in enumerate(data.sentences):
                        self._parsed[position, block, number] = sentence
                        needs[position, block, number] = _literal_words(sentence.text or "")
                    continue
                for number, text in enumerate(data.sentence_texts):
                    self._texts[position, block, number] = text
                    needs[position, block, number] = _literal_words(text)
        # Each template is filed under the word it needs that fewest others need, so
        # common words ("my") let few templates through.
        counts: dict[str, int] = {}
        for words in needs.values():
            for word in words:
                counts[word] = counts.get(word, 0) + 1
        for place, words in needs.items():
            if not words:
                self._always.append(place)
                continue
            self._by_fragment.setdefault(min(words, key=counts.__getitem__), []).append(place)

    def recognize_all(self, words: str) -> Iterator[RecognizeResult]:
        """hassil's readings of the words, trying only templates that could match."""
        places = set(self._always)
        for word in set(words.casefold().split()):
            filed = self._by_fragment.get(word)
            if filed:
                places.update(filed)
        if not places:
            return iter(())
        chosen: dict[tuple[int, int], list[Sentence]] = {}
        for place in sorted(places):
            chosen.setdefault(place[:2], []).append(self._sentence(place))
        subset: dict[str, Intent] = {}
        for (position, block), sentences in chosen.items():
            name = self._names[position]
            data = _with_sentences(self._data[position, block], sentences)
            subset.setdefault(name, Intent(name=name)).data.append(data)
        return iter(recognize_all(words, dataclasses.replace(self.intents, intents=subset)))

    def _sentence(self, place: Place) -> Sentence:
        """A template parsed as hassil parses it, the first time it is needed."""
        if place not in self._parsed:
            self._parsed[place] = parse_sentence(self._texts[place], keep_text=True)
        return self._parsed[place]


def _literal_words(template: str) -> set[str]:
    """Whole words a template's text needs in any sentence it matches: words outside
    slot references and choices, not glued to either (a word glued to a slot, as in
    "{muscle}'s", may be matched together with the slot's value)."""
    words: set[str] = set()
    parts = _NOT_LITERAL.split(template)
    for number, part in enumerate(parts):
        tokens = part.split()
        if number > 0 and tokens and not part[0].isspace():
            tokens = tokens[1:]
        if number < len(parts) - 1 and tokens and not part[-1].isspace():
            tokens = tokens[:-1]
        words.update(token for token in tokens if _PLAIN.match(token))
    return words


_NOT_LITERAL = re.compile(r"\{[^}]*\}|\([^)]*\)|\[[^\]]*\]")
_PLAIN = re.compile(r"^[a-z0-9']+$")


def _with_sentences(data: IntentData, sentences: list[Sentence]) -> IntentData:
    """A copy of a block of templates holding only some of its (already parsed) ones."""
    copy = IntentData(
        sentence_texts=[],
        slots=data.slots,
        expansion_rules=data.expansion_rules,
        slot_lists=data.slot_lists,
        wildcard_list_names=data.wildcard_list_names,
        metadata=data.metadata,
    )
    copy.__dict__["sentences"] = sentences
    return copy
