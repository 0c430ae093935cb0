"""The CloudEvents 1.0 envelope (structured JSON mode) every ttsjobs event uses.

``kind`` is the last token of the event's NATS subject; each family of events (jobs, accounts)
says what ``subject`` names and which NATS subject the event goes to.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr


class CloudEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: ClassVar[str]
    stream: ClassVar[str]  # the JetStream stream that stores the family's events

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str = Field(examples=["/ttsjobs/gateway"])
    subject: str
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    datacontenttype: Literal["application/json"] = "application/json"

    # NATS headers sent with the event, outside its body: hints for consumers (see
    # ``ttsjobs.callbacks.NO_CALLBACK``), never part of the event itself.
    _headers: dict[str, str] = PrivateAttr(default_factory=dict)

    def nats_headers(self) -> dict[str, str]:
        return self._headers

    def nats_subject(self) -> str:
        """Where the event is published; each family of events says."""
        raise NotImplementedError
