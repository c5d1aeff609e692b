"""gpuport-price-history: keep every run's prices in SQLite and show what changed."""

from .sink import PriceHistoryConfig, PriceHistorySink

__all__ = ["PriceHistoryConfig", "PriceHistorySink"]
