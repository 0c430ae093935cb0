"""Which writing systems a voice can read, by the Unicode Script property (the ``regex`` package).

Arabic sent to an English voice is not an engine failure to retry: engines read such text as
letter names ("Arabic meem, Arabic ra, …"), so the gateway refuses it with a 422 naming the
turn and the script, and synthesis checks again. Casting uses the same table to pick a voice
that can read a speaker's lines.

The rules:
- Common and Inherited characters (digits, punctuation, symbols, emoji, combining marks) and
  those of no script (Unknown: private use) are read by every voice.
- Each language lists the scripts it is written in (``_WRITTEN_IN``). Latin is read by every
  voice too: names, brands and acronyms are written in it everywhere, and the engines read it
  (espeak-ng switches to English for a Latin word; the Mandarin G2P reads English words).
- A script subtag in a voice's language adds its script (``fa-Latn``, ``en-Shaw``).
- A language this table does not know reads everything: an unknown language never blocks.
- Where an engine reads less than its language is written in, ``_ENGINE_READS`` says so
  (espeak-ng's Japanese reads kana, not kanji).

Matching is on the NFC form of the text (see ``ttsjobs.contracts.strings.nfc``); what is stored
is what the user sent.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable

import regex

from ttsjobs.contracts.strings import nfc

# Scripts by their Unicode long name (Script property value) and ISO 15924 code: the living
# scripts people send and engines read. A character of another script is named by its code point.
SCRIPT_CODES = {
    "Latin": "Latn", "Greek": "Grek", "Cyrillic": "Cyrl", "Armenian": "Armn", "Hebrew": "Hebr",
    "Arabic": "Arab", "Syriac": "Syrc", "Thaana": "Thaa", "Nko": "Nkoo", "Devanagari": "Deva",
    "Bengali": "Beng", "Gurmukhi": "Guru", "Gujarati": "Gujr", "Oriya": "Orya", "Tamil": "Taml",
    "Telugu": "Telu", "Kannada": "Knda", "Malayalam": "Mlym", "Sinhala": "Sinh", "Thai": "Thai",
    "Lao": "Laoo", "Tibetan": "Tibt", "Myanmar": "Mymr", "Georgian": "Geor", "Hangul": "Hang",
    "Ethiopic": "Ethi", "Cherokee": "Cher", "Canadian_Aboriginal": "Cans", "Ogham": "Ogam",
    "Runic": "Runr", "Khmer": "Khmr", "Mongolian": "Mong", "Hiragana": "Hira",
    "Katakana": "Kana", "Bopomofo": "Bopo", "Han": "Hani", "Yi": "Yiii", "Tifinagh": "Tfng",
    "Javanese": "Java", "Balinese": "Bali", "Sundanese": "Sund", "Ol_Chiki": "Olck",
    "Vai": "Vaii", "Adlam": "Adlm", "Shavian": "Shaw", "Deseret": "Dsrt", "Coptic": "Copt",
    "Glagolitic": "Glag", "Braille": "Brai", "Lisu": "Lisu", "Tai_Le": "Tale",
    "Meetei_Mayek": "Mtei", "Chakma": "Cakm", "Hanifi_Rohingya": "Rohg", "Osage": "Osge",
}  # fmt: skip
_READ_BY_ALL = ("Common", "Inherited", "Unknown", "Latin")
# ISO 15924 codes that stand for several scripts (BCP 47 uses them: zh-Hant, ja-Jpan).
_SCRIPT_GROUPS = {
    "Hans": {"Han"},
    "Hant": {"Han", "Bopomofo"},
    "Jpan": {"Han", "Hiragana", "Katakana"},
    "Kore": {"Hangul", "Han"},
    "Hrkt": {"Hiragana", "Katakana"},
}
_BY_CODE = {code.lower(): {name} for name, code in SCRIPT_CODES.items()} | {
    code.lower(): names for code, names in _SCRIPT_GROUPS.items()
}

# Languages (BCP 47 primary subtags, espeak-ng's among them) by the scripts they are written in.
_WRITTEN_IN: dict[tuple[str, ...], str] = {
    ("Latin",): "af an az bs ca cs cy da de en eo es et eu fi fil fr fy ga gd gl gn ha haw hr "
    "ht hu ia id ig io is it jbo jv kl ku la lb lfn lt ltg lv mg mi ms mt mto nb nci nl nn no "
    "ny om pap piqd pl pt py qdb qu quc qya rm ro rw sjn sk sl sm smj sn so sq sv sw tk tl tn "
    "tr vi wo xh yo zu",  # ku: Kurmanji (espeak-ng spells Sorani's Arabic script out)
    ("Cyrillic",): "ba be bg cv kk ky mk mn nog ru sr tg tt uk",
    ("Cyrillic", "Latin"): "uz",
    ("Greek",): "el grc",
    ("Armenian",): "hy hyw",
    ("Georgian",): "ka",
    ("Hebrew",): "he iw yi",
    ("Arabic",): "ar ckb fa ps ug ur",
    ("Arabic", "Devanagari"): "sd",
    ("Devanagari",): "hi kok mai mr ne sa",
    ("Bengali",): "as bn bpy",
    ("Gurmukhi",): "pa",
    ("Gujarati",): "gu",
    ("Oriya",): "or",
    ("Tamil",): "ta",
    ("Telugu",): "te",
    ("Kannada",): "kn",
    ("Malayalam",): "ml",
    ("Sinhala",): "si",
    ("Thai",): "th",
    ("Lao",): "lo",
    ("Khmer",): "km",
    ("Myanmar",): "my shn",
    ("Tibetan",): "bo dz",
    ("Ethiopic",): "am ti",
    ("Cherokee",): "chr",
    ("Thaana",): "dv",
    ("Han", "Bopomofo"): "zh cmn",
    ("Han",): "yue hak nan wuu",
    ("Han", "Hiragana", "Katakana"): "ja",
    ("Hangul",): "ko",
}
_LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    language: frozenset(scripts)
    for scripts, languages in _WRITTEN_IN.items()
    for language in languages.split()
}
# (provider, language): what that engine reads where it reads less than the language is
# written in. Found by asking espeak-ng for phonemes: these read the rest as letter names
# ("Chinese letter") or not at all.
_ENGINE_READS: dict[tuple[str, str], frozenset[str]] = {
    ("espeak", "ja"): frozenset({"Hiragana", "Katakana"}),  # kana only
    ("espeak", "hak"): frozenset(),  # Hakka in romanisation
    ("espeak", "chr"): frozenset(),  # Cherokee in romanisation: the syllabary is silent
}
# For text in a script and no language wish: the language casting prefers among the voices
# that read it (Han alone is Mandarin's before Cantonese's or Japanese's).
PREFERRED_LANGUAGE = {
    "Han": "zh", "Bopomofo": "zh", "Hiragana": "ja", "Katakana": "ja", "Hangul": "ko",
    "Cyrillic": "ru", "Arabic": "ar", "Devanagari": "hi", "Greek": "el", "Hebrew": "he",
    "Bengali": "bn", "Armenian": "hy", "Georgian": "ka", "Thai": "th", "Ethiopic": "am",
    "Myanmar": "my",
}  # fmt: skip

_NAMED = regex.compile("|".join(f"(?P<{name}>\\p{{sc={name}}})" for name in SCRIPT_CODES))


def script_of(char: str) -> str:
    """The Unicode script of one character, by its long name (``U+XXXX`` if not a listed one)."""
    found = _NAMED.match(char)
    if found is not None and found.lastgroup is not None:
        return found.lastgroup
    return f"U+{ord(char):04X}"


@functools.lru_cache(maxsize=256)
def _outside(scripts: frozenset[str], *, listed_only: bool = False) -> regex.Pattern[str]:
    """A character of none of ``scripts``; ``listed_only``: and of a script SCRIPT_CODES lists."""
    # Each name is a Script value from SCRIPT_CODES or _READ_BY_ALL, never user input.
    if listed_only:
        wanted = "".join(f"\\p{{sc={s}}}" for s in SCRIPT_CODES if s not in scripts)
        return regex.compile(f"[{wanted}]" if wanted else "(?!)")
    known = "".join(f"\\p{{sc={s}}}" for s in sorted(scripts))
    return regex.compile(f"[^{known}]")


def scripts_in(text: str, *, besides: Iterable[str] = ()) -> dict[str, int]:
    """The scripts of ``text`` other than those every voice reads and ``besides``: each with the
    index (in the NFC form) of its first character, in order. One search per script found; the
    first character of a script SCRIPT_CODES does not list stands for all such (``U+XXXX``)."""
    text = nfc(text)
    skip = frozenset((*_READ_BY_ALL, *besides))
    found: dict[str, int] = {}
    position, others_seen = 0, False
    while (char := _outside(skip, listed_only=others_seen).search(text, position)) is not None:
        script = script_of(char.group())
        found.setdefault(script, char.start())
        if script.startswith("U+"):
            others_seen = True  # from here on, only the listed scripts are looked for
            position = char.end()
        else:
            skip = skip | {script}
            position = char.start()
    return found


@functools.lru_cache(maxsize=1024)
def reads(language: str, *, provider: str | None = None) -> frozenset[str] | None:
    """The scripts a voice of ``language`` reads besides Common and Latin; None: anything (a
    language this table does not know)."""
    subtags = language.replace("_", "-").lower().split("-")
    primary = subtags[0]
    written = _ENGINE_READS.get((provider or "", primary), _LANGUAGE_SCRIPTS.get(primary))
    if written is None:
        return None
    extra: set[str] = set()
    for subtag in subtags[1:]:
        if len(subtag) == 4:
            extra |= _BY_CODE.get(subtag, set())
    return written | extra


def unreadable(text: str, language: str, *, provider: str | None = None) -> str | None:
    """The first script of ``text`` that a voice of ``language`` cannot read, or None."""
    readable = reads(language, provider=provider)
    if readable is None:
        return None
    found = _outside(frozenset((*_READ_BY_ALL, *readable))).search(nfc(text))
    return None if found is None else script_of(found.group())


def script_problem(text: str, language: str, *, provider: str | None = None) -> str | None:
    """Why a voice of ``language`` cannot read ``text``, or None when it can."""
    script = unreadable(text, language, provider=provider)
    if script is None:
        return None
    return f"the text has {describe(script)}, which a voice of {language} cannot read"


def describe(script: str) -> str:
    """``Arabic characters``; a script outside the listed ones by its first character's name."""
    if script.startswith("U+"):
        name = unicodedata.name(chr(int(script[2:], 16)), "")
        return f"characters of another script ({script} {name})".replace(" )", ")")
    return f"{script.replace('_', ' ')} characters"


def has_script(text: str, script: str) -> bool:
    """Whether ``text`` (in NFC) holds a character of ``script`` (a name ``scripts_in`` gives)."""
    if script.startswith("U+"):
        return chr(int(script[2:], 16)) in nfc(text)
    return regex.search(f"\\p{{sc={script}}}", nfc(text)) is not None
