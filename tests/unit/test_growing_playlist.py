"""The live playlist: each listed segment with its real length, in order, relative URIs, one
target duration from the first version on (RFC 8216), and EXT-X-ENDLIST only once the job has
ended."""

from __future__ import annotations

from ttsjobs.jobs.live_audio import LiveManifest
from ttsjobs_gateway.growing_playlist import playlist


def test_each_listed_segment_with_its_length_and_the_end_only_once_ended():
    listed = LiveManifest(rate=24_000, frames=[110_592, 55_296, 144_000])
    running = playlist(listed, ended=False)
    lines = running.splitlines()
    assert lines[0] == "#EXTM3U" and "#EXT-X-PLAYLIST-TYPE:EVENT" in lines
    assert [line for line in lines if not line.startswith("#")] == [
        "live/0.mp3",
        "live/1.mp3",
        "live/2.mp3",
    ]
    assert [line for line in lines if line.startswith("#EXTINF")] == [
        "#EXTINF:4.608000,",
        "#EXTINF:2.304000,",
        "#EXTINF:6.000000,",
    ]
    assert "#EXT-X-TARGETDURATION:6" in lines
    assert "#EXT-X-ENDLIST" not in running
    assert playlist(listed, ended=True).endswith("#EXT-X-ENDLIST\n")


def test_a_job_with_nothing_listed_yet_is_an_empty_playlist_that_goes_on():
    empty = playlist(None, ended=False)
    assert "#EXTINF" not in empty and "#EXT-X-ENDLIST" not in empty
    assert "#EXT-X-TARGETDURATION:6" in empty, "declared before any segment, never changed"
