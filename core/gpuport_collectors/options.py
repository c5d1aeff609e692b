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

    api_key: Secret | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "the API key, e.g. `${RUNPOD_API_KEY}`; never write a literal key. `--api-key` "
                "overrides it; without either, `RUNPOD_API_KEY` is used"
            )
        },
    )
    timeout: float = attrs.field(
        default=30.0,
        metadata={"json_schema": {"exclusiveMinimum": 0}, "description": "seconds per request"},
    )
    max_concurrency: int = attrs.field(
        default=3,
        metadata={"json_schema": {"minimum": 1}, "description": "requests in flight at once"},
    )
    max_retries: int = attrs.field(
        default=4,
        metadata={
            "json_schema": {"minimum": 0},
            "description": "retries of a failed request (rate limits, server errors, timeouts)",
        },
    )
