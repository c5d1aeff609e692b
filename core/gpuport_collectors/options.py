"""Option classes shared by plugins: the API collectors' common options.

Kept apart from :mod:`.config` (ruamel, cattrs) so a plugin's ``Config`` costs nothing to
import.
"""

from __future__ import annotations

import attrs

from .secrets import Secret


@attrs.frozen
class CollectorConfig:
    """Options shared by API collectors; ``RunPodCollector(config=CollectorConfig())`` works.

    ``api_key`` falls back to the collector's own environment variable (``RUNPOD_API_KEY``).
    """

    api_key: Secret | None = None
    timeout: float = 30.0
    max_concurrency: int = 3
    max_retries: int = 4
