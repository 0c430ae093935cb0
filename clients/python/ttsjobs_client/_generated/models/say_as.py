from enum import StrEnum


class SayAs(StrEnum):
    CARDINAL = "cardinal"
    CHARACTERS = "characters"
    CURRENCY = "currency"
    DATE = "date"
    DIGITS = "digits"
    ORDINAL = "ordinal"
    TELEPHONE = "telephone"
    TIME = "time"

    def __str__(self) -> str:
        return str(self.value)
