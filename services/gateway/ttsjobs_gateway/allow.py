"""A truthful ``Allow``: every method routed at a path, not only the first route's.

Starlette answers a method a path does not have (405) with the methods of the first route that
matched the path alone; ``/api/v1/jobs/{id}`` has a GET route and a DELETE route, so it said
``Allow: GET``. Here OPTIONS answers from every route, and a 405 names the same set.
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Match, Mount, Router
from starlette.types import ASGIApp, Receive, Scope, Send

_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(router: Router, scope: Scope) -> list[str]:
    """The methods any route answers at this scope's path; empty if none is routed there.

    Each route is asked whether it would take each method here: FastAPI nests included routers
    in routes of its own, so their methods are not an attribute to read.
    """
    methods: set[str] = set()
    for route in router.routes:
        if isinstance(route, Mount):  # the web app's static files, whatever the method
            if route.matches(scope)[0] is not Match.NONE:
                methods |= {"GET", "HEAD"}
            continue
        methods |= {m for m in _METHODS if route.matches({**scope, "method": m})[0] is Match.FULL}
    if methods:
        methods.add("OPTIONS")
    return sorted(methods)


class AnswerOptions:
    """OPTIONS on a routed path: 204 with Allow. A CORS preflight never gets here when CORS is
    configured (its middleware answers it first)."""

    def __init__(self, app: ASGIApp, *, router: Router) -> None:
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            methods = allowed_methods(self.router, scope)
            if methods:
                response = Response(status_code=204, headers={"Allow": ", ".join(methods)})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
