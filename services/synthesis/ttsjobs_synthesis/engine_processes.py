"""One engine's processes, each running one turn at a time, reached from the event loop itself.

A turn goes to an idle process as a pickled request down a pipe, and its answer comes back up
another pipe that the event loop reads. So a turn wakes two sleepers: the process, then the
loop. A pool with helper threads (pebble) woke four: its scheduling thread, the process, its
result thread, then the loop. Waking a sleeping thread or process costs about half a
millisecond in this machine's VM, so a short turn after a pause took 2.1 ms that way (see
bench/README.md).

A process that overruns the turn's timeout (the pool's, or one given with the turn) is killed
and replaced, so a stuck engine cannot hold a slot; one that dies mid-turn (a crashing native
engine) fails that turn with ``EngineProcessDied`` and is replaced. When the caller stops
waiting (its job was cancelled), the process finishes the turn in the background and its
answer is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import struct
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext, SpawnProcess
from typing import Any

import structlog

log = structlog.get_logger()

_LENGTH = struct.Struct("!Q")
# Pause before starting a replacement again after one failed to start.
_RESTART_DELAY_S = 1.0


class TurnTimeout(Exception):
    """A turn took longer than the per-turn timeout: transient, the job is retried."""


class EngineProcessDied(Exception):
    """The engine process exited in the middle of a turn."""


Setup = Callable[..., None]
Work = Callable[..., Any]


def _serve(requests: Connection, answers: Connection, setup: Setup, setup_args: tuple,
           work: Work) -> None:  # fmt: skip
    """The engine process: set up once, then answer requests one at a time until the pipe
    closes."""
    try:
        _answer_requests(requests, answers, setup, setup_args, work)
    except BrokenPipeError:  # the service stopped (or dropped this process) first: nobody to tell
        return


def _answer_requests(requests: Connection, answers: Connection, setup: Setup, setup_args: tuple,
                     work: Work) -> None:  # fmt: skip
    fd = answers.fileno()
    try:
        setup(*setup_args)
    except BaseException as err:
        _write(fd, ("failed", err))
        return
    _write(fd, ("ready", None))
    while True:
        try:
            args = requests.recv()
        except EOFError:
            return
        try:
            answer: tuple[str, Any] = ("ok", work(*args))
        except Exception as err:
            answer = ("error", err)
        _write(fd, answer)


def _write(fd: int, answer: tuple[str, Any]) -> None:
    try:
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as err:  # an error that does not pickle still reaches the caller
        data = pickle.dumps(("error", RuntimeError(f"{answer[1]!r} ({err})")))
    for chunk in (_LENGTH.pack(len(data)), data):
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view) :]


class _Process:
    def __init__(self, process: SpawnProcess, requests: Connection, answers: asyncio.StreamReader,
                 transport: asyncio.ReadTransport) -> None:  # fmt: skip
        self.process = process
        self.requests = requests
        self.answers = answers
        self.transport = transport
        self._length: int | None = None  # of the answer being read, once its header is in

    def send(self, args: tuple) -> None:
        # One request at a time per process, a few hundred bytes: the pipe never fills.
        try:
            self.requests.send(args)
        except OSError as err:  # it died while idle
            raise EngineProcessDied(f"the engine process is gone ({err})") from None

    async def answer(self) -> tuple[str, Any]:
        """The next answer. A read cancelled half-way resumes where it stopped: readexactly
        takes nothing from the pipe until all it asked for is there."""
        try:
            if self._length is None:
                (self._length,) = _LENGTH.unpack(await self.answers.readexactly(_LENGTH.size))
            data = await self.answers.readexactly(self._length)
            self._length = None
            return pickle.loads(data)
        except asyncio.IncompleteReadError:
            raise EngineProcessDied("the engine process exited in the middle of a turn") from None

    def kill(self) -> None:
        self.process.kill()
        self.stop_reading()

    def stop_reading(self) -> None:
        self.transport.close()
        self.requests.close()


class EngineProcesses:
    """``count`` processes that each run ``setup(*setup_args)`` once, then ``work(*args)`` per
    call, one call at a time."""

    def __init__(self, context: SpawnContext, *, count: int, setup: Setup, setup_args: tuple,
                 work: Work, timeout_s: float | None = None) -> None:  # fmt: skip
        self._context = context
        self._count = count
        self._setup = setup
        self._setup_args = setup_args
        self._work = work
        self._timeout_s = timeout_s
        self._idle: asyncio.Queue[_Process] | None = None
        self._all: set[_Process] = set()
        self._started: asyncio.Lock | None = None
        self._closed = False
        self._background: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Start every process and wait until each has set up; idempotent. A process whose
        setup fails raises here."""
        if self._started is None:
            self._started = asyncio.Lock()
        async with self._started:
            if self._idle is not None:
                return
            idle: asyncio.Queue[_Process] = asyncio.Queue()
            for process in await asyncio.gather(*(self._spawn() for _ in range(self._count))):
                idle.put_nowait(process)
            self._idle = idle

    async def run(self, *args: Any, timeout_s: float | None = None) -> Any:
        """``work(*args)`` on an idle process; ``timeout_s`` (default: the pool's; None: no
        limit) bounds this call, so a longer turn can be given longer."""
        if self._idle is None:
            await self.start()
        assert self._idle is not None
        limit_s = self._timeout_s if timeout_s is None else timeout_s
        process = await self._idle.get()
        try:
            process.send(args)
            async with asyncio.timeout(limit_s):
                kind, value = await process.answer()
        except TimeoutError:
            self._replace(process)
            raise TurnTimeout(f"a turn took longer than {limit_s or 0:.0f} s") from None
        except EngineProcessDied:
            self._replace(process)
            raise
        except asyncio.CancelledError:
            self._in_background(self._finish_abandoned(process, limit_s))
            raise
        except BaseException:
            self._replace(process)
            raise
        self._idle.put_nowait(process)
        if kind == "error":
            raise value
        return value

    def idle_count(self) -> int:
        return self._idle.qsize() if self._idle is not None else 0

    def close(self) -> None:
        """Stop every process: each exits once its request pipe closes; a process still busy
        after a few seconds is killed. Callable from any thread."""
        self._closed = True
        for process in list(self._all):
            with contextlib.suppress(OSError):
                process.requests.close()
        for process in list(self._all):
            process.process.join(timeout=5)
            if process.process.is_alive():
                process.process.kill()
                process.process.join(timeout=5)

    async def _spawn(self) -> _Process:
        requests_out, requests_in = self._context.Pipe(duplex=False)
        answers_out, answers_in = self._context.Pipe(duplex=False)
        args = (requests_out, answers_in, self._setup, self._setup_args, self._work)
        child = self._context.Process(target=_serve, args=args, daemon=True)
        child.start()
        requests_out.close()  # the child's ends: the parent keeps only its own
        answers_in.close()
        reader = asyncio.StreamReader(limit=2**24)
        transport, _ = await asyncio.get_running_loop().connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), answers_out
        )
        process = _Process(child, requests_in, reader, transport)
        self._all.add(process)
        try:
            kind, value = await process.answer()
        except EngineProcessDied:
            self._forget(process)
            raise EngineProcessDied("the engine process exited while it set up") from None
        if kind != "ready":
            self._forget(process)
            raise value
        return process

    def _replace(self, process: _Process) -> None:
        self._forget(process)
        if not self._closed:
            self._in_background(self._start_replacement())

    def _forget(self, process: _Process) -> None:
        self._all.discard(process)
        process.kill()
        self._in_background(asyncio.to_thread(process.process.join, 10))  # reaped, no zombie

    async def _start_replacement(self) -> None:
        while not self._closed:
            try:
                process = await self._spawn()
            except Exception:
                log.exception("engine.process_start_failed")
                await asyncio.sleep(_RESTART_DELAY_S)
                continue
            assert self._idle is not None
            self._idle.put_nowait(process)
            return

    async def _finish_abandoned(self, process: _Process, timeout_s: float | None) -> None:
        try:
            async with asyncio.timeout(timeout_s):
                await process.answer()
        except (TimeoutError, EngineProcessDied):
            self._replace(process)
            return
        assert self._idle is not None
        self._idle.put_nowait(process)

    def _in_background(self, work: Any) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
