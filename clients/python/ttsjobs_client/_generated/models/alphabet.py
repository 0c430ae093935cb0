from enum import StrEnum


class Alphabet(StrEnum):
    BOPOMOFO = "bopomofo"
    ESPEAK = "espeak"
    IPA = "ipa"
    KOKORO = "kokoro"
    PINYIN = "pinyin"
    X_SAMPA = "x-sampa"

    def __str__(self) -> str:
        return str(self.value)
