"""The one refusal the lexicon code raises: what is wrong, and where in the upload.

Every way a lexicon upload can fail (too big, not XML, a DTD, an unknown alphabet, a syllable
pinyin does not know, a field pydantic refuses) ends as a ``LexiconProblem``, so the gateway
renders one clean problem+json naming the field and never lets a parser's own exception turn
into a 500.
"""

from __future__ import annotations

from pydantic import ValidationError


class LexiconProblem(ValueError):
    """``field``: where, JSON-pointer-ish ("body", "lexeme[3].phoneme", "entries[2].alias");
    ``message``: what is wrong, in words a user can act on."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def under(self, prefix: str) -> LexiconProblem:
        """The same problem, located inside ``prefix`` (e.g. "phoneme" -> "lexeme[3].phoneme")."""
        return LexiconProblem(f"{prefix}.{self.field}" if self.field else prefix, self.message)


def location(loc: tuple[int | str, ...], *, prefix: str = "") -> str:
    """pydantic's ("entries", 2, "alias") as "entries[2].alias"."""
    text = prefix
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "body"


def from_validation(error: ValidationError, *, prefix: str = "") -> LexiconProblem:
    """The first thing pydantic refused, located; the rest follow once that one is fixed."""
    first = error.errors(include_url=False, include_input=False)[0]
    # A model validator's loc stops at the model: the message says which part is wrong.
    message = str(first["msg"]).removeprefix("Value error, ")
    return LexiconProblem(location(tuple(first["loc"]), prefix=prefix), message)
