"""A lexicon as the gateway stores it: the JSON GET answers, read back as the same lexicon
(built without validating it again), and the summary the list shows."""

from __future__ import annotations

import json

from ttsjobs.contracts.lexicon import Alphabet, Lexicon, LexiconEntry
from ttsjobs_gateway.lexicon_store import (
    Stored,
    bucket_of,
    key_of,
    name_of,
    revision_in,
    stored_value,
)

LEXICON = Lexicon(
    language="zh-TW",
    alphabet=Alphabet.pinyin,
    entries=[
        LexiconEntry(grapheme="垃圾", phoneme="le4 se4"),
        LexiconEntry(grapheme="行長", phoneme="ㄏㄤˊ ㄓㄤˇ", alphabet=Alphabet.bopomofo),
        LexiconEntry(grapheme="YouBike", alias="you bike"),
    ],
)


def test_a_stored_lexicon_reads_back_as_it_was():
    value = stored_value("taiwan.words", LEXICON)
    document = json.loads(value)
    assert list(document) == ["name", "language", "alphabet", "entries", "updated_at"]
    assert document["entries"][2] == {"grapheme": "YouBike", "alias": "you bike"}
    assert "垃圾" in value.decode()  # kept as written, not \\u-escaped
    back = Stored("taiwan.words", value, 7).lexicon()
    assert back == LEXICON
    assert back.entries[1].alphabet is Alphabet.bopomofo and back.alphabet is Alphabet.pinyin


def test_the_summary():
    value = stored_value("w", LEXICON)
    summary = Stored("w", value, 1).summary()
    assert summary == {
        "name": "w",
        "language": "zh-TW",
        "alphabet": "pinyin",
        "entry_count": 3,
        "size_bytes": len(value),
        "updated_at": json.loads(value)["updated_at"],
    }


def test_names_keys_and_buckets():
    for name in ("a.", "a..b", "A.b-c_d", "x"):
        assert name_of(key_of(name)) == name
        assert not key_of(name).endswith(".") and ".." not in key_of(name)
    assert bucket_of("0c4b1a52-0000-4000-8000-000000000000").endswith(
        "0c4b1a52-0000-4000-8000-000000000000"
    )
    odd = bucket_of("../../etc passwd")
    assert (
        odd.startswith("ttsjobs_lexicons_user-") and odd.replace("_", "").replace("-", "").isalnum()
    )
    assert revision_in('"5"') == 5 and revision_in("garbage") == -1
