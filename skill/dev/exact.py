"""hassil's exact matching, with an index in front so a sentence is not tried against
every template, and nothing parsed before a sentence needs it.

hassil skips a template whose required literal text is missing from the words, but it
checks that for every template of every intent on every call: with a few thousand
samples, that check is most of the time a sentence takes. Here each template's literal
words are found once, and a call hands hassil only the templates whose every literal word
is among the sentence's words, in their original order. A word inside a template's
literal text (not glued to a slot or a choice) can only be matched by the same whole
word, since the local understanding's words are normalised to single spaces and no
punctuation. hassil's own filter and matcher then run unchanged on those, so the readings
(and their order) are exactly the ones hassil alone gives; a test compares the two.

Parsing is what a fresh process pays for: thousands of templates and several thousand
slot values (every spoken time of day) take seconds, and one sentence needs a few dozen
templates and a list or two. So templates are parsed the first time a sentence needs
them, and a slot list the first time a template naming it is tried (`SlotLists`): the
first answer comes without parsing the rest.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from hassil import Intents, recognize_all
from hassil.expression import Sentence, TextChunk
from hassil.intents import Intent, IntentData, SlotList, TextSlotList, TextSlotValue
from hassil.parse_expression import parse_sentence
from hassil.recognize import RecognizeResult

# (intent number, template number): a template's place in the intents given.
Place = tuple[int, int]
# A slot list as hassil's Intents.from_dict reads it ({"values": ...}, {"range": ...},
# {"wildcard": true}), or a function that makes it when it is first needed.
RawList = dict | Callable[[], dict]


class SlotLists:
    """Slot lists in hassil's dictionary form, each parsed by hassil the first time it
    is needed. `overriding` shares the parsed lists of another, except those it replaces
    (the loose reading's number slot, which takes any words)."""

    def __init__(self, raw: dict[str, RawList], parent: SlotLists | None = None) -> None:
        self._raw = raw
        self._parent = parent
        # The lists parsed so far: what hassil is given (a template names only these).
        self.parsed: dict[str, SlotList] = {}
        # Each plain list's value texts, to tell whether one starts some words without
        # parsing the list (None: not plain, so it is parsed and asked).
        self._starts: dict[str, Prefixes | None] = {}
        # Lists that take any words (never made by a function: those are long lists).
        inherited = parent.wildcards - raw.keys() if parent else frozenset()
        self.wildcards: frozenset[str] = inherited | {
            name
            for name, raw_list in raw.items()
            if isinstance(raw_list, dict) and raw_list.get("wildcard")
        }

    def overriding(self, raw: dict[str, RawList]) -> SlotLists:
        return SlotLists(raw, parent=self)

    def raw(self) -> dict[str, dict]:
        """Every list in dictionary form (for hassil alone, in the tests)."""
        inherited = self._parent.raw() if self._parent else {}
        return {**inherited, **{name: _made(raw) for name, raw in self._raw.items()}}

    def need(self, names: Iterable[str]) -> None:
        """Parse the named lists not yet parsed."""
        for name in names:
            if name not in self.parsed:
                self.parsed[name] = self._parse(name)

    def _parse(self, name: str) -> SlotList:
        if name not in self._raw and self._parent is not None:
            self._parent.need((name,))
            return self._parent.parsed[name]
        return parse_list(name, _made(self._raw[name]))

    def can_start(self, name: str, text: str) -> bool:
        """Could a value of the list start the text? What hassil's matcher asks a list
        for at the start of a sentence (its candidates): a wildcard takes any words, a
        plain list's values are looked up as text without parsing the list (they are
        the keys of its index, see PrefixSlotList), and any other list is asked."""
        if name in self.wildcards:
            return True
        if name not in self._raw and self._parent is not None:
            return self._parent.can_start(name, text)
        if name not in self._starts:
            raw = _made(self._raw[name])
            self._starts[name] = Prefixes(_plain_texts(raw)) if _is_plain(raw) else None
        starts = self._starts[name]
        if starts is not None:
            return bool(starts.starting(text.casefold()))
        self.need((name,))
        slot_list = self.parsed[name]
        return not isinstance(slot_list, TextSlotList) or bool(slot_list.get_candidates(text))


def _made(raw: RawList) -> dict:
    return raw() if callable(raw) else raw


def parse_list(name: str, raw: dict) -> SlotList:
    """A slot list as hassil's Intents.from_dict parses it, in a fraction of the time
    when every value is plain words (as the local understanding's are): hassil would
    normalise each value's text (whitespace and unicode forms) and check it for template
    syntax, which leaves plain ASCII words with single spaces as they are, and file every
    value in a character trie. Anything else is parsed by hassil itself."""
    if not _is_plain(raw):
        source = {"language": "en", "intents": {}, "lists": {name: raw}}
        return Intents.from_dict(source).slot_lists[name]
    return PrefixSlotList(
        name=name,
        values=[
            # TextSlotValue(text_in, value_out, context, metadata), by position: a fresh
            # start makes thousands.
            TextSlotValue(
                TextChunk(value["in"]),
                value.get("out"),
                value.get("context"),
                value.get("metadata"),
            )
            for value in raw["values"]
        ],
    )


def _is_plain(raw: dict) -> bool:
    values = raw.get("values")
    return values is not None and all(
        isinstance(value, dict) and _PLAIN_VALUE.fullmatch(value["in"]) for value in values
    )


def _plain_texts(raw: dict) -> list[str]:
    """A plain list's value texts as hassil files them: casefolded (which keeps the
    length of ASCII text, and plain values have no space to strip)."""
    return [value["in"].casefold() for value in raw["values"]]


class Prefixes:
    """Texts, found by the words they start: a dictionary lookup for each length the
    texts have among those beginning with the same two characters."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.texts = set(texts)
        lengths: dict[str, set[int]] = {}
        for text in self.texts:
            if len(text) > 1:
                lengths.setdefault(text[:2], set()).add(len(text))
        self._lengths = {start: sorted(sizes) for start, sizes in lengths.items()}

    def starting(self, words: str) -> list[str]:
        """The texts the words start with, shortest first."""
        found = [words[:1]] if words[:1] in self.texts else []
        for length in self._lengths.get(words[:2], ()):
            if length > len(words):
                break
            if words[:length] in self.texts:
                found.append(words[:length])
        return found


# ASCII words (no whitespace but single spaces, none of hassil's template characters).
_PLAIN_VALUE = re.compile(r"[!-'*-;=?A-Z^-z~]+(?: [!-'*-;=?A-Z^-z~]+)*")
_BREAK_WORDS = str.maketrans("-_", "  ")


@dataclass
class PrefixSlotList(TextSlotList):
    """hassil's text slot list, offering the same candidates in the same order, from an
    index that costs a dictionary entry per value to build (hassil's character trie
    costs a node per character, a tenth of a second for the thousands of ways to say a
    time of day): the values whose text starts the words, shortest first, in list order
    for the same text, then those that could not be indexed."""

    _by_text: dict[str, list[TextSlotValue]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _prefixes: Prefixes | None = field(default=None, init=False, repr=False, compare=False)
    _others: list[TextSlotValue] = field(
        default_factory=list, init=False, repr=False, compare=False
    )

    def get_candidates(self, text: str) -> list[TextSlotValue]:
        if self._by_text is None:
            self._index()
        assert self._by_text is not None and self._prefixes is not None
        folded = text.casefold()
        found = self._prefixes.starting(folded)
        if ("-" in folded) or ("_" in folded):
            found += self._prefixes.starting(folded.translate(_BREAK_WORDS))
        by_text = self._by_text
        return [value for key in found for value in by_text[key]] + self._others

    def _index(self) -> None:
        """Values by their casefolded text, as hassil's trie files them (see
        TextSlotList._build_index): values of only whitespace are never offered, and
        text whose casefolding changes its length is left to be tried every time."""
        by_text: dict[str, list[TextSlotValue]] = {}
        for value in self.values:
            key = None
            if isinstance(value.text_in, TextChunk):
                if not value.text_in.text.strip():
                    continue
                chunk = value.text_in.text.lstrip()
                folded = chunk.casefold()
                if len(folded) == len(chunk):
                    key = folded
            if key is None:
                self._others.append(value)
            else:
                by_text.setdefault(key, []).append(value)
        self._prefixes = Prefixes(by_text)
        self._by_text = by_text


class IndexedIntents:
    """Templates by intent (each intent one block, as the interaction model gives them)
    and an index of them by the literal words each needs.

    Templates are parsed only when a sentence first needs them, as are the slot lists
    they name (parsing thousands takes seconds, and most are never needed in a
    session). Their order is kept, which is the order hassil tries and reports them in;
    hassil moves templates with a wildcard list before the others by how much literal
    text they have, and so does this among the ones it passes on.
    """

    def __init__(
        self,
        templates: dict[str, list[str]],
        lists: SlotLists,
        analysis: list[Analysed] | None = None,
    ) -> None:
        self.templates = templates
        self.lists = lists
        self._names = list(templates)
        self._texts: dict[Place, str] = {}
        self._parsed: dict[Place, Sentence] = {}
        self._list_names: dict[Place, frozenset[str]] = {}
        self._needs: dict[Place, frozenset[str]] = {}
        # How a template must start: a word the sentence starts with, or a list one of
        # whose values starts the sentence (None: a choice or an optional part first).
        self._starts: dict[Place, tuple[bool, str] | None] = {}
        self._always: list[Place] = []
        self._by_word: dict[str, list[Place]] = {}
        places = [
            (position, number)
            for position, texts in enumerate(templates.values())
            for number in range(len(texts))
        ]
        texts = [text for texts in templates.values() for text in texts]
        self._texts = dict(zip(places, texts, strict=True))
        # Templates of words alone ("a cramp", most of them), which match only those
        # very words: found by the words themselves (see _well_started).
        self._whole: dict[tuple[str, ...], list[Place]] = {}
        if analysis is None:
            analysis = analyse(templates)
        for place, text, analysed in zip(places, texts, analysis, strict=True):
            if analysed is None:
                self._whole.setdefault(tuple(text.split()), []).append(place)
            else:
                needs, start = analysed
                self._needs[place] = frozenset(needs)
                self._starts[place] = (start[0], start[1]) if start else None
        # Each template is filed under the word it needs that fewest others need, so
        # common words ("my") let few templates through to the full check.
        self._counts = Counter(chain.from_iterable(self._needs.values()))
        for place, words in self._needs.items():
            if not words:
                self._always.append(place)
                continue
            self._by_word.setdefault(min(words, key=self._counts.__getitem__), []).append(place)
        # The templates of words alone filed the same way, for words that are not plain
        # (made the first time such words come).
        self._by_whole_word: dict[str, list[Place]] | None = None

    def _whole_by_word(self) -> dict[str, list[Place]]:
        if self._by_whole_word is None:
            self._by_whole_word = {}
            for words, filed in self._whole.items():
                for place in filed:
                    self._needs[place] = frozenset(words)
                    rarest = min(words, key=self._counts.__getitem__)
                    self._by_whole_word.setdefault(rarest, []).append(place)
        return self._by_whole_word

    def recognize_all(self, words: str) -> Iterator[RecognizeResult]:
        """hassil's readings of the words, trying only templates that could match."""
        said_in_order = words.casefold().split()
        said = set(said_in_order)
        # Plain ASCII words with no "-" or "_", which hassil's normalising and its
        # word-breaking retry leave as they are (see _well_started).
        plain = bool(said_in_order) and words.isascii() and "-" not in words and "_" not in words
        indexes = (self._by_word,) if plain else (self._by_word, self._whole_by_word())
        needs = self._needs
        places = set(self._always)
        for word in said:
            for index in indexes:
                filed = index.get(word)
                if filed:
                    places.update(place for place in filed if needs[place] <= said)
        if plain:
            places = self._well_started(places, said_in_order)
            places.update(self._whole.get(tuple(said_in_order), ()))
        if not places:
            return iter(())
        chosen: dict[int, list[Place]] = {}
        for place in sorted(places):
            self._sentence(place)
            chosen.setdefault(place[0], []).append(place)
        subset: dict[str, Intent] = {}
        for position, block in chosen.items():
            name = self._names[position]
            data = IntentData(sentence_texts=[], wildcard_list_names=set(self.lists.wildcards))
            data.__dict__["sentences"] = [
                self._parsed[place] for place in sorted(block, key=self._order)
            ]
            subset[name] = Intent(name=name, data=[data])
        intents = Intents(language="en", intents=subset, slot_lists=self.lists.parsed)
        return iter(recognize_all(words, intents))

    def _well_started(self, places: set[Place], said: list[str]) -> set[Place]:
        """The templates whose start the words can match. hassil matches a template from
        the start of the words to their end: one of words alone needs those very words,
        one that starts with a word needs the words to start with it, and one that starts
        with a list (that is not a wildcard) needs one of the list's values to start them
        (its candidates, as hassil's matcher asks for them). Only for plain ASCII words
        with no "-" or "_", which hassil's normalising and its word-breaking retry leave
        as they are."""
        first = said[0]
        text = " ".join(said) + " "
        starting: dict[str, bool] = {}
        kept = set()
        for place in places:
            start = self._starts[place]
            if start is None:
                kept.add(place)
                continue
            is_word, name = start
            if is_word:
                if name == first:
                    kept.add(place)
                continue
            if name not in starting:
                starting[name] = self.lists.can_start(name, text)
            if starting[name]:
                kept.add(place)
        return kept

    def _sentence(self, place: Place) -> Sentence:
        """A template parsed as hassil parses it, and the lists it names, the first time
        it is needed."""
        sentence = self._parsed.get(place)
        if sentence is None:
            sentence = parse_sentence(self._texts[place], keep_text=True)
            self._parsed[place] = sentence
            self._list_names[place] = frozenset(sentence.list_names())
            self.lists.need(self._list_names[place])
        return sentence

    def _order(self, place: Place) -> int:
        """hassil's order within a block (IntentData.sentences): templates naming a
        wildcard list first, most literal text first; the rest as written (the sort is
        stable, so the order among the templates passed on is hassil's own)."""
        if self._list_names[place] & self.lists.wildcards:
            return -self._parsed[place].text_chunk_count()
        return 0


# What the index needs of a template: None for one of words alone, else the literal
# words it needs and how it must start (see `_start`); JSON-shaped, so `make models`
# can write it (the lists a tuple becomes there are read back as tuples).
Analysed = tuple[list[str], tuple[bool, str] | None] | None


def analyse(templates: dict[str, list[str]]) -> list[Analysed]:
    """Each template's analysis, in the order of the templates. A few thousand regular
    expression searches: a fresh start reads them from the file `make models` writes
    (see skill/dev/nlu.py, `prepare`) rather than making them."""
    return [
        None if _WORDS_ALONE.fullmatch(text) else (sorted(_literal_words(text)), _start(text))
        for texts in templates.values()
        for text in texts
    ]


def _start(template: str) -> tuple[bool, str] | None:
    """(True, word) for a template that starts with a whole plain word, (False, list
    name) for one that starts with a list reference, else None."""
    word = _FIRST_WORD.match(template)
    if word:
        return True, word.group(1)
    slot = _FIRST_SLOT.match(template)
    return (False, slot.group(1)) if slot else None


_WORDS_ALONE = re.compile(r"[a-z0-9']+(?:\s+[a-z0-9']+)*")
_FIRST_WORD = re.compile(r"([a-z0-9']+)(?:\s|$)")
_FIRST_SLOT = re.compile(r"\{(\w+)(?::\w+)?\}")


def _literal_words(template: str) -> frozenset[str]:
    """Whole words a template's text needs in any sentence it matches: words outside
    slot references and choices, not glued to either (a word glued to a slot, as in
    "{muscle}'s", may be matched together with the slot's value). Each slot or choice
    becomes a character no word has, which spoils the words glued to it."""
    return frozenset(_PLAIN_WORD.findall(_NOT_LITERAL.sub("\0", template)))


_NOT_LITERAL = re.compile(r"\{[^}]*\}|\([^)]*\)|\[[^\]]*\]")
_PLAIN_WORD = re.compile(r"(?<!\S)[a-z0-9']+(?!\S)")
