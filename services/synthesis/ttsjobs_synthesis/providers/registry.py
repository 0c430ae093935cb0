"""Every provider synthesis knows, by the name TTSJOBS_PROVIDERS lists it under.

Each name leads to the provider's module, whose ``ENTRY`` says how to build its engine (for
those here, ``process_engine.InProcesses``: its settings class and a build function). A module
is imported only when its provider is switched on: Kokoro's imports onnxruntime, and a worker
running tones alone needs none of that. Every provider reads the same prepare-text stage
(prepare_text/) in its ``synthesize()``; nothing here adds to or splits it.
"""

from __future__ import annotations

import importlib
from typing import Any, Protocol

from pydantic_settings import BaseSettings

from ttsjobs_synthesis.engines import TIMEOUT_PER_SPOKEN_CHAR_S, Engine, ProviderEngines

PROVIDERS = {
    "kokoro": "ttsjobs_synthesis.providers.kokoro",
    "piper": "ttsjobs_synthesis.providers.piper",
    "espeak": "ttsjobs_synthesis.providers.espeak",
    "tone": "ttsjobs_synthesis.providers.tone",
}


class ProviderEntry(Protocol):
    @property
    def settings(self) -> type[BaseSettings]:
        """Its settings (``TTSJOBS_<NAME>_*``), which a deployment may give synthesis."""
        ...

    def engine(self, **overrides: Any) -> Engine:
        """The provider's engine, its settings read from the environment with ``overrides``
        (setting names) over them."""
        ...


def entry(name: str) -> ProviderEntry:
    module = PROVIDERS.get(name)
    if module is None:
        raise ValueError(
            f"unknown provider {name!r} in TTSJOBS_PROVIDERS (known: {list(PROVIDERS)})"
        )
    found: ProviderEntry = importlib.import_module(module).ENTRY
    return found


def every_settings() -> dict[str, type[BaseSettings]]:
    """Each registered provider's settings, by provider (imports every provider module)."""
    return {name: entry(name).settings for name in PROVIDERS}


def provider_engines(
    names: list[str],
    *,
    turn_timeout_s: float,
    timeout_per_char_s: float = TIMEOUT_PER_SPOKEN_CHAR_S,
) -> ProviderEngines:
    """The listed providers' engines, not yet started. Blocking: each builds its provider once
    here for its catalogue (Kokoro reads its voices)."""
    engines = {name: entry(name).engine() for name in names}
    return ProviderEngines(
        engines, turn_timeout_s=turn_timeout_s, timeout_per_char_s=timeout_per_char_s
    )
