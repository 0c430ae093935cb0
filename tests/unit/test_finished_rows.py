"""A finished job's state is built once per version of its row (reads/finished_rows.py),
and never kept for an unfinished job or a row the projection could not store."""

from __future__ import annotations

from typing import Any

from ttsjobs.jobs.state import JobState
from ttsjobs_gateway.reads.finished_rows import FinishedRows


def _row(status: str = "completed", seq: int = 5, **more: Any) -> dict[str, Any]:
    return {"id": "j1", "status": status, "last_event_seq": seq, "updated_at": seq, **more}


class Builds:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, row: Any) -> JobState:
        self.count += 1
        return JobState.model_construct(id=row["id"], last_event_seq=row["last_event_seq"])


def test_the_same_finished_row_is_built_once_and_a_new_event_builds_again():
    rows, build = FinishedRows(), Builds()
    first = rows.state_of(_row(), build)
    assert rows.state_of(_row(), build) is first and build.count == 1
    renamed = rows.state_of(_row(seq=6), build)  # a rename moved the row on
    assert renamed.last_event_seq == 6 and build.count == 2


def test_unfinished_jobs_and_rows_with_a_read_model_error_are_always_built():
    rows, build = FinishedRows(), Builds()
    for _ in range(2):
        rows.state_of(_row(status="processing"), build)
        rows.state_of(_row(read_model_error="could not store an event"), build)
    assert build.count == 4


def test_the_oldest_kept_state_is_forgotten_first():
    rows, build = FinishedRows(kept=1), Builds()
    rows.state_of(_row(), build)
    rows.state_of({**_row(), "id": "j2"}, build)
    rows.state_of(_row(), build)
    assert build.count == 3


def test_a_kept_state_is_rendered_once_per_key_and_no_other_state_is_kept():
    rows, build = FinishedRows(), Builds()
    renders: list[str] = []

    def render(state: JobState) -> bytes:
        renders.append(state.id)
        return f"{state.id}@{state.last_event_seq}".encode()

    ended = {"completed_at": 1}
    state = rows.state_of(_row(), lambda row: build(row).model_copy(update=ended))
    assert rows.rendered(state, "a", render) == rows.rendered(state, "a", render) == b"j1@5"
    assert len(renders) == 1
    rows.rendered(state, "b", render)  # rendered for something else (another retention)
    assert len(renders) == 2
    rows.rendered(state.model_copy(), "b", render)  # not the state kept (read_model_error's copy)
    unfinished = rows.state_of(_row(status="processing"), build)
    rows.rendered(unfinished, "b", render)
    assert len(renders) == 4


def test_a_finished_state_without_an_end_time_is_rendered_every_time():
    rows = FinishedRows()
    state = rows.state_of(_row(), Builds())  # completed_at None: its elapsed counts to now
    renders: list[JobState] = []
    for _ in range(2):
        rows.rendered(state, "a", lambda s: renders.append(s) or b"")
    assert renders == [state, state]
