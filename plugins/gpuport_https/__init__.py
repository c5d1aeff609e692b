"""The ``https`` output: payloads sent to webhooks in batches, with retries, idempotency keys,
a dead-letter directory and the ``replay`` command. httpx loads only when a batch is sent."""
