"""The engine process pools: real espeak-ng in separate processes, and the per-turn timeout."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal

import pytest
import pytest_asyncio

from tests.conftest import eventually
from tests.support import engine_work
from ttsjobs_synthesis import engine_processes
from ttsjobs_synthesis.engine_processes import EngineProcessDied, EngineProcesses
from ttsjobs_synthesis.engines import ProviderEngines, TurnTimeout
from ttsjobs_synthesis.providers.base import UnknownVoice
from ttsjobs_synthesis.providers.registry import entry

# The pools' pipes belong to one event loop, as in the service: one loop for the module.
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def engines():
    # The base timeout alone: the endless turn below would otherwise be given hours.
    pool = ProviderEngines(
        {"espeak": entry("espeak").engine(processes=2)}, turn_timeout_s=2.0, timeout_per_char_s=0.0
    )
    yield pool
    pool.close()


async def test_turns_come_back_with_their_loudness(engines):
    speech = await engines.synthesize("espeak", "Hello from a pool.", "en-us", speed=1.0, pitch=1.0)
    assert speech.sample_rate == 22050 and speech.duration_ms > 500
    assert speech.loudness_lufs is not None and -60 < speech.loudness_lufs < 0


async def test_permanent_errors_cross_the_process_boundary(engines):
    with pytest.raises(UnknownVoice):
        await engines.synthesize("espeak", "hello", "xx-nowhere", speed=1.0, pitch=1.0)


async def test_a_turn_over_the_timeout_is_abandoned_and_the_pool_recovers(engines):
    endless = "This sentence goes on and on. " * 2000  # minutes of speech
    with pytest.raises(TurnTimeout):
        await engines.synthesize("espeak", endless, "en-us", speed=0.25, pitch=1.0)
    speech = await engines.synthesize("espeak", "Still here.", "en-us", speed=1.0, pitch=1.0)
    assert speech.duration_ms > 300


def _processes(work, *, setup=engine_work.no_setup, timeout_s: float = 10.0) -> EngineProcesses:
    context = multiprocessing.get_context("spawn")
    return EngineProcesses(
        context, count=1, setup=setup, setup_args=(), work=work, timeout_s=timeout_s
    )


@pytest.mark.parametrize("death", ["mid-turn", "while idle"])
async def test_a_process_that_dies_fails_that_turn_and_is_replaced(death: str):
    processes = _processes(engine_work.answer)
    try:
        _, pid = await processes.run("hello")
        with pytest.raises(EngineProcessDied):
            if death == "while idle":
                os.kill(pid, signal.SIGKILL)
                await processes.run("lost")
            else:
                await processes.run("die")  # the process exits in the middle of the turn
        value, new_pid = await processes.run("again")
        assert value == "again" and new_pid != pid
    finally:
        processes.close()


async def test_an_abandoned_turn_finishes_and_its_answer_reaches_no_one_else():
    processes = _processes(engine_work.slow_answer)
    try:
        _, pid = await processes.run("warm")
        abandoned = asyncio.create_task(processes.run("abandoned"))

        async def busy() -> bool:  # the process taken: the request is on its way
            return processes.idle_count() == 0

        await eventually(busy, timeout_s=5, what="the process taken")
        abandoned.cancel()
        with pytest.raises(asyncio.CancelledError):
            await abandoned
        value, same_pid = await processes.run("next")
        assert value == "next", "the next turn got its own answer, not the abandoned one's"
        assert same_pid == pid, "the process was kept, not killed and started again"
    finally:
        processes.close()


async def test_a_process_that_cannot_set_up_fails_the_start():
    processes = _processes(engine_work.answer, setup=engine_work.failing_setup)
    try:
        with pytest.raises(RuntimeError, match="could not be loaded"):
            await processes.start()
    finally:
        processes.close()


async def test_a_process_whose_service_left_during_its_set_up_exits_quietly():
    # A service stopped while its engines still load: the process finds no one to say "ready"
    # to, and ends without a traceback (an uncaught exception would exit 1 and print one).
    context = multiprocessing.get_context("spawn")
    requests_end, requests = context.Pipe(duplex=False)
    answers, answers_end = context.Pipe(duplex=False)
    process = context.Process(
        target=engine_processes._serve,
        args=(requests_end, answers_end, engine_work.slow_setup, (), engine_work.answer),
    )
    process.start()
    answers_end.close()
    answers.close()  # the service is gone before the engine is ready
    await asyncio.to_thread(process.join, 30)
    requests.close()
    assert process.exitcode == 0
