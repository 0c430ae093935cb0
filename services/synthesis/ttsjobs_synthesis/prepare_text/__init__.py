"""The prepare-text stage: every provider's text passes through it before G2P.

normalise (numbers, money, times… become words: normalise_zh, normalise_en) → convert the
script (Traditional to Simplified for the Mandarin G2P, characters only: script.py) → apply the
user's lexicons and the reading standard (lexicon_match.py, mandarin_readings.py) → G2P.
Each step is a pure function over text and spans of it; the stored input, the captions and the
UI keep the text as the user wrote it.
"""
