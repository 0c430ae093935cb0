"""Gateway settings, read from TTSJOBS_* environment variables."""

from __future__ import annotations

from ttsjobs.contracts.job_request import RequestLimits
from ttsjobs.settings import CommonSettings

LOCAL_USER_ID = "00000000-0000-4000-8000-000000000001"


class Settings(CommonSettings):
    host: str = "127.0.0.1"
    port: int = 8000
    limits: RequestLimits = RequestLimits()
    # Until API keys exist every request acts as this one user.
    default_user_id: str = LOCAL_USER_ID
    # WebSocket feeds: an application-level ping (browsers cannot see protocol pings) and a
    # lifetime cap, after which the client reconnects with after=<seq> and loses nothing.
    ws_ping_s: float = 15.0
    ws_max_lifetime_s: float = 3600.0
