from enum import StrEnum


class Reading(StrEnum):
    MAINLAND = "mainland"
    TAIWAN = "taiwan"

    def __str__(self) -> str:
        return str(self.value)
