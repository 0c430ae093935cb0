"""A job's lexicon snapshot, taken at submit: the entries of the lexicons it names that its text
uses, as they are now, stored in the job's input (``lexicon_entries``) so that running it again
sounds the same after a lexicon changed.

Consumes a cast request (its provider and voices known) and the user's lexicon store; gives the
request with ``lexicon_entries`` filled in, or a 422 naming the lexicon, or the entry a voice
cannot say. A request that already carries ``lexicon_entries`` (a stored job run again) keeps
them and the store is not read; a request naming no lexicons is not touched at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import TypeAdapter

from ttsjobs.contracts.job_request import FieldProblem, MultiRoleRequest
from ttsjobs.contracts.lexicon import SNAPSHOT_MAX_BYTES, Alphabet, Lexicon, UsedEntry
from ttsjobs.contracts.voices import ProviderCatalogue
from ttsjobs.lexicons.alphabets import phoneme_problem
from ttsjobs.lexicons.matching import EntryMatcher, used_entries
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.lexicon_store import LexiconStore
from ttsjobs_gateway.offload import dialogue_size, sized

_ENTRIES = TypeAdapter(list[UsedEntry])


async def with_snapshot(
    request: MultiRoleRequest,
    *,
    user_id: str,
    store: LexiconStore,
    catalogue: ProviderCatalogue,
) -> MultiRoleRequest:
    """``request`` with the entries it uses, checked against its voices."""
    if request.lexicon_entries is None:
        if not request.lexicons:
            return request
        lexicons = await named_lexicons(request.lexicons, user_id=user_id, store=store)
        size = dialogue_size(request) + sum(len(lex.entries) * 64 for _, lex in lexicons)
        entries = await sized(size, used_entries, (t.text for t in request.turns), lexicons)
        request = request.model_copy(update={"lexicon_entries": entries})
    if problems := await sized(dialogue_size(request), snapshot_problems, request, catalogue):
        raise InvalidRequest(problems)
    return request


async def named_lexicons(
    names: Sequence[str], *, user_id: str, store: LexiconStore
) -> list[tuple[str, Lexicon]]:
    """The user's lexicons of these names, in order; a 422 for each they do not have (another
    user's lexicon of the same name is not theirs, and is never looked at)."""
    stored = await store.get_many(user_id, names)
    missing = [
        FieldProblem(f"lexicons[{i}]", f"you have no lexicon named {name!r}")
        for i, (name, found) in enumerate(zip(names, stored, strict=True))
        if found is None
    ]
    if missing:
        raise InvalidRequest(missing)
    size = sum(len(s.value) for s in stored if s is not None)
    return await sized(size, lambda: [(s.name, s.lexicon()) for s in stored if s is not None])


def snapshot_problems(
    request: MultiRoleRequest, catalogue: ProviderCatalogue
) -> list[FieldProblem]:
    """What is wrong with a cast request's snapshot: too large to travel with the job, or a
    phoneme a role's voice cannot take (checked for each role whose turns use the entry;
    an entry with an alias is said by its alias, so its phoneme is never asked for)."""
    entries = request.lexicon_entries or []
    if not entries:
        return []
    size = len(_ENTRIES.dump_json(entries, exclude_none=True))
    if size > SNAPSHOT_MAX_BYTES:
        field = "lexicons" if request.lexicons else "lexicon_entries"
        return [
            FieldProblem(
                field,
                f"the entries this job uses come to {size} bytes; at most {SNAPSHOT_MAX_BYTES}"
                " (use fewer or smaller lexicons, or split the job)",
            )
        ]
    spoken = [e for e in entries if e.alias is None and e.phoneme is not None]
    if not spoken:
        return []
    return _phoneme_problems(request, spoken, catalogue)


def _phoneme_problems(
    request: MultiRoleRequest, spoken: list[UsedEntry], catalogue: ProviderCatalogue
) -> list[FieldProblem]:
    matcher = EntryMatcher(spoken)
    problems: dict[tuple[str, str], FieldProblem] = {}
    for turn in request.turns:
        assignment = request.voice_assignments.get(turn.speaker)
        voice = catalogue.voice(assignment.voice or "") if assignment else None
        if voice is None:
            continue  # casting has named this already
        for match in matcher.matches(turn.text):
            entry = match.entry
            if (entry.grapheme, voice.language) in problems:
                continue
            message = phoneme_problem(
                entry,
                alphabet=entry.alphabet or Alphabet.ipa,
                provider=catalogue.provider,
                voice_language=voice.language,
            )
            if message is not None:
                problems[(entry.grapheme, voice.language)] = FieldProblem(
                    _field_of(entry, request),
                    f"lexicon {entry.lexicon!r}, entry {entry.grapheme!r}: {message}"
                    f" ({voice.id}, {turn.speaker})",
                )
    return list(problems.values())


def _field_of(entry: UsedEntry, request: MultiRoleRequest) -> str:
    if entry.lexicon in request.lexicons:
        return f"lexicons[{request.lexicons.index(entry.lexicon)}]"
    return f"lexicon_entries[{(request.lexicon_entries or []).index(entry)}]"
