"""The ``csv`` transformer: filtered instances as RFC 4180 CSV with chosen columns."""
