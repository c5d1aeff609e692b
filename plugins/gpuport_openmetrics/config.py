"""Options of the ``openmetrics`` transformer, checked when the config is loaded."""

from __future__ import annotations

import attrs

from gpuport_collectors.plugin_api import OptionError

from .exposition import METRIC_NAME


@attrs.frozen
class OpenMetricsConfig:
    """``prefix`` starts every metric name; ``eof`` ends the document with ``# EOF``
    (OpenMetrics) and sends it as ``application/openmetrics-text``."""

    prefix: str = attrs.field(
        default="gpuport",
        metadata={
            "description": (
                "the start of every metric name (`gpuport_offer_price_dollars_per_hour`)"
            )
        },
    )
    eof: bool = attrs.field(
        default=False,
        metadata={
            "description": (
                "end with `# EOF` and send as `application/openmetrics-text` (OpenMetrics 1.0); "
                "otherwise Prometheus text 0.0.4"
            )
        },
    )

    def __attrs_post_init__(self) -> None:
        if not METRIC_NAME.fullmatch(self.prefix) or self.prefix.startswith("__"):
            raise OptionError(
                "prefix",
                f"prefix {self.prefix!r} cannot start a metric name; use letters, digits and '_' "
                "(not a leading digit or '__'), e.g. gpuport",
            )
