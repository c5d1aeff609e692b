"""The ``openmetrics`` transformer: offers as Prometheus / OpenMetrics text exposition."""
