"""The interactive API docs, /docs (Swagger UI) and /redoc, each with a policy of its own.

Every other response forbids scripts and styles from anywhere but this origin. These two pages
load their bundles from a CDN and Swagger UI starts from one inline script, so their policy
names the CDN, and allows that script by its hash rather than any inline script at all.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

_CDN = "https://cdn.jsdelivr.net"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _policy(html: str) -> str:
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
        for s in _INLINE_SCRIPT.findall(html)
    )
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {_CDN} {hashes}".strip(),
            # Both UIs set style attributes from script; ReDoc also loads its fonts.
            f"style-src 'self' {_CDN} https://fonts.googleapis.com 'unsafe-inline'",
            "font-src https://fonts.gstatic.com",
            "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly",
            "worker-src 'self' blob:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )


def _page(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers={"Content-Security-Policy": _policy(html)})


def install_docs(app: FastAPI) -> None:
    """Serve /docs and /redoc; create the app with ``docs_url=None, redoc_url=None``."""
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        html = get_swagger_ui_html(openapi_url=openapi_url, title=f"{app.title} - Swagger UI")
        return _page(bytes(html.body).decode())

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return _page(bytes(get_redoc_html(openapi_url=openapi_url, title=app.title).body).decode())
