"""Follow the log files of a data dir's ``logs/``: each poll returns the lines completed since the
last one. `ttsjobs dev` reads its services' JSON lines this way rather than through pipes, so a
service writes to its file whether or not dev keeps up, and a restarted service appends to the
same file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Lines longer than this are cut: one runaway line must not hold a poll's memory.
_MAX_LINE = 64 * 1024


@dataclass
class LogTail:
    folder: Path
    # Where each file was read up to; a file met for the first time is read from its start.
    offsets: dict[Path, int] = field(default_factory=dict)
    _partial: dict[Path, bytes] = field(default_factory=dict)

    @classmethod
    def from_now(cls, folder: Path) -> LogTail:
        """Only what is written from now on: an earlier run's lines are not news."""
        files = folder.glob("*.log") if folder.is_dir() else []
        return cls(folder, {path: path.stat().st_size for path in files})

    def poll(self) -> list[tuple[str, str]]:
        """New complete lines as (file name without ``.log``, line), file by file."""
        found: list[tuple[str, str]] = []
        if not self.folder.is_dir():
            return found
        for path in sorted(self.folder.glob("*.log")):
            for line in self._new_lines(path):
                found.append((path.stem, line))
        return found

    def _new_lines(self, path: Path) -> list[str]:
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            return []
        offset = self.offsets.get(path, 0)
        if size < offset:  # truncated or replaced: start again from its beginning
            offset = 0
            self._partial.pop(path, None)
        if size == offset:
            return []
        with open(path, "rb") as f:
            f.seek(offset)
            chunk = f.read(size - offset)
        self.offsets[path] = size
        *complete, rest = (self._partial.pop(path, b"") + chunk).split(b"\n")
        if rest:
            self._partial[path] = rest[:_MAX_LINE]
        return [line[:_MAX_LINE].decode(errors="replace") for line in complete if line.strip()]
