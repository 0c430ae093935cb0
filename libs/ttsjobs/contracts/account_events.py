"""Account events: users and their API keys, as CloudEvents like the job events.

They live in their own stream with no age limit: a user and a revoked key must outlive the
30-day job history, and a projection rebuilt from the streams must get them back. A key is
never in an event, only its SHA-256 (an API key is 256 random bits, so a fast hash is enough;
a slow password hash would only slow every request down).
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from ttsjobs.contracts import subjects
from ttsjobs.contracts.cloudevents import CloudEvent


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserCreatedData(_Payload):
    name: str = Field(min_length=1, max_length=100)


class ApiKeyIssuedData(_Payload):
    key_id: str = Field(description="the public part of the key, shown in lists")
    key_sha256: str = Field(pattern="^[0-9a-f]{64}$", description="hash of the whole key")
    label: str = Field(default="", max_length=100)


class ApiKeyRevokedData(_Payload):
    key_id: str


class _AccountEnvelope(CloudEvent):
    """CloudEvents 1.0 attributes; ``subject`` is the user id."""

    stream: ClassVar[str] = subjects.ACCOUNTS_STREAM
    source: str = Field(examples=["/ttsjobs/accounts"])
    subject: str = Field(description="the user id")

    @property
    def user_id(self) -> str:
        return self.subject

    def nats_subject(self) -> str:
        return subjects.account_event(self.subject, self.kind)


class UserCreated(_AccountEnvelope):
    """An operator created a user."""

    kind: ClassVar[str] = "created"
    type: Literal["io.ttsjobs.user.created.v1"] = "io.ttsjobs.user.created.v1"
    data: UserCreatedData


class ApiKeyIssued(_AccountEnvelope):
    """A user got a new API key; only its hash is kept."""

    kind: ClassVar[str] = "key_issued"
    type: Literal["io.ttsjobs.user.key_issued.v1"] = "io.ttsjobs.user.key_issued.v1"
    data: ApiKeyIssuedData


class ApiKeyRevoked(_AccountEnvelope):
    """An API key stops working."""

    kind: ClassVar[str] = "key_revoked"
    type: Literal["io.ttsjobs.user.key_revoked.v1"] = "io.ttsjobs.user.key_revoked.v1"
    data: ApiKeyRevokedData


ACCOUNT_EVENT_CLASSES: tuple[type[_AccountEnvelope], ...] = (
    UserCreated,
    ApiKeyIssued,
    ApiKeyRevoked,
)

AccountEvent = Annotated[
    UserCreated | ApiKeyIssued | ApiKeyRevoked,
    Field(discriminator="type"),
]

_adapter: TypeAdapter[AccountEvent] = TypeAdapter(AccountEvent)


def parse_account_event(raw: bytes | str) -> AccountEvent:
    return _adapter.validate_json(raw)
