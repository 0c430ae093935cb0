"""Pronunciation previews over NATS request-reply: the gateway asks, any synthesis worker
answers (a queue group), through the prepare-text stage the voices read with.

The preview runs in this process, off the event loop, not in an engine process: those are busy
with jobs' turns, and a preview should not wait behind a long job. Its G2P loads on the first
preview a worker answers.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import structlog
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from pydantic import ValidationError

from ttsjobs.contracts.pronunciations import (
    PREVIEW_QUEUE,
    PREVIEW_SUBJECT,
    Preview,
    PreviewAsked,
    PreviewFailed,
)
from ttsjobs.lexicons.problems import LexiconProblem
from ttsjobs_synthesis.prepare_text.pronunciation import Pronunciation
from ttsjobs_synthesis.providers import kokoro_assets

if TYPE_CHECKING:  # its G2P (misaki, jieba) loads with the first preview, not at start-up
    from ttsjobs_synthesis.prepare_text.preview import Previewer

log = structlog.get_logger()


def _jieba_cache(kokoro_dir: Path | None) -> Path:
    folder = kokoro_dir or kokoro_assets.default_dir()
    if not folder.is_dir():  # no Kokoro here: the cache goes where this process may write
        folder = Path(tempfile.gettempdir())
    return folder / kokoro_assets.JIEBA_CACHE


class PreviewAnswers:
    def __init__(self, kokoro_dir: Path | None) -> None:
        self._kokoro_dir = kokoro_dir
        self._previewer: Previewer | None = None

    def _build(self) -> Previewer:
        if self._previewer is None:
            from kokoro_onnx.tokenizer import Tokenizer

            from ttsjobs_synthesis.prepare_text.mandarin_readings import prepare_jieba
            from ttsjobs_synthesis.prepare_text.preview import Previewer

            prepare_jieba(_jieba_cache(self._kokoro_dir))
            self._previewer = Previewer(Tokenizer().phonemize)
        return self._previewer

    def answer_of(self, data: bytes) -> bytes:
        try:
            asked = PreviewAsked.model_validate_json(data)
            previewer = self._build()
            pronunciation = Pronunciation(asked.reading, tuple(asked.entries))
            words = previewer.words(asked.text, asked.language, pronunciation)
        except ValidationError as err:
            return PreviewFailed(problem=f"not a preview request: {err}").model_dump_json().encode()
        except LexiconProblem as err:
            return PreviewFailed(problem=str(err)).model_dump_json().encode()
        preview = Preview(language=asked.language, reading=asked.reading, words=words)
        return preview.model_dump_json(exclude_none=True).encode()

    async def serve(self, nc: Client) -> Subscription:
        async def answer(msg: Msg) -> None:
            try:
                reply = await asyncio.to_thread(self.answer_of, msg.data)
            except Exception as err:  # an answer still goes back: the gateway is waiting
                log.exception("preview.failed")
                reply = PreviewFailed(problem=f"preview failed: {err}").model_dump_json().encode()
            await msg.respond(reply)

        return await nc.subscribe(PREVIEW_SUBJECT, queue=PREVIEW_QUEUE, cb=answer)
