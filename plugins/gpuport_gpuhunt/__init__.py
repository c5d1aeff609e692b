"""The ``gpuhunt`` collector: offers of every cloud in dstack's gpuhunt catalogue.

gpuhunt is imported only when a collection runs (``--help``, ``validate`` and ``plugins``
never import it). docs/collectors.md documents the options and the field mapping.
"""
