from enum import StrEnum


class JobType(StrEnum):
    MULTI_ROLE_TTS = "multi_role_tts"
    SINGLE_TTS = "single_tts"

    def __str__(self) -> str:
        return str(self.value)
