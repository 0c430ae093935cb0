"""The job an SSML body asks for: its turns and roles (reading.py), with the request's other
fields from the query, as for a text/plain script (``output_format``, ``provider``,
``mastering``, ``title``…; ``voice``, ``language``, ``gender`` for the text outside any
``<voice>``). On ``/jobs/tts`` a document with one speaker is a single_tts job; with several,
a multi-role one, and the job's warnings say so.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any

from ttsjobs.contracts.job_request import (
    JobType,
    MultiRoleRequest,
    RequestLimits,
    Turn,
    size_problems,
)
from ttsjobs.contracts.single import NARRATOR
from ttsjobs.jobs.state import JobState
from ttsjobs_gateway import handlers
from ttsjobs_gateway.bodies import model_of
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.scripts import query_fields
from ttsjobs_gateway.ssml.elements import narrator_role
from ttsjobs_gateway.ssml.long_turns import within_turn_length
from ttsjobs_gateway.ssml.reading import read_document

NARRATOR_FIELDS = ("voice", "language", "gender")
# Han, kana, Hangul and full-width punctuation: read on without a space between sentences.
_CLOSE_UP = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uff00-\uffef]")
Submit = Callable[..., Awaitable[JobState]]
MAX_WARNINGS = 20
WARNING_CHARS = 200


@dataclass(frozen=True)
class SsmlJob:
    request: MultiRoleRequest
    job_type: JobType
    warnings: list[str]

    @property
    def submit(self) -> Submit:
        """``handlers.submit_job`` for this document's job type, with its warnings."""
        return functools.partial(
            handlers.submit_job, job_type=self.job_type, warnings=self.warnings
        )


def ssml_job(
    body: bytes,
    query: dict[str, Any],
    limits: RequestLimits,
    voice_ids: Collection[str],
    *,
    single_route: bool,
) -> SsmlJob:
    """The job ``body`` stands for, or a 422 naming what is wrong (``body`` for the document
    itself, ``turns[2].text`` and the like for what the job's model refuses)."""
    narrator = {name: query[name] for name in NARRATOR_FIELDS if query.get(name)}
    document = read_document(body, voice_ids=voice_ids, narrator=narrator_role(narrator))
    turns, roles, warnings = document.turns, document.roles, list(document.warnings)
    turns = within_turn_length(turns, limits)
    speakers = list(dict.fromkeys(turn["speaker"] for turn in turns))
    job_type = JobType.multi_role_tts
    if single_route and len(speakers) == 1:
        job_type = JobType.single_tts  # one voice reads it: its only role is the narrator
        roles = {NARRATOR: roles.get(speakers[0], {})} if roles.get(speakers[0]) else {}
        turns = [{**turn, "speaker": NARRATOR} for turn in turns]
        for turn in turns[:-1]:  # the job's text is its turns' join: words stay apart
            if not (turn["text"][-1].isspace() or _CLOSE_UP.match(turn["text"][-1])):
                turn["text"] += " "
    elif single_route:
        warnings.insert(0, f"{len(speakers)} voices: run as a multi-role job (multi_role_tts)")
    fields = {**query_fields(query), "turns": turns, "voice_assignments": roles}
    # Counted before the model reads them: a document of 10,000 turns is refused by its count.
    dialogue = MultiRoleRequest.model_construct(turns=[Turn.model_construct(**t) for t in turns])
    if problems := size_problems(dialogue, limits, job_type):
        raise InvalidRequest(problems)
    return SsmlJob(model_of(MultiRoleRequest, fields), job_type, listed(warnings))


def listed(warnings: list[str]) -> list[str]:
    """The warnings a job carries: a few, each short. A document of 10,000 made-up elements
    has as many warnings, and they travel in JobCreated (NATS' 1 MB)."""
    shown = [w if len(w) <= WARNING_CHARS else w[: WARNING_CHARS - 1] + "…" for w in warnings]
    if len(shown) > MAX_WARNINGS:
        more = len(shown) - MAX_WARNINGS + 1
        shown = [
            *shown[: MAX_WARNINGS - 1],
            f"and {more} more things SSML asked, not read",
        ]
    return shown
