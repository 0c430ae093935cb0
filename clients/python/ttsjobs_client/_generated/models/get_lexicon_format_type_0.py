from enum import StrEnum


class GetLexiconFormatType0(StrEnum):
    JSON = "json"
    PLS = "pls"

    def __str__(self) -> str:
        return str(self.value)
