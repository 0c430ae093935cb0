from enum import StrEnum


class DownloadCaptionsFormat(StrEnum):
    ALIGNMENT = "alignment"
    SRT = "srt"
    SRT_WORDS = "srt-words"
    VTT = "vtt"
    VTT_WORDS = "vtt-words"

    def __str__(self) -> str:
        return str(self.value)
