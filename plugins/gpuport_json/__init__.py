"""The ``json`` transformer: filtered instances as one JSON array of objects."""
