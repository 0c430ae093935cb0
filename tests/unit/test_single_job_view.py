"""A single_tts job's view carries its text once: the request as sent (``single``) and where its
sentences end, not the dialogue of its sentences as well; a multi-role job's view is its request.
For a 100,000-character text the view is about the text's size, not twice it."""

from __future__ import annotations

import itertools

from tests.support.jobs import dialogue
from ttsjobs.contracts.job_request import MultiRoleRequest, RequestLimits
from ttsjobs.contracts.single import SingleRequest, expand
from ttsjobs.jobs.state import apply
from ttsjobs_gateway.publishers import job_created
from ttsjobs_gateway.schemas import JobView

SENTENCES = [
    "今天的溫度是二十五度，天氣很好。",
    "他問道：「你明天還來嗎？」",
    "Dr. Smith paid $3.14! ",
]


def _view(single: SingleRequest) -> JobView:
    request = expand(single, RequestLimits())
    state = apply(None, job_created(request, user_id="u", job_type="single_tts"), 1)
    assert state is not None
    return JobView.of(state)


def test_a_single_jobs_view_is_its_text_as_sent_and_where_its_sentences_end():
    text = "".join(SENTENCES) + "\n\n最後一段。"
    view = _view(
        SingleRequest(text=text, voice="cmn", provider="espeak", speed=1.25, mastering="podcast")
    )
    assert view.input is None, "no second copy, as a dialogue of its sentences"
    assert view.single is not None and view.single.text == text and view.single.speed == 1.25
    ends = view.sentence_ends or []
    assert ends[-1] == len(text) and ends == sorted(ends)
    pieces = [text[a:b] for a, b in itertools.pairwise([0, *ends])]
    assert pieces[:2] == SENTENCES[:2] and "".join(pieces) == text
    assert view.progress.total == len(ends), "progress counts these sentences"
    again = SingleRequest.model_validate(view.single.model_dump(exclude_none=True))
    assert again == view.single, "POSTed back to /api/v1/jobs/tts, the same job"


def test_a_multi_role_jobs_view_is_its_request():
    request = MultiRoleRequest.model_validate(dialogue("espeak"))
    state = apply(None, job_created(request, user_id="u"), 1)
    assert state is not None
    view = JobView.of(state)
    assert view.input == request and view.single is None and view.sentence_ends is None


def test_a_100000_character_jobs_view_carries_the_text_once():
    sentence = "我們在第一個路口轉彎，然後一直往前走，直到看見那座紅色的小橋。"
    text = (sentence * (100_000 // len(sentence) + 1))[:100_000]
    request = expand(SingleRequest(text=text, voice="cmn", provider="espeak"), RequestLimits())
    state = apply(None, job_created(request, user_id="u", job_type="single_tts"), 1)
    assert state is not None
    view = JobView.of(state)
    size = len(view.model_dump_json().encode())
    # The view as it was: the dialogue of its sentences beside the text.
    both = view.model_copy(update={"input": state.input, "sentence_ends": None})
    before = len(both.model_dump_json().encode())
    text_size = len(text.encode())
    print(f"single_tts view, 100,000 characters: {before} bytes before, {size} after")
    assert size < 1.1 * text_size, f"{size} bytes for {text_size} bytes of text"
    assert before > 2 * text_size, "the text was there twice"


def test_a_single_job_made_of_ssml_markup_runs_again_from_its_turns():
    from ttsjobs_gateway.ssml.jobs import ssml_job

    body = (
        "<speak>他是一位<phoneme alphabet='x-sampa' ph='hang2'>行</phoneme>家。"
        "<break time='700ms'/>電話是<say-as interpret-as='telephone'>0912345678</say-as>。</speak>"
    )
    made = ssml_job(body.encode(), {"voice": "cmn", "provider": "espeak"}, RequestLimits(),
                    {"cmn"}, single_route=True)  # fmt: skip
    assert made.job_type == "single_tts"
    state = apply(None, job_created(made.request, user_id="u", job_type="single_tts"), 1)
    assert state is not None
    view = JobView.of(state)
    assert view.single is None and view.sentence_ends is None
    assert view.input == made.request, "the turns, markup and breaks as they ran"
    assert any(turn.spoken_as for turn in view.input.turns)
