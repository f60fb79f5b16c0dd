"""Local language understanding, built from the same interaction model Alexa uses.

On a laptop there is no Alexa to turn words into intents, so hassil (Home Assistant's
template matcher) reads the generated interaction model JSON: its samples become hassil
sentences and its slot types become hassil lists, with entity-resolution ids as list
outputs. Alexa's built-in slot types get small local stand-ins that produce values in
Alexa's own formats ("30", "PT30S", "2026-11-21"), so handlers cannot tell the two apart.

Templates match whole sentences only, and people rarely say a sentence the way a template
does; Alexa generalises from the samples with a statistical model. So does this: what
hassil matches is answered exactly as hassil reads it, and only then a recogniser trained
from the same model at build time (skill/dev/recogniser.py) guesses the intent, with a
threshold below which the words are out of the skill's domain, and slots filled by the
longest slot values found in the words. Warning signs come before both, clause by clause.
"""

from __future__ import annotations

import gc
import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, partial
from pathlib import Path

from hassil.recognize import RecognizeResult

from skill import intents
from skill.content import content_for
from skill.dev.exact import IndexedIntents, RawList, SlotLists, analyse
from skill.dev.recogniser import Recogniser, recogniser_path
from skill.model_files import DEFAULT_LOCALE, LOCALES, model_path

FALLBACK_INTENT = intents.FALLBACK
LAUNCH = "LaunchRequest"
RED_FLAG_INTENT = intents.RED_FLAG
# Warning signs are looked for anywhere in the words, not only in whole-sentence samples:
# a frightened person rarely says it the way a template expects. Safety wins over all,
# and of several signs the most severe goes first ("symptom"), the next in "also".
SYMPTOM_TYPE = "SYMPTOM"
SIGN_SLOTS = ("symptom", "also")
ALSO_SPOTTED = ("muscle", "MUSCLE")
# Words that negate a warning sign said within the next few words of the same clause:
# "I'm not short of breath". "no" negates only right before the sign ("no chest pain"),
# because "no, I can't breathe" must still be heard as a red flag.
NEGATIONS = frozenset(
    {"not", "isn't", "aren't", "wasn't", "weren't", "never", "without", "nor"}
    | {"don't", "doesn't", "didn't", "haven't", "hasn't", "hadn't", "ain't"}
)
NEGATION_WINDOW = 4
NEGATIONS_JUST_BEFORE = frozenset({"no", "any"})
# A negation reaches no further than its own clause: "I don't know, I can't breathe" and
# "this isn't normal, my face is drooping" are emergencies. Spoken words carry no commas,
# so a clause also starts at a joining word or a new subject.
CLAUSE_BREAK = re.compile(r"[,.;:!?]+|\s[-\u2013\u2014]+\s|\s(?:ever since|since then)\s")
CLAUSE_STARTS = frozenset(
    {"and", "but", "so", "because", "cause", "now", "then", "though", "although", "yet"}
    | {"i", "i'm", "i've", "he", "he's", "she", "she's", "they", "they're", "we", "we're"}
    | {"my", "his", "her", "their", "me", "it", "it's", "this", "that's", "there's", "also"}
    | {"know", "sure", "think", "still"}
)
# A sign that is over is not a warning now: "I had chest pain years ago", "I passed out
# last year but I'm fine now". Said with a past time in its own clause, or said in the
# past with another clause saying it is over.
LONG_AGO = re.compile(
    r"\b(?:(?:years?|months?|decades?|a long time|ages) ago|last (?:year|summer|winter|spring)"
    r"|years? back|in the past|used to"
    r"|previously|a while back|as a (?:child|kid)|when i was (?:young|younger|little|a kid)"
    r"|years? before|once had|had one before|back when|back in the day)\b"
)
SAID_IN_PAST = re.compile(r"\b(?:had|was|were|did|felt|got|went|earlier|yesterday|last)\b")
# Some signs are two things said together, in any words and any order: an injury and a
# calf gone hard, heat and confusion, a wound and a stiff jaw, pregnancy and a headache.
# Each row is a sign and the patterns that must all be in the sentence; the last is the
# sign itself and must not be negated. (Phrases for Alexa's slot are in the model; these
# let the local understanding hear the combinations no phrase list can enumerate.)
_INJURY = (
    r"\b(?:kicked|hit|knock(?:ed)?|whack|fell|fall|slipped|tackled?|injur(?:ed|y)|hurt"
    r"|crash(?:ed)?|puck|copped|accident|twisted)\b"
)
_HARD = (
    r"\b(?:rock hard|hard as (?:a )?(?:rock|stone)|(?:tight|hard) and (?:tight|hard)"
    r"|(?:really|very|so|super) hard|gone (?:tight and )?hard|is hard)\b"
)
_URINE = r"\b(?:pee|wee|urine|piss|wee's|pee's)\b"
# A cramp said any way, so a long time is a long cramp and not a long time in bed ("hasn't
# let go" first: its "not" is the cramp going on, not a negation of it).
_CRAMPED = (
    r"\b(?:(?:hasn't|has not|won't|will not|isn't|not) (?:\w+ )?(?:let go|let up|eased|easing"
    r"|stopped|stopping|released?|going away|gone away)|cramp\w*|charley horse|charlie horse"
    r"|locked|tight|spasm\w*|seized|knotted"
    r"|let go|hurt\w*|pain\w*|sore|agony|eased|easing|let up|letting up|stopped"
    r"|still (?:going|there|not)|release\w*)\b"
)
# Somebody other than the speaker: only they can be the one who won't wake.
_SOMEONE = (
    r"\b(?:he|she|they|he's|she's|they're|him|her|them|his|husband|wife|partner|son|daughter"
    r"|dad|father|mum|mom|mother|baby|child|kid|boy|girl|friend|grandma|granny|nan|nana"
    r"|grandad|grandpa|grandfather|grandmother|brother|sister|man|woman|guy|someone|somebody"
    r"|person|neighbour|neighbor|uncle|aunt|auntie|boyfriend|girlfriend|flatmate|roommate)\b"
)
_WATER = (
    r"\b(?:in|under|into|out in|out past) (?:the )?(?:swimming )?(?:water|sea|ocean|pool|lake"
    r"|river|surf|waves|deep end|flags)\b|\bout (?:past|beyond) (?:the )?(?:raft|buoys?|break"
    r"|breakers?|reef|dock|sandbar|pier|jetty|wharf|rocks)\b|\b(?:swimming|treading water"
    r"|out of (?:my|his|her) depth|touch the bottom)\b"
)
# Trouble in water, said of anyone; IN_WATER_SELF needs "I" to be the one in it.
_SINKING = (
    r"(?:sinking|drowning|going under|gone under|went under|(?:bobbing|dipping|going|gone)"
    r" under|(?:can't|cannot|couldn't|not able to|unable to|can barely|can hardly) (?:\w+ )?"
    r"(?:swim|kick|stay up|keep (?:\w+ )?(?:up|afloat|head)|make it|touch|come up|get out"
    r"|reach|get (?:back )?to (?:the )?(?:shore|dock|side|edge|beach|boat|bank|raft|wharf|pier"
    r"|jetty|ladder|steps)|get back in)|(?:bobbing|dipping|slipping) (?:down|under)"
    r"|keeps? going (?:down|under)|swallowing water|gulping water|going inside (?:the )?water"
    r"|struggling|panicking"
    r"|thrashing|in trouble|face down|(?:calling|shouting|yelling|screaming) for help"
    r"|(?:don't|do not) think (?:i|he|she) can (?:make it|swim|get|reach)|treading water)"
)
_SHAKING = r"(?:shak|jerk|twitch|convuls|fitting|seiz|spasm|thrash|flail)\w*"
# Everyday words for the signs, as a frightened person types them ("my dad's face looks
# droopy", "he's gone a funny colour and isn't breathing properly"). The phrase lists in
# the model name the ways Alexa must hear; these catch the same things in any order.
# Each row: the sign's id, then patterns that must all be somewhere in the words, the last
# being the sign itself, which must be in a clause that holds it as happening now.
# Longer than a cramp should last (GUIDE §3: over ten minutes).
_LONG_SPAN = (
    r"(?:(?:after|for|over|more than) (?:a good |about |like )?(?:a |an )?quarter (?:of an )?hour\b"
    r"|(?:after|for|over|more than) (?:a good |about |like )?(?:ten|10|eleven|twelve|fifteen"
    r"|15|twenty|20|thirty|30|forty|40|forty five|45) (?:\w+ )?minutes\b|(?:after|for|over)"
    r" (?:half an hour|an hour|hours)\b)"
)
EVERYDAY_SIGNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("INJURY", (r"\b(?:corky|corkie|corked (?:my |his |her )?(?:thigh|leg|calf))\b",)),
    (
        "BREATHING",
        (
            r"\b(?:can't|cannot|couldn't|not able to|unable to|struggling to|hard to|trouble"
            r"|difficulty|problems?|hardly|barely) (?:\w+ ){0,2}(?:breathe|breath|breathing"
            r"|brethe|breth|get (?:my|his|her|their|a|enough) (?:full |deep |proper |good )?"
            r"(?:breath|air)"
            r"|get enough air)\b",
        ),
    ),
    ("BREATHING", (r"\b(?:not|isn't|stopped|isnt) breathing\b",)),
    (
        "BREATHING",
        (
            r"\b(?:short(?:ness)? of breath|gasping (?:for (?:air|breath))?|fighting for"
            r" (?:air|breath)|(?:can't|cannot) get (?:any |enough )?air)\b",
        ),
    ),
    (
        "BREATHING",
        (
            r"\bchest\b(?: \w+){0,4} (?:pain|pains|hurts|hurting|tight|tightness|pressure"
            r"|crushing|heavy|squeezing|agony|aching|sharp|stabbing)\b|\b(?:pain|pains|tightness"
            r"|pressure|crushing) (?:in|on|across) (?:my|his|her|the) chest\b",
        ),
    ),
    (
        "BREATHING",
        (
            r"\b(?:lips|face|he's|she's|they're|he|she|they) (?:is |are |has |have )?"
            r"(?:turning|turned|going|gone|looks?|looking) (?:a bit |really )?(?:blue|grey|gray"
            r"|a funny colou?r|a weird colou?r)\b",
        ),
    ),
    ("BREATHING", (r"\bcough\w*\b", r"\bblood\w*\b")),
    (
        "BREATHING",
        (
            r"\b(?:swollen|swelling|swelled|puffy|puffed up|blown up)\b",
            r"\bbreathing (?:\w+ )?(?:fast|quick|quickly|hard|heavily|heavy|funny|strange|weird)\b"
            r"|\b(?:panting|breathless\w*|out of breath|puffing)\b",
        ),
    ),
    (
        "BREATHING",
        (r"\b(?:sharp|hurts|pain\w*|stabbing|agony) (?:\w+ )?when (?:i|he|she|they) breathe\b",),
    ),
    (
        "STROKE_SIGNS",
        (
            r"\b(?:face|mouth|smile|lip|lips|eyelid|cheek)\b(?: \w+){0,5} (?:droop\w*|dropped"
            r"|dropping|lopsided|crooked|sagg\w*|slack|wonky|uneven|(?:to |on )?one side"
            r"|fallen)\b|\b(?:droop\w*|sagging|lopsided|crooked) (?:\w+ ){0,4}(?:face|mouth"
            r"|smile)\b|\b(?:half|one side of|side of) (?:my|his|her|the|their) face\b"
            r"|\bface (?:feels|looks|is|has gone|went) (?:weird|funny|strange|odd|numb)\b",
        ),
    ),
    ("STROKE_SIGNS", (r"\b(?:slurr(?:ing|ed|s)?|garbled)\b",)),
    (
        "STROKE_SIGNS",
        (
            r"\b(?:numb\w*|weak\w*|tingl\w*|dead) (?:down |on |in |all down )?(?:my |his |her "
            r"|the |their )?(?:whole )?(?:left|right|one) side\b",
        ),
    ),
    (
        "STROKE_SIGNS",
        (
            r"\b(?:can't|cannot|couldn't|not able to|unable to|struggling to|trouble) "
            r"(?:talk|talking|speak|speaking) (?:properly|right|clearly|normally|straight)\b"
            r"|\b(?:can't|cannot|couldn't) (?:say|get out) what (?:he|she|they|i) (?:wants?|means?)"
            r"|\b(?:speech|words|(?:it|what (?:he|she|i) says?) (?:comes?|came|is coming|sounds?"
            r"|sounded)) (?:\w+ ){0,4}(?:slurred|funny|weird|strange|off|garbled|wrong|jumbled"
            r"|muddled|unclear|not clear|isn't clear)\b",
        ),
    ),
    (
        "STROKE_SIGNS",
        (
            r"\b(?:sudden|suddenly|all of a sudden|out of nowhere|one side|same side|that side)\b",
            r"\b(?:arm|hand)\b(?: \w+){0,5} (?:weak|limp|floppy|dead|heavy|numb|won't (?:lift"
            r"|move|go up)|can't (?:lift|move))\b|\b(?:can't|cannot|couldn't|not able to"
            r"|unable to) (?:move|lift|raise|use|feel) (?:\w+ ){0,2}(?:arm|hand)\b",
        ),
    ),
    (
        "STROKE_SIGNS",
        (r"\b(?:arm|hand)\b(?: \w+){0,3} (?:dropped|flopped|drooped|went limp|gone limp)\b",),
    ),
    (
        "STROKE_SIGNS",
        (
            r"\b(?:having|is having|think (?:it's|it is|he's|she's|i'm|this is|he is|she is)"
            r"(?: having)?|might be having|might be|could be|maybe|looks like) (?:a )?(?:mini )?"
            r"stroke\b",
        ),
    ),
    (
        "WHOLE_BODY_SHAKING",
        (
            r"\b(?:whole|entire) body\b(?: \w+){0,6} " + _SHAKING + r"|\b(?:arms and legs|all"
            r" (?:his|her) limbs)\b(?: \w+){0,3} (?:going everywhere|flailing|" + _SHAKING + r")"
            r"|\b" + _SHAKING + r" (?:all over|everywhere|on the floor|on the ground"
            r"|uncontrollably|(?:from )?head to toe)\b|\b(?:it's|its) everything\b"
            r"|\b(?:full|whole|entire) body "
            r"(?:seizures?|fits?|convulsions?)\b|\b(?:seizures?|fits?|convulsions?|convulsing"
            r"|fitting|shaking) (?:\w+ )?(?:full|whole|entire) body\b",
        ),
    ),
    (
        "UNRESPONSIVE",
        (
            _SOMEONE,
            r"\b(?:won't|will not|isn't|is not|not|can't|cannot|unable to|couldn't|doesn't"
            r"|does not|didn't) (?:wake|waking|wake up|be woken|respond|responding|answer"
            r"|answering|react|reacting|come round|coming round|come to|coming to|rouse"
            r"|opening (?:his|her|their) eyes|open (?:his|her|their) eyes)\b"
            r"|\bno (?:response|reaction)\b|\b(?:can't|cannot) get through to (?:him|her|them)\b",
        ),
    ),
    (
        "UNRESPONSIVE",
        (
            _SOMEONE,
            r"\b(?:collapsed|passed out|fainted|blacked out|unconscious|keeled over|out cold"
            r"|went limp|gone limp|gone floppy)\b",
        ),
    ),
    (
        "COLD_PALE_LIMB",
        (
            r"\b(?:foot|foot's|feet|leg|legs|toes|calf)\b",
            r"\b(?:cold|icy|freezing|ice|stone cold)\b",
            r"\b(?:numb|can't feel|cannot feel|no feeling|dead|pale|white|blue|grey|mottled|waxy"
            r"|chalky|won't move|can't move)\b",
        ),
    ),
    (
        "COLD_PALE_LIMB",
        (
            r"\b(?:foot|foot's|feet|leg|legs|toes)\b",
            r"\b(?:pale|white|waxy|chalky|mottled|grey)\b",
            r"\b(?:hurt\w*|pain\w*|agony|numb|cold|icy)\b",
        ),
    ),
    (
        "HARD_AFTER_INJURY",
        (
            _INJURY + r"|\b(?:crushed|banged|bumped|broke|broken|cast|injury)\b",
            r"\b(?:rock solid|(?:tight|hard) (?:like|as) (?:a )?(?:stone|rock|drum|brick)"
            r"|swollen (?:and )?tight|tight and (?:swollen|shiny)|shiny|swelled up hard"
            r"|(?:hard and|tight and) swollen|(?:gonna|going to|about to|like it'll) burst"
            r"|really tight and|rock hard|solid|hard as (?:a )?board|like a board)\b",
        ),
    ),
    (
        "HEAT_CONFUSION",
        (
            r"\b(?:heat|heatwave|heat wave|sun|sunstroke|heatstroke|heat stroke|overheated"
            r"|overheating|scorching|boiling|sweltering|hot (?:day|weather|sun|out|outside|skin"
            r"|as)|(?:so|really|very|too) hot|burning up|stopped sweating|not sweating"
            r"|(?:thirty|forty|[34]\d|(?:a )?hundred|1\d\d) \w* ?degrees)\b",
            r"\b(?:confused|confusion|disoriented|disorientated|muddled|delirious|dazed"
            r"|out of it|rambling|mixed up|not (?:himself|herself|themselves|making sense)"
            r"|(?:doesn't|does not|don't|didn't) (?:know|recogni[sz]e) (?:what|where|who|which|me)"
            r"|talking (?:rubbish|nonsense|gibberish|funny|strange|weird)"
            r"|asking the same (?:thing|question)|repeating (?:himself|herself|themselves)"
            r"|can't think straight)\b",
        ),
    ),
    (
        "IN_WATER_SELF",
        (
            _WATER,
            r"\b(?:i'm|i am|i)\b (?:\w+ ){0,2}" + _SINKING + r"\b|\bmy head\b (?:\w+ ){0,3}"
            r"(?:above|under) (?:the )?water\b|\b(?:i'm|i am) (?:\w+ ){0,2}(?:in|out in|out past)"
            r" (?:the )?(?:swimming )?(?:deep end|sea|ocean|surf|water|flags|river|lake|pool)\b",
        ),
    ),
    (
        "STRUGGLING_IN_WATER",
        (_SOMEONE, _WATER + r"|\b(?:went|going|gone) under\b", r"\b" + _SINKING + r"\b"),
    ),
    (
        "LOCKED_JAW",
        (
            r"\b(?:cut|wound|nail|rusty|scratch|splinter|bite|bitten|puncture|stepped on|stood on"
            r"|trod on|dirty|graze|gash|thorn)\b",
            r"\b(?:jaw|jaw's|teeth|mouth|neck|neck's)\b",
            r"\b(?:stiff|tight|locked|locking|clamp\w*|clench\w*|rigid|stuck|not opening"
            r"|won't open|can't open|cannot open)\b",
        ),
    ),
    (
        "SADDLE_NUMBNESS",
        (
            r"\b(?:numb\w*|no feeling|can't feel|cannot feel|tingl\w*|pins and needles)\b",
            r"\b(?:bum|bottom|butt|groin|privates|private (?:parts|area)|genitals|saddle"
            r"|between (?:my|his|her) legs|down below|down there|back passage|crotch)\b",
        ),
    ),
    (
        "SADDLE_NUMBNESS",
        (
            r"\b(?:can't|cannot|couldn't|unable to|not able to|lost|losing|no) (?:\w+ )?"
            r"(?:control|hold|feel)\w* (?:of |over )?(?:my |his |her )?(?:bladder|bowels?|pee"
            r"|wee|poo|urine)\b|\b(?:wet|soiled|pooed|peed|weed) (?:myself|himself|herself)\b",
        ),
    ),
    (
        "RED_SWOLLEN_CALF",
        (
            r"\b(?:calf|calves|leg|shin|ankle)\b",
            r"\b(?:swollen|swelling|swelled|swolen|puffy|puffed|bigger|fatter|fat)\b",
            r"\b(?:red|redness|hot|warm|tender|throbbing|shiny|inflamed)\b",
        ),
    ),
    (
        "FLUID_LOSS",
        (
            r"\b(?:cramp\w*|charley|charlie)\b",
            r"\b(?:vomit\w*|throwing up|threw up|thrown up|puking|puked|being sick|been sick"
            r"|was sick|sick all|keep being sick|diarrh\w*|the runs|loose motions|gastro"
            r"|stomach bug|tummy bug|stomach flu|tummy flu|stomach virus|norovirus|food poisoning"
            r"|water (?:tablets?|pills?)|diuretics?"
            r"|(?:bug|fly) spray|pesticide|insecticide|weed ?killer|fumes)\b",
        ),
    ),
    (
        "FLUID_LOSS",
        (
            r"\b(?:sweat\w*|heat|hot)\b",
            r"\b(?:not|haven't|hasn't|won't|didn't) (?:\w+ )?settl\w*\b",
        ),
    ),
    (
        "EVERY_NIGHT",
        (
            r"\b(?:cramp\w*|charley|charlie|them|it's|they|wake|waking|woken|up|happen\w*|get"
            r"|getting|having|coming|always|weeks|months|again|lately|this month)\b",
            r"\b(?:every (?:single )?night|nightly|each night|night after night|not one night"
            r" off|every other night|most nights)\b",
        ),
    ),
    (
        "NEW_MEDICINE",
        (
            r"\b(?:statins?|atorvastatin|simvastatin|rosuvastatin|pravastatin|lipitor|crestor"
            r"|cholesterol (?:pills?|tablets?|meds?|medicine)|new (?:med|meds|medicine|medication"
            r"|tablets?|pills?|inhaler|prescription)|(?:upped|increased|changed|raised|doubled)"
            r" (?:\w+ ){0,2}(?:dose|dosage)|switched (?:\w+ )?(?:to|onto)|(?:started|starting"
            r"|began|begun) (?:on |taking )?(?:a |the |my |some )?(?:\w+ )?(?:tablets?|pills?"
            r"|medicine|medication|meds))\b",
            r"\b(?:cramp\w*|ach(?:e|es|ing)|charley|charlie|catch(?:es|ing)?)\b",
        ),
    ),
    (
        "NUMB_OR_WASTING",
        (
            r"\b(?:cramp\w*|charley|charlie)\b",
            r"\b(?:shrunk|shrunken|shrinking|gone thin|getting thin\w*|thinner|losing (?:muscle"
            r"|mass)|wasting|wasted|flabby|skinnier|numb\w*|tingl\w*|(?:gotten|getting|got)"
            r" (?:\w+ )?smaller)\b",
        ),
    ),
    (
        "LONG_CRAMP",
        (
            r"\b(?:(?:came on|started|began|kicked in|woke me|woke me up) at|since (?:like |about "
            r"|around )?(?:quarter|half|midnight))\b",
            r"\bstill\b",
        ),
    ),
    (
        "LONG_CRAMP",
        (
            # One pattern, the "not" inside it: a sign must not follow a negation.
            rf"\b(?:still|hasn't|has not|won't|will not|not)\b(?: \w+){{0,5}} {_LONG_SPAN}"
            rf"|{_LONG_SPAN}(?: \w+){{0,4}} (?:still|hasn't|has not|won't|will not)\b",
        ),
    ),
    (
        "LONG_CRAMP",
        (
            r"\b(?:gone on|lasted|going on|been going(?: on)?|been cramping|been like this"
            r"|been locked) (?:for )?(?:well |way |much |a lot )?(?:over|more than|longer than"
            r"|past) (?:ten|10|fifteen|15|twenty|20|thirty|30|half an hour|an hour)\b",
        ),
    ),
    (
        "LONG_CRAMP",
        (
            r"\b(?:cramp\w*|catch(?:es|ing)?|spasm|knot|charley|charlie|locked|seized)\b",
            r"\b(?:not|isn't|won't|hasn't|is not|has not|will not) (?:\w+ )?(?:leaving|going away"
            r"|going|stopping|stopped|letting go|let go|easing|eased|relaxing|relaxed)\b",
            r"\bsince (?:this |the |early )?(?:morning|afternoon|evening|last night|yesterday"
            r"|hours|an hour)\b",
        ),
    ),
    (
        "DARK_URINE",
        (
            _URINE,
            r"\b(?:dark\w*|brown\w*|black\w*|cola|coke|coffee|tea|root beer|rusty|red wine"
            r"|port|mahogany)\b",
        ),
    ),
    (
        "PREGNANCY_WARNING",
        (
            r"\b(?:pregnant|expecting|pregnancy|(?:\d\d|twenty|thirty|forty)(?: \w+)? weeks)\b",
            r"\b(?:headache|migraine|blurr\w*|fuzzy|(?:flashing|sparkly|sparkling|zigzag) lights"
            r"|sparkles|spots|seeing stars|(?:eyes|vision|eyesight)(?:'s)? (?:\w+ ){0,2}"
            r"(?:funny|weird|blurry|fuzzy"
            r"|strange|wrong)|(?:face|hands|fingers) (?:\w+ ){0,3}(?:swollen|swelling|swelled"
            r"|puff\w*|blown up|ballooned)|rings (?:don't|won't|do not) (?:fit|come off)"
            r"|(?:pain|ache) under (?:my |her )?ribs|(?:leg|calf) (?:is )?(?:\w+ ){0,2}(?:swollen"
            r"|red|hot))\b",
        ),
    ),
    (
        "INJURY",
        (
            r"\b(?:tore|torn|tear|ripped|rip|pulled|strained|sprained|twisted|popped|pop|snap\w*"
            r"|fell|fall|slipped|tripped|landed on|banged|hit|kicked|bruise\w*)\b",
            r"\b(?:(?:can't|cannot|not able to|unable to|hurts to) (?:put (?:any )?weight|stand"
            r"|walk|bear weight)|(?:hurts|painful|sore|agony) (?:\w+ ){0,2}(?:when|if) (?:i|he|she)"
            r" (?:walk|stand|put weight)|(?:can|could) (?:barely|hardly) (?:walk|stand)|limping"
            r"|heard (?:a|something) (?:pop|snap|crack|rip)|went down (?:hard|in a heap)?"
            r"|bruise\w*|felt a (?:pop|rip|tear|snap)|sharp pain"
            r"|(?:tore|pulled|torn) something|twisted (?:\w+ )?(?:knee|ankle)"
            r"|(?:felt like|as if) (?:someone|somebody) (?:kicked|hit|shot) me)\b",
        ),
    ),
)
# Words that rule a row's sign out ("my husband won't wake up to help me, he's snoring").
EVERYDAY_UNLESS = {
    "UNRESPONSIVE": re.compile(
        r"\b(?:snor\w*|asleep|sleeping|to help me)\b|\bi (?:was|am|'m) (?:\w+ )?out cold\b"
    ),
    "IN_WATER_SELF": re.compile(_SOMEONE + r"\s(?:\w+ ){0,3}(?:in|under|into) (?:the )?\w+"),
    "NEW_MEDICINE": re.compile(
        r"\b(?:for years|years now|without (?:any )?(?:trouble|problems?)|stopped (?:the|my|taking)"
        r"|years? ago|no bother|same (?:statin|pills?|tablets?|meds?))\b"
    ),
    "NUMB_OR_WASTING": re.compile(
        r"\b(?:on purpose|diet\w*|lost (?:\w+ )?weight|weight loss|(?:went|gone|fell) (?:to sleep"
        r"|asleep)|(?:sitting|sat|kneeling|knelt) on (?:it|them|my (?:foot|feet|leg|legs))"
        r"|crossed my legs)\b"
    ),
    # Dark yellow is concentrated, not the brown or cola of muscle breakdown (GUIDE §3).
    "DARK_URINE": re.compile(
        r"^(?!.*\b(?:brown|cola|coke|tea|coffee|black|rusty|red wine)\b).*\byellow\b"
    ),
    "LONG_CRAMP": re.compile(r"\b(?:hasn't|has not|didn't|did not|won't|not) come back\b"),
    "EVERY_NIGHT": re.compile(r"\b(?:remind\w*|alarm|stretch\w*|routine)\b"),
}
SIGN_COMBINATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("HARD_AFTER_INJURY", (_INJURY, _HARD)),
    (
        "HARD_AFTER_INJURY",
        (r"\b(?:worse|more and more|increasing|more painful|by the minute)\b", _HARD),
    ),
    (
        "HEAT_CONFUSION",
        (
            r"\b(?:heat|heatwave|sun|hot (?:day|weather|sun))\b",
            r"\b(?:confused|confusion|disoriented|disorientated|muddled|not making (?:any )?sense"
            r"|(?:doesn't|does not|don't) know (?:where|who)"
            r"|talking (?:confused|nonsense|gibberish)"
            r"|delirious|acting (?:strange|weird|confused|disoriented))\b",
        ),
    ),
    (
        "LOCKED_JAW",
        (
            r"\b(?:cut|wound|nail|rusty|scratch|splinter|bitten|puncture|stepped on)\b",
            r"\b(?:jaw|jaw's|neck|neck's)\b.{0,20}\b(?:stiff|tight|locked|locking|clamping"
            r"|clenched|stuck|not opening|won't open)\b",
        ),
    ),
    (
        "PREGNANCY_WARNING",
        (
            r"\b(?:pregnant|expecting|pregnancy|(?:twenty|thirty|forty)(?: \w+)? weeks)\b",
            r"\b(?:headache|seeing (?:spots|stars|flashing lights)|flashing lights|spots in my eyes"
            r"|blurry|blurred|(?:face|hands|fingers)\b.{0,12}\b(?:swelled|swelling|swollen|puffed|puffy)"
            r"|leg (?:is )?(?:red and )?swollen)",
        ),
    ),
    (
        "COLD_PALE_LIMB",
        (
            r"\b(?:foot|feet|leg|legs|toes)\b",
            r"\b(?:white|pale|blue|grey|gray|purple|mottled)\b",
            r"\b(?:cold|icy|freezing|numb|(?:can't|cannot) feel)",
        ),
    ),
    (
        "COLD_PALE_LIMB",
        (
            r"\b(?:sudden|suddenly|all of a sudden)\b",
            r"\b(?:rest|resting|lying|sitting still|still)\b",
            r"\bnumb(?:ness)?\b",
        ),
    ),
    ("DARK_URINE", (_URINE, r"\b(?:dark|brown|cola|coke|coffee|tea)\b")),
    (
        "FLUID_LOSS",
        (r"\b(?:belly|stomach|tummy|abdomen)\b", r"\bchest\b", r"\bcramp(?:s|ing)?\b"),
    ),
    (
        "LONG_CRAMP",
        (
            _CRAMPED,
            r"\b(?:still|hasn't|has not|won't|will not|not going|not stopping|isn't going"
            r"|straight|been|since|for the (?:last|past)|for over|for more than|going on)\b",
            r"\b(?:(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen"
            r"|nineteen|twenty|thirty|forty|fifty|sixty|1\d|[2-9]\d)(?: \w+)? (?:minutes|mins?)"
            r"|half an hour|(?:an|one|two|three|a couple of|couple of|few|1|2|3) hours?"
            r"|(?:most of|over|more than) (?:the|an) hour"
            r"|quarter of an hour|quarter hour)\b",
        ),
    ),
    (
        "NEW_MEDICINE",
        (
            r"\b(?:started|since starting|after starting|put (?:me|him|her) on"
            r"|gave (?:me|him|her)|new|changed)\b",
            r"\b(?:statins?|tablets?|pills?|medicines?|medications?|prescriptions?|meds)\b",
            r"\bcramp(?:s|ing|ed)?\b",
        ),
    ),
    (
        "NUMB_OR_WASTING",
        (
            r"\b(?:calf|calves|leg|legs|thigh|muscle|muscles)\b",
            r"\b(?:thinner|skinny|skinnier|shrinking|wasting|getting thin|becoming thin"
            r"|smaller than)\b",
        ),
    ),
    (
        "NUMB_OR_WASTING",
        (r"\bcramp(?:s|ing)?\b", r"\b(?:numb|numbness|tingly|tingling|pins and needles)\b"),
    ),
)
# Words that look like a sign and are not one ("drowning in work"), and a song called
# "Breathless" asked for by name.
LOOK_ALIKES = re.compile(
    r"\bdrowning in (?!(?:the|a|an|my|our|his|her|their|this|that|deep|cold|water|sea|ocean|pool"
    r"|lake|river|surf|waves|here|there)\b)\w+|\bwater polo\b"
    r"|\bfits? of (?:the )?(?:giggles|laughter|laughing|coughing|sneezing|rage|temper|pique)\b"
)


def _unlike(words: str) -> str:
    """The words without look-alikes, for every reading: "a fit of the giggles" is no
    seizure to the recogniser either."""
    return " ".join(LOOK_ALIKES.sub(" ", words).split()) if LOOK_ALIKES.search(words) else words


MUSIC_REQUEST = re.compile(r"^(?:alexa )?play\b")
# Asking about signs in general is not having one: "what are the signs of a clot".
HYPOTHETICAL = re.compile(
    r"\b(?:what if|in case|supposing|suppose (?:\w+ ){1,6}then|signs? of|symptoms? of"
    r"|warning signs?|what (?:are|is) the"
    r"|if (?:i|you|he|she|they|my \w+) (?:ever|get|gets|got|have|has|start|starts)"
    r"|(?:can|could|does|do|would) (?:\w+ ){1,3}(?:cause|give)|is (?:\w+ ){1,3}a sign)\b"
)
IT_IS_OVER = re.compile(
    r"\b(?:gone now|went away|passed now|it passed|has passed|it stopped|stopped now"
    r"|fine now|okay now|ok now|all good now|better now|settled|cleared up|over now"
    r"|recovered|back to normal|went back to normal|all clear|long gone|cleared|been fine"
    r"|fine since|fine ever since|been okay|okay since)\b"
)

# At most this many words stand for a number no one could read ("hold for banana").
LOOSE_NUMBER_WORDS = 2
# A guess read from character n-grams alone, no word of the sentence being a word of the
# samples, must clear the threshold by this much: typos of known words do ("crampng
# calff", "nopee"), noise does not ("blah blah": "bla" is the start of "blankets").
FRAGMENTS_MARGIN = 0.2
# Words a number never starts with: "count the eggs" names things to count, not seconds.
_NOT_A_NUMBER = frozenset("the my your his her our their these those this that some all".split())
# What Alexa puts in an AMAZON.NUMBER slot when the words there are not a number.
UNREADABLE_NUMBER = "?"

_SLOT_REF = re.compile(r"\{(\w+)\}")
# Alexa samples write abbreviations with periods ("g. p.", "e. r."); typed words lose the
# periods in `normalize`, and people type them spaced or joined ("g p", "gp").
_ABBREVIATION = re.compile(r"\b(?:[a-z]\. )*[a-z]\.(?=\s|$)")
_INVOCATION = "cramp coach"
# "Ask/tell cramp coach to ...", and "open cramp coach and ..." (which the reminder says).
_GREETING = r"(?:(?:hey|hi|ok|okay|g'day|yo|um|uh|er|erm|so|ah|oh|yeah|right)\s+)*"
_ONE_SHOT = re.compile(
    rf"^{_GREETING}(?:alexa\s+)?(?:(?:ask|tell)\s+{_INVOCATION}\s+(?:to\s+|that\s+|about\s+|for\s+)?"
    rf"|(?:open|start|launch)\s+{_INVOCATION}\s+and\s+)"
)
# Opening the skill, with the greetings, fillers and word orders people add ("hey alexa
# open up cramp coach", "cramp coach start", "open cramp coach mate").
_LAUNCH = re.compile(
    rf"^{_GREETING}(?:alexa\s+{_GREETING})?(?:(?:please|can you|could you)\s+)?"
    rf"(?:(?:open|start|launch|begin|run|load|use|talk to|ask|fire up|open up|start up)\s+)?"
    rf"(?:the\s+|my\s+)?{_INVOCATION}"
    rf"(?:\s+(?:skill|app|thing|please|now|eh|mate|buddy|for me|up|start|open|again|quick"
    rf"|quickly|thanks))*$"
)
_PUNCTUATION = re.compile(r"[^\w\s']")
_CAN_NOT = re.compile(r"\bcan not\b")
# Contractions as people type them in a hurry, without the apostrophe. Only words that are
# not also other words ("ill", "well", "were", "shed" stay as typed), except "its": here
# it is "it's" far more often than a possessive ("its still cramping").
_CONTRACTIONS = {
    bare: full
    for full in (
        "can't couldn't won't wouldn't don't doesn't didn't isn't aren't wasn't weren't"
        " hasn't haven't hadn't shouldn't ain't i'm i've i'd i'll he's she's he'd she'd"
        " that's what's there's who's you're they're we're you've they've we've let's it's"
    ).split()
    for bare in (full.replace("'", ""),)
    if bare not in {"well", "were", "shed", "hed", "lets", "id", "ill", "wed"}
} | {
    # Typed shorthand for the word a transcript would have ("halfway thru my run").
    "thru": "through",
    "oclock": "o'clock",
    "cuz": "because",
    "coz": "because",
    "pls": "please",
    "plz": "please",
    "u": "you",
    "ur": "your",
}
_BARE_CONTRACTION = re.compile(rf"\b(?:{'|'.join(_CONTRACTIONS)})\b")
# Words that hold a slot value and do not mean it: set phrases ("right now"), and what
# comes after "instead of" ("count with beeps instead of your voice").
_NOT_SLOT_VALUES = re.compile(
    r"\b(?:right (?:now|away|here|there|after|up|through|in the middle|out|outta|off|before"
    r"|then)|all right|one more"
    r"|(?:instead of|rather than) (?:\w+ ){0,2}\w+)\b"
)
_NUMBER_WORD = (
    r"(?:\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|hundred|a hundred|and)"
)
_NUMBER_PHRASE = re.compile(rf"\b{_NUMBER_WORD}(?: {_NUMBER_WORD})*\b")
# A number with its unit: a duration, not the bare number a number slot holds.
_DURATION_SAID = re.compile(
    rf"\b(?:a|an|half a|{_NUMBER_WORD}(?: {_NUMBER_WORD})*) (?:second|minute|hour)s?\b"
)

DURATION_UNITS = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M"}
DATE_WORDS = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "the day before yesterday": -2,
}


@dataclass(frozen=True)
class SlotFill:
    """One filled slot as Alexa would send it: what was said, and its resolution."""

    value: str
    id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Recognition:
    """The request a sentence stands for: an intent name (or LaunchRequest) and its slots.
    `by` says which part of the understanding heard it (for the benchmark and tests)."""

    intent: str
    slots: dict[str, SlotFill] = field(default_factory=dict)
    slot_types: dict[str, str] = field(default_factory=dict)
    by: str = "exact"


def normalize(text: str) -> str:
    """Lower case, no punctuation but apostrophes, single spaces; "can not" written as
    the one word the model knows ("I can not breathe" must still be heard), and
    contractions typed without their apostrophe given it back ("he wont wake up"), and
    a typed "10pm" written as the "10 pm" a transcript has."""
    if (
        _NORMAL.fullmatch(text)
        and "can not" not in text
        and not _BARE_CONTRACTION.search(text)
        and not _GLUED_TIME.search(text)
    ):
        # Already normal (as every slot value of the model is): thousands at a start.
        return text
    text = _PUNCTUATION.sub(" ", text.lower().replace("\u2019", "'").replace("-", " "))
    text = _CAN_NOT.sub("cannot", " ".join(_GLUED_TIME.sub(r"\1 \2", text).split()))
    return _BARE_CONTRACTION.sub(lambda word: _CONTRACTIONS[word.group(0)], text)


_NORMAL = re.compile(r"[a-z0-9']+(?: [a-z0-9']+)*")
_GLUED_TIME = re.compile(r"\b(\d{1,2})([ap]m)\b")


# Sounds said before the words that mean something ("uh my right calf"), read without
# them when the words as said match nothing ("uh huh" is a yes, and stays).
_FILLERS = re.compile(
    r"^(?:(?:uh|uhh|um|umm|uhm|er|erm|ah|ahh|hmm|ugh|argh|ow|ouch|alexa)\s+)+(?!huh\b)"
)
# The same sounds in the middle of the words ("it's uh my foot").
_MID_FILLERS = re.compile(r" (?:uh|uhh|um|umm|uhm|er|erm)(?= )")
# "Me" for "my" before a part of the leg, as people say it in Britain and Australia.
_ME_FOR_MY = re.compile(
    r"\bme(?= (?:(?:left|right|both|poor|old) )?(?:calf|calves|leg|legs|foot|feet|toes|thigh"
    r"|thighs|hammy|hammies|hamstring|hamstrings|quad|quads|knee|ankle|arch)\b)"
)
# Words passed on for someone else, read as the words themselves ("he says it doesn't
# hurt anymore" is the cramp easing).
_REPORTED = re.compile(r"^(?:he|she|they) (?:says|said|goes|tells me|told me) (?:that )?")
# A tag at the end that asks for no answer of its own ("do I need a doctor or nah").
_TAG = re.compile(r" (?:or (?:nah|not|no|what|something|anything)|eh)$")
# Words said twice in pain or in a hurry ("my calf my calf", "no no"), read once. Never
# numbers: "ten ten" may be a time.
_REPEATED = re.compile(r"\b((?:[a-z']+ ){0,2}[a-z']+)(?: \1\b)+")


def _unrepeated(words: str) -> str:
    return _REPEATED.sub(
        lambda match: match.group(0) if _NUMBER_PHRASE.search(match.group(1)) else match.group(1),
        words,
    )


def _plain(words: str) -> str:
    """The words without fillers, passed-on words, a tag at the end or repeats, and "me"
    read as "my" before a part of the leg; as said if nothing is left."""
    plain = _TAG.sub("", _REPORTED.sub("", _FILLERS.sub("", words)))
    plain = _ME_FOR_MY.sub("my", _MID_FILLERS.sub("", plain))
    return _unrepeated(plain) or words


def _readings(words: str, plain: str) -> tuple[str, ...]:
    """The ways the exact reading tries the words, in order: as said, with "'s" read as
    "is" and "has", then the same made plain (`_plain`)."""
    extra = (plain, *_uncontracted(plain)) if plain != words else ()
    return (words, *_uncontracted(words), *extra)


# "my calf's cramping": Alexa's samples may not put "'s" straight after a slot, so the
# model says "is" or "has"; a sentence that is not understood as typed is read both ways.
_CONTRACTED_S = re.compile(r"\b(\w+)'s\b")


def _uncontracted(words: str) -> list[str]:
    if not _CONTRACTED_S.search(words):
        return []
    return [_CONTRACTED_S.sub(r"\1 is", words), _CONTRACTED_S.sub(r"\1 has", words)]


def _list_name(slot_type: str) -> str:
    return slot_type.replace(".", "_")


_ONES = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    " fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


@cache
def _number_words() -> dict[int, str]:
    """1 to 1000 in words, as unicode_rbnf spells them in English ("one hundred twenty
    one"; a test holds the two equal): spelled here because the rule engine takes a
    tenth of a second to spell a thousand numbers at a fresh start."""

    def spelled(n: int) -> str:
        if n == 1000:
            return "one thousand"
        hundreds, rest = divmod(n, 100)
        words = [f"{_ONES[hundreds - 1]} hundred"] if hundreds else []
        if rest >= 20:
            tens, ones = divmod(rest, 10)
            words.append(_TENS[tens - 2] + (f" {_ONES[ones - 1]}" if ones else ""))
        elif rest:
            words.append(_ONES[rest - 1])
        return " ".join(words)

    return {n: spelled(n) for n in range(1, 1001)}


def spoken_number(text: str) -> str:
    """An AMAZON.NUMBER value as Alexa sends it: digits, or "?" for words it can't read."""
    words = normalize(text)
    if words.isdigit():
        return str(int(words))
    words = re.sub(r"^an? ", "one ", words.replace(" and ", " "))
    numbers = _numbers_by_words()
    return str(numbers[words]) if words in numbers else UNREADABLE_NUMBER


@cache
def _numbers_by_words() -> dict[str, int]:
    return {spoken.replace(" and ", " "): n for n, spoken in _number_words().items()}


def _duration_values() -> list[dict]:
    """Spoken durations → ISO-8601, as AMAZON.DURATION resolves them."""
    words = _number_words()
    values = []
    for unit, letter in DURATION_UNITS.items():
        prefix = "P" if unit in ("day", "week", "month") else "PT"
        for n in range(1, 121):
            plural = unit if n == 1 else unit + "s"
            # "A two minute hold": before a noun the unit stays singular.
            said = (plural, unit) if n > 1 and prefix == "PT" else (plural,)
            for spoken in (str(n), words[n]):
                for form in said:
                    values.append({"in": f"{spoken} {form}", "out": f"{prefix}{n}{letter}"})
        for article in ("a", "one"):
            values.append({"in": f"{article} {unit}", "out": f"{prefix}1{letter}"})
    values.append({"in": "half a minute", "out": "PT30S"})
    for n in range(1, 11):
        for unit, letter, half, article in (
            ("minute", "M", "30S", "a"),
            ("hour", "H", "30M", "an"),
        ):
            for spoken in (words[n], article) if n == 1 else (words[n],):
                plural = unit if n == 1 else unit + "s"
                and_a_half = f"{spoken} {plural} and a half"
                values.append({"in": and_a_half, "out": f"PT{n}{letter}{half}"})
        values.append({"in": f"{words[n]} and a half minutes", "out": f"PT{n}M30S"})
    # Spans of the calendar, as a diary question says them ("how many cramps this
    # month"): the skill counts back that far from today.
    for span, out in (("week", "P1W"), ("fortnight", "P2W"), ("month", "P1M")):
        for before in (
            "this",
            "this past",
            "last",
            "the last",
            "the past",
            "in the last",
            "in the past",
        ):
            values.append({"in": f"{before} {span}", "out": out})
    values.append({"in": "a fortnight", "out": "P2W"})
    return values


# AMAZON.TIME: "ten", "nine thirty", "half past nine", "10 pm" → "22:00"-style values.
# As on Alexa, a time said without "p m" or "at night" comes as the morning hour.
_MINUTE_WORDS = {0: ["", "o'clock", "00"], 5: ["oh five", "o five"]}
_TIME_SUFFIXES = {
    "": False,
    "am": False,
    "a m": False,
    "in the morning": False,
    "pm": True,
    "p m": True,
    "tonight": True,
    "at night": True,
    "in the evening": True,
}


def _time_values() -> list[dict]:
    words = _number_words()
    values = [{"in": "midnight", "out": "00:00"}]
    for hour in range(1, 13):
        for said_hour in (str(hour), words[hour]):
            for minute in range(0, 60, 5):
                minute_words = _MINUTE_WORDS.get(minute) or [words[minute], f"{minute:02d}"]
                for minute_said in minute_words:
                    for suffix, evening in _TIME_SUFFIXES.items():
                        clock = hour % 12 + (12 if evening else 0) if suffix else hour
                        said = " ".join(p for p in (said_hour, minute_said, suffix) if p)
                        values.append({"in": said, "out": f"{clock:02d}:{minute:02d}"})
            # "Half nine" is half past nine in Britain and Ireland.
            for before, offset in _PAST_AND_TO:
                moment = (hour * 60 + offset) % (12 * 60) or 12 * 60
                for suffix, evening in _TIME_SUFFIXES.items():
                    clock = moment + (12 * 60 if evening and suffix else 0)
                    said = " ".join(p for p in (before, said_hour, suffix) if p)
                    values.append({"in": said, "out": f"{clock // 60:02d}:{clock % 60:02d}"})
    return values


_PAST_AND_TO = (("half past", 30), ("half", 30), ("quarter past", 15), ("quarter to", -15))


BUILTIN_LISTS = ("AMAZON_NUMBER", "AMAZON_TIME", "AMAZON_DURATION", "AMAZON_DATE")


@cache
def _builtin_list(name: str) -> dict:
    """A built-in slot type's stand-in, made the first time it is needed (every spoken
    time of day is thousands of phrases, and most sentences name no time)."""
    if name == "AMAZON_NUMBER":
        return {"range": {"from": 0, "to": 1000}}
    if name == "AMAZON_TIME":
        return {"values": _time_values()}
    if name == "AMAZON_DURATION":
        return {"values": _duration_values()}
    return {
        "values": [{"in": words, "out": offset} for words, offset in DATE_WORDS.items()]
        + [
            {"in": f"{spoken} days ago", "out": -n}
            for n in range(2, 31)
            for spoken in (str(n), _number_words()[n])
        ]
    }


def prepare(model: dict) -> dict:
    """What the local understanding works out from an interaction model before reading
    any sentence: its samples as hassil templates, each slot type's values normalised,
    and the exact reading's index of them (skill/dev/exact.py). A fresh start would
    spend a sixth of a second on it, so `make models` writes it beside the model
    (`prepared_path`), and a test keeps the file in step with the model."""
    language_model = model["interactionModel"]["languageModel"]
    slot_types = _slot_types_of(language_model)
    templates = {
        intent["name"]: _sentences(slot_types[intent["name"]], intent["samples"])
        for intent in language_model["intents"]
        if intent.get("samples")
    }
    return {
        "templates": templates,
        "lists": {
            _list_name(slot_type["name"]): [
                [normalize(word), value["id"]]
                for value in slot_type["values"]
                for word in (value["name"]["value"], *value["name"].get("synonyms", []))
            ]
            for slot_type in language_model.get("types", [])
        },
        "analysis": analyse(templates),
        "loose_analysis": analyse(_loose(templates, slot_types)),
    }


def render_prepared(model: dict) -> str:
    """`prepare`'s JSON as `make models` writes it: a template, value or analysis a
    line, so a change to the samples shows as a readable diff."""

    def lines(items: list) -> str:
        return "[\n" + ",\n".join(json.dumps(item, separators=(",", ":")) for item in items) + "\n]"

    def keyed(parts: dict, render: Callable) -> str:
        return "{\n" + ",\n".join(f"{json.dumps(k)}: {render(v)}" for k, v in parts.items()) + "\n}"

    def part(value: dict | list) -> str:
        return lines(value) if isinstance(value, list) else keyed(value, lines)

    return keyed(prepare(model), part) + "\n"


def prepared_path(locale: str) -> Path:
    return PREPARED_DIR / f"{locale}.json"


PREPARED_DIR = Path(__file__).resolve().parent / "prepared"


def _slot_types_of(language_model: dict) -> dict[str, dict[str, str]]:
    return {
        intent["name"]: {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        for intent in language_model["intents"]
    }


def _loose(
    templates: dict[str, list[str]], slot_types: dict[str, dict[str, str]]
) -> dict[str, list[str]]:
    """The templates of intents with a number slot, which the loose reading tries."""
    return {
        name: sentences
        for name, sentences in templates.items()
        if "AMAZON.NUMBER" in slot_types[name].values()
    }


def _sentences(types: dict[str, str], samples: list[str]) -> list[str]:
    """An intent's samples as hassil templates, each slot named with its list."""

    def typed(match: re.Match[str]) -> str:
        slot = match.group(1)
        return "{" + _list_name(types[slot]) + ":" + slot + "}"

    # Most samples have no abbreviation, and some no slot.
    typed_samples = [_SLOT_REF.sub(typed, s) if "{" in s else s for s in samples]
    return [_ABBREVIATION.sub(_typed_forms, s) if "." in s else s for s in typed_samples]


class LocalUnderstanding:
    """Turns typed or transcribed sentences into Alexa-style intents and slots.

    `severity` ranks warning signs (0 is the most severe); without it, signs keep the
    order they were said in. Without a `recogniser` (or its `recogniser_file`), only
    exact matches are understood (the benchmark's "hassil alone").
    """

    def __init__(
        self,
        model: dict,
        severity: Callable[[str], int] | None = None,
        recogniser: Recogniser | None = None,
        recogniser_file: Path | None = None,
        prepared: dict | None = None,
    ) -> None:
        self._severity = severity or (lambda symptom: 0)
        self._recogniser = recogniser
        self._recogniser_file = recogniser_file
        self.recogniser_load_s = 0.0
        language_model = model["interactionModel"]["languageModel"]
        self.model: dict = language_model
        self._slot_types = _slot_types_of(language_model)
        # Intents whose every sample carries a slot ("{voice}", "it's {scope}") mean
        # nothing without one: a guess of one with no slot value heard is a fallback.
        self._needs_slot = {
            intent["name"]
            for intent in language_model["intents"]
            if intent.get("samples") and all("{" in s for s in intent["samples"])
        }
        # What `prepare` works out from the model (a fresh start reads it from a file).
        prepared = prepared or prepare(model)
        self._canonical = {
            slot_type["name"]: {
                value["id"]: value["name"]["value"] for value in slot_type["values"]
            }
            for slot_type in language_model.get("types", [])
        }
        lists: dict[str, RawList] = {name: partial(_builtin_list, name) for name in BUILTIN_LISTS}
        model_lists = {
            name: {"values": [{"in": said, "out": out} for said, out in pairs]}
            for name, pairs in prepared["lists"].items()
        }
        lists.update(model_lists)
        templates: dict[str, list[str]] = prepared["templates"]
        slot_lists = SlotLists(lists)
        self._intents = IndexedIntents(templates, slot_lists, prepared["analysis"])
        # A second, looser reading where any words can fill a number slot, as on Alexa:
        # "hold for banana" is still a hold request, with "?" for the number. The lists
        # are parsed once (the strict reading's), with the number list swapped.
        self._loose = IndexedIntents(
            _loose(templates, self._slot_types),
            slot_lists.overriding({"AMAZON_NUMBER": {"wildcard": True}}),
            prepared["loose_analysis"],
        )
        self._spotters = {
            slot_type: Phrases(model_lists[_list_name(slot_type)]["values"])
            for slot_type in (SYMPTOM_TYPE, ALSO_SPOTTED[1])
            if _list_name(slot_type) in model_lists
        }
        # Every slot type's phrases, for filling the slots of a guessed intent.
        self._lists = model_lists
        self._fillers: dict[str, Phrases] = dict(self._spotters)

    @property
    def recogniser(self) -> Recogniser | None:
        """The trained recogniser. One given as a file is read the first time a sentence
        needs it, so a fresh start answers exact matches and warning signs without
        waiting for it; `recogniser_load_s` is how long reading it took."""
        if self._recogniser is None and self._recogniser_file is not None:
            started = time.process_time()
            with _collector_paused():
                self._recogniser = Recogniser.load(self._recogniser_file)
            self.recogniser_load_s = time.process_time() - started
        return self._recogniser

    def understand(self, text: str, today: date | None = None) -> Recognition:
        """The best reading of a sentence; LaunchRequest for nothing, fallback for nonsense.

        Warning signs first (safety wins), then an exact match of the model's samples,
        then the recogniser's guess if it is sure enough."""
        words = normalize(text)
        if not words or _LAUNCH.match(words):
            return Recognition(LAUNCH)
        words = _unlike(_ONE_SHOT.sub("", words))
        clauses = [_unlike(normalize(clause)) for clause in CLAUSE_BREAK.split(text)]
        spotted = self._spot_red_flags(words, [c for c in clauses if c])
        if spotted is not None:
            return spotted
        today = today or date.today()
        plain = _plain(words)
        readings = _readings(words, plain)
        best = self._read(readings, self._intents) or self._loose_read(readings)
        if best is None:
            return self._guess(plain, today)
        name = best.intent.name
        types = self._slot_types.get(name, {})
        slots = {
            slot: self._fill(types[slot], entity.value, entity.text, today)
            for slot, entity in best.entities.items()
            if slot in types
        }
        return Recognition(name, slots, types)

    def _loose_read(self, readings: tuple[str, ...]) -> RecognizeResult | None:
        """The loose reading, if what stands for the number could be one: a word or two
        ("hold for banana", as Alexa hears it) or words with a number in them, never a
        whole other request ("count the calories in a banana" is out of the domain) nor
        a thing named with "the" or "my" ("count the eggs": no one says a number so)."""
        best = self._read(readings, self._loose)
        if best is None:
            return None
        for name, entity in best.entities.items():
            said = str(entity.text).split()
            if self._slot_types[best.intent.name].get(name) != "AMAZON.NUMBER":
                continue
            if _DURATION_SAID.search(" ".join(said)):
                # "time a one minute stretch": a duration, which the guess reads whole.
                return None
            if _NUMBER_PHRASE.search(" ".join(said)):
                continue
            if len(said) > LOOSE_NUMBER_WORDS or said[0] in _NOT_A_NUMBER:
                return None
        return best

    def _read(self, readings: tuple[str, ...], intents: IndexedIntents) -> RecognizeResult | None:
        for reading in readings:
            best = self._best(list(intents.recognize_all(reading)))
            if best is not None:
                return best
        return None

    def _guess(self, words: str, today: date) -> Recognition:
        """The recogniser's reading of words no sample matches: its intent if the score
        clears the threshold, with slots from the longest slot values in the words."""
        recogniser = self.recogniser
        if recogniser is None:
            return Recognition(FALLBACK_INTENT)
        guess = recogniser.guess(words)
        if guess.intent == RED_FLAG_INTENT:
            # The sign spotter has already read these words and found no sign happening
            # now (negated, over, or asked about): never a warning, the next reading.
            guess = recogniser.guess_without(words, RED_FLAG_INTENT)
        if guess.intent == FALLBACK_INTENT or guess.score < recogniser.threshold:
            return Recognition(FALLBACK_INTENT, by="recogniser")
        if guess.score < recogniser.threshold + FRAGMENTS_MARGIN and not recogniser.knows_a_word(
            words
        ):
            return Recognition(FALLBACK_INTENT, by="recogniser")
        types = self._slot_types.get(guess.intent, {})
        slots = self._slots_in(words, types, today)
        if guess.intent in self._needs_slot and not slots:
            return Recognition(FALLBACK_INTENT, by="recogniser")
        return Recognition(guess.intent, slots, types, by="recogniser")

    def _slots_in(self, words: str, types: dict[str, str], today: date) -> dict[str, SlotFill]:
        """Each slot filled by the longest of its values found in the words, no two slots
        sharing words (longer finds claim their words first). Set phrases that hold a slot
        value and mean something else ("right now") are not read for slots."""
        words = _NOT_SLOT_VALUES.sub(lambda match: " " * len(match.group(0)), words)
        found: list[tuple[int, int, str, SlotFill]] = []
        for slot, slot_type in types.items():
            for start, end, value in self._values_in(words, slot_type):
                found.append(
                    (start, end, slot, self._fill(slot_type, value, words[start:end], today))
                )
        found.sort(key=lambda item: (item[0] - item[1], item[0]))
        slots: dict[str, SlotFill] = {}
        taken: list[tuple[int, int]] = []
        for start, end, slot, fill in found:
            if slot in slots or any(start < e and s < end for s, e in taken):
                continue
            slots[slot] = fill
            taken.append((start, end))
        return slots

    def _values_in(self, words: str, slot_type: str) -> list[tuple[int, int, object]]:
        """(start, end, value) of every phrase of a slot type in the words."""
        if slot_type == "AMAZON.NUMBER":
            return [
                (match.start(), match.end(), int(number))
                for match in _NUMBER_PHRASE.finditer(words)
                if (number := spoken_number(match.group(0))) != UNREADABLE_NUMBER
            ]
        spotter = self._filler(slot_type)
        if spotter is None:
            return []
        return [(start, end, value) for start, end, _, value in spotter.find(words)]

    def _filler(self, slot_type: str) -> Phrases | None:
        """A slot type's phrases for filling slots, built the first time one is needed."""
        if slot_type not in self._fillers:
            values = self._lists.get(_list_name(slot_type), {}).get("values")
            if values is None:
                return _builtin_spotter(slot_type)
            self._fillers[slot_type] = Phrases(values)
        return self._fillers[slot_type]

    def intents_matching(self, text: str) -> set[str]:
        """Every intent whose samples match the words exactly (model conflict checks)."""
        words = normalize(text)
        return {result.intent.name for result in self._intents.recognize_all(words)}

    @staticmethod
    def _best(results: list[RecognizeResult]) -> RecognizeResult | None:
        """The reading that matched the most literal words (warning signs were looked for
        before any reading, so none is needed here)."""
        if not results:
            return None
        return max(results, key=lambda result: result.text_chunks_matched)

    def _spot_red_flags(self, words: str, clauses: list[str]) -> Recognition | None:
        """Warning-sign phrases in any clause, unless negated in their own clause or over:
        the most severe in "symptom", the next (a different sign) in "also"."""
        if MUSIC_REQUEST.match(words):
            return None
        found = [
            sign
            for number, clause in enumerate(clauses)
            for sign in _spot_signs(self._spotters, clause, " ".join(clauses[number + 1 :]))
        ]
        found += _signs_in_any_words(words, clauses)
        found = [sign for sign in found if not _ruled_out(sign[0], words)]
        if not found:
            return None
        distinct: dict[str, str] = {}
        for symptom, phrase in found:
            distinct.setdefault(symptom, phrase)
        ranked = sorted(distinct.items(), key=lambda sign: self._severity(sign[0]))
        today = date.today()
        slots = {
            slot: self._fill(SYMPTOM_TYPE, symptom, phrase, today)
            for slot, (symptom, phrase) in zip(SIGN_SLOTS, ranked, strict=False)
        }
        muscle_slot, muscle_type = ALSO_SPOTTED
        muscles = _spot_all(self._spotters.get(muscle_type), words)
        if muscles:
            slots[muscle_slot] = self._fill(muscle_type, muscles[0][0], muscles[0][1], today)
        return Recognition(RED_FLAG_INTENT, slots, self._slot_types[RED_FLAG_INTENT])

    def _fill(self, slot_type: str, value: object, text: str, today: date) -> SlotFill:
        spoken = text.strip()
        if slot_type == "AMAZON.NUMBER":
            # The strict reading's range list gives a number; the loose one, the words.
            if isinstance(value, int | float):
                return SlotFill(str(int(value)))
            number = spoken_number(str(value))
            if number == UNREADABLE_NUMBER:
                # Alexa reads the number out of "thirty secs" or "forty please" too.
                found = _NUMBER_PHRASE.search(normalize(str(value)))
                number = spoken_number(found.group(0)) if found else number
            return SlotFill(number)
        if slot_type == "AMAZON.DATE":
            return SlotFill((today + timedelta(days=int(str(value)))).isoformat())
        if slot_type in ("AMAZON.DURATION", "AMAZON.TIME"):
            return SlotFill(str(value))
        names = self._canonical.get(slot_type, {})
        return SlotFill(spoken, id=str(value), name=names.get(str(value)))


def _typed_forms(abbreviation: re.Match[str]) -> str:
    """ "g. p." as a hassil choice of the ways it is typed: "(g p|gp)"."""
    letters = abbreviation.group(0).replace(".", "").split()
    return f"({' '.join(letters)}|{''.join(letters)})"


class Phrases:
    """Every phrase of a slot list, found in words by whole words, longest first at each
    place (a dictionary of word sequences: thousands of phrases cost nothing to build)."""

    def __init__(self, values: list[dict]) -> None:
        self._ids: dict[tuple[str, ...], object] = {
            _words_of(value["in"]): value["out"] for value in values if value["in"]
        }
        self._first = {words[0] for words in self._ids}
        self._longest = max(map(len, self._ids), default=0)

    def find(self, words: str) -> list[tuple[int, int, str, object]]:
        """(start, end, phrase, id) of each phrase in the words, left to right."""
        if "'" not in words and self._first.isdisjoint(words.split()):
            # Without an apostrophe the tokens are the words between spaces, and no
            # phrase starts with any of them.
            return []
        spans = _tokens(words)
        tokens = [words[start:end] for start, end in spans]
        found = []
        at = 0
        while at < len(tokens):
            if tokens[at] in self._first:
                for size in range(min(self._longest, len(tokens) - at), 0, -1):
                    key = tuple(tokens[at : at + size])
                    if key in self._ids:
                        start, end = spans[at][0], spans[at + size - 1][1]
                        found.append((start, end, words[start:end], self._ids[key]))
                        at += size
                        break
                else:
                    at += 1
            else:
                at += 1
        return found


# Words, with a possessive or "is" ending ("calf's", "it's") as a word of its own, so
# "my calf's gone tight" holds the phrase "calf".
_WORD = re.compile(r"'s\b|[^\s']+(?:'(?!s\b)[^\s']+)*")


def _tokens(text: str) -> list[tuple[int, int]]:
    return [(match.start(), match.end()) for match in _WORD.finditer(text)]


def _words_of(text: str) -> tuple[str, ...]:
    """The words of a phrase as `_tokens` finds them (without an apostrophe, they are
    the words between spaces: thousands of phrases are read at a fresh start)."""
    if "'" not in text:
        return tuple(text.split())
    return tuple(text[start:end] for start, end in _tokens(text))


@cache
def _builtin_spotter(slot_type: str) -> Phrases | None:
    """Durations and dates as phrases, resolved the way the exact reading resolves them."""
    name = _list_name(slot_type)
    values = _builtin_list(name).get("values") if name in BUILTIN_LISTS else None
    if values is None:
        return None
    if slot_type == "AMAZON.DURATION":
        extra = [
            {"in": f"{lead} {value['in']}", "out": value["out"]}
            for value in values
            for lead in ("the last", "the past")
        ] + [{"in": "fortnight", "out": "P2W"}]
        # "over the past year": one of the unit, as Alexa reads it (weeks and months are
        # in the list itself, see _duration_values).
        extra += [{"in": f"{lead} year", "out": "P1Y"} for lead in ("the last", "the past")]
        # Typed short forms: "30 secs", "2 mins".
        extra += [
            {"in": value["in"].replace(long, short), "out": value["out"]}
            for value in values
            for long, short in (("seconds", "secs"), ("second", "sec"), ("minutes", "mins"))
            if value["in"].endswith(long)
        ]
        values = values + extra
    return Phrases(values)


def _spot_all(spotter: Phrases | None, words: str) -> list[tuple[str, str]]:
    """Every phrase found that is not negated, in order: (id, phrase)."""
    return [(symptom, phrase) for symptom, phrase, _, _ in _spot_spans(spotter, words)]


def _negated(before: list[str]) -> bool:
    """Is a sign after these words negated? Only by a negation within a few words and with
    no new clause starting between it and the sign."""
    if before and before[-1] in NEGATIONS_JUST_BEFORE:
        return True
    for distance, word in enumerate(reversed(before[-NEGATION_WINDOW:])):
        if word in NEGATIONS:
            return True
        if distance < NEGATION_WINDOW and word in CLAUSE_STARTS:
            return False
    return False


def _spot_signs(spotters: dict[str, Phrases], clause: str, later: str) -> list[tuple[str, str]]:
    """The warning signs said as happening now in one clause: not negated, not long ago,
    not a question about signs in general, and not said in the past with the words after
    it saying it is over ("I had chest pain earlier but it's gone now")."""
    if LONG_AGO.search(clause) or HYPOTHETICAL.search(clause):
        return []
    return [
        (symptom, phrase)
        for symptom, phrase, start, end in _spot_spans(spotters.get(SYMPTOM_TYPE), clause)
        if not _over(clause, start, end, later)
    ]


def _over(clause: str, start: int, end: int, later: str) -> bool:
    """Is the sign at clause[start:end] said in the past, with the words after it saying
    it is over?"""
    before = clause[:start].split()[-NEGATION_WINDOW:]
    said_in_past = SAID_IN_PAST.search(" ".join(before)) or SAID_IN_PAST.search(
        " ".join(clause[end:].split()[:3])
    )
    return bool(said_in_past and IT_IS_OVER.search(f"{clause[end:]} {later}"))


# Each row's sign compiled now (every sentence is searched for it); its context only when
# a sentence first has the sign (a fresh start should not wait for them all).
_ANY_WORDS = [
    (symptom, re.compile(patterns[-1]), patterns[:-1])
    for symptom, patterns in SIGN_COMBINATIONS + EVERYDAY_SIGNS
]
_context = cache(re.compile)


def _ruled_out(symptom: str, words: str) -> bool:
    unless = EVERYDAY_UNLESS.get(symptom)
    return unless is not None and unless.search(words) is not None


def _said(pattern: re.Pattern[str], words: str) -> bool:
    """Is the pattern somewhere in the words, not negated ("I didn't hurt it")?"""
    return any(not _negated(words[: match.start()].split()) for match in pattern.finditer(words))


def _signs_in_any_words(words: str, clauses: list[str]) -> list[tuple[str, str]]:
    """Signs said in any words (SIGN_COMBINATIONS, EVERYDAY_SIGNS): the context anywhere
    in the words, the sign itself in a clause that holds it as happening now, as for the
    model's phrases."""
    found: list[tuple[str, str]] = []
    # (clause, the words after it) for each clause not about the past or signs in general.
    now = [
        (clause, " ".join(clauses[number + 1 :]))
        for number, clause in enumerate(clauses)
        if not LONG_AGO.search(clause) and not HYPOTHETICAL.search(clause)
    ]
    for symptom, sign, context in _ANY_WORDS:
        # The sign first: most sentences have none, and it is one search.
        if not sign.search(words) or not all(
            _said(_context(pattern), words) for pattern in context
        ):
            continue
        for clause, later in now:
            match = sign.search(clause)
            if (
                match
                and not _negated(clause[: match.start()].split())
                and not _over(clause, match.start(), match.end(), later)
            ):
                found.append((symptom, match.group(0)))
                break
    return found


def _spot_spans(spotter: Phrases | None, words: str) -> list[tuple[str, str, int, int]]:
    """Every phrase found that is not negated, with where it is: (id, phrase, start, end)."""
    if spotter is None:
        return []
    return [
        (str(value), phrase, start, end)
        for start, end, phrase, value in spotter.find(words)
        if not _negated(words[:start].split())
    ]


def warning_level(result: Recognition, locale: str) -> str | None:
    """The warning level the skill answers a reading with: its most severe sign's (None
    for a reading that is not a warning sign)."""
    if result.intent != RED_FLAG_INTENT:
        return None
    content = content_for(locale)
    symptom = content.most_severe(
        fill.id for slot, fill in result.slots.items() if slot in SIGN_SLOTS
    )
    return content.red_flag_level(symptom)


def for_locale(locale: str) -> LocalUnderstanding:
    """The understanding for a locale the skill has a model for, else en-US's. Only known
    locales reach the cache, so a client sending made-up locales cannot grow it."""
    return _understanding(locale if locale in LOCALES else DEFAULT_LOCALE)


@cache
def _understanding(locale: str) -> LocalUnderstanding:
    """Built on first use (building takes a moment), then kept."""
    return fresh(locale)


def fresh(locale: str) -> LocalUnderstanding:
    """A new understanding for a locale, with its trained recogniser (read when first
    needed; a missing file is an error now, not at the first sentence it would read)."""
    path = recogniser_path(locale)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: run `make models`")
    return _built(locale, path)


def exact_only(locale: str) -> LocalUnderstanding:
    """A locale's understanding without the recogniser: hassil's exact matches alone."""
    return _built(locale, None)


def _built(locale: str, recogniser_file: Path | None) -> LocalUnderstanding:
    """Warning signs are ranked by the locale's own content, the same levels the skill
    answers with."""
    with _collector_paused():
        model = json.loads(model_path(locale).read_text(encoding="utf-8"))
        prepared = json.loads(prepared_path(locale).read_text(encoding="utf-8"))
        return LocalUnderstanding(
            model,
            severity=content_for(locale).severity,
            recogniser_file=recogniser_file,
            prepared=prepared,
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while an understanding is built. Building makes
    a few hundred thousand objects and no garbage; the collector, which runs every few
    hundred new objects and now and then walks every object alive, took a third of the
    build's time (30 ms of a fresh start's first answer)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
