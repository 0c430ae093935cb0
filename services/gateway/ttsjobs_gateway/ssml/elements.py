"""What each SSML element does to the turns (turns.py), as a SAX handler: no tree is built, so
depth costs a stack entry, not a recursion; the reader (reading.py) caps depth and count.

Kept as text, and listed as warnings: ``<emphasis>``, ``<audio>`` (its fallback text),
vendor extensions (``amazon:*``, ``mstts:*``, ``google:*``…) and elements SSML does not have.
Not read aloud: ``<desc>``, ``<meta>``, ``<metadata>``, ``<lexicon>`` (never fetched).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl

from ttsjobs.contracts.single import NARRATOR
from ttsjobs_gateway.ssml import values
from ttsjobs_gateway.ssml.turns import Delivery, TurnBuilder
from ttsjobs_gateway.ssml.voices import Role, role_of

SILENT = frozenset({"desc", "meta", "metadata", "lexicon", "lookup"})
PLAIN = frozenset({"speak", "w", "token"})  # text as written, nothing to warn of
MARKUP = frozenset({"sub", "phoneme", "say-as"})


class Refused(Exception):
    """The document is not one to read (the reader answers it as a 422 naming ``body``)."""


@dataclass(frozen=True)
class Scope:
    delivery: Delivery
    role_language: str | None  # the speaker's language, for a phoneme's alphabet
    silent: bool = False  # inside <desc> and the like
    markup: str | None = None  # inside <sub>, <phoneme> or <say-as>: its name
    markup_start: int = 0
    markup_how: dict[str, Any] | None = None  # the span's fields; None: text as written


class SsmlHandler(ContentHandler):
    """Reads a ``<speak>`` document into turns, roles and warnings."""

    def __init__(self, voice_ids: Collection[str], narrator: Role) -> None:
        super().__init__()
        self.voice_ids = voice_ids
        self.narrator = narrator
        self.builder = TurnBuilder()
        self.roles: dict[str, dict[str, Any]] = {}
        self.unread: Counter[str] = Counter()  # elements kept as text, by name
        self.scopes: list[Scope] = []
        self.language: str | None = None  # the <speak>'s xml:lang

    @property
    def warnings(self) -> list[str]:
        kept = [
            f"{name} is not read{f' ({n} times)' if n > 1 else ''}; its text is read as written"
            for name, n in self.unread.items()
        ]
        return list(dict.fromkeys(kept + self.builder.warnings))

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        attributes = dict(attrs.items())
        if not self.scopes:
            self._speak(name, attributes)
            return
        scope = self.scopes[-1]
        if scope.silent or name in SILENT:
            self.scopes.append(dataclasses.replace(scope, silent=True))
            return
        if scope.markup is not None:
            self.unread[f"<{name}> inside <{scope.markup}>"] += 1
            self.scopes.append(scope)
            return
        start = _STARTS.get(name)
        if start is None:
            if name not in PLAIN:
                self.unread[f"<{name}>"] += 1
            self.scopes.append(scope)
            return
        self.scopes.append(start(self, scope, attributes))

    def endElement(self, name: str) -> None:
        scope = self.scopes.pop()
        if scope.silent or not self.scopes:
            return
        if name in ("s", "p") and self.scopes[-1].markup is None:
            pause = values.SENTENCE_PAUSE_MS if name == "s" else values.PARAGRAPH_PAUSE_MS
            self.builder.boundary(structural=pause)
        elif name in MARKUP and self.scopes[-1].markup is None and scope.markup_how is not None:
            self.builder.span(scope.markup_start, scope.markup_how, f"<{name}>")

    def characters(self, content: str) -> None:
        scope = self.scopes[-1] if self.scopes else None
        if scope is None or scope.silent or not content:
            return
        self.builder.text(content, scope.delivery)

    # What each element starts.

    def _speak(self, name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(":")[2] != "speak":
            raise Refused(f"the root element is <{name[:40]}>; SSML's is <speak>")
        self.language = attrs.get("xml:lang", "").strip() or None
        if self.language and not self.narrator.assignment:  # the document's language, as a wish
            self.narrator = Role(NARRATOR, {"language": self.language}, self.language)
        language = self.narrator.language or self.language
        self.scopes.append(Scope(Delivery(self.narrator.speaker), language))

    def _voice(self, scope: Scope, attrs: dict[str, str]) -> Scope:
        role = role_of(attrs, self.voice_ids, self.language)
        self.roles.setdefault(role.speaker, role.assignment)
        self.builder.boundary()
        # Prosody around a voice still holds in it; the language is the voice's own.
        delivery = dataclasses.replace(scope.delivery, speaker=role.speaker, language=None)
        return Scope(delivery, role.language)

    def _sentence(self, scope: Scope, attrs: dict[str, str]) -> Scope:
        self.builder.boundary()
        return self._lang(scope, attrs) if "xml:lang" in attrs else scope

    def _lang(self, scope: Scope, attrs: dict[str, str]) -> Scope:
        language = attrs.get("xml:lang", "").strip()
        if not language:
            self.builder.warnings.append("<lang> without xml:lang; ignored")
            return scope
        delivery = dataclasses.replace(scope.delivery, language=language)
        return Scope(delivery, language)

    def _break(self, scope: Scope, attrs: dict[str, str]) -> Scope:
        ms, warning = values.break_ms(attrs.get("time"), attrs.get("strength"))
        if warning:
            self.builder.warnings.append(warning)
        if ms > 0 or attrs.get("strength") != "none":
            self.builder.boundary(break_ms=ms)
        return scope

    def _prosody(self, scope: Scope, attrs: dict[str, str]) -> Scope:
        delivery = scope.delivery
        for attr, read in (("rate", values.rate), ("volume", values.volume),
                           ("pitch", values.pitch)):  # fmt: skip
            if attr not in attrs:
                continue
            field = {"rate": "speed"}.get(attr, attr)
            current = getattr(delivery, field)
            value, warning = read(attrs[attr], 1.0 if current is None else current)
            if warning:
                self.builder.warnings.append(warning)
            if value is not None:
                kept = None if value == 1.0 else value  # the voice's own: as if not said
                delivery = dataclasses.replace(delivery, **{field: kept})  # type: ignore[arg-type]
        for other in sorted(set(attrs) - {"rate", "volume", "pitch"}):
            self.unread[f"<prosody {other}>"] += 1
        return dataclasses.replace(scope, delivery=delivery)

    def _mark(self, scope: Scope, attrs: dict[str, str]) -> Scope:
        name = attrs.get("name", "").strip()
        if name:
            self.builder.mark(name[:64])
        else:
            self.builder.warnings.append("<mark> without a name; ignored")
        return scope

    def _markup(self, name: str, how: dict[str, Any] | None, scope: Scope) -> Scope:
        self.builder.opened(scope.delivery)  # a delivery that changed starts its turn first
        return dataclasses.replace(
            scope, markup=name, markup_start=self.builder.offset(), markup_how=how
        )

    def _sub(self, scope: Scope, attrs: dict[str, str]) -> Scope:
        alias = attrs.get("alias", "").strip()
        if not alias:
            self.builder.warnings.append("<sub> without alias; its text is read as written")
        return self._markup("sub", {"alias": alias} if alias else None, scope)

    def _phoneme(self, scope: Scope, attrs: dict[str, str]) -> Scope:
        ph = attrs.get("ph", "").strip()
        alphabet, warning = values.alphabet(attrs.get("alphabet"), ph, scope.role_language)
        if not ph:
            warning = "<phoneme> without ph; its text is read as written"
        if warning:
            self.builder.warnings.append(warning)
        how = {"phoneme": ph, "alphabet": alphabet.value} if alphabet and ph else None
        return self._markup("phoneme", how, scope)

    def _say_as(self, scope: Scope, attrs: dict[str, str]) -> Scope:
        interpret_as = attrs.get("interpret-as")
        kind, warning = values.say_as(interpret_as)
        if warning:
            self.builder.warnings.append(warning)
        how: dict[str, Any] | None = None
        if kind is not None:
            how = {"interpret_as": kind.value}
            written = (interpret_as or "").partition(":")[2]  # "date:mdy"
            if fmt := (attrs.get("format") or written).strip():
                how["format"] = fmt
        return self._markup("say-as", how, scope)

    def _unread(self, scope: Scope, attrs: dict[str, str]) -> Scope:
        return scope


Start = Callable[[SsmlHandler, Scope, dict[str, str]], Scope]
_STARTS: dict[str, Start] = {
    "voice": SsmlHandler._voice,
    "s": SsmlHandler._sentence,
    "p": SsmlHandler._sentence,
    "lang": SsmlHandler._lang,
    "break": SsmlHandler._break,
    "prosody": SsmlHandler._prosody,
    "mark": SsmlHandler._mark,
    "sub": SsmlHandler._sub,
    "phoneme": SsmlHandler._phoneme,
    "say-as": SsmlHandler._say_as,
}


def narrator_role(assignment: dict[str, Any]) -> Role:
    """The speaker of text outside any ``<voice>``: the query's voice or wish, if any."""
    return Role(NARRATOR, assignment, assignment.get("language"))
