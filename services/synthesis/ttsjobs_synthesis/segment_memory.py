"""Recently used segments, decoded, in this process's memory, in front of the bucket.

A segment never changes once made (its key is everything that shapes it), so a copy in memory
is as good as the stored one. A rerun or an edit on the same worker then reads its turns
without a round trip to the bucket or a FLAC decode: for a fast engine (espeak-ng speaks 90 s
in under 0.2 s here) those were most of a cached job's time. The bucket stays the shared cache:
other workers and a restarted one find the segments there. Least recently used go first once
the bytes held pass the limit. Entries are found by the segment's object key, which names its
owner (segments.py): one user's job never reads another's here either.
"""

from __future__ import annotations

from collections import OrderedDict

from ttsjobs_synthesis.providers.base import Speech


class SegmentMemory:
    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._held: OrderedDict[str, Speech] = OrderedDict()
        self._bytes = 0

    def get(self, key: str) -> Speech | None:
        speech = self._held.get(key)
        if speech is not None:
            self._held.move_to_end(key)
        return speech

    def put(self, key: str, speech: Speech) -> None:
        size = speech.samples.nbytes
        if size > self._max_bytes:
            return
        old = self._held.pop(key, None)
        if old is not None:
            self._bytes -= old.samples.nbytes
        self._held[key] = speech
        self._bytes += size
        while self._bytes > self._max_bytes:
            _, dropped = self._held.popitem(last=False)
            self._bytes -= dropped.samples.nbytes

    @property
    def bytes_held(self) -> int:
        return self._bytes
