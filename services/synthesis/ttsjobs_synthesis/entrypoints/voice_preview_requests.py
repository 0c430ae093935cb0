"""Voice previews over NATS request-reply: the gateway asks (on a cache miss), any synthesis
worker answers (a queue group). The line is spoken by the engine processes a job's turns use,
through the same prepare-text stage and reading standard, and levelled as a job's turn is, so a
preview sounds like the job will. It waits for a free engine process as a turn does.

The WAV goes to the bucket under the key the contract derives from the request, and the answer
is that key: the gateway reads the audio from the bucket, as every later asker will.
"""

from __future__ import annotations

import asyncio
import contextlib
import io

import numpy as np
import soundfile as sf
import structlog
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from pydantic import ValidationError

from ttsjobs.contracts.voice_previews import (
    VOICE_PREVIEW_QUEUE,
    VOICE_PREVIEW_SUBJECT,
    VoicePreviewAsked,
    VoicePreviewFailed,
    VoicePreviewStored,
)
from ttsjobs_synthesis import audio
from ttsjobs_synthesis.engines import Engines
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation
from ttsjobs_synthesis.providers.base import Speech, SynthesisRejected, UnknownVoice
from ttsjobs_synthesis.segments import ObjectStore

log = structlog.get_logger()

# Engine processes previews may hold at once, on this worker. Previews of distinct voices and
# speeds are cheap to ask for and each costs a turn's synthesis: one at a time, they never take
# more than one process from the jobs, however many are asked for.
PREVIEWS_AT_ONCE = 1


class PreviewRejected(Exception):
    """The preview cannot be made as asked; ``field`` names the request field at fault."""

    def __init__(self, problem: str, field: str | None = "voice") -> None:
        super().__init__(problem)
        self.field = field


def wav_of(speech: Speech) -> bytes:
    """The preview's WAV: the voice's own rate, levelled as a job's turn is."""
    levelled = audio.level(audio.to_float(speech, speech.sample_rate), speech.sample_rate)
    samples = np.clip(np.asarray(levelled) * 32767.0, -32768, 32767).astype(np.int16)
    buffer = io.BytesIO()
    sf.write(buffer, samples, speech.sample_rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


async def make_preview(
    asked: VoicePreviewAsked,
    *,
    engines: Engines,
    store: ObjectStore,
    gate: asyncio.Semaphore | None = None,
) -> str:
    """Speak and store the preview ``asked`` names, unless it is stored already; its key.
    ``gate`` bounds how many previews are spoken at once."""
    key = asked.key
    if await store.exists(key):  # another worker, or an earlier ask that timed out, made it
        return key
    catalogue = engines.catalogue(asked.provider)
    if catalogue is None or catalogue.voice(asked.voice) is None:
        raise PreviewRejected(f"this worker has no {asked.provider} voice {asked.voice!r}")
    try:
        async with gate or contextlib.nullcontext():
            speech = await engines.synthesize(
                asked.provider,
                asked.text,
                asked.voice,
                speed=asked.speed,
                pitch=1.0,
                pronunciation=Pronunciation(asked.reading),
            )
    except (UnknownVoice, SynthesisRejected) as err:
        raise PreviewRejected(str(err)) from err
    data = await asyncio.to_thread(wav_of, speech)
    await store.put(key, data, "audio/wav")
    log.info("voice_preview.stored", provider=asked.provider, voice=asked.voice, bytes=len(data))
    return key


class VoicePreviewAnswers:
    """Answers each ask in a task of its own: a subscription's callbacks run one after
    another, and an ask the bucket already answers should not wait behind one being spoken."""

    def __init__(self, engines: Engines, store: ObjectStore) -> None:
        self._engines = engines
        self._store = store
        self._running: dict[str, asyncio.Task[str]] = {}  # by key: one synthesis per preview
        self._answering: set[asyncio.Task[None]] = set()
        self._subscription: Subscription | None = None
        self._gate = asyncio.Semaphore(PREVIEWS_AT_ONCE)

    async def answer_of(self, data: bytes) -> bytes:
        try:
            asked = VoicePreviewAsked.model_validate_json(data)
        except ValidationError as err:
            failed = VoicePreviewFailed(problem=f"not a voice preview request: {err}")
            return failed.model_dump_json().encode()
        task = self._running.get(asked.key)
        if task is None:  # two users asking at once wait for the same synthesis
            task = asyncio.create_task(
                make_preview(asked, engines=self._engines, store=self._store, gate=self._gate)
            )
            self._running[asked.key] = task
            task.add_done_callback(lambda _: self._running.pop(asked.key, None))
        try:
            key = await asyncio.shield(task)
        except PreviewRejected as err:
            return VoicePreviewFailed(problem=str(err), field=err.field).model_dump_json().encode()
        return VoicePreviewStored(key=key).model_dump_json().encode()

    async def _answer(self, msg: Msg) -> None:
        try:
            reply = await self.answer_of(msg.data)
        except Exception as err:  # an answer still goes back: the gateway is waiting
            log.exception("voice_preview.failed")
            reply = VoicePreviewFailed(problem=f"preview failed: {err}").model_dump_json().encode()
        await msg.respond(reply)

    async def serve(self, nc: Client) -> None:
        async def answer(msg: Msg) -> None:
            task = asyncio.create_task(self._answer(msg))
            self._answering.add(task)
            task.add_done_callback(self._answering.discard)

        self._subscription = await nc.subscribe(
            VOICE_PREVIEW_SUBJECT, queue=VOICE_PREVIEW_QUEUE, cb=answer
        )

    async def stop(self) -> None:
        """Take no more asks, and cancel those still being answered (their askers get a
        503 and ask again, of another worker)."""
        if self._subscription is not None:
            await self._subscription.unsubscribe()
        for task in [*self._answering, *self._running.values()]:
            task.cancel()
        await asyncio.gather(*self._answering, *self._running.values(), return_exceptions=True)
