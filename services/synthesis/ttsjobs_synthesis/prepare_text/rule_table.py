"""A normaliser as a table of rules: each a regex for what it reads and a function for what is said.

Consumes text; emits sorted, non-overlapping Rewrites that point into it. The rules are tried as
one alternation, so at any position the earlier rule in the table wins (money before a plain
number), and a match is never looked at again by a later rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import regex

from ttsjobs_synthesis.prepare_text.spans import Rewrite


@dataclass(frozen=True)
class Rule:
    """``pattern`` names its groups with a prefix of its own, since all rules share one regex.
    ``say`` answers the spoken words for a match, or None to leave the text as written."""

    name: str
    pattern: str
    say: Callable[[regex.Match[str]], str | None]


class RuleTable:
    """Rules compiled once (at import of the normaliser that owns them: compiling is not I/O)."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self.combined = regex.compile("|".join(f"(?P<{r.name}>{r.pattern})" for r in rules))
        self._by_name = {r.name: r for r in self.rules}

    def rewrites(self, text: str) -> list[Rewrite]:
        """What to say instead of each stretch of ``text`` a rule reads, left to right."""
        found = []
        for match in self.combined.finditer(text):
            # A rule's own group encloses its inner groups, so it is the last group to close.
            rule = self._by_name[str(match.lastgroup)]
            said = rule.say(match)
            if said is not None and said != match.group():
                found.append(Rewrite(match.start(), match.end(), said))
        return found

    def each_pattern(self) -> dict[str, regex.Pattern[str]]:
        """Every rule's pattern on its own, for tests that feed each one hostile input."""
        return {r.name: regex.compile(r.pattern) for r in self.rules}
