"""The ``snapshot`` collector: instances from a saved JSON / JSONL file, gzipped or not."""
