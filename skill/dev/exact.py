"""hassil's exact matching, with an index in front so a sentence is not tried against
every template.

hassil skips a template whose required literal text is missing from the words, but it
checks that for every template of every intent on every call: with a few thousand
samples, that check is most of the time a sentence takes. Here each template is filed
once under the fragments of its most selective required clause, and a call hands hassil
only the templates whose fragment is in the words, in their original order. hassil's
own filter and matcher then run unchanged on those, so the readings (and their order)
are exactly the ones hassil alone gives; a test compares the two on every sample.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from hassil import Intents, recognize_all
from hassil.expression import Sentence
from hassil.intents import Intent, IntentData
from hassil.recognize import RecognizeResult

# (intent number, block number, template number): a template's place in the Intents.
Place = tuple[int, int, int]


class IndexedIntents:
    """An Intents object and an index of its templates by required fragment.

    Each template is kept as a block of its own (a copy of its block holding only it),
    so a call assembles the templates it needs without copying anything; blocks keep
    the original order, which is the order hassil tries and reports them in.
    """

    def __init__(self, intents: Intents) -> None:
        self.intents = intents
        self._always: list[Place] = []
        self._by_fragment: dict[str, list[Place]] = {}
        self._names = list(intents.intents)
        self._sentences: dict[Place, Sentence] = {}
        self._data: dict[tuple[int, int], IntentData] = {}
        required: dict[Place, frozenset[frozenset[str]]] = {}
        for position, intent in enumerate(intents.intents.values()):
            for block, data in enumerate(intent.data):
                self._data[position, block] = data
                rules = {**intents.expansion_rules, **data.expansion_rules}
                for number, sentence in enumerate(data.sentences):
                    self._sentences[position, block, number] = sentence
                    required[position, block, number] = sentence.get_required_clauses(rules)
        # How many templates need each fragment: a template is filed under its clause
        # whose fragments are needed by fewest others, so common words ("my") let
        # few templates through.
        needed: dict[str, int] = {}
        for clauses in required.values():
            for fragment in {f for clause in clauses for f in clause}:
                needed[fragment] = needed.get(fragment, 0) + 1
        for place, clauses in required.items():
            if not clauses:
                self._always.append(place)
                continue
            key = min(clauses, key=lambda clause: sum(needed[f] for f in clause))
            for fragment in key:
                self._by_fragment.setdefault(fragment, []).append(place)

    def recognize_all(self, words: str) -> Iterator[RecognizeResult]:
        """hassil's readings of the words, trying only templates that could match."""
        haystack = words.casefold()
        places = set(self._always)
        for fragment, filed in self._by_fragment.items():
            if fragment in haystack:
                places.update(filed)
        if not places:
            return iter(())
        chosen: dict[tuple[int, int], list[Sentence]] = {}
        for place in sorted(places):
            chosen.setdefault(place[:2], []).append(self._sentences[place])
        subset: dict[str, Intent] = {}
        for (position, block), sentences in chosen.items():
            name = self._names[position]
            data = _with_sentences(self._data[position, block], sentences)
            subset.setdefault(name, Intent(name=name)).data.append(data)
        return recognize_all(words, dataclasses.replace(self.intents, intents=subset))


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
