"""The text exposition format's small rules: names, label escaping, sample values.

Written so one document parses as Prometheus text 0.0.4 (node_exporter's textfile
collector, the Pushgateway) and, with ``# EOF``, as OpenMetrics 1.0: gauges only, no
blank lines, no sample timestamps, each family's samples together after its metadata.
"""

from __future__ import annotations

import math
import re

#: Prometheus metric names (and our prefix): ``[a-zA-Z_:][a-zA-Z0-9_:]*``.
METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")

PROMETHEUS_MEDIA_TYPE = "text/plain; version=0.0.4; charset=utf-8"
OPENMETRICS_MEDIA_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8"


def escape_label_value(value: str) -> str:
    r"""A label value as the format wants it: ``\`` ``"`` and line feed backslash-escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def label_set(pairs: list[tuple[str, str]]) -> str:
    """``{a="1",b="x"}`` (empty text when there are no labels)."""
    if not pairs:
        return ""
    return "{" + ",".join(f'{name}="{escape_label_value(value)}"' for name, value in pairs) + "}"


def format_value(value: float) -> str:
    """A sample value: ints as ints, floats as Python's shortest repr, specials by name."""
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(value)


def family_header(name: str, help_text: str) -> str:
    """The ``# HELP`` and ``# TYPE`` lines of one gauge family."""
    return f"# HELP {name} {help_text}\n# TYPE {name} gauge\n"
