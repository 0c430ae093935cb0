"""Jobs this gateway accepted, kept current from the tapped events, so that a read of one
asks neither the table nor the stream.

A client that submits a job usually polls it until it ends, and each poll read the job's row
(a query, and the request parsed back out of its JSON) although the gateway had both the job's
state from its own POST and, through the tap, every event since. Here the POST's state is
kept, and each later event of the job is folded into it (``ttsjobs.jobs.state.apply``, as the
projection does). It is answered while the stream watch vouches for it: the tap has followed
the stream without a gap since before the job was accepted, is at the stream's end, and has
seen no event of the job that the state does not hold (stream_watch.py, and its window).
Otherwise, and for jobs other gateways accepted, a read goes to the table.

A state is kept only if the tap had seen no later event of the job when the POST came back,
so every event after the one it holds passes through ``saw``. An event that does not parse
drops the job from here. States are shared between requests: nothing may modify one.
"""

from __future__ import annotations

from ttsjobs.aio.newest import Newest
from ttsjobs.contracts.job_events import JobEvent
from ttsjobs.jobs.state import JobState, apply
from ttsjobs_gateway.live.stream_watch import StreamWatch

KEPT = 10_000
# A job with more text than this is not kept, so that the states kept hold at most about 20
# million characters of request. Long jobs run long and are polled less often for their length.
MAX_TEXT_CHARS = 2_000


class RecentJobs:
    def __init__(
        self, watch: StreamWatch, *, kept: int = KEPT, max_text_chars: int = MAX_TEXT_CHARS
    ) -> None:
        self._watch = watch
        self._max_text_chars = max_text_chars
        self._states: Newest[str, JobState] = Newest(kept)

    def accepted(self, state: JobState) -> None:
        """The state the POST of a job came back with."""
        if self._watch.last_seen(state.id) > state.last_event_seq:
            return  # the tap saw a later event already: this state could miss it
        if sum(len(turn.text) for turn in state.input.turns) > self._max_text_chars:
            return
        self._states.store(state.id, state)

    def wants(self, job_id: str, seq: int) -> bool:
        """Whether the tap should hand the job's event at ``seq`` to ``saw``: a kept job's event
        that its state does not hold yet. The JobCreated of a job accepted here comes back
        through the tap too, and is neither decoded nor folded a second time."""
        state = self._states.get(job_id)
        return state is not None and seq > state.last_event_seq

    def saw(self, event: JobEvent | None, seq: int, job_id: str) -> None:
        """The tap received the event at ``seq`` of a kept job; None: it did not parse."""
        state = self._states.get(job_id)
        if state is None:
            return
        new = None if event is None else apply(state, event, seq)
        if new is None:  # expired, deleted or unreadable: the table answers from now on
            del self._states[job_id]
        else:
            self._states[job_id] = new

    def state(self, job_id: str) -> JobState | None:
        """The job's state, if kept and vouched for."""
        state = self._states.get(job_id)
        if state is None or not self._watch.vouches_for(state):
            return None
        return state
