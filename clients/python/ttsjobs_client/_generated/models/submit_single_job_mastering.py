from enum import StrEnum


class SubmitSingleJobMastering(StrEnum):
    AUDIOBOOK = "audiobook"
    NONE = "none"
    PODCAST = "podcast"

    def __str__(self) -> str:
        return str(self.value)
