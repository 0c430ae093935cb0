"""Where words end in Chinese text, by jieba: the places a long unpunctuated piece may be cut.

Chinese is written without spaces, so a cut at an arbitrary character can split a word (银行
into 银 | 行), and each half is then read on its own, with the wrong tone or reading. jieba is the
segmenter misaki's Mandarin G2P uses too, so a cut here falls where the G2P already sees a word
boundary and the reading does not change.

jieba loads a 5 MB dictionary (about a second and 70 MB) on first use, so it is imported only
when a piece really has to be cut inside Han text. Its prefix-dictionary cache goes beside this
Python environment rather than in the shared temporary folder, which any local user can write.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_ready = False


def _jieba() -> Any:
    global _ready
    import jieba

    with _lock:
        if not _ready:
            jieba.setLogLevel(60)  # its progress lines are not log events
            if jieba.dt.cache_file is None:  # synthesis' Mandarin G2P may have chosen one
                cache = Path(sys.prefix) / "share" / "ttsjobs" / "jieba.cache"
                with contextlib.suppress(OSError):  # unwritable: jieba works without a cache
                    cache.parent.mkdir(parents=True, exist_ok=True)
                jieba.dt.cache_file = str(cache)
                jieba.dt.tmp_dir = str(cache.parent)
            _ready = True
    return jieba


def word_ends(text: str) -> list[int]:
    """The offsets in ``text`` where a jieba word (or a run of other characters) ends, in
    order; the last is ``len(text)``. Cutting ``text`` at any of them splits no word."""
    ends: list[int] = []
    end = 0
    for word in _jieba().cut(text):
        end += len(word)
        ends.append(end)
    if end != len(text):  # jieba is lossless; should it ever not be, no cut is offered
        return [len(text)]
    return ends
