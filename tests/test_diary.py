"""The cramp diary in conversation: consent first, entries, summaries, the doctor's
threshold, and deleting everything."""

from __future__ import annotations

from datetime import timedelta

import pytest

from skill.config import Settings
from skill.diary import (
    MAX_AGE_SECONDS,
    MAX_ENTRIES,
    WEEK,
    Entry,
    admitted,
    frequent,
    summarise,
)
from skill.handlers.diary import period_days
from tests.conftest import NIGHT, START, Conversation

DIARY_ON = Settings(diary=True)


@pytest.fixture
def talk() -> Conversation:
    return Conversation(settings=DIARY_ON)


def entries_of(talk: Conversation) -> list[Entry]:
    return talk.diary.entries(talk.session.user_id)


def test_the_first_entry_asks_for_consent_once(talk: Conversation) -> None:
    asked = talk.say("log a cramp in my left calf")
    assert "Shall I keep one?" in asked["speech"] and entries_of(talk) == []
    assert "Noted: a cramp in your left calf, today." in talk.say("yes")["speech"]
    assert "Noted: a cramp in your foot, today." in talk.say("log a cramp in my foot")["speech"]
    assert len(entries_of(talk)) == 2


def test_no_consent_no_entry(talk: Conversation) -> None:
    talk.say("log a cramp in my calf")
    assert "no diary" in talk.say("no")["speech"]
    assert entries_of(talk) == []
    assert "Shall I keep one?" in talk.say("log a cramp in my calf")["speech"]


def test_a_cramp_at_night_said_by_day_is_last_night(talk: Conversation) -> None:
    talk.say("log a cramp in my right calf at night")
    reply = talk.say("yes")
    assert "right calf, last night" in reply["speech"]
    (entry,) = entries_of(talk)
    assert entry.night is True and entry.at < START.timestamp()


def test_a_cramp_logged_at_night_is_a_night_cramp() -> None:
    talk = Conversation(settings=DIARY_ON, start=NIGHT)
    talk.say("log a cramp in my calf")
    assert "calf, tonight" in talk.say("yes")["speech"]
    assert entries_of(talk)[0].night is True


def test_yesterday_is_yesterday(talk: Conversation) -> None:
    talk.say("log a cramp in my foot yesterday")
    assert "foot, yesterday" in talk.say("yes")["speech"]


def test_history_sums_up_the_week(talk: Conversation) -> None:
    assert "No cramps noted in the last 7 days" in talk.say("how many cramps did I have")["speech"]
    talk.say("log a cramp in my left calf at night")
    talk.say("yes")
    talk.say("log a cramp in my left calf at night")
    talk.say("log a cramp in my foot")
    reply = talk.say("how many cramps did I have")
    assert reply["speech"].startswith(
        "3 cramps in the last 7 days, mostly your left calf, mostly at night."
    )
    assert reply["end_session"] is False


def test_cramps_every_week_for_a_month_suggest_a_doctor_and_the_routine(
    talk: Conversation,
) -> None:
    talk.say("log a cramp in my calf")
    talk.say("yes")
    diary = talk.diary
    now = talk.clock.timestamp()
    for week in range(4):
        for day in (1, 3):
            diary.add(talk.session.user_id, Entry(at=now - week * WEEK - day * 86400), now)
    reply = talk.say("how many cramps have I had in the last 30 days")
    assert "more than once a week for a month" in reply["speech"]
    assert "talking to a doctor" in reply["speech"]
    assert "bedtime stretches" in talk.say("yes")["speech"]


def test_delete_my_data_asks_then_forgets_everything(talk: Conversation) -> None:
    talk.say("make my holds twenty seconds")
    talk.say("log a cramp in my calf")
    talk.say("yes")
    assert "Delete everything" in talk.say("delete my data")["speech"]
    assert "deleted nothing" in talk.say("no")["speech"]
    assert len(entries_of(talk)) == 1
    talk.say("forget everything about me")
    assert "I've deleted everything" in talk.say("yes")["speech"]
    assert entries_of(talk) == []
    assert talk.store.snapshot().get(talk.session.user_id) is None
    # Consent is gone too: the next entry asks again.
    assert "Shall I keep one?" in talk.say("log a cramp in my calf")["speech"]


def test_delete_works_with_the_diary_off() -> None:
    talk = Conversation()
    talk.say("make my holds twenty seconds")
    talk.say("delete my data")
    assert "I've deleted everything" in talk.say("yes")["speech"]
    assert talk.store.snapshot().get(talk.session.user_id) is None


# ------------------------------------------------------------------ the arithmetic
def test_entries_are_capped_by_number_and_age() -> None:
    now = START.timestamp()
    many = [Entry(at=now - n) for n in range(MAX_ENTRIES + 10)][::-1]
    newest = Entry(at=now)
    assert admitted(many, newest, now) == many[-(MAX_ENTRIES - 1) :] + [newest]
    assert admitted([], Entry(at=now - MAX_AGE_SECONDS - 1), now) == []


def test_summary_names_a_place_only_when_most_cramps_share_it() -> None:
    now = START.timestamp()
    mixed = [Entry(at=now - 10, muscle="CALF"), Entry(at=now - 20, muscle="FOOT")]
    assert summarise(mixed, now, WEEK).muscle is None
    old = Entry(at=now - 2 * WEEK, muscle="FOOT")
    assert summarise([old], now, WEEK).count == 0


def test_frequent_needs_every_one_of_four_weeks() -> None:
    now = START.timestamp()
    three_weeks = [Entry(at=now - w * WEEK - d * 86400) for w in range(3) for d in (1, 2)]
    assert not frequent(three_weeks, now)
    week_four = [Entry(at=now - 3 * WEEK - d * 86400) for d in (1, 2)]
    assert frequent(three_weeks + week_four, now)


@pytest.mark.parametrize(
    ("duration", "days"),
    [(None, 7), ("P7D", 7), ("P2W", 14), ("P1M", 30), ("P1Y", 365), ("PT5M", 7), ("P9Y", 365)],
)
def test_periods(duration: str | None, days: int) -> None:
    assert period_days(duration) == days


def test_an_unreadable_entry_is_skipped() -> None:
    assert Entry.from_dict({"at": "soon"}) is None
    assert Entry.from_dict({"muscle": "CALF"}) is None
    assert Entry.from_dict({"at": 5, "night": 1}) == Entry(at=5.0, night=True)


def test_the_clock_moves(talk: Conversation) -> None:
    """Entries older than the period fall out of the summary."""
    talk.say("log a cramp in my calf")
    talk.say("yes")
    talk.say("stop")
    talk.new_session()
    talk.clock += timedelta(days=8)
    assert "No cramps noted" in talk.say("how many cramps did I have")["speech"]


@pytest.mark.parametrize(
    ("locale", "day"),
    [("en-US", "on Thursday, November 19"), ("en-GB", "on Thursday 19 November")],
)
def test_days_are_said_the_locales_way(locale: str, day: str) -> None:
    talk = Conversation(locale=locale, settings=DIARY_ON)
    talk.say("log a cramp in my left calf three days ago")
    assert f"Noted: a cramp in your left calf, {day}." in talk.say("yes")["speech"]
