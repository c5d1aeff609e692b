"""gpuport-glob: the ``glob`` filter operator, shell-style patterns on text fields."""

from .config import GlobConfig
from .matcher import GlobOperator

__all__ = ["GlobConfig", "GlobOperator"]
