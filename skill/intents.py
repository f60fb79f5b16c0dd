"""The names the interaction model and the code share: every intent the skill answers and
the slots each one carries. They are the voice contract's (docs/voice-contract.md), fixed
once published; tests/test_model.py holds this module and every generated model to each
other, and the handlers name intents only through it.
"""

from __future__ import annotations

# Ours.
CRAMP_NOW = "CrampNowIntent"
STRETCH_HOLD = "StretchHoldIntent"
HOLD_AGAIN = "HoldAgainIntent"
OTHER_SIDE = "OtherSideIntent"
SEATED_ROUTINE = "SeatedRoutineIntent"
BEDTIME_ROUTINE = "BedtimeRoutineIntent"
PREVENTION = "PreventionIntent"
CAUSES = "CausesIntent"
SEE_DOCTOR = "SeeDoctorIntent"
RED_FLAG = "RedFlagIntent"
SEIZURE = "SeizureIntent"
SEIZURE_SCOPE = "SeizureScopeIntent"
VOICE_STYLE = "VoiceStyleIntent"
CRAMP_EASED = "CrampEasedIntent"
STILL_CRAMPING = "StillCrampingIntent"
MEDICINE_QUESTION = "MedicineQuestionIntent"
TELL_ME_MORE = "TellMeMoreIntent"
LOG_CRAMP = "LogCrampIntent"
CRAMP_HISTORY = "CrampHistoryIntent"
DELETE_DATA = "DeleteDataIntent"
SET_PREFERENCE = "SetPreferenceIntent"
SET_REMINDER = "SetReminderIntent"
REMINDER_TIME = "ReminderTimeIntent"
STOP_REMINDER = "StopReminderIntent"

# Answers to the skill's own questions (skill/answers.py decides what each means where).
READY = "ReadyIntent"
WAIT = "WaitIntent"
SKIP = "SkipIntent"
OKAY = "OkayIntent"
WORSE = "WorseIntent"
CANT_DO = "CantDoIntent"
ENDING = "EndingIntent"

# Alexa's built-in intents the model includes.
HELP = "AMAZON.HelpIntent"
STOP = "AMAZON.StopIntent"
CANCEL = "AMAZON.CancelIntent"
FALLBACK = "AMAZON.FallbackIntent"
NAVIGATE_HOME = "AMAZON.NavigateHomeIntent"
NEXT = "AMAZON.NextIntent"
PREVIOUS = "AMAZON.PreviousIntent"
REPEAT = "AMAZON.RepeatIntent"
START_OVER = "AMAZON.StartOverIntent"
YES = "AMAZON.YesIntent"
NO = "AMAZON.NoIntent"
PAUSE = "AMAZON.PauseIntent"
RESUME = "AMAZON.ResumeIntent"

# Each intent's slots, as every locale's model declares them (an intent not named here
# has none).
SLOTS: dict[str, tuple[str, ...]] = {
    CRAMP_NOW: ("muscle", "side", "situation"),
    STRETCH_HOLD: ("seconds", "duration", "muscle"),
    PREVENTION: ("topic",),
    RED_FLAG: ("symptom", "muscle", "also"),
    SEIZURE: ("muscle",),
    SEIZURE_SCOPE: ("scope",),
    VOICE_STYLE: ("voice",),
    MEDICINE_QUESTION: ("medicine",),
    LOG_CRAMP: ("muscle", "side", "when", "situation"),
    CRAMP_HISTORY: ("period",),
    SET_PREFERENCE: ("seconds", "count_style"),
    SET_REMINDER: ("time",),
}


def all_intents() -> set[str]:
    """Every intent name above."""
    return {value for name, value in globals().items() if name.isupper() and name != "SLOTS"}
