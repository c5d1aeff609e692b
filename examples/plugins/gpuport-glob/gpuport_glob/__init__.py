"""gpuport-glob: the ``glob`` filter operator, shell-style patterns on text fields."""

from .matcher import GlobConfig, GlobOperator

__all__ = ["GlobConfig", "GlobOperator"]
