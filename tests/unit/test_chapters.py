"""Chapters: where each starts, written into MP3 (ID3v2 CHAP/CTOC) and M4A files so that other
programs find them (mutagen, and libavformat through PyAV: ffprobe's own reader), and rendered
as WebVTT chapter cues and Podcasting 2.0 JSON."""

from __future__ import annotations

import hashlib
import json
import tempfile
from fractions import Fraction

import av
import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4

from ttsjobs.contracts.job_events import Chapter
from ttsjobs.contracts.job_request import OutputFormat, Turn
from ttsjobs.jobs.chapters import chapters_of, podcast_json, webvtt
from ttsjobs_synthesis import chapter_tags
from ttsjobs_synthesis.audio import Span
from ttsjobs_synthesis.spool import AudioSpool

RATE = 24000
DURATION_MS = 4_000
CHAPTERS = [
    Chapter(title="Intro", start_ms=0),
    Chapter(title="第二章 銀行", start_ms=1_250),
    Chapter(title="<Outro> & more", start_ms=3_100),
]


def _tone() -> np.ndarray:
    t = np.arange(RATE * DURATION_MS // 1000) / RATE
    return (0.2 * np.sin(2 * np.pi * 330 * t)).astype(np.float32)


def test_chapters_start_at_the_turns_that_name_them():
    turns = [
        Turn(speaker="A", text="a", chapter="One"),
        Turn(speaker="B", text="b"),
        Turn(speaker="A", text="c", chapter="Two"),
    ]
    spans = [Span(0, 900), Span(1_200, 2_000), Span(2_300, 3_000)]
    assert chapters_of(turns, spans) == [
        Chapter(title="One", start_ms=0),
        Chapter(title="Two", start_ms=2_300),
    ]
    assert chapters_of(turns[1:2], spans[1:2]) == []


def test_mp3_chapters_are_id3_chap_frames_under_a_ctoc_that_readers_find():
    spool = AudioSpool(OutputFormat.mp3, RATE)
    try:
        spool.write(_tone())
        spool.finish()
        file = spool.reader()
        size, sha = chapter_tags.mark(file, "mp3", CHAPTERS, DURATION_MS)
        data = file.read()
    finally:
        spool.close()
    assert (len(data), hashlib.sha256(data).hexdigest()) == (size, sha)
    with tempfile.NamedTemporaryFile(suffix=".mp3") as saved:
        saved.write(data)
        saved.flush()
        tags = ID3(saved.name)
        toc = tags["CTOC:toc"]
        assert toc.flags & 3 == 3  # top level, ordered
        found = [tags[f"CHAP:{element}"] for element in toc.child_element_ids]
        assert [(c.start_time, c.end_time, str(c.sub_frames["TIT2"])) for c in found] == [
            (0, 1_250, "Intro"),
            (1_250, 3_100, "第二章 銀行"),
            (3_100, 4_000, "<Outro> & more"),
        ]
        assert MP3(saved.name).info.length == pytest.approx(4.0, abs=0.1), "still audio"
        with av.open(saved.name) as container:
            marks = sorted(container.chapters(), key=lambda c: c["start"])
            assert [
                (float(c["start"] * c["time_base"]), c["metadata"]["title"]) for c in marks
            ] == [(0.0, "Intro"), (1.25, "第二章 銀行"), (3.1, "<Outro> & more")]
            decoded = sum(frame.samples for frame in container.decode(audio=0))
            assert decoded == pytest.approx(RATE * 4, rel=0.05)


def _m4a() -> tempfile._TemporaryFileWrapper[bytes]:
    file = tempfile.TemporaryFile()
    with av.open(file, "w", format="ipod") as out:
        stream = out.add_stream("aac", rate=RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(_tone()[None, :], format="flt", layout="mono")
        frame.sample_rate = RATE
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    return file


def test_m4a_chapters_are_mp4_chapters_that_readers_find():
    with _m4a() as file:
        size, sha = chapter_tags.mark(file, "m4a", CHAPTERS, DURATION_MS)
        data = file.read()
    assert (len(data), hashlib.sha256(data).hexdigest()) == (size, sha)
    with tempfile.NamedTemporaryFile(suffix=".m4a") as saved:
        saved.write(data)
        saved.flush()
        with av.open(saved.name) as container:
            marks = container.chapters()
            assert [
                (c["start"] * c["time_base"], c["end"] * c["time_base"], c["metadata"]["title"])
                for c in marks
            ] == [
                (0, Fraction(5, 4), "Intro"),
                (Fraction(5, 4), Fraction(31, 10), "第二章 銀行"),
                (Fraction(31, 10), 4, "<Outro> & more"),
            ]
            decoded = sum(frame.samples for frame in container.decode(audio=0))
            assert decoded == pytest.approx(RATE * 4, rel=0.05), "the audio is copied whole"
        nero = MP4(saved.name).chapters
        assert nero is not None
        assert [(round(c.start, 3), c.title) for c in nero] == [
            (0.0, "Intro"),
            (1.25, "第二章 銀行"),
            (3.1, "<Outro> & more"),
        ]


def test_only_mp3_and_m4a_carry_chapters_in_the_file():
    assert [
        f for f in ("wav", "flac", "mp3", "ogg", "opus", "m4a") if chapter_tags.writes_chapters(f)
    ] == [
        "mp3",
        "m4a",
    ]


def test_webvtt_chapter_cues_run_from_each_start_to_the_next():
    assert webvtt(CHAPTERS, DURATION_MS) == (
        "WEBVTT\n\n"
        "1\n00:00:00.000 --> 00:00:01.250\nIntro\n\n"
        "2\n00:00:01.250 --> 00:00:03.100\n第二章 銀行\n\n"
        "3\n00:00:03.100 --> 00:00:04.000\n&lt;Outro&gt; &amp; more\n"
    )
    assert webvtt([Chapter(title="a\nb --> c", start_ms=0)], 10).splitlines()[4] == "a b → c"


def test_podcasting_json_chapters_in_seconds():
    body = json.loads(podcast_json(CHAPTERS, DURATION_MS, "晨間節目"))
    assert body == {
        "version": "1.2.0",
        "title": "晨間節目",
        "chapters": [
            {"startTime": 0.0, "endTime": 1.25, "title": "Intro"},
            {"startTime": 1.25, "endTime": 3.1, "title": "第二章 銀行"},
            {"startTime": 3.1, "endTime": 4.0, "title": "<Outro> & more"},
        ],
    }
    assert "title" not in json.loads(podcast_json(CHAPTERS, DURATION_MS, None))
