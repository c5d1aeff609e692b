"""Options of the ``skypilot`` transformer: none, since the columns are SkyPilot's."""

from __future__ import annotations

import attrs


@attrs.frozen
class SkyPilotConfig:
    """The catalogue has no options: its columns are SkyPilot's."""
