"""Many voices on the real stack: the whole catalogue renders, roles sound apart, Mandarin from
Traditional and Simplified text, casting, and the catalogue's filters."""

from __future__ import annotations

import io

import pytest
import soundfile as sf

from tests.conftest import eventually
from tests.support.jobs import SUBMIT, submit, wait_for_status
from tests.support.pitch import median_pitch_hz
from ttsjobs.messaging.job_history import read_history

pytestmark = pytest.mark.e2e

# A sentence each voice can read, by the primary language of its BCP 47 tag.
SENTENCES = {
    "en": "Good morning, how are you today?",
    "zh": "早安，我們今天下午三點開會。",
    "cmn": "早安，我們今天下午三點開會。",
    "yue": "早晨，我哋今日下晝三點開會。",
    "ja": "おはようございます。",
    "ko": "안녕하세요.",
    "es": "Buenos días, ¿cómo estás?",
    "fr": "Bonjour, comment allez-vous ?",
    "hi": "नमस्ते, आप कैसे हैं?",
    "it": "Buongiorno, come stai?",
    "pt": "Bom dia, como vai?",
}
DEFAULT_SENTENCE = "Hello, one two three."
SPEAKERS_PER_JOB = 10  # the suite's max_speakers


def _sentence(language: str) -> str:
    return SENTENCES.get(language.split("-")[0].lower(), DEFAULT_SENTENCE)


async def _catalogue(api, **filters) -> dict[str, list[dict]]:
    response = await api.get("/api/v1/voices", params=filters)
    assert response.status_code == 200, response.text
    return {p["provider"]: p["voices"] for p in response.json()["providers"]}


async def test_every_listed_voice_of_every_provider_renders_a_sentence(api):
    catalogue = await _catalogue(api)
    assert len(catalogue["kokoro"]) >= 49
    jobs = []
    for provider, voices in catalogue.items():
        if provider == "tone":
            continue  # the suite's fault injector: its `poison` voice kills its engine on purpose
        for i in range(0, len(voices), SPEAKERS_PER_JOB):
            group = voices[i : i + SPEAKERS_PER_JOB]
            body = {
                "provider": provider,
                "title": f"catalogue walk {provider}",
                "turns": [{"speaker": v["id"], "text": _sentence(v["language"])} for v in group],
                "voice_assignments": {v["id"]: {"voice": v["id"]} for v in group},
            }
            jobs.append((await submit(api, body))["id"])
    for job_id in jobs:
        job = await wait_for_status(api, job_id, {"completed", "failed"}, timeout_s=600)
        assert job["status"] == "completed", (job["input"]["provider"], job["error_message"])
        for timing in job["result"]["turn_timings"]:
            assert timing["end_ms"] - timing["start_ms"] > 300, timing


async def _roles_audio(api, job):
    audio = await api.get(job["links"]["download"])
    samples, rate = sf.read(io.BytesIO(audio.content))
    spans = {}
    for t in job["result"]["turn_timings"]:
        piece = samples[t["start_ms"] * rate // 1000 : t["end_ms"] * rate // 1000]
        spans.setdefault(t["speaker"], []).append(piece)
    return spans, rate


async def test_a_female_and_a_male_role_sound_at_least_40_hz_apart(api):
    body = {
        "title": "two voices",
        "turns": [
            {"speaker": "Ann", "text": "Good morning! Did you sleep well last night?"},
            {"speaker": "Ben", "text": "Very well, thank you. The rain was soothing."},
        ],
        "voice_assignments": {"Ann": {"gender": "female"}, "Ben": {"gender": "male"}},
    }
    job = await wait_for_status(api, (await submit(api, body))["id"], {"completed", "failed"})
    assert job["status"] == "completed", job["error_message"]
    assert job["input"]["provider"] == "kokoro"
    spans, rate = await _roles_audio(api, job)
    ann = median_pitch_hz(spans["Ann"][0], rate)
    ben = median_pitch_hz(spans["Ben"][0], rate)
    assert ann - ben >= 40, (ann, ben)


async def test_traditional_and_simplified_mandarin_render_alike(api):
    traditional = "早安，我們今天下午三點開會，請準時參加。"
    simplified = "早安，我们今天下午三点开会，请准时参加。"
    body = {
        "title": "早安",
        "turns": [
            {"speaker": "老師", "text": traditional},
            {"speaker": "老師", "text": simplified},
            {"speaker": "學生", "text": "銀行行長說，2024年5月1日有3個apple。"},
        ],
        "voice_assignments": {"老師": {"language": "zh-TW", "gender": "female"}},
    }
    job = await wait_for_status(api, (await submit(api, body))["id"], {"completed", "failed"})
    assert job["status"] == "completed", job["error_message"]
    assert job["input"]["turns"][0]["text"] == traditional, "the text is kept as written"
    teacher = job["input"]["voice_assignments"]["老師"]["voice"]
    assert teacher.startswith("zf_")
    spans, _ = await _roles_audio(api, job)
    first, second = spans["老師"]
    # The same phonemes: the same length, within the engine's frame rounding.
    assert abs(len(first) - len(second)) <= 0.01 * len(first), (len(first), len(second))
    captions = await api.get(job["links"]["captions_vtt"])
    assert traditional in captions.text


async def test_text_a_voice_cannot_read_is_refused_naming_the_turn_and_language(api):
    body = {
        "provider": "kokoro",
        "turns": [{"speaker": "A", "text": "Hello."}, {"speaker": "A", "text": "你好"}],
        "voice_assignments": {"A": {"voice": "af_heart"}},
    }
    response = await api.post(SUBMIT, json=body)
    assert response.status_code == 422
    [problem] = response.json()["errors"]
    assert problem["field"] == "turns[1].text"
    assert "en-US" in problem["reason"] and "Han" in problem["reason"]


async def test_casting_is_distinct_repeatable_and_stored(api):
    body = {
        "title": "cast",
        "turns": [
            {"speaker": speaker, "text": f"I am {speaker}."}
            for speaker in ("Ann", "Ben", "Cleo", "Dan")
        ],
    }
    first = await submit(api, body)
    again = await submit(api, body)
    cast = {s: a["voice"] for s, a in first["input"]["voice_assignments"].items()}
    assert set(cast) == {"Ann", "Ben", "Cleo", "Dan"}
    assert len(set(cast.values())) == 4, cast
    assert {s: a["voice"] for s, a in again["input"]["voice_assignments"].items()} == cast
    stored = await api.get(f"/api/v1/jobs/{first['id']}")
    assert {s: a["voice"] for s, a in stored.json()["input"]["voice_assignments"].items()} == cast
    unmet = {"turns": [{"speaker": "A", "text": "Hi."}],
             "voice_assignments": {"A": {"language": "tlh"}}}  # fmt: skip
    response = await api.post(SUBMIT, json=unmet)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "voice_assignments.A"


async def test_the_catalogue_filters_by_language_gender_and_provider(api):
    everything = await _catalogue(api)
    mandarin_women = await _catalogue(api, language="zh", gender="female")
    voices = [v for vs in mandarin_women.values() for v in vs]
    assert {v["id"] for v in mandarin_women["kokoro"]} >= {"zf_xiaoxiao", "zf_xiaoyi"}
    assert all(v["gender"] == "female" for v in voices)
    assert all(v["language"].split("-")[0] in ("zh", "cmn") for v in voices)
    british = await _catalogue(api, language="en-GB", provider="kokoro")
    assert set(british) == {"kokoro"}
    assert {v["language"] for v in british["kokoro"]} == {"en-GB"}
    assert len(british["kokoro"]) < len(everything["kokoro"])
    for voice in everything["kokoro"]:
        assert voice.keys() >= {"id", "name", "language", "gender", "provider", "sample_rate"}
        assert voice["provider"] == "kokoro" and voice["gender"] in ("female", "male")
    bad = await api.get("/api/v1/voices", params={"gender": "robot"})
    assert bad.status_code == 422


async def test_voices_people_can_read_names_accents_and_what_each_engine_is(api):
    response = await api.get("/api/v1/voices")
    providers = {p["provider"]: p for p in response.json()["providers"]}
    kokoro = {v["id"]: v for v in providers["kokoro"]["voices"]}
    assert kokoro["zf_xiaoxiao"]["names"] == {"en": "Xiaoxiao", "zh-TW": "曉曉"}
    assert kokoro["zm_yunxi"]["names"]["zh-TW"] == "雲希"
    assert kokoro["af_heart"]["names"] == {"en": "Heart", "zh-TW": "Heart"}
    assert kokoro["zf_xiaoxiao"]["accent"] == {
        "en": "Mandarin (Mainland China accent)",
        "zh-TW": "普通話（中國大陸口音）",
    }
    assert kokoro["bf_emma"]["accent"]["zh-TW"] == "英式英語"
    zh_names = [v["names"]["zh-TW"] for v in kokoro.values() if v["language"] == "zh-CN"]
    assert len(zh_names) == 8 and all("\u4e00" <= name[0] <= "\u9fff" for name in zh_names)
    assert providers["kokoro"]["summary"] == {"en": "Neural voices, natural",
                                              "zh-TW": "神經網路語音，自然"}  # fmt: skip
    assert providers["espeak"]["summary"]["zh-TW"] == "機械音，支援多種語言"
    assert providers["piper"]["summary"].keys() == {"en", "zh-TW"}


async def test_each_engines_speed_is_measured_and_a_job_has_an_eta_before_its_first_turn(api, js):
    async def factors():
        providers = (await api.get("/api/v1/voices")).json()["providers"]
        found = {p["provider"]: p["realtime_factor"] for p in providers}
        return found if all(found[p] is not None for p in ("kokoro", "piper", "espeak")) else None

    measured = await eventually(factors, what="every engine's real-time factor", timeout_s=120)
    # Neural Kokoro is the slowest here, formant espeak far the fastest.
    assert measured["kokoro"] > measured["espeak"] > 0, measured
    body = {
        "title": "ETA",
        "turns": [
            {"speaker": "主持人", "text": f"第{i}段：今天的天氣晴朗，適合出門散步。"}
            for i in range(3)
        ],
        "voice_assignments": {"主持人": {"voice": "zf_xiaoyi", "speed": 0.9}},
    }
    job = await submit(api, body)
    await wait_for_status(api, job["id"], {"completed"})
    (started,) = [e for _, e in await read_history(js, job["id"]) if e.kind == "started"]
    assert started.data.eta_ms is not None and started.data.eta_ms > 0
