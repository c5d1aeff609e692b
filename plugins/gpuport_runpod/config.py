"""Options of the ``runpod`` collector and where the API key and URL come from."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import attrs

from gpuport_collectors.plugin_api import (
    CollectorConfig,
    OptionError,
    RetryOptions,
    RetryPolicy,
    Secret,
    UsageError,
)

DEFAULT_API_URL = "https://api.runpod.io/graphql"
API_KEY_ENV = "RUNPOD_API_KEY"
API_URL_ENV = "RUNPOD_API_URL"
MISSING_KEY = (
    "no RunPod API key: pass --api-key, set RUNPOD_API_KEY, or set api_key in the collector config"
)


@attrs.frozen
class RunPodConfig(CollectorConfig):
    """The shared collector options plus RunPod's own.

    ``api_key``, ``timeout`` (seconds per request), ``max_concurrency`` (requests in flight
    and pooled connections) and ``max_retries`` come from :class:`CollectorConfig`.
    ``api_url`` overrides ``RUNPOD_API_URL`` and the default endpoint. With
    ``expand_gpu_counts`` each rentable GPU count is its own instance.

    Retries take the https output's spellings (``retry_attempts``, ``retry_delay``,
    ``retry_backoff``, ``retry_max_delay``) or RunPod's older ones: ``max_retries`` is
    ``retry_attempts``, ``retry_initial`` is ``retry_delay``. The new spellings default to
    None ("as the old one says"); giving both spellings of one option is an error. An old
    spelling left at its default cannot be told from an unwritten one, so there the new
    spelling simply wins.
    """

    api_url: str | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "GraphQL endpoint; default: `RUNPOD_API_URL`, then RunPod's public endpoint"
            )
        },
    )
    expand_gpu_counts: bool = attrs.field(
        default=True,
        metadata={
            "description": (
                "one instance per rentable GPU count (1x, 2x, 4x...) instead of one per GPU type "
                "and region"
            )
        },
    )
    retry_initial: float = attrs.field(
        default=0.5,
        metadata={
            "json_schema": {"minimum": 0},
            "description": "seconds before the first retry (exponential backoff with jitter)",
        },
    )
    retry_max_delay: float = attrs.field(
        default=30.0,
        metadata={
            "json_schema": {"minimum": 0},
            "description": "cap on any one wait, `Retry-After` included",
        },
    )
    retry_attempts: int | None = attrs.field(
        default=None,
        metadata={
            "json_schema": {"minimum": 0},
            "description": "the https spelling of `max_retries`; give one of the two",
        },
    )
    retry_delay: float | None = attrs.field(
        default=None,
        metadata={
            "json_schema": {"minimum": 0},
            "description": "the https spelling of `retry_initial`; give one of the two",
        },
    )
    retry_backoff: float = attrs.field(
        default=2.0,
        metadata={
            "json_schema": {"minimum": 1},
            "description": "multiplier for each further retry",
        },
    )

    def __attrs_post_init__(self) -> None:
        if not self.timeout > 0:
            raise OptionError("timeout", "timeout must be a positive number of seconds")
        if self.max_concurrency < 1:
            raise OptionError("max_concurrency", "max_concurrency must be at least 1")
        if self.max_retries < 0:
            raise OptionError("max_retries", "max_retries must be 0 or more")
        if self.retry_initial < 0:
            raise OptionError("retry_initial", "retry_initial must be 0 or more seconds")
        if self.retry_max_delay < 0:
            raise OptionError("retry_max_delay", "retry_max_delay must be 0 or more seconds")
        defaults = attrs.fields_dict(RunPodConfig)
        for new, old in _SPELLINGS:
            if getattr(self, new) is not None and getattr(self, old) != defaults[old].default:
                raise OptionError(
                    new, f"{new} and {old} are two spellings of one option; remove one of them"
                )
        self._retry_options().check_retry()
        if self.api_url is not None and not self.api_url.startswith(("http://", "https://")):
            raise OptionError("api_url", "api_url must start with http:// or https://")

    @classmethod
    def from_config(cls, config: Any) -> RunPodConfig:
        """Accept a ``RunPodConfig``, a plain :class:`CollectorConfig` or ``None``."""
        if config is None:
            return cls()
        if isinstance(config, cls):
            return config
        if not attrs.has(type(config)):
            raise TypeError(f"expected a CollectorConfig, got {type(config).__name__}")
        names = {field.name for field in attrs.fields(cls)}
        shared = {
            field.name: getattr(config, field.name)
            for field in attrs.fields(type(config))
            if field.name in names
        }
        return cls(**shared)

    def retry_policy(self) -> RetryPolicy:
        """The one wait rule, from whichever spelling the config used."""
        return self._retry_options().retry_policy()

    def _retry_options(self) -> RetryOptions:
        return RetryOptions(
            retry_attempts=self.max_retries if self.retry_attempts is None else self.retry_attempts,
            retry_delay=self.retry_initial if self.retry_delay is None else self.retry_delay,
            retry_backoff=self.retry_backoff,
            retry_max_delay=self.retry_max_delay,
        )

    def resolve_api_key(self, environ: Mapping[str, str] | None = None) -> Secret:
        """``api_key``, else ``RUNPOD_API_KEY``; :class:`UsageError` when neither is set."""
        if self.api_key is not None and self.api_key.reveal().strip():
            return Secret(template=self.api_key.template, value=self.api_key.reveal().strip())
        value = (os.environ if environ is None else environ).get(API_KEY_ENV, "").strip()
        if value:
            return Secret(template="${" + API_KEY_ENV + "}", value=value)
        raise UsageError(MISSING_KEY)

    def resolve_api_url(self, environ: Mapping[str, str] | None = None) -> str:
        """``api_url``, else ``RUNPOD_API_URL``, else RunPod's endpoint."""
        if self.api_url:
            return self.api_url
        value = (os.environ if environ is None else environ).get(API_URL_ENV, "").strip()
        if value and not value.startswith(("http://", "https://")):
            raise UsageError(f"{API_URL_ENV} must start with http:// or https://")
        return value or DEFAULT_API_URL


#: (https spelling, RunPod's older spelling) of one retry option.
_SPELLINGS = (("retry_attempts", "max_retries"), ("retry_delay", "retry_initial"))
