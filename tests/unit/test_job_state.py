"""The reducer behind both the table and the gateway's read-after-write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support.jobs import dialogue
from ttsjobs.contracts.job_events import (
    AudioObject,
    JobResult,
    TurnTiming,
)
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.jobs.state import JobStatus, apply, audio_file_id, fold
from ttsjobs.readmodel.rows import search_grams, search_text
from ttsjobs_gateway.publishers import job_cancelled, job_created, job_deleted, job_renamed
from ttsjobs_synthesis import publishers as synth

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _created():
    event = job_created(MultiRoleRequest.model_validate(dialogue()), user_id="u1")
    return event.model_copy(update={"time": T0})


def _at(event, seconds):
    return event.model_copy(update={"time": T0 + timedelta(seconds=seconds)})


def _result():
    audio = AudioObject(
        bucket="b",
        object_key="k",
        size_bytes=10,
        content_type="audio/wav",
        format="wav",
        sample_rate=22050,
    )
    timing = TurnTiming(index=0, speaker="Alice", start_ms=0, end_ms=100, synthesis_ms=5)
    return JobResult(duration_ms=100, latency_ms=5, turn_timings=[timing], audio=audio)


def _lifecycle():
    created = _created()
    job = created.job_id
    return [
        (1, created),
        (2, _at(synth.job_started(job, user_id="u1", worker="w", attempt=1), 1)),
        (3, _at(synth.job_progressed(job, user_id="u1", done=1, total=3, turn_index=0), 2)),
        (5, _at(synth.job_progressed(job, user_id="u1", done=2, total=3, turn_index=1), 3)),
        (8, _at(synth.job_completed(job, _result(), user_id="u1"), 4)),
    ]


def test_lifecycle_folds_to_completed():
    state = fold(_lifecycle())
    assert state is not None
    assert state.status is JobStatus.completed
    assert state.progress_done == state.progress_total == 3
    assert state.started_at == T0 + timedelta(seconds=1)
    assert state.completed_at == T0 + timedelta(seconds=4)
    assert state.audio_file_id == audio_file_id(state.id)
    assert state.last_event_seq == 8


def test_redelivered_and_replayed_events_change_nothing():
    events = _lifecycle()
    once = fold(events)
    twice = fold(events + events)
    assert once == twice
    shuffled_duplicate = [*events, events[2]]
    assert fold(shuffled_duplicate) == once


def test_progress_never_goes_backwards():
    events = _lifecycle()[:4]
    job = events[0][1].job_id
    late_old_progress = (9, synth.job_progressed(job, user_id="u1", done=1, total=3, turn_index=0))
    state = fold([*events, late_old_progress])
    assert state is not None and state.progress_done == 2


def test_first_terminal_event_wins():
    created = _created()
    job = created.job_id
    state = fold(
        [
            (1, created),
            (2, job_cancelled(job, user_id="u1")),
            (3, synth.job_started(job, user_id="u1", worker="w", attempt=1)),
            (4, synth.job_completed(job, _result(), user_id="u1")),
        ]
    )
    assert state is not None
    assert state.status is JobStatus.cancelled
    assert state.result is None and state.started_at is None
    assert state.last_event_seq == 4


def test_events_without_their_job_are_ignored():
    assert apply(None, synth.job_failed("nobody", "x", user_id="u1"), 3) is None


def test_failed_keeps_its_reason():
    created = _created()
    state = fold(
        [(1, created), (2, synth.job_failed(created.job_id, "turn 2: no phonemes", user_id="u1"))]
    )
    assert state is not None
    assert state.status is JobStatus.failed and state.error_message == "turn 2: no phonemes"


def test_an_expired_job_leaves_the_history_and_stragglers_do_not_bring_it_back():
    from ttsjobs_projection.janitor import job_expired

    events = _lifecycle()
    job = events[0][1].job_id
    gone = fold([*events, (9, job_expired(job, user_id="u1"))])
    assert gone is None
    assert (
        fold(
            [
                *events,
                (9, job_expired(job, user_id="u1")),
                (10, synth.job_failed(job, "late", user_id="u1")),
            ]
        )
        is None
    )


def test_a_rename_sets_the_title_in_any_status_and_the_last_one_wins():
    events = _lifecycle()
    job = events[0][1].job_id
    first = _at(job_renamed(job, user_id="u1", title="早安會議"), 5)
    second = _at(job_renamed(job, user_id="u1", title="Standup"), 6)
    state = fold([*events, (9, first), (10, second)])
    assert state is not None
    assert state.status is JobStatus.completed, "a finished job stays finished"
    assert state.title == "Standup"
    assert state.input.title == events[0][1].data.request.title, "the request is as submitted"
    assert state.last_event_seq == 10
    # Replayed, and redelivered out of nowhere: the same title.
    assert fold([*events, (9, first), (10, second), (9, first)]) == state
    assert apply(state, first, 9) == state


def test_a_rename_before_the_job_is_known_changes_nothing():
    renamed = job_renamed(_created().job_id, user_id="u1", title="x")
    assert apply(None, renamed, 1) is None


def test_search_text_holds_the_title_and_every_turn():
    state = fold(_lifecycle())
    assert state is not None
    renamed = apply(state, job_renamed(state.id, user_id="u1", title="新標題"), 20)
    assert renamed is not None
    text = search_text(renamed)
    assert text.startswith("新標題\n")
    for turn in renamed.input.turns:
        assert turn.text in text


def test_search_grams_are_every_one_and_two_character_piece_lower_cased():
    assert search_grams("早安 Ab") == sorted({"早", "安", " ", "a", "b", "早安", "安 ", " a", "ab"})
    assert search_grams("") == []


def test_a_deleted_job_leaves_the_history_and_stragglers_do_not_bring_it_back():
    events = _lifecycle()
    job = events[0][1].job_id
    deleted = (9, _at(job_deleted(job, user_id="u1"), 5))
    assert fold([*events, deleted]) is None
    late = [(10, _at(job_renamed(job, user_id="u1", title="again"), 6)), (11, events[-1][1])]
    assert fold([*events, deleted, *late]) is None, "a late rename or redelivery is no job"
