"""JSON lexicons in (``parse_json``) and out (``export_json``).

Two forms come in:
- ours, the Lexicon model itself: {"language": "zh-TW", "alphabet": "pinyin",
  "entries": [{"grapheme": "垃圾", "phoneme": "le4 se4"}, {"grapheme": "W3C", "alias": "..."}]};
- ElevenLabs' rule list (its add-from-rules body): {"rules": [{"type": "alias",
  "string_to_replace": "W3C", "alias": "..."}, {"type": "phoneme", "string_to_replace":
  "tomato", "phoneme": "təˈmeɪtoʊ", "alphabet": "ipa"}]}; "cmu-arpabet" is read into IPA.
  https://elevenlabs.io/docs/api-reference/pronunciation-dictionaries/create-from-rules
Alphabet names are read as liberally as in PLS (alphabet_names.py), phonemes are checked and
normalised as in PLS, and every refusal is a LexiconProblem naming the field
("entries[2].alias", "rules[0].alphabet"). One form goes out: ours.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ttsjobs.contracts.lexicon import (
    LEXICON_MAX_BYTES,
    MAX_ENTRIES,
    Alphabet,
    Lexicon,
    LexiconEntry,
)
from ttsjobs.lexicons.alphabet_names import alphabet_named
from ttsjobs.lexicons.alphabets import checked_phoneme
from ttsjobs.lexicons.arpabet import arpabet_to_ipa, is_arpabet
from ttsjobs.lexicons.pls import xml_unfit
from ttsjobs.lexicons.problems import LexiconProblem, from_validation

MEDIA_TYPE = "application/json"


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    string_to_replace: str
    case_sensitive: bool = True
    word_boundaries: bool = True

    @field_validator("case_sensitive", "word_boundaries")
    @classmethod
    def _only_true(cls, value: bool) -> bool:
        # Our graphemes are case-sensitive whole words (Latin) or runs (Han), which is what
        # ElevenLabs' defaults (true, true) mean; a rule asking otherwise cannot be honoured.
        if not value:
            raise ValueError("only true: graphemes here match case-sensitively, as whole words")
        return value


class _AliasRule(_Rule):
    type: Literal["alias"]
    alias: str


class _PhonemeRule(_Rule):
    type: Literal["phoneme"]
    phoneme: str
    alphabet: str


class _ElevenLabsRules(BaseModel):
    """The add-from-rules body; its name and description are the upload's, not the lexicon's."""

    model_config = ConfigDict(extra="forbid")

    rules: list[Annotated[_AliasRule | _PhonemeRule, Field(discriminator="type")]] = Field(
        max_length=MAX_ENTRIES
    )
    name: str | None = None
    description: str | None = None
    workspace_access: str | None = None


def parse_json(data: bytes, *, max_bytes: int = LEXICON_MAX_BYTES) -> Lexicon:
    """Our JSON form or ElevenLabs' rule list -> our Lexicon, or LexiconProblem; a body over
    ``max_bytes`` is refused before it is decoded."""
    document = _loaded(data, max_bytes)
    if not isinstance(document, dict):
        raise LexiconProblem("body", "a JSON lexicon is an object with entries (or rules)")
    if "rules" in document and "entries" not in document:
        return _from_rules(document)
    return _from_ours(document)


def _loaded(data: bytes, max_bytes: int) -> Any:
    if len(data) > max_bytes:
        raise LexiconProblem(
            "body", f"a lexicon is at most {max_bytes} bytes; this one is {len(data)}"
        )
    try:
        return json.loads(data)
    except UnicodeDecodeError as error:
        raise LexiconProblem(
            "body", f"not UTF-8 text: {error.reason} at byte {error.start}"
        ) from None
    except json.JSONDecodeError as error:
        raise LexiconProblem("body", f"not JSON: {error}") from None
    except RecursionError:
        raise LexiconProblem("body", "JSON nested too deep for a lexicon") from None


def _from_ours(document: dict[str, Any]) -> Lexicon:
    document = _trimmed(document, ("language",))
    language = document.get("language")
    language = (language or None) if isinstance(language, str) else None
    if isinstance(document.get("language"), str) and not document["language"]:
        document["language"] = None  # as PLS reads an empty xml:lang
    arpabet = False
    if isinstance(document.get("alphabet"), str):
        arpabet = is_arpabet(document["alphabet"])
        document["alphabet"] = alphabet_named(document["alphabet"], language=language)
    entries = document.get("entries")
    if isinstance(entries, list):
        document["entries"] = [
            _named_alphabet(
                _trimmed(entry, ("grapheme", "alias")), f"entries[{i}]", language, arpabet
            )
            for i, entry in enumerate(entries)
        ]
    try:
        lexicon = Lexicon.model_validate(document)
    except ValidationError as error:
        raise from_validation(error) from None
    return _checked(lexicon, "entries")


def _trimmed(item: Any, keys: tuple[str, ...]) -> Any:
    # As PLS reads its element text: a grapheme matches words, which have no edge spaces, and
    # the same lexicon must come back the same through either form.
    if isinstance(item, dict):
        return {k: v.strip() if k in keys and isinstance(v, str) else v for k, v in item.items()}
    return item


def _named_alphabet(entry: Any, where: str, language: str | None, arpabet: bool) -> Any:
    """The entry with its alphabet named as ours, and an ARPAbet phoneme read into IPA
    (``arpabet``: the lexicon's own alphabet is ARPAbet)."""
    if not isinstance(entry, dict):
        return entry
    named = entry.get("alphabet")
    if isinstance(named, str):
        arpabet = is_arpabet(named)
        field = f"{where}.alphabet"
        entry = {**entry, "alphabet": alphabet_named(named, language=language, field=field)}
    if arpabet and isinstance(entry.get("phoneme"), str):
        try:
            entry = {**entry, "phoneme": arpabet_to_ipa(entry["phoneme"])}
        except LexiconProblem as problem:
            raise problem.under(where) from None
    return entry


def _checked(lexicon: Lexicon, list_name: str) -> Lexicon:
    """The lexicon with every phoneme checked and normalised (see checked_phoneme), and every
    string one that PLS can carry."""
    if lexicon.language is not None and (unfit := xml_unfit(lexicon.language)):
        raise LexiconProblem("language", unfit)
    entries = []
    for index, entry in enumerate(lexicon.entries):
        for field in ("grapheme", "alias", "phoneme"):
            value = getattr(entry, field)
            if value is not None and (unfit := xml_unfit(value)):
                raise LexiconProblem(f"{list_name}[{index}].{field}", unfit)
        if entry.phoneme is not None:
            try:
                phoneme = checked_phoneme(entry.phoneme, entry.alphabet or lexicon.alphabet)
            except LexiconProblem as problem:
                raise problem.under(f"{list_name}[{index}]") from None
            entry = entry.model_copy(update={"phoneme": phoneme})
        elif entry.alphabet is not None:
            # An alphabet says how to read a phoneme; without one it says nothing (and PLS,
            # which hangs it on <phoneme>, could not carry it).
            entry = entry.model_copy(update={"alphabet": None})
        entries.append(entry)
    return lexicon.model_copy(update={"entries": entries})


def _from_rules(document: dict[str, Any]) -> Lexicon:
    try:
        rules = document.get("rules")
        if isinstance(rules, list):
            document = {
                **document,
                "rules": [_trimmed(r, ("string_to_replace", "alias")) for r in rules],
            }
        parsed = _ElevenLabsRules.model_validate(document)
    except ValidationError as error:
        problem = from_validation(error)
        # pydantic puts the rule's type in the path ("rules[0].alias.alias"); the user's
        # document has no such level.
        for kind in ("alias", "phoneme"):
            problem.field = problem.field.replace(f"].{kind}.", "].", 1)
        raise problem from None
    entries = []
    for index, rule in enumerate(parsed.rules):
        try:
            if isinstance(rule, _AliasRule):
                entry = LexiconEntry(grapheme=rule.string_to_replace, alias=rule.alias)
            else:
                alphabet = alphabet_named(rule.alphabet, language=None, field="alphabet")
                phoneme = rule.phoneme
                if is_arpabet(rule.alphabet):
                    phoneme = arpabet_to_ipa(phoneme)
                entry = LexiconEntry(
                    grapheme=rule.string_to_replace, phoneme=phoneme, alphabet=alphabet
                )
        except LexiconProblem as problem:
            raise problem.under(f"rules[{index}]") from None
        except ValidationError as error:
            raise _as_rule_problem(error, index) from None
        entries.append(entry)
    return _checked(Lexicon(alphabet=Alphabet.ipa, entries=entries), "rules")


def _as_rule_problem(error: ValidationError, index: int) -> LexiconProblem:
    problem = from_validation(error, prefix=f"rules[{index}]")
    # Name the rule's own field: our "grapheme" is ElevenLabs' "string_to_replace".
    problem.field = problem.field.replace(".grapheme", ".string_to_replace")
    return problem


def export_json(lexicon: Lexicon) -> bytes:
    """Our Lexicon -> our JSON form: compact UTF-8, no larger than the gateway's stored form
    (which adds a name and a time), so any lexicon we store can be exported and put back."""
    document = lexicon.model_dump(mode="json", exclude_none=True)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
