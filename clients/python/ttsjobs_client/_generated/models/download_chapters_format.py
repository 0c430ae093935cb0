from enum import StrEnum


class DownloadChaptersFormat(StrEnum):
    JSON = "json"
    VTT = "vtt"

    def __str__(self) -> str:
        return str(self.value)
