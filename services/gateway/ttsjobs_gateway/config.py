"""Gateway settings, read from TTSJOBS_* environment variables."""

from __future__ import annotations

from pydantic import Field

from ttsjobs.contracts.job_request import RequestLimits
from ttsjobs.settings import CommonSettings


class Settings(CommonSettings):
    host: str = "127.0.0.1"
    port: int = 8000
    limits: RequestLimits = RequestLimits()
    # A found API key is trusted this long without a database read; revocation events evict
    # it at once, so this bounds only the case of a gateway that missed one.
    auth_cache_s: float = 30.0
    # WebSocket feeds: an application-level ping (browsers cannot see protocol pings) and a
    # lifetime cap, after which the client reconnects with after=<seq> and loses nothing.
    ws_ping_s: float = 15.0
    # Larger request bodies get a 413 problem before parsing; 20,000 characters of dialogue
    # in JSON stay far below it, and so do 100,000 of a single_tts text (Han characters sent
    # as \uXXXX escapes are 600 KB).
    max_body_bytes: int = 1_048_576
    # Browser origins allowed to call the API from other sites; none by default.
    cors_origins: list[str] = Field(default_factory=list)
    # Job creation per user: a rate (token bucket, per gateway process) and a cap on pending jobs.
    submissions_per_minute: int = 120
    max_pending_jobs: int = 500
    ws_max_lifetime_s: float = 3600.0
    # A feed whose client leaves this much unread at the gateway (beyond what the sockets
    # hold) is closed 4008 with its resume point: one stalled tab must not grow the gateway's
    # memory without bound.
    ws_send_buffer_limit_bytes: int = 1_048_576
    # Every NATS request of a REST call (a publish's ack, a history read, an Idempotency-Key)
    # waits at most this long; then the call answers 503 with Retry-After, not 500 after the
    # client library's default.
    nats_request_timeout_s: float = 2.0
    # A POST's NATS calls (its Idempotency-Key, its JobCreated) are repeated while NATS is
    # unavailable, for at most this long in all, so that a leader election delays the answer
    # instead of failing it. nats-server's followers wait 4-9 s for a lost leader before they
    # elect another (its Raft election timeout, fixed in server/raft.go); the CLI waits 30 s.
    nats_ride_through_s: float = 9.0
    # POST /v1/audio/speech (OpenAI-compatible): the voice each of OpenAI's own voice names
    # stands for (TTSJOBS_OPENAI_VOICES as JSON; a catalogue id, a blend, a saved voice's
    # name or a wish such as zh-TW:female), how long the answer waits for its job to start
    # before a 503 (the job goes on), and how long it waits for audio in all.
    openai_voices: dict[str, str] = Field(
        default_factory=lambda: {
            "alloy": "af_alloy",
            "ash": "am_michael",
            "ballad": "bm_george",
            "coral": "af_bella",
            "echo": "am_echo",
            "fable": "bm_fable",
            "onyx": "am_onyx",
            "nova": "af_nova",
            "sage": "af_sarah",
            "shimmer": "af_sky",
            "verse": "am_puck",
        }
    )
    openai_start_wait_s: float = Field(default=30.0, gt=0)
    openai_answer_deadline_s: float = Field(default=900.0, gt=0)
