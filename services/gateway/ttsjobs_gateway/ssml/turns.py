"""The turns an SSML document becomes, built as its text arrives.

Text is collapsed as a speech engine reads XML: any run of whitespace is one space, none at a
turn's ends; the turn's text is otherwise the words as written, so word timing and captions
point into them, and a ``<sub>``'s span, a ``<mark>``'s offset count code points of it.

A turn ends where its speaker or delivery (language, speed, volume, pitch) changes, at a
``<break>``, and at the end of an ``<s>`` or ``<p>``. The pause after it is the longest of its
boundaries (a sentence's, a paragraph's) or the breaks there added up; a turn cut only because
its delivery changed runs on into the next (0 ms), and one whose next turn is another speaker's
keeps the job's pause_ms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ttsjobs.contracts.job_request import MAX_PAUSE_MS
from ttsjobs.contracts.strings import says_something


@dataclass(frozen=True)
class Delivery:
    """Who speaks, and how: what a turn has throughout."""

    speaker: str
    language: str | None = None
    speed: float | None = None
    volume: float | None = None
    pitch: float | None = None


@dataclass
class _Open:
    delivery: Delivery
    text: str = ""
    spaced: bool = False  # whitespace came before its first word
    spoken_as: list[dict[str, Any]] = field(default_factory=list)
    marks: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Boundary:
    """What ends a turn: the structure's pause (s, p) and the breaks there."""

    structural: int | None = None
    breaks: int | None = None

    def pause(self) -> int | None:
        if self.structural is None and self.breaks is None:
            return None
        return min(max(self.structural or 0, self.breaks or 0), MAX_PAUSE_MS)


@dataclass
class TurnBuilder:
    turns: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _open: _Open | None = None
    _after: list[_Boundary] = field(default_factory=list)  # one per finished turn
    _marks_waiting: list[str] = field(default_factory=list)

    def text(self, chunk: str, delivery: Delivery) -> None:
        current = self.opened(delivery)
        collapsed = " ".join(chunk.split())
        if chunk[:1].isspace() and current.text and not current.text.endswith(" "):
            collapsed = " " + collapsed
        if chunk[-1:].isspace() and collapsed and not collapsed.endswith(" "):
            collapsed += " "
        if not current.text:
            current.spaced = current.spaced or collapsed.startswith(" ")
            collapsed = collapsed.lstrip()
        elif current.text.endswith(" ") and collapsed.startswith(" "):
            collapsed = collapsed[1:]
        current.text += collapsed

    def opened(self, delivery: Delivery) -> _Open:
        """The turn being written, for ``delivery``: a new one if it changed."""
        if self._open is not None and self._open.delivery != delivery:
            self.close()
        if self._open is None:
            self._open = _Open(delivery)
            for name in self._marks_waiting:
                self._open.marks.append({"name": name, "char_offset": 0})
            self._marks_waiting = []
        return self._open

    def offset(self) -> int:
        """Where the next text goes in the open turn (0 when none is open)."""
        return len(self._open.text) if self._open is not None else 0

    def span(self, start: int, how: dict[str, Any], what: str) -> None:
        """Markup over the open turn's text from ``start`` to here, trimmed of spaces."""
        current = self._open
        text = current.text if current is not None else ""
        end = len(text)
        while start < end and text[start] == " ":
            start += 1
        while end > start and text[end - 1] == " ":
            end -= 1
        if current is None or end <= start:
            self.warnings.append(f"{what} has no text; ignored")
            return
        current.spoken_as.append({"char_start": start, "char_end": end, **how})

    def mark(self, name: str) -> None:
        if self._open is None:
            self._marks_waiting.append(name)
        else:
            self._open.marks.append({"name": name, "char_offset": len(self._open.text)})

    def boundary(self, *, structural: int | None = None, break_ms: int | None = None) -> None:
        """A turn ends here; the pause after it is at least ``structural``, plus the breaks."""
        self.close()
        if not self._after:
            if break_ms:
                self.warnings.append("a <break> before the first words is not heard; ignored")
            return
        last = self._after[-1]
        if structural is not None:
            last.structural = max(last.structural or 0, structural)
        if break_ms is not None:
            last.breaks = (last.breaks or 0) + break_ms

    def close(self) -> None:
        current, self._open = self._open, None
        if current is None:
            return
        text = current.text.rstrip()
        if not says_something(text):
            self._marks_waiting += [m["name"] for m in current.marks]
            if text and self.turns:  # "—", "……": said with the turn before
                self.turns[-1]["text"] += f" {text}" if current.spaced else text
            elif text:
                self.warnings.append(f"{text!r} before any words has nothing to say; ignored")
            return
        for mark in current.marks:
            mark["char_offset"] = min(mark["char_offset"], len(text))
        if self._after and self._after[-1].pause() is None and self._same(current.delivery):
            self._after[-1].breaks = 0  # cut only by a change of delivery: no pause
        turn: dict[str, Any] = {"speaker": current.delivery.speaker, "text": text}
        for name in ("language", "speed", "volume", "pitch"):
            if (value := getattr(current.delivery, name)) is not None:
                turn[name] = value
        if current.spoken_as:
            turn["spoken_as"] = current.spoken_as
        if current.marks:
            turn["marks"] = current.marks
        self.turns.append(turn)
        self._after.append(_Boundary())

    def _same(self, delivery: Delivery) -> bool:
        return bool(self.turns) and self.turns[-1]["speaker"] == delivery.speaker

    def finished(self) -> list[dict[str, Any]]:
        """The turns, with their pauses; the last keeps only its breaks (its end is the job's)."""
        self.close()
        if self._marks_waiting and self.turns:
            end = len(self.turns[-1]["text"])
            marks = self.turns[-1].setdefault("marks", [])
            marks += [{"name": n, "char_offset": end} for n in self._marks_waiting]
            self._marks_waiting = []
        for turn, after in zip(self.turns, self._after, strict=True):
            pause = after.pause()
            if pause is not None:
                turn["pause_after_ms"] = pause
        if self.turns and self._after[-1].breaks is None:
            self.turns[-1].pop("pause_after_ms", None)
        elif self.turns:
            self.turns[-1]["pause_after_ms"] = min(self._after[-1].breaks or 0, MAX_PAUSE_MS)
        return self.turns
