"""A dialogue as people write it (a play's script; for writing systems see ``writing``):

    # Morning show
    # voice Alice: af_heart
    Alice: Good morning, Bob.
    Bob：早上好。
      A line without a speaker goes on with the turn before it.

    [pause 2s]
    Alice: And a blank line ends a turn.
    [停頓 1.5秒]
    Bob: 中文的停頓也行。

    ## Part two
    Alice: A "## title" line starts a chapter at the next turn.

A first line that is a comment (not a ``# voice`` line) is the script's title: a job made from
the script takes it when it is given no other.

``parse_script`` turns such text into the turns of a ``MultiRoleRequest``. It is pure: text in,
turns out, or ``ScriptProblems`` naming each bad line, so the gateway and the CLI share it.

Why the colon rules: a line is a speaker's when its *first* colon is full-width (``：``, as CJK
scripts write it, text may follow at once) or is an ASCII ``:`` followed by whitespace or the
end of the line, and what stands before it is a speaker name of at most four words. So
``http://x`` and ``10:30`` never make a speaker, nor does a sentence that happens to hold a
colon further on.

A chapter line ends the turn it falls in, as a pause does: a line without a speaker after it
goes on in the same speaker's voice, as the chapter's first turn. (``###`` and deeper stay
comments: only the one heading level means a chapter.)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from ttsjobs.contracts.job_request import MAX_CHAPTER_CHARS, MAX_PAUSE_MS, Turn
from ttsjobs.contracts.strings import name_problem, says_something, unstorable

MAX_NAME_CHARS = 64  # SpeakerName's bound
MAX_NAME_WORDS = 4  # "Old Man Jenkins"; a longer run before a colon is a sentence
MAX_DIRECTION_CHARS = 40  # "Alice (whispering)": a stage direction after a name, not part of it
MAX_VOICE_CHARS = 128  # VoiceAssignment.voice's bound
PROBLEMS_LISTED = 20  # a pasted novel is refused with the first few lines, not ten thousand

_FIRST_COLON = re.compile(r"[:：]")
# [pause 2s] and [停頓 2秒] (停顿 too), in either unit and either language; full-width forms
# (［停頓 ２秒］) are read as their ASCII ones (NFKC) before matching.
_PAUSE = re.compile(
    r"\[\s*(?:pause\s+|停[頓顿]\s*)(?:(\d+)\s*(?:ms|毫秒)|(\d+(?:\.\d+)?)\s*(?:s|秒))\s*\]", re.I
)
_PAUSE_LIKE = re.compile(r"\[\s*(?:pause\b|停[頓顿])[^\]]*\]?", re.I)
PAUSE_FORMS = "[pause 2s], [pause 1.5s], [pause 500ms] or [停頓 2秒]"
MAX_TITLE_CHARS = 200  # MultiRoleRequest.title's bound
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\uffa0-\uffdc]")


@dataclass(frozen=True)
class ScriptProblem:
    """One thing wrong with a script: its line (1-based; None for the script as a whole)."""

    line: int | None
    reason: str

    @property
    def field(self) -> str:
        return "script" if self.line is None else f"script.line[{self.line}]"

    def __str__(self) -> str:
        return self.reason if self.line is None else f"line {self.line}: {self.reason}"


class ScriptProblems(ValueError):
    def __init__(self, problems: list[ScriptProblem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class Script:
    turns: list[Turn]
    turn_lines: list[int]  # where each turn starts, to name lines in problems found later
    voices: dict[str, str]  # from "# voice Name: id" lines
    voice_lines: dict[str, int]
    title: str | None = None  # from a first line "# 晨間節目"


def parse_script(text: str) -> Script:
    """The turns of ``text``; raises ScriptProblems naming every bad line (the first few)."""
    reader = _Reader()
    # Every line end Unicode knows ends a line here: CR, LF, CRLF, VT, FF, NEL, U+2028, U+2029
    # (and the C0 separators \x1c-\x1e). A U+2028 inside "Alice: …" must not carry Bob's next
    # line into Alice's turn just because an editor shows it as a new line.
    lines = text.removeprefix("\ufeff").splitlines()
    for number, line in enumerate(lines, start=1):
        reader.read(number, line)
    return reader.finish()


@dataclass
class _Draft:
    speaker: str
    line: int
    # Joined once, at the end: a megabyte of one-character lines must not be copied per line.
    pieces: list[str] = field(default_factory=list)
    pause_after_ms: int | None = None
    chapter: str | None = None

    def add(self, text: str) -> None:
        if text and self.pieces:
            self.pieces.append(_separator(self.pieces[-1][-1], text[0]))
        if text:
            self.pieces.append(text)

    @property
    def text(self) -> str:
        return "".join(self.pieces)


@dataclass
class _Reader:
    turns: list[_Draft] = field(default_factory=list)
    open: _Draft | None = None  # the turn a speaker-less line goes on with
    ended_at: int | None = None  # the blank line that closed the last turn
    pause: tuple[int, int] | None = None  # (ms, line) waiting for the next turn
    paused_speaker: str | None = None  # a pause inside a turn: the speaker goes on after it
    chapter: tuple[str, int] | None = None  # (title, line) waiting for the next turn
    voices: dict[str, tuple[str, int]] = field(default_factory=dict)
    title: str | None = None
    started: bool = False  # a line that is not blank has been read
    problems: list[ScriptProblem] = field(default_factory=list)

    def problem(self, line: int | None, reason: str) -> None:
        self.problems.append(ScriptProblem(line, reason))

    def read(self, number: int, raw: str) -> None:
        if (bad := unstorable(raw)) is not None:
            index, code_point = bad
            self.problem(number, f"{code_point} at column {index + 1} cannot be stored; remove it")
            return
        line = raw.strip()
        pause_form = unicodedata.normalize("NFKC", line) if "[" in line or "［" in line else ""
        if not line:
            self._blank(number)
        elif (title := _chapter_line(line)) is not None:
            self._chapter(number, title)
        elif line.startswith("#"):
            self._comment(number, line, first=not self.started)
        elif _PAUSE_LIKE.fullmatch(pause_form):
            self._pause(number, pause_form)
        elif _PAUSE_LIKE.search(pause_form):
            self.problem(number, "a pause stands alone on its line, as [pause 2s] or [停頓 2秒]")
        elif (speaker := _speaker_line(line)) is not None:
            self._start(number, *speaker)
        else:
            self._continue(number, line)
        self.started = self.started or bool(line)

    def _blank(self, number: int) -> None:
        if self.open is not None or self.paused_speaker is not None:
            self.ended_at = number
        self.open = self.paused_speaker = None

    def _comment(self, number: int, line: str, *, first: bool) -> None:
        # A comment changes nothing: a turn goes on across it.
        if (voice_line := _voice_line(line)) is None:
            if first:
                self.title = " ".join(line.lstrip("#").split())[:MAX_TITLE_CHARS] or None
            return
        name, voice = voice_line
        if len(voice) > MAX_VOICE_CHARS:
            self.problem(number, f"a voice id has at most {MAX_VOICE_CHARS} characters")
        elif name in self.voices:
            self.problem(number, f"{name}'s voice is already set on line {self.voices[name][1]}")
        else:
            self.voices[name] = (voice, number)

    def _pause(self, number: int, line: str) -> None:
        found = _PAUSE.fullmatch(line)
        if found is None:
            self.problem(number, f"write a pause as {PAUSE_FORMS}")
            return
        amount = found.group(1) or found.group(2)
        if len(amount.partition(".")[0]) > 6:  # far past the limit; int() of 5,000 digits raises
            self.problem(number, f"a pause is at most {MAX_PAUSE_MS} ms")
            return
        ms = int(found.group(1)) if found.group(1) else int(Decimal(amount) * 1000)
        if not self.turns:
            self.problem(number, "a pause before the first turn: audio starts with a turn")
            return
        waiting, first = self.pause or (0, number)
        if waiting + ms > MAX_PAUSE_MS:
            self.problem(number, f"{waiting + ms} ms of pause here; at most {MAX_PAUSE_MS} ms")
            return
        self.pause = (waiting + ms, first)
        if self.open is not None:
            self.paused_speaker = self.open.speaker
        self.open = None

    def _chapter(self, number: int, title: str) -> None:
        if not title:
            self.problem(number, "a chapter needs a title: '## Chapter one'")
        elif not says_something(title):
            self.problem(number, "a chapter's title needs a letter or a number")
        elif len(title) > MAX_CHAPTER_CHARS:
            self.problem(number, f"a chapter's title has at most {MAX_CHAPTER_CHARS} characters")
        elif self.chapter is not None:
            self.problem(number, f"the chapter on line {self.chapter[1]} has no turn before this")
        else:
            self.chapter = (title, number)
            if self.open is not None:
                self.paused_speaker = self.open.speaker
            self.open = None

    def _start(self, number: int, speaker: str, text: str) -> None:
        if self.pause is not None:
            self.turns[-1].pause_after_ms = self.pause[0]
            self.pause = None
        self.open = _Draft(speaker, number)
        if self.chapter is not None:
            self.open.chapter, self.chapter = self.chapter[0], None
        self.open.add(" ".join(text.split()))
        self.paused_speaker = None
        self.turns.append(self.open)

    def _continue(self, number: int, line: str) -> None:
        if self.open is None and self.paused_speaker is not None:
            self._start(number, self.paused_speaker, line)
        elif self.open is None:
            self.problem(number, _no_speaker(line, self.ended_at))
        else:
            self.open.add(" ".join(line.split()))

    def finish(self) -> Script:
        named: set[str] = set()
        for turn in self.turns:
            if turn.speaker not in named and (problem := name_problem(turn.speaker)) is not None:
                self.problem(turn.line, f"the speaker's name {problem}")
            named.add(turn.speaker)
            if not turn.text:
                self.problem(turn.line, f"{turn.speaker} says nothing; write it after the colon")
            elif not says_something(turn.text):
                self.problem(
                    turn.line,
                    f"{turn.speaker} says nothing: only punctuation, symbols or invisible"
                    " characters; write words",
                )
        if self.pause is not None:
            self.problem(self.pause[1], "a pause after the last turn: audio ends with a turn")
        if self.chapter is not None:
            self.problem(self.chapter[1], "a chapter after the last turn has no turn in it")
        spoken = {turn.speaker for turn in self.turns}
        for name, (_, number) in self.voices.items():
            if name not in spoken:
                self.problem(number, f"'# voice' gives {name} a voice, but {name} has no turn")
        if not self.turns and not self.problems:
            self.problem(None, "no turns: write each as a line like 'Alice: Hello.'")
        if self.problems:
            raise ScriptProblems(_listed(self.problems))
        return Script(
            turns=[
                Turn(
                    speaker=t.speaker,
                    text=t.text,
                    pause_after_ms=t.pause_after_ms,
                    chapter=t.chapter,
                )
                for t in self.turns
            ],
            turn_lines=[t.line for t in self.turns],
            voices={name: voice for name, (voice, _) in self.voices.items()},
            voice_lines={name: number for name, (_, number) in self.voices.items()},
            title=self.title,
        )


def _chapter_line(line: str) -> str | None:
    """The title of a "## title" line (whitespace made single spaces), else None."""
    if not line.startswith("##") or line.startswith("###"):
        return None
    return " ".join(line[2:].split())


def _speaker_name(candidate: str) -> str | None:
    """``candidate`` as a speaker name (whitespace made single spaces), if it can be one. A
    stage direction in brackets after the name (``Alice (whispering)``, ``小明（小聲）``,
    ``Jenkins (V.O.)``) is the same speaker's, so it is left out of the name."""
    words = _without_direction(candidate).split()
    name = " ".join(words)
    return name if 0 < len(words) <= MAX_NAME_WORDS and len(name) <= MAX_NAME_CHARS else None


def _without_direction(candidate: str) -> str:
    # By hand, not by a regex: see _voice_line on a megabyte of spaces.
    stripped = candidate.rstrip()
    if not stripped.endswith((")", "）")):
        return candidate
    opening = max(stripped.rfind("("), stripped.rfind("（"))
    inside = stripped[opening + 1 : -1]
    if opening <= 0 or not inside.strip() or len(inside) > MAX_DIRECTION_CHARS:
        return candidate
    if any(bracket in inside for bracket in "()（）"):
        return candidate
    return stripped[:opening]


def _speaker_line(line: str) -> tuple[str, str] | None:
    """(speaker, text) when ``line`` starts with a speaker; see the module's colon rules."""
    colon = _FIRST_COLON.search(line)
    if colon is None:
        return None
    after = line[colon.end() : colon.end() + 1]
    if colon.group() == ":" and after and not after.isspace():
        return None
    name = _speaker_name(line[: colon.start()])
    return None if name is None else (name, line[colon.end() :].strip())


def _voice_line(line: str) -> tuple[str, str] | None:
    """(speaker, voice id) of a "# voice Name: id" line. Split by hand, not by one regex: a
    pattern that backtracks over a megabyte of spaces would hold the gateway for minutes."""
    words = line[1:].split(maxsplit=1)
    if len(words) < 2 or words[0].lower() != "voice":
        return None
    colon = _FIRST_COLON.search(words[1])
    if colon is None:
        return None
    name, voice = _speaker_name(words[1][: colon.start()]), words[1][colon.end() :].split()
    return (name, voice[0]) if name is not None and len(voice) == 1 else None


def _no_speaker(line: str, ended_at: int | None) -> str:
    why = (
        f"no speaker: the blank line {ended_at} ended the turn before"
        if ended_at is not None
        else "no speaker, and no turn before it to go on with"
    )
    colon = _FIRST_COLON.search(line)
    if colon is not None and colon.group() == ":" and _speaker_name(line[: colon.start()]):
        return f"{why}; put a space after the colon ('Alice: Hello.')"
    return f"{why}; start the line with one, as 'Alice: Hello.'"


def _separator(before: str, after: str) -> str:
    """Between two lines of one turn: a space, except between two CJK characters, where a line
    break is no word break (the rule of CSS Text 3 for segment breaks)."""
    return "" if _wide(before) and _wide(after) else " "


def _wide(char: str) -> bool:
    # Korean separates words with spaces, so Hangul keeps the space even though it is wide.
    return unicodedata.east_asian_width(char) in ("F", "W", "H") and not _HANGUL.match(char)


def _listed(problems: list[ScriptProblem]) -> list[ScriptProblem]:
    if len(problems) <= PROBLEMS_LISTED:
        return problems
    more = ScriptProblem(None, f"{len(problems)} problems; the first {PROBLEMS_LISTED} are listed")
    return [*problems[:PROBLEMS_LISTED], more]
