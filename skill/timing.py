"""How long a spoken count takes, so a 30-second hold lasts 30 seconds and not 40.

SSML cannot ask "speak this number at exactly t = 7 s"; it can only say words and
insert breaks. So each second of a counted hold is one number followed by a break, and
the break is one second minus how long we expect the number to take to say:

    break(n) = 1000 ms - spoken_ms(n)
    spoken_ms(n) = BASE_MS + PER_SYLLABLE_MS * syllables(n)

`syllables` comes from the English number words ("twenty-seven" has four). The two
constants were fitted by least squares to espeak-ng's en-us voice at its default rate,
speaking each number 1-60 between breaks exactly as a hold does (the per-number error is
at most about 170 ms and averages out over a hold; `make bench` measures whole holds).
Counts are spoken at the voice's default rate, the rate the constants were fitted at.
A number never gets less than MIN_GAP_MS of silence after it, so the count always
breathes, even if a voice says long numbers slowly.
"""

from __future__ import annotations

BASE_MS = 122
PER_SYLLABLE_MS = 172
MIN_GAP_MS = 150
SECOND_MS = 1000

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty"}
_SYLLABLES = {
    "zero": 2,
    "seven": 2,
    "eleven": 3,
    "thirteen": 2,
    "fourteen": 2,
    "fifteen": 2,
    "sixteen": 2,
    "seventeen": 3,
    "eighteen": 2,
    "nineteen": 2,
    "twenty": 2,
    "thirty": 2,
    "forty": 2,
    "fifty": 2,
    "sixty": 2,
}


def number_words(n: int) -> list[str]:
    """English words for 0-69, the range a hold can count to."""
    if n < 20:
        return [_ONES[n]]
    tens, ones = divmod(n, 10)
    return [_TENS[tens]] + ([_ONES[ones]] if ones else [])


def syllables(n: int) -> int:
    return sum(_SYLLABLES.get(word, 1) for word in number_words(n))


def spoken_ms(n: int) -> int:
    """Expected time to say the number n at the default rate."""
    return BASE_MS + PER_SYLLABLE_MS * syllables(n)


def break_after(n: int) -> int:
    """The silence that fills the rest of n's second."""
    return max(MIN_GAP_MS, SECOND_MS - spoken_ms(n))


def planned_count_ms(seconds: int) -> int:
    """How long a spoken count of `seconds` numbers is planned to take."""
    return sum(spoken_ms(n) + break_after(n) for n in range(1, seconds + 1))
