"""Options of the ``gpuhunt`` collector (docs/collectors.md#gpuhunt)."""

from __future__ import annotations

from typing import Literal

import attrs

from gpuport_collectors.plugin_api import OptionError, suggest

from .providers import DEFAULT_PROVIDERS, KNOWN_PROVIDERS


@attrs.frozen
class GpuhuntConfig:
    """``providers``: gpuhunt provider names (any case); default every offline provider but
    runpod. ``catalog_url`` / ``catalog_dir``: where the offline catalogue is read from
    (default ``GPUHUNT_CATALOG_URL`` / ``GPUHUNT_CATALOG_DIR``, then gpuhunt's published
    catalogue); give at most one. ``include_cpu_only``: keep offers without a GPU.
    ``timeout``: seconds per catalogue download.
    """

    providers: list[str] = attrs.field(
        factory=lambda: list(DEFAULT_PROVIDERS),
        metadata={
            "description": (
                "gpuhunt provider names (any case): every offline provider but `runpod`, which "
                "the `runpod` collector covers better. Online: `crusoe`, `daytona`, "
                "`digitalocean`, `hotaisle`, `jarvislabs`, `lium`, `seeweb`, `vastai`, `vultr`. "
                "On the command line: `-o providers=aws,lambdalabs`"
            )
        },
    )
    catalog_url: str | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "where the offline catalogue is published (`{url}/{provider}/version`, "
                "`{url}/{provider}/{version}/catalog.zip`); default: `GPUHUNT_CATALOG_URL`, then "
                "gpuhunt's own"
            )
        },
    )
    catalog_dir: str | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "a directory of `{provider}.csv` files in gpuhunt's format, read instead of "
                "downloading; default: `GPUHUNT_CATALOG_DIR`. Give `catalog_url` or "
                "`catalog_dir`, not both"
            )
        },
    )
    include_cpu_only: bool = attrs.field(
        default=False,
        metadata={"description": "also keep offers without a GPU (`accelerator_count: 0`)"},
    )
    timeout: float = attrs.field(
        default=60.0,
        metadata={
            "json_schema": {"exclusiveMinimum": 0},
            "description": "seconds per catalogue download",
        },
    )

    def __attrs_post_init__(self) -> None:
        if not self.providers:
            raise OptionError("providers", "providers is empty; name at least one gpuhunt provider")
        seen: set[str] = set()
        for index, name in enumerate(self.providers):
            key = name.lower()
            if key not in KNOWN_PROVIDERS:
                raise OptionError(
                    "providers",
                    f"providers[{index}]: unknown provider {name!r}"
                    f"{suggest(key, KNOWN_PROVIDERS)} (providers: {', '.join(KNOWN_PROVIDERS)})",
                )
            if key in seen:
                raise OptionError("providers", f"providers[{index}]: {name!r} is listed twice")
            seen.add(key)
        if self.catalog_url is not None and self.catalog_dir is not None:
            raise OptionError(
                "catalog_dir", "give catalog_url or catalog_dir, not both (catalog_dir is local)"
            )
        if self.catalog_url is not None and not self.catalog_url.startswith(
            ("http://", "https://")
        ):
            raise OptionError("catalog_url", "catalog_url must start with http:// or https://")
        if not self.timeout > 0:
            raise OptionError("timeout", "timeout must be a positive number of seconds")

    @property
    def provider_names(self) -> list[str]:
        """``providers`` in gpuhunt's spelling (lower case), in the order given."""
        return [name.lower() for name in self.providers]


@attrs.frozen
class GpuhuntCatalogueConfig:
    """Options of the ``gpuhunt`` transformer (``transformer: {format: gpuhunt}``)."""

    packaging: Literal["csv", "zip", "version"] = attrs.field(
        default="csv",
        metadata={
            "description": (
                "`csv`: the provider's catalogue file (name it `{provider}.csv`, for "
                "`GPUHUNT_CATALOG_DIR`); `zip`: `catalog.zip` holding it, and `version`: the "
                "version file, for a `GPUHUNT_CATALOG_URL` host"
            )
        },
    )
