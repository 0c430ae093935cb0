"""The lexicon model is a contract (requests and events carry its entries): it lives in
ttsjobs.contracts.lexicon; this module names it for the lexicon code beside it."""

from ttsjobs.contracts.lexicon import (  # noqa: F401
    LEXICON_MAX_BYTES,
    MAX_ENTRIES,
    MAX_LEXICONS_PER_USER,
    SNAPSHOT_MAX_BYTES,
    Alphabet,
    Grapheme,
    Lexicon,
    LexiconEntry,
    LexiconName,
    Said,
    UsedEntry,
)
