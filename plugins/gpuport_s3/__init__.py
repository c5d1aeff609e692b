"""The ``s3`` output: upload each payload as one object to S3 or an S3-compatible store.

boto3 is imported only when an upload happens, so ``--help``, ``validate`` and
``plugins`` never load it.
"""
