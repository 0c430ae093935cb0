"""The submit routes taking ``Content-Type: application/ssml+xml`` besides their own bodies.

``SsmlRoute`` wraps the route: an SSML body is read (off the event loop once large, see
offload.py) into the job it stands for (jobs.py), which rides on the request to the endpoint
(``ssml_of``); from there on it is the JSON route's path: the Idempotency-Key, casting, the
limits, the 202. On ``/jobs/tts`` the body's model is a placeholder: the endpoint submits the
SSML's dialogue, not a SingleRequest.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel

from ttsjobs.contracts.single import SingleRequest
from ttsjobs_gateway.auth import caller_of
from ttsjobs_gateway.bodies import Handler, OffLoopRoute, ValidatedRequest
from ttsjobs_gateway.offload import sized
from ttsjobs_gateway.scripts import QUERY_FIELDS, ScriptRoute, query_of
from ttsjobs_gateway.ssml.jobs import NARRATOR_FIELDS, SsmlJob, ssml_job
from ttsjobs_gateway.state import ports_of

SSML = "application/ssml+xml"


def is_ssml(request: Request) -> bool:
    media_type = request.headers.get("content-type", "").partition(";")[0]
    return media_type.strip().lower() == SSML


class SsmlRequest(ValidatedRequest):
    """The request with its SSML read: ``ssml`` is the job it stands for."""

    def __init__(self, request: Request, body: bytes, job: SsmlJob, model: BaseModel) -> None:
        super().__init__(request, body, model)
        self.ssml = job


def ssml_of(request: Request) -> SsmlJob | None:
    """The SSML job a submit route was sent, or None (JSON, a script)."""
    return request.ssml if isinstance(request, SsmlRequest) else None


class _TakesSsml(OffLoopRoute):
    single = False

    def get_route_handler(self) -> Handler:
        handle = super().get_route_handler()

        async def route(request: Request) -> Response:
            if not is_ssml(request):
                return await handle(request)
            await caller_of(request)  # who asks comes before what they sent
            body = await request.body()
            ports = ports_of(request)
            voice_ids = {v.id for p in ports.catalogue.providers.values() for v in p.voices}
            limits = ports.settings.limits
            query = query_of(request)
            job = await sized(
                len(body), ssml_job, body, query, limits, voice_ids, single_route=self.single
            )
            # FastAPI validates the body's model before the endpoint; a SingleRequest stands
            # in for the dialogue the endpoint submits (ssml_of), and is never read.
            model = SingleRequest.model_construct() if self.single else job.request
            return await handle(SsmlRequest(request, body, job, model))

        return route


class SsmlScriptRoute(_TakesSsml, ScriptRoute):
    """/jobs/tts/multi-role: JSON, a text/plain script, or SSML."""


class SsmlSingleRoute(_TakesSsml):
    """/jobs/tts: JSON or SSML."""

    single = True


SSML_EXAMPLE = """\
<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">
  <voice name="en-US-JennyNeural">
    Welcome to <sub alias="World Wide Web Consortium">W3C</sub>.<break time="500ms"/>
    <prosody rate="slow">Your code is <say-as interpret-as="digits">4711</say-as>.</prosody>
  </voice>
  <voice name="zh-TW-HsiaoChenNeural"><lang xml:lang="zh-TW">歡迎光臨。</lang></voice>
</speak>
"""
SSML_BODY: dict[str, Any] = {"schema": {"type": "string"}, "example": SSML_EXAMPLE}
SSML_DESCRIPTION = (
    " As `application/ssml+xml`: an SSML `<speak>` document (Polly's, Azure's, Google's or W3C"
    " SSML 1.1), whose `<voice>`s become roles (a catalogue voice id is used as it is; a"
    " vendor's name is cast by its language and gender), `<break>`, `<s>` and `<p>` pauses,"
    " `<prosody>` a turn's speed, volume and pitch, `<lang>` its language, `<sub>`, `<phoneme>`"
    " and `<say-as>` how one place is said, `<mark>` a named point in the word timing. What it"
    " cannot read keeps its text and is listed in the job's `warnings`. The request's other"
    " fields are in the query (`output_format`, `provider`, `mastering`, `title`…), and"
    " `voice`, `language`, `gender` cast the text outside any `<voice>`. See the README, SSML."
)


def narrator_parameters() -> list[dict[str, Any]]:
    """The query that casts the text outside any <voice>: only an SSML body reads it."""
    schemas: dict[str, dict[str, Any]] = {
        "voice": {"type": "string", "maxLength": 128},
        "language": {"type": "string", "maxLength": 35},
        "gender": {"type": "string", "enum": ["female", "male"]},
    }
    assert set(schemas) == set(NARRATOR_FIELDS)
    return [
        {"name": name, "in": "query", "required": False, "schema": schema,
         "description": f"with an SSML body: the {name} of the text outside any <voice>"}
        for name, schema in schemas.items()
    ]  # fmt: skip


def single_parameters(script_parameters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """/jobs/tts's query: the script's request fields (read from an SSML body's query too)."""
    kept = [p for p in script_parameters if p["name"] in QUERY_FIELDS]
    described = [
        {**p, "description": f"with an SSML body: the request's {p['name']}; JSON carries its own"}
        for p in kept
    ]
    return described + narrator_parameters()
