"""POST /api/v1/pronunciations: how a voice will read a text, word by word, before a job.

The gateway works out the language (from the voice, the wish, or the text's script), the
reading standard (as casting would: zh-TW or Traditional text reads the Taiwan way) and the
entries of the named lexicons the text uses, then asks synthesis over NATS request-reply. The
answer comes from the prepare-text stage the voices read with, so the preview is what is said.
No synthesis worker answering is a 503: nothing else can tell what a voice would say.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from nats.errors import NoRespondersError, TimeoutError
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ttsjobs.contracts.job_request import (
    FieldProblem,
    LanguageTag,
    Reading,
    SpokenText,
    VoiceId,
)
from ttsjobs.contracts.lexicon import MAX_LEXICONS_PER_USER, LexiconName, UsedEntry
from ttsjobs.contracts.pronunciations import (
    PREVIEW_SUBJECT,
    Preview,
    PreviewAsked,
    PreviewFailed,
)
from ttsjobs.contracts.readings import is_mandarin, reading_for
from ttsjobs.contracts.strings import STORABLE
from ttsjobs.contracts.writing import scripts_in
from ttsjobs.lexicons.matching import used_entries
from ttsjobs.messaging.catalogue import CatalogueView
from ttsjobs_gateway.auth import CurrentCaller, authenticated
from ttsjobs_gateway.errors import InvalidRequest, ServiceError
from ttsjobs_gateway.lexicon_snapshot import named_lexicons
from ttsjobs_gateway.state import Lexicons, Nats, Voices

router = APIRouter(
    prefix="/api/v1/pronunciations", tags=["pronunciations"], dependencies=[Depends(authenticated)]
)
# A preview is of one turn; a turn holds at most this many characters (RequestLimits).
MAX_PREVIEW_CHARS = 2_000
ANSWER_TIMEOUT_S = 10.0


class PreviewUnavailable(ServiceError):
    status = 503
    kind = "preview-unavailable"
    title = "No synthesis worker answered the preview"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"Retry-After": "5"})


class PronunciationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[SpokenText, StringConstraints(max_length=MAX_PREVIEW_CHARS)] = Field(
        examples=["我每天騎YouBike去上班，垃圾要分類。"]
    )
    voice: VoiceId | None = Field(default=None, examples=["zf_xiaoxiao"])
    provider: Annotated[str, StringConstraints(min_length=1, max_length=32), STORABLE] | None = None
    language: LanguageTag | None = Field(
        default=None, description="BCP 47, when no voice is named", examples=["zh-TW"]
    )
    reading: Reading | None = Field(
        default=None, description="taiwan or mainland; by default as a job would read it"
    )
    lexicons: list[LexiconName] = Field(default_factory=list, max_length=MAX_LEXICONS_PER_USER)
    lexicon_entries: list[UsedEntry] | None = Field(
        default=None, description="a stored job's entries, used instead of `lexicons`"
    )


def _language(body: PronunciationRequest, catalogue: CatalogueView) -> str:
    if body.voice is not None:
        for name, offered in sorted(catalogue.providers.items()):
            if body.provider not in (None, name):
                continue
            if (voice := offered.voice(body.voice)) is not None:
                return voice.language
        raise InvalidRequest(
            [FieldProblem("voice", f"no voice {body.voice!r}; see /api/v1/voices")]
        )
    if body.language is not None:
        return body.language
    return "zh" if "Han" in scripts_in(body.text) else "en"


@router.post(
    "",
    operation_id="previewPronunciation",
    response_model=Preview,
    response_model_exclude_none=True,
    responses={
        422: {"content": {"application/problem+json": {}}},
        503: {"content": {"application/problem+json": {}}},
    },
    summary="How a voice will read a text, word by word",
)
async def preview_pronunciation(
    body: PronunciationRequest,
    caller: CurrentCaller,
    catalogue: Voices,
    store: Lexicons,
    nats: Nats,
) -> Preview:
    language = _language(body, catalogue)
    reading = None
    if is_mandarin(language):
        reading = body.reading or reading_for([body.text], wished=body.language or language)
    entries = body.lexicon_entries
    if entries is None:
        lexicons = await named_lexicons(body.lexicons, user_id=caller.user_id, store=store)
        entries = used_entries([body.text], lexicons)
    asked = PreviewAsked(text=body.text, language=language, reading=reading, entries=entries)
    try:
        reply = await nats.request(
            PREVIEW_SUBJECT, asked.model_dump_json().encode(), timeout=ANSWER_TIMEOUT_S
        )
    except (NoRespondersError, TimeoutError) as err:
        raise PreviewUnavailable("no synthesis worker answered; try again shortly") from err
    try:
        return Preview.model_validate_json(reply.data)
    except ValidationError:
        failed = PreviewFailed.model_validate_json(reply.data)
        raise InvalidRequest([FieldProblem("lexicons", failed.problem)]) from None
