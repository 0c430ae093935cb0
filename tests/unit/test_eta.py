"""The ETA: from the engine's measured speed before the first turn, then from the turns."""

from __future__ import annotations

from ttsjobs.contracts.duration import speaking_ms
from ttsjobs.contracts.job_request import MultiRoleRequest
from ttsjobs.contracts.voices import ProviderCatalogue, VoiceInfo
from ttsjobs_synthesis.eta import RemainingWork, SpeedMeter, time_left_ms


class _Engines:
    def __init__(self, realtime_factor: float | None, parallel: int = 1) -> None:
        self._catalogue = ProviderCatalogue(
            provider="kokoro",
            description="",
            voices=[VoiceInfo(id="zf_xiaoxiao", name="Xiaoxiao", language="zh-CN", sample_rate=1)],
            realtime_factor=realtime_factor,
        )
        self._parallel = parallel

    def catalogue(self, provider: str) -> ProviderCatalogue | None:
        return self._catalogue if provider == "kokoro" else None

    def parallelism(self, provider: str) -> int:
        return self._parallel


def _request(*turns: tuple[str, str], speed: float = 1.0) -> MultiRoleRequest:
    speakers = {speaker for speaker, _ in turns}
    voices = {"A": "zf_xiaoxiao", "B": "zm_yunxi"}
    return MultiRoleRequest.model_validate(
        {
            "provider": "kokoro",
            "turns": [{"speaker": s, "text": t} for s, t in turns],
            "voice_assignments": {s: {"voice": voices[s], "speed": speed} for s in speakers},
        }
    )


def test_before_any_turn_the_engines_real_time_factor_predicts_the_whole_job():
    request = _request(("A", "早安，我們今天下午三點開會。"), ("B", "好的，我會準時到。"))
    work = RemainingWork.of(request)
    audio_ms = sum(speaking_ms(t.text) for t in request.turns)
    eta = time_left_ms(SpeedMeter(), _Engines(realtime_factor=0.5), "kokoro", work)
    assert eta == round(0.5 * audio_ms)
    # Two turns side by side take half as long; nothing measured and no factor: no ETA.
    assert time_left_ms(SpeedMeter(), _Engines(0.5, parallel=2), "kokoro", work) == round(
        0.25 * audio_ms
    )
    assert time_left_ms(SpeedMeter(), _Engines(None), "kokoro", work) is None


def test_a_voice_not_measured_yet_takes_its_engines_measured_rate_over_the_prior():
    request = _request(("A", "一二三四"), ("B", "五六七八"))
    work = RemainingWork.of(request)
    speed = SpeedMeter()
    speed.observe("kokoro", "zf_xiaoxiao", audio_ms=1000, ms=2000)  # twice as slow as real time
    work.finish(0)
    eta = time_left_ms(speed, _Engines(realtime_factor=0.1), "kokoro", work)
    assert eta == round(2.0 * speaking_ms("五六七八")), "the engine's rate, not the prior"


def test_speed_is_per_second_of_audio_so_english_measures_predict_mandarin():
    speed = SpeedMeter()
    english = "Good morning, how are you today?"
    speed.observe("kokoro", "zf_xiaoxiao", audio_ms=speaking_ms(english), ms=800)
    line = speed.line("kokoro", "zf_xiaoxiao")
    assert line is not None and line[0] == 0, "one turn: a rate, no cost per turn yet"
    rate = line[1]
    mandarin = RemainingWork([("zf_xiaoxiao", speaking_ms("早安，我們今天下午三點開會。"))])
    predicted = speed.estimate_ms("kokoro", mandarin, parallel=1)
    assert predicted == round(rate * speaking_ms("早安，我們今天下午三點開會。"))
    # 14 Han characters are longer to say than 32 Latin ones: a per-character rate said less.
    assert predicted is not None and predicted > 800


def test_remaining_work_counts_down_to_zero_and_a_turn_finishes_once():
    request = _request(("A", "一二三"), ("A", "四五六"), ("B", "七八九"), speed=2.0)
    work = RemainingWork.of(request)
    assert work.by_voice()["zf_xiaoxiao"] == (2, speaking_ms("一二三", speed=2.0) * 2)
    work.finish(0)
    work.finish(0)
    assert work.turns_left == 2
    assert work.by_voice()["zf_xiaoxiao"] == (1, speaking_ms("四五六", speed=2.0))
    work.finish(1)
    work.finish(2)
    assert work.turns_left == 0
    assert SpeedMeter().estimate_ms("kokoro", work, parallel=4) == 0


def test_the_last_turns_are_not_divided_among_more_processes_than_there_are_turns():
    speed = SpeedMeter()
    speed.observe("kokoro", "v", audio_ms=1000, ms=1000)
    one_turn = RemainingWork([("v", 3000.0)])
    assert speed.estimate_ms("kokoro", one_turn, parallel=4) == 3000


def test_a_cost_per_turn_learnt_on_short_turns_does_not_inflate_long_ones():
    speed = SpeedMeter()
    # espeak-like: 28 ms a turn whatever its length, then 2 ms per second of audio.
    for audio_ms in (1000, 2000, 4000, 1500, 3000):
        speed.observe("espeak", "en-us", audio_ms=audio_ms, ms=28 + 0.002 * audio_ms)
    per_turn, rate = speed.line("espeak", "en-us") or (None, None)
    assert per_turn is not None and rate is not None
    assert abs(per_turn - 28) < 0.5 and abs(rate - 0.002) < 1e-4
    long_turns = RemainingWork([("en-us", 80_000.0)] * 6)
    eta = speed.estimate_ms("espeak", long_turns, parallel=2)
    assert eta == round((6 * 28 + 0.002 * 480_000) / 2)  # 564 ms; a ratio said over 3 s


def test_the_measure_follows_the_voices_speed_as_it_changes():
    speed = SpeedMeter()
    for _ in range(3):
        speed.observe("kokoro", "v", audio_ms=1000, ms=1000)
    for _ in range(30):
        speed.observe("kokoro", "v", audio_ms=1000, ms=3000)  # the machine got busy
    line = speed.line("kokoro", "v")
    assert line is not None and 2.9 < line[1] < 3.0, line
    speed.observe("kokoro", "v", audio_ms=0, ms=500)  # nothing to say: no measure
    assert speed.line("kokoro", "v") == line
