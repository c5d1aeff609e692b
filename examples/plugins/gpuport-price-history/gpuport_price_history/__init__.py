"""gpuport-price-history: keep every run's prices in SQLite and show what changed."""

from .config import PriceHistoryConfig
from .sink import PriceHistorySink

__all__ = ["PriceHistoryConfig", "PriceHistorySink"]
