"""A second gateway process on the session's stack, with settings of its own."""

from __future__ import annotations

import httpx

from tests.conftest import eventually
from ttsjobs_cli.embedded.processes import free_port


async def start_second_gateway(stack, name: str, extra_env: dict[str, str] | None = None) -> str:
    """Start it as the same read-only database role as the main one; returns its base URL once
    it is ready."""
    port = free_port()
    stack.start_service(
        name,
        service="gateway",
        extra_env={
            "TTSJOBS_PORT": str(port),
            "TTSJOBS_DATABASE_URL": stack.env.get(
                "TTSJOBS_GATEWAY_DATABASE_URL", stack.env["TTSJOBS_DATABASE_URL"]
            ),
            **(extra_env or {}),
        },
    )
    url = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:

        async def ready() -> bool:
            try:
                return (await client.get("/readyz")).status_code == 200
            except httpx.TransportError:
                return False

        await eventually(ready, what=f"gateway {name} ready")
    return url
