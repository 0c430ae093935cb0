"""The Python client of ttsjobs: ``Client`` (blocking) and ``AsyncClient`` (asyncio).

    from ttsjobs_client import Client

    with Client("http://127.0.0.1:8000", api_key="tj_…") as client:
        job = client.submit_text("早安。今天天氣很好。", provider="espeak")
        client.wait(job.id)
        client.download(job.id, "morning.wav")

The models are generated from the API's OpenAPI document (ttsjobs_client._generated, by
``make schemas``); ``client.generated`` calls any operation through the generated functions.
"""

from ttsjobs_client._generated.models.job_page import JobPage
from ttsjobs_client._generated.models.job_view import JobView
from ttsjobs_client._generated.models.multi_role_request import MultiRoleRequest
from ttsjobs_client._generated.models.single_request import SingleRequest
from ttsjobs_client.async_client import AsyncClient
from ttsjobs_client.client import Client
from ttsjobs_client.downloads import Downloaded
from ttsjobs_client.errors import ApiError, FeedRefused, TtsjobsError

__all__ = [
    "ApiError",
    "AsyncClient",
    "Client",
    "Downloaded",
    "FeedRefused",
    "JobPage",
    "JobView",
    "MultiRoleRequest",
    "SingleRequest",
    "TtsjobsError",
]
