"""A publish nobody confirmed: the gateway's connection never sends it later, and a keyed retry
after one that did reach the stream (its ack lost) finds that job instead of making a second.
Real nats-servers; only the ack's loss is staged, by a publish that stores and then raises."""

from __future__ import annotations

import uuid

import pytest
from nats.errors import OutboundBufferLimitError
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import StreamConfig

from tests.conftest import eventually
from tests.support.jobs import dialogue
from ttsjobs.contracts import subjects
from ttsjobs.contracts.job_events import encode_event
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo
from ttsjobs.messaging.catalogue import CatalogueView
from ttsjobs.messaging.connect import connect_nats
from ttsjobs.messaging.job_history import StreamJobHistory, read_history
from ttsjobs.messaging.publisher import EventPublisher
from ttsjobs_cli.embedded.servers import start_nats
from ttsjobs_gateway.config import Settings
from ttsjobs_gateway.errors import NotConfirmed
from ttsjobs_gateway.handlers import submit_job
from ttsjobs_gateway.idempotency import IdempotencyKeys, idempotency_bucket


async def test_the_gateways_connection_sends_nothing_it_was_refused_once_nats_is_back(
    tmp_path,
):
    server = start_nats(tmp_path / "nats")
    buffering = await connect_nats(server.url, name="buffering")
    gateway = await connect_nats(server.url, name="gateway", buffer_while_disconnected=False)
    try:
        await buffering.jetstream().add_stream(StreamConfig(name="T", subjects=["t.>"]))
        server.stop()
        await eventually(
            lambda: _both_down(buffering, gateway), timeout_s=10, what="both clients see it"
        )
        await buffering.publish("t.buffered", b"sent after the restart")  # nats-py's default
        with pytest.raises(OutboundBufferLimitError):
            await gateway.publish("t.refused", b"must never arrive")
        server = start_nats(tmp_path / "nats", port=server.port)
        js = buffering.jetstream()

        async def buffered_arrived():
            return (await js.stream_info("T")).state.messages >= 1

        # The buffered one landing shows both clients reconnected and flushed.
        await eventually(buffered_arrived, timeout_s=20, what="the buffered publish stored")
        await gateway.flush(timeout=5)
        info = await js.stream_info("T", subjects_filter="t.>")
        assert info.state.subjects == {"t.buffered": 1}
    finally:
        await buffering.close()
        await gateway.close()
        server.stop()


async def _both_down(*clients) -> bool:
    return all(not c.is_connected for c in clients)


def _catalogue() -> CatalogueView:
    view = CatalogueView()
    voice = VoiceInfo(id="en_US-joe-medium", name="joe", language="en-US", sample_rate=22050)
    view.providers["piper"] = ProviderCatalogue(provider="piper", description="-", voices=[voice])
    return view


class AckLost:
    """Stores the event for real, then raises as if the ack had not come back in time."""

    def __init__(self, publish: EventPublisher) -> None:
        self._publish = publish

    async def __call__(self, event, *, expected_last_seq=None):
        await self._publish(event, expected_last_seq=expected_last_seq)
        raise NatsTimeoutError


# These tests are about the client's retry: the request itself gives up at its first NATS
# error (no riding through an election, which test_a_lost_ack_is_ridden_through covers).
ONE_TRY = Settings(nats_ride_through_s=0)


async def _submit(jetstream, publish, key: str, settings: Settings = ONE_TRY):
    keys = IdempotencyKeys(await idempotency_bucket(jetstream))
    request = MultiRoleRequest.model_validate(dialogue("piper", title=key))
    return await submit_job(
        request, user_id="u1", history=StreamJobHistory(jetstream, publish),
        catalogue=_catalogue(), settings=settings, idempotency=(keys, key),
    )  # fmt: skip


async def _created_titled(jetstream, title: str) -> list[str]:
    info = await jetstream.stream_info(
        subjects.STREAM, subjects_filter=subjects.every_job("created")
    )
    jobs = [s.split(".")[2] for s in info.state.subjects or {}]
    found = []
    for job in jobs:
        for _, event in await read_history(jetstream, job):
            if event.kind == "created" and event.data.request.title == title:
                found.append(job)
    return found


async def test_a_keyed_retry_after_a_lost_ack_finds_the_job_the_first_try_stored(jetstream):
    key = f"lost-ack-{uuid.uuid4()}"
    with pytest.raises(NotConfirmed) as refused:
        await _submit(jetstream, AckLost(EventPublisher(jetstream)), key)
    assert refused.value.status == 503 and refused.value.headers["Retry-After"]
    # No 409 "in flight" for the retry: the unconfirmed key is taken over at once.
    state = await _submit(jetstream, EventPublisher(jetstream), key)
    assert await _created_titled(jetstream, key) == [state.id]
    again = await _submit(jetstream, EventPublisher(jetstream), key)
    assert again.id == state.id


async def test_a_lost_ack_is_ridden_through_within_the_request(jetstream):
    """Riding through an election, the request repeats its publish: the repeat finds the job
    its first try stored (its subject is no longer empty) and answers with it."""
    key = f"ridden-{uuid.uuid4()}"
    state = await _submit(jetstream, AckLost(EventPublisher(jetstream)), key, Settings())
    assert await _created_titled(jetstream, key) == [state.id]
    again = await _submit(jetstream, EventPublisher(jetstream), key)
    assert again.id == state.id


class StoredLongAgo:
    """Stores the event under another message id, as if the duplicate window had long passed
    since the first try stored it, then loses the ack."""

    def __init__(self, jetstream) -> None:
        self._js = jetstream

    async def __call__(self, event, *, expected_last_seq=None):
        headers = {"Nats-Msg-Id": f"{event.id}.long-ago"}
        await self._js.publish(event.nats_subject(), encode_event(event), headers=headers)
        raise NatsTimeoutError


async def test_a_retry_after_the_duplicate_window_cannot_make_a_second_created(jetstream):
    key = f"long-ago-{uuid.uuid4()}"
    with pytest.raises(NotConfirmed):
        await _submit(jetstream, StoredLongAgo(jetstream), key)
    state = await _submit(jetstream, EventPublisher(jetstream), key)
    kinds = [event.kind for _, event in await read_history(jetstream, state.id)]
    assert kinds == ["created"], "the retry's JobCreated was refused: the job had one already"
