"""The ``runpod`` collector: live GPU offers from RunPod's GraphQL API (see docs/runpod.md)."""
