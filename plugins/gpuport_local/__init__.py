"""The ``local`` sink: write a payload to a file on the local filesystem, atomically."""
