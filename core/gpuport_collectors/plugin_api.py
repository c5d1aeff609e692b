"""The plugin API: everything a gpuport plugin imports, built-ins and third-party alike.

A plugin imports from this module only (a test walks the built-ins and fails otherwise)::

    from gpuport_collectors.plugin_api import OptionError, Register, hookimpl

Names load on first use, so a ``plugin.py`` that imports only ``hookimpl`` and
``Register`` costs almost nothing at start-up. What each name is, by theme:

- hooks: ``hookimpl``, ``Register``;
- data: ``GPUInstance``, ``Availability``, ``INSTANCE_FIELDS``, ``FIELDS``, ``FieldInfo``,
  ``FieldKind``, ``field_info``, ``check_field_names``;
- protocols and run objects: ``Collector``, ``Operator``, ``Transformer``, ``Sink``,
  ``Payload``, ``RunContext``, ``CollectionInfo``, ``OutputResult``, ``ProgressCallback``;
- errors: ``GpuportError``, ``OptionError`` (blame one option), ``check_options`` (report
  several at once), ``CollectorError``,
  ``AuthenticationError``, ``OutputError``, ``SnapshotError``, ``UsageError``;
- config conventions: ``CollectorConfig``, ``Secret``, ``references``, ``resolve``,
  ``suggest``;
- plumbing: ``output_name`` / ``check_filename_pattern`` (file names), ``atomic_write``,
  ``RetryOptions`` / ``RetryPolicy`` / ``parse_retry_after`` (one retry wait rule),
  ``MASK`` / ``Redactor`` / ``masked_library_logs`` (secrets out of library logs: the one
  way) / ``redacted_logs`` (any logger tree), ``read_snapshot``, S3 access shared with
  ``s3://`` snapshots
  (``S3Access``, ``S3Keys``, ``S3CredentialsConfig``, ``MissingCredentialError``,
  ``make_s3_client``, ``masked_s3_logs``, ``explain_s3_error``, ``check_s3_bucket``,
  ``check_s3_endpoint_url``, ``is_s3_url``, ``S3Location``, and ``upload_object`` /
  ``call_s3`` / ``S3RequestError``: the one streamed upload and any other request, with
  retries), ``lazy_command`` (a click command imported when it runs), ``VERSION``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .importing import lazy_getattr

if TYPE_CHECKING:
    from .atomic import atomic_write
    from .errors import (
        AuthenticationError,
        CollectorError,
        GpuportError,
        OptionError,
        OutputError,
        SnapshotError,
        UsageError,
        check_options,
    )
    from .fields import FIELDS, FieldInfo, FieldKind, check_field_names, field_info
    from .filenames import check_filename_pattern, output_name
    from .hookspecs import Register, hookimpl
    from .lazy import lazy_command
    from .models import INSTANCE_FIELDS, Availability, GPUInstance
    from .options import CollectorConfig
    from .protocols import (
        CollectionInfo,
        Collector,
        Operator,
        OutputResult,
        Payload,
        ProgressCallback,
        RunContext,
        Sink,
        Transformer,
    )
    from .provider_ids import runpod_gpu_type_id
    from .redaction import MASK, Redactor, masked_library_logs, redacted_logs
    from .retry import RetryOptions, RetryPolicy, parse_retry_after
    from .s3 import (
        MissingCredentialError,
        S3Access,
        S3CredentialsConfig,
        S3Keys,
        S3Location,
        check_s3_bucket,
        check_s3_endpoint_url,
        explain_s3_error,
        is_s3_url,
        make_s3_client,
        masked_s3_logs,
    )
    from .s3calls import S3RequestError, call_s3, upload_object
    from .secrets import Secret, references, resolve
    from .snapshots import read_snapshot
    from .version import VERSION
    from .words import suggest

#: public name -> the private module that defines it
_HOMES: dict[str, str] = {
    "AuthenticationError": "errors",
    "Availability": "models",
    "CollectionInfo": "protocols",
    "Collector": "protocols",
    "CollectorConfig": "options",
    "CollectorError": "errors",
    "FIELDS": "fields",
    "FieldInfo": "fields",
    "FieldKind": "fields",
    "GPUInstance": "models",
    "GpuportError": "errors",
    "INSTANCE_FIELDS": "models",
    "MASK": "redaction",
    "MissingCredentialError": "s3",
    "Operator": "protocols",
    "OptionError": "errors",
    "OutputError": "errors",
    "OutputResult": "protocols",
    "Payload": "protocols",
    "ProgressCallback": "protocols",
    "Redactor": "redaction",
    "Register": "hookspecs",
    "RetryOptions": "retry",
    "RetryPolicy": "retry",
    "RunContext": "protocols",
    "S3Access": "s3",
    "S3CredentialsConfig": "s3",
    "S3Keys": "s3",
    "S3Location": "s3",
    "S3RequestError": "s3calls",
    "Secret": "secrets",
    "Sink": "protocols",
    "SnapshotError": "errors",
    "Transformer": "protocols",
    "UsageError": "errors",
    "VERSION": "version",
    "atomic_write": "atomic",
    "call_s3": "s3calls",
    "check_field_names": "fields",
    "check_filename_pattern": "filenames",
    "check_options": "errors",
    "check_s3_bucket": "s3",
    "check_s3_endpoint_url": "s3",
    "explain_s3_error": "s3",
    "field_info": "fields",
    "hookimpl": "hookspecs",
    "is_s3_url": "s3",
    "lazy_command": "lazy",
    "make_s3_client": "s3",
    "masked_library_logs": "redaction",
    "masked_s3_logs": "s3",
    "output_name": "filenames",
    "parse_retry_after": "retry",
    "read_snapshot": "snapshots",
    "redacted_logs": "redaction",
    "references": "secrets",
    "resolve": "secrets",
    "runpod_gpu_type_id": "provider_ids",
    "suggest": "words",
    "upload_object": "s3calls",
}

__all__ = [
    "FIELDS",
    "INSTANCE_FIELDS",
    "MASK",
    "VERSION",
    "AuthenticationError",
    "Availability",
    "CollectionInfo",
    "Collector",
    "CollectorConfig",
    "CollectorError",
    "FieldInfo",
    "FieldKind",
    "GPUInstance",
    "GpuportError",
    "MissingCredentialError",
    "Operator",
    "OptionError",
    "OutputError",
    "OutputResult",
    "Payload",
    "ProgressCallback",
    "Redactor",
    "Register",
    "RetryOptions",
    "RetryPolicy",
    "RunContext",
    "S3Access",
    "S3CredentialsConfig",
    "S3Keys",
    "S3Location",
    "S3RequestError",
    "Secret",
    "Sink",
    "SnapshotError",
    "Transformer",
    "UsageError",
    "atomic_write",
    "call_s3",
    "check_field_names",
    "check_filename_pattern",
    "check_options",
    "check_s3_bucket",
    "check_s3_endpoint_url",
    "explain_s3_error",
    "field_info",
    "hookimpl",
    "is_s3_url",
    "lazy_command",
    "make_s3_client",
    "masked_library_logs",
    "masked_s3_logs",
    "output_name",
    "parse_retry_after",
    "read_snapshot",
    "redacted_logs",
    "references",
    "resolve",
    "runpod_gpu_type_id",
    "suggest",
    "upload_object",
]


__getattr__ = lazy_getattr(__package__ or "gpuport_collectors", _HOMES, globals())


def __dir__() -> list[str]:
    return sorted(__all__)
