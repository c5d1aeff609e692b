"""The ``metrics`` transformer: counts and aggregates over the filtered instances, as JSON.

Output::

    {"timestamp": "2026-11-23T14:00:00Z",          # only with include_timestamp
     "collection_info": {...} or null,              # only with include_collection_info
     "metrics": {"total": 412, "by_provider": {"RunPod": 412}}}

``include_timestamp`` defaults to false: the spec shows ``include_timestamp: true`` as an
example without stating a default, and the JSON and CSV transformers add nothing unasked.
"""
