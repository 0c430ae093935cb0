"""Each Mandarin role of a cast job names how it is read: Taiwan's readings for a zh-TW wish or
Traditional text, the mainland's for Simplified text, and what the request says above all."""

from __future__ import annotations

from tests.unit.test_casting import PROVIDERS
from ttsjobs.contracts.casting import cast
from ttsjobs.contracts.job_request import MultiRoleRequest


def _cast(turns, assignments=None):
    body = {"turns": [{"speaker": s, "text": t} for s, t in turns]}
    if assignments:
        body["voice_assignments"] = assignments
    return cast(MultiRoleRequest.model_validate(body), PROVIDERS)


def _readings(request):
    return {s: a.reading for s, a in request.voice_assignments.items()}


def test_traditional_text_reads_the_taiwan_way_and_simplified_the_mainland_way():
    request, problems, _ = _cast([("A", "垃圾要分類。"), ("B", "垃圾要分类。")])
    assert not problems
    assert _readings(request) == {"A": "taiwan", "B": "mainland"}


def test_a_zh_tw_wish_reads_the_taiwan_way_and_says_no_accented_voice_exists():
    request, problems, warnings = _cast(
        [("A", "垃圾要分类。")], {"A": {"language": "zh-TW", "gender": "female"}}
    )
    assert not problems
    assert _readings(request) == {"A": "taiwan"}
    assert request.voice_assignments["A"].voice == "zf_xiaoxiao"
    assert any("Taiwan" in w and "zf_xiaoxiao" in w and "no Taiwan-accented" in w for w in warnings)


def test_shared_characters_follow_the_rest_of_the_job():
    request, _, _ = _cast([("A", "星期一"), ("B", "我們去買東西。")])
    assert _readings(request) == {"A": "taiwan", "B": "taiwan"}
    request, _, _ = _cast([("A", "星期一")])
    assert _readings(request) == {"A": "mainland"}


def test_the_request_decides_over_the_defaults():
    request, _, warnings = _cast(
        [("A", "垃圾要分類。")], {"A": {"voice": "zf_xiaoxiao", "reading": "mainland"}}
    )
    assert _readings(request) == {"A": "mainland"}
    assert warnings == []


def test_roles_with_other_voices_name_no_reading():
    request, _, _ = _cast([("A", "Hello there."), ("B", "垃圾要分類。")])
    assert _readings(request) == {"A": None, "B": "taiwan"}
