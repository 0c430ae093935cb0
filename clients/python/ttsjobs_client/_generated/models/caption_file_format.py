from enum import StrEnum


class CaptionFileFormat(StrEnum):
    SRT = "srt"
    VTT = "vtt"

    def __str__(self) -> str:
        return str(self.value)
