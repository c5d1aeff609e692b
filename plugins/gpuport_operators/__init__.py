"""The built-in filter operators: comparison, membership, text matching and null checks.

Each operator coerces its configured values to the field's type once, at config load,
so the per-row test is a single comparison. A null field value matches only ``is_null``,
``ne`` and ``not_in``: "price ne 5" keeps offers without a price, "price lt 5" does not.
"""
