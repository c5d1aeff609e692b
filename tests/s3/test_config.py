"""Options of the s3 output: defaults, every documented option, located one-line errors."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable

import pytest

from gpuport_collectors.config import ExportConfig
from gpuport_collectors.errors import ConfigError
from gpuport_s3.config import CredentialsConfig, S3Config

from .conftest import SECRET_CANARY

Load = Callable[[str], ExportConfig]

HEADER = """\
pipelines:
  - name: daily
    transformer: {format: lines}
    outputs:
      - type: s3
        bucket: exports
"""  # the output's options start on line 7


def s3_options(load: Load, options: str = "") -> S3Config:
    text = HEADER + textwrap.indent(textwrap.dedent(options), " " * 8)
    config: S3Config = load(text).pipelines[0].outputs[0].options
    return config


def config_error(load: Load, options: str) -> str:
    with pytest.raises(ConfigError) as caught:
        s3_options(load, options)
    message = str(caught.value)
    assert "\n" not in message, message
    return message


def test_defaults_are_the_documented_ones(load: Load) -> None:
    config = s3_options(load)
    assert config == S3Config(bucket="exports")
    assert config.filename_pattern is None
    assert (config.prefix, config.region, config.endpoint_url) == ("", "us-east-1", None)
    assert (config.compression, config.storage_class, config.acl) == ("none", "STANDARD", "private")
    assert config.server_side_encryption is None and config.kms_key_id is None
    assert config.credentials is None and config.metadata == {}


def test_every_option_of_the_spec_example(load: Load, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_S3_TOKEN", "token")
    config = s3_options(
        load,
        """
        prefix: "data/"
        region: eu-west-1
        endpoint_url: http://127.0.0.1:9000
        filename_pattern: "{date}/gpus_{time}.json.gz"
        compression: gzip
        credentials:
          access_key_env: TEST_S3_ACCESS_KEY
          secret_key_env: TEST_S3_SECRET_KEY
          session_token_env: TEST_S3_TOKEN
        storage_class: GLACIER
        server_side_encryption: aws:kms
        kms_key_id: alias/exports
        acl: bucket-owner-full-control
        metadata:
          pipeline: daily-export
        """,
    )
    assert config.prefix == "data/" and config.region == "eu-west-1"
    assert config.endpoint_url == "http://127.0.0.1:9000"
    assert config.compression == "gzip" and config.storage_class == "GLACIER"
    assert config.credentials == CredentialsConfig(
        access_key_env="TEST_S3_ACCESS_KEY",
        secret_key_env="TEST_S3_SECRET_KEY",
        session_token_env="TEST_S3_TOKEN",
    )
    assert (config.server_side_encryption, config.kms_key_id) == ("aws:kms", "alias/exports")
    assert config.acl == "bucket-owner-full-control"
    assert config.metadata == {"pipeline": "daily-export"}


@pytest.mark.parametrize(
    ("options", "where", "expected"),
    [
        ("prefix: /data/\n", "7:17", "must not start with '/'"),
        ("prefix: 'data/{date}/'\n", "7:17", "takes no placeholders"),
        ("regoin: eu-west-1\n", "7:9", "unknown option 'regoin'; did you mean 'region'?"),
        ("region: US East\n", "7:17", "expected a region name"),
        ("endpoint_url: minio:9000\n", "7:23", "expected an http:// or https:// URL"),
        ("endpoint_url: https://me:pw@minio\n", "7:23", "must not contain credentials"),
        ("compression: zip\n", "7:22", "expected one of 'none', 'gzip', got 'zip'"),
        ("storage_class: glacier\n", "7:24", "did you mean 'GLACIER'?"),
        ("server_side_encryption: aes256\n", "7:33", "expected one of 'AES256', 'aws:kms'"),
        ("kms_key_id: alias/x\n", "7:21", "needs server_side_encryption: aws:kms"),
        ("acl: public\n", "7:14", "did you mean 'public-read'?"),
        ("metadata: {team: ünïcode}\n", "7:19", "must be printable ASCII"),
        ("metadata: {bad key: x}\n", "7:19", "key 'bad key' must be ASCII"),
        ("metadata: {big: '" + "x" * 2100 + "'}\n", "7:19", "S3 allows 2048"),
        ("filename_pattern: '{nope}.json'\n", "7:27", "unknown placeholder {nope}"),
        ("filename_pattern: ../gpus.json\n", "7:27", "must stay inside the output location"),
        ("credentials: {access_key_env: TEST_S3_ACCESS_KEY}\n", "7:22", "'secret_key_env'"),
    ],
)
def test_bad_option_is_one_located_line(
    load: Load, options: str, where: str, expected: str
) -> None:
    message = config_error(load, options)
    assert message.startswith(f"cfg.yaml:{where}: "), message
    assert expected in message


@pytest.mark.parametrize("bucket", ["s3://exports/data", "exports/data"])
def test_bucket_with_a_path_says_to_use_prefix(load: Load, bucket: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(HEADER.replace("bucket: exports", f"bucket: {bucket}"))
    assert str(caught.value) == (
        "cfg.yaml:6:17: give the bucket name only (e.g. my-bucket); put any path in prefix"
    )


def test_bucket_name_rules_are_left_to_the_store(load: Load) -> None:
    # Only botocore's own check applies: S3-compatible stores differ in what they allow.
    loaded = load(HEADER.replace("bucket: exports", "bucket: b"))
    assert loaded.pipelines[0].outputs[0].options.bucket == "b"
    with pytest.raises(ConfigError, match=r"cfg.yaml:6:17: not a valid bucket name"):
        load(HEADER.replace("bucket: exports", "bucket: 'my bucket'"))


def test_unset_credential_variable_is_named_where_it_is_configured(load: Load) -> None:
    message = config_error(
        load,
        """
        credentials:
          access_key_env: TEST_S3_ACCESS_KEY
          secret_key_env: NOT_SET_ANYWHERE
        """,
    )
    assert message == (
        "cfg.yaml:10:27: environment variable NOT_SET_ANYWHERE named by "
        "credentials.secret_key_env is not set; export it or fix the name"
    )


def test_unset_session_token_variable_means_no_token(load: Load) -> None:
    # the export spec marks session_token_env optional: only temporary credentials have one
    s3_options(
        load,
        """
        credentials:
          access_key_env: TEST_S3_ACCESS_KEY
          secret_key_env: TEST_S3_SECRET_KEY
          session_token_env: NO_TOKEN_HERE
        """,
    )


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        # a key pasted where a variable name belongs is refused and never echoed
        ("secret_key_env", SECRET_CANARY, "expected the name of an environment variable"),
        ("secret_key_env", "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY", "name hidden"),
        ("access_key_env", "AKIAIOSFODNN7EXAMPLE", "looks like an access key ID"),
    ],
)
def test_pasted_key_is_never_echoed(load: Load, option: str, value: str, expected: str) -> None:
    names = {"access_key_env": "TEST_S3_ACCESS_KEY", "secret_key_env": "TEST_S3_SECRET_KEY"}
    names[option] = value
    message = config_error(
        load,
        f"""
        credentials:
          access_key_env: "{names["access_key_env"]}"
          secret_key_env: "{names["secret_key_env"]}"
        """,
    )
    assert expected in message
    assert value not in message


def test_env_reference_in_a_name_option_never_echoes_the_value(
    load: Load, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOLDS_THE_KEY", SECRET_CANARY)
    message = config_error(
        load,
        """
        credentials:
          access_key_env: TEST_S3_ACCESS_KEY
          secret_key_env: ${HOLDS_THE_KEY}
        """,
    )
    assert SECRET_CANARY not in message
    assert "expected the name of an environment variable" in message


def test_repr_of_config_shows_variable_names_not_values(load: Load) -> None:
    config = s3_options(
        load,
        """
        credentials:
          access_key_env: TEST_S3_ACCESS_KEY
          secret_key_env: TEST_S3_SECRET_KEY
        """,
    )
    assert "TEST_S3_SECRET_KEY" in repr(config)
    assert SECRET_CANARY not in repr(config)


def test_loading_and_describing_never_import_boto3(tmp_path: object) -> None:
    script = textwrap.dedent(
        """
        import datetime as dt, sys
        from gpuport_collectors.config import parse_export_config
        from gpuport_collectors.plugins import PluginHost
        from gpuport_collectors.protocols import Payload, RunContext
        from importlib.metadata import entry_points
        import tests.s3.fakes as fakes

        # the installed entry point, exactly as `validate` and `plugins` find it
        s3 = [ep for ep in entry_points(group="gpuport") if ep.name == "s3"]
        host = PluginHost(entry_points=s3, environ={}).load()
        host.add_plugin(fakes.lines_plugin(), name="fakes")
        assert host.sinks.names() == ["s3"], host.sinks.names()
        config = parse_export_config(
            "pipelines: [{name: p, transformer: {format: lines}, outputs: "
            "[{type: s3, bucket: exports, filename_pattern: x.json, compression: gzip}]}]",
            host=host, environ={},
        )
        sink = config.pipelines[0].outputs[0].build()
        context = RunContext(started_at=dt.datetime(2024, 1, 2, tzinfo=dt.UTC), pipeline="p")
        print(sink.describe(fakes.lines_payload([]), context).destination)
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("boto3", "botocore")))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == ["s3://exports/x.json.gz", "[]"]
