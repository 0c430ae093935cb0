"""Headers every response carries: a Content-Security-Policy, no framing, no MIME sniffing,
and no full URL in the Referer. A response that sets a policy of its own (the API docs) keeps it.

The web app is plain files from this origin with no inline script or style, so its policy can
be strict: scripts, styles and connections (fetch, the WebSocket feeds) only from 'self'. Audio
and captions are fetched with the key and played from blob: URLs, hence ``media-src blob:``.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Frame-Options": "DENY",  # for browsers that predate frame-ancestors
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


# Encoded once: the headers are added to every response.
_RAW = [
    (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in HEADERS.items()
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Raw (name, value) pairs: a MutableHeaders view cost more than the check.
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in _RAW if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
