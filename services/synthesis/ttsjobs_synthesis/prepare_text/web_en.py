"""Web and e-mail addresses as they are read aloud: https://www.example.com/a → w w w dot example
dot com slash a; john.smith@example.com → john dot smith at example dot com.

Consumes matches of ``URL``, ``EMAIL`` or ``DOMAIN`` (rules of normalise_en); emits the words.
"""

from __future__ import annotations

import regex

from ttsjobs_synthesis.prepare_text import number_words_en as words

# Each pattern starts only where no character of its own kind precedes, so a long run of address
# characters is tried once, not once per character. A URL's last character may not be sentence
# punctuation: the star gives back only that trailing punctuation.
URL = (
    r"(?<![\w@/.])(?:https?://|www\.)"
    r"[^\s<>\"'()\[\]{}]*[^\s<>\"'()\[\]{}.,;:!?]"
)
EMAIL = r"(?<![\w.+-])[\w.+-]++@[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)++"
TOP_LEVEL = "com|org|net|io|dev|ai|gov|edu|co|uk|tw|app|info"
DOMAIN = (
    r"(?<![\w@.-])[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)++"
    rf"(?<=\.(?i:{TOP_LEVEL}))(?![\w-]|\.[A-Za-z0-9])"
)

SYMBOLS = {
    ".": "dot",
    "@": "at",
    "/": "slash",
    "-": "dash",
    "_": "underscore",
    ":": "colon",
    "?": "question mark",
    "=": "equals",
    "&": "and",
    "#": "hash",
    "+": "plus",
    "%": "percent",
    "~": "tilde",
}
_PIECES = regex.compile(r"[^\W\d_]++|[0-9]++|.", regex.DOTALL)


def say_address(m: regex.Match[str]) -> str:
    address = regex.sub(r"^https?://", "", m.group()).rstrip("/")
    said = []
    for piece in _PIECES.findall(address):
        if piece.isdigit():
            said.append(words.digit_by_digit(piece))
        elif piece.lower() == "www":
            said.append("w w w")
        else:
            said.append(SYMBOLS.get(piece, piece))
    return " ".join(said)
