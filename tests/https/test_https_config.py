"""Options of ``type: https`` as the config loader sees them: defaults and located errors."""

from __future__ import annotations

import textwrap

import pytest

from gpuport_collectors import ConfigError, Secret
from gpuport_https.config import HttpsConfig
from gpuport_https.sink import HttpsSink

PIPELINE = """\
pipelines:
  - name: hook
    transformer:
      format: json
    outputs:
      - type: https
"""


def load(export_config, host, options: str, environ=None):
    text = PIPELINE + textwrap.indent(textwrap.dedent(options), " " * 8)
    config = export_config(text, environ=environ, host=host)
    choice = config.pipelines[0].outputs[0]
    assert choice.cls is HttpsSink
    return choice.options


def errors(export_config, host, options: str, environ=None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(export_config, host, options, environ)
    return [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems]


def test_defaults(export_config, host):
    options = load(export_config, host, 'url: "https://hooks.example.org/gpu"')

    assert options.url.reveal() == "https://hooks.example.org/gpu"
    assert options.method == "POST"
    assert options.headers == {}
    assert options.batch_size is None
    assert options.batch_delay == 0
    assert options.retry_attempts == 3
    assert options.retry_delay == 5
    assert options.retry_backoff == 2.0
    assert options.retry_max_delay == 60
    assert options.retry_on_status == [429, 500, 502, 503, 504]
    assert options.verify_ssl is True
    assert options.ca_bundle is None
    assert options.client_cert is None and options.client_key is None
    assert options.timeout == 30
    assert options.compression == "none"
    assert options.dead_letter_dir is None


def test_every_option(export_config, host):
    options = load(
        export_config,
        host,
        """\
        url: "https://api.example.com/webhooks/gpu-data"
        method: PUT
        headers:
          Authorization: "Bearer ${API_TOKEN}"
          Content-Type: "application/json"
        batch_size: 100
        batch_delay: 1.0
        retry_attempts: 5
        retry_delay: 0.5
        retry_backoff: 3
        retry_max_delay: 20
        retry_on_status: [500, 502, 503, 504]
        verify_ssl: true
        ca_bundle: /etc/ssl/internal-ca.pem
        client_cert: /etc/gpuport/client.crt
        client_key: /etc/gpuport/client.key
        timeout: 10
        compression: gzip
        dead_letter_dir: ./undelivered
        """,
        environ={"API_TOKEN": "t0ken"},
    )

    assert options.method == "PUT"
    assert options.headers["Authorization"].reveal() == "Bearer t0ken"
    assert options.headers["Authorization"].template == "Bearer ${API_TOKEN}"
    assert (options.batch_size, options.batch_delay) == (100, 1.0)
    assert (options.retry_attempts, options.retry_delay, options.retry_backoff) == (5, 0.5, 3.0)
    assert options.retry_max_delay == 20
    assert options.retry_on_status == [500, 502, 503, 504]
    assert options.ca_bundle == "/etc/ssl/internal-ca.pem"
    assert (options.client_cert, options.client_key) == (
        "/etc/gpuport/client.crt",
        "/etc/gpuport/client.key",
    )
    assert (options.timeout, options.compression) == (10.0, "gzip")
    assert options.dead_letter_dir == "./undelivered"


def test_url_and_headers_keep_their_templates(export_config, host):
    options = load(
        export_config,
        host,
        """\
        url: "https://${HOOK_HOST}/in?key=${HOOK_KEY}"
        headers: {X-Api-Key: "${API_KEY}"}
        """,
        environ={"HOOK_HOST": "hooks.example.org", "HOOK_KEY": "k", "API_KEY": "a"},
    )

    assert options.url.reveal() == "https://hooks.example.org/in?key=k"
    assert options.url.template == "https://${HOOK_HOST}/in?key=${HOOK_KEY}"
    assert options.destination == "https://${HOOK_HOST}/in"


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            'url: "https://h.example.org"\nheaders: {Authorization: "Bearer ${API_TOKEN}"}',
            "8:34: environment variable API_TOKEN is not set; export it or remove ${API_TOKEN}",
        ),
        (
            'url: "http://h.example.org/hook"',
            "7:14: 'http://h.example.org/hook' is not an https:// URL; write https://host/path",
        ),
        ('url: "hooks.example.org"', "is not an https:// URL"),
        ("method: GET\nurl: https://h.example.org", "7:17: expected one of 'POST', 'PUT', 'PATCH'"),
        ("url: https://h.example.org\nbatch_size: 0", "8:21: batch_size must be at least 1"),
        ("url: https://h.example.org\nbatch_size: 2.5", "8:21: expected a whole number, got 2.5"),
        ("url: https://h.example.org\nretry_attempts: -1", "8:25: retry_attempts must not be"),
        ("url: https://h.example.org\nretry_backoff: 0.5", "retry_backoff must be at least 1.0"),
        ("url: https://h.example.org\ntimeout: 0", "timeout must be a positive number"),
        ("url: https://h.example.org\nbatch_delay: -1", "batch_delay must not be negative"),
        (
            "url: https://h.example.org\nretry_on_status: [503, 700]",
            "700 is not an HTTP status code (100-599)",
        ),
        ("url: https://h.example.org\nretry_on_status: 503", "expected a list, got 503"),
        ("url: https://h.example.org\nverify_ssl: 'no'", "expected true or false, got 'no'"),
        ("url: https://h.example.org\ncompression: zip", "expected one of 'none', 'gzip'"),
        ("url: https://h.example.org\nclient_key: k.pem", "client_key needs client_cert"),
        (
            "url: https://h.example.org\nverify_ssl: false\nca_bundle: ca.pem",
            "ca_bundle has no effect with verify_ssl: false",
        ),
        ("url: https://h.example.org\nretries: 3", "unknown option 'retries'"),
        (
            "url: https://h.example.org\nheaders: {Idempotency-Key: x}",
            "Idempotency-Key is set by the https output itself",
        ),
        ("url: https://h.example.org\nheaders: {'X Bad': x}", "'X Bad' is not a valid header name"),
        (
            "url: https://h.example.org\nheaders: {X-Name: 'caf\u00e9'}",
            "the value of X-Name must be ASCII text",
        ),
        ("method: POST", "missing required option 'url'"),
    ],
)
def test_bad_options_are_located(export_config, host, options, expected):
    found = errors(export_config, host, options)

    assert any(expected in message for message in found), found


def test_unknown_option_suggests_the_right_one(export_config, host):
    (message,) = errors(export_config, host, "url: https://h.example.org\nretry_delays: 3")

    assert "did you mean 'retry_delay'" in message


def test_literal_secret_header_refused_with_dead_letter_dir(export_config, host):
    found = errors(
        export_config,
        host,
        """\
        url: https://h.example.org
        dead_letter_dir: ./dead
        headers:
          Authorization: "Bearer hard-coded"
        """,
    )

    assert len(found) == 1
    assert (
        "with dead_letter_dir set, Authorization must reference an environment variable"
        in (found[0])
    )
    assert "hard-coded" not in found[0]


def test_plain_literal_headers_allowed_with_dead_letter_dir(export_config, host):
    options = load(
        export_config,
        host,
        """\
        url: https://h.example.org
        dead_letter_dir: ./dead
        headers: {Content-Type: application/json, Accept: "*/*", X-Token: "${T}"}
        """,
        environ={"T": "x"},
    )

    assert set(options.headers) == {"Content-Type", "Accept", "X-Token"}


def test_error_about_a_header_value_never_shows_it(export_config, host):
    found = errors(
        export_config,
        host,
        'url: https://h.example.org\nheaders: {X-Token: "${T}"}',
        environ={"T": "secret\nvalue"},
    )

    assert any("the value of X-Token contains a line break" in m for m in found)
    assert not any("secret" in m for m in found)


def test_config_is_frozen_and_its_repr_hides_values():
    config = HttpsConfig(
        url=Secret("https://h.example.org/?k=${K}", "https://h.example.org/?k=hidden-1"),
        headers={"Authorization": Secret("Bearer ${T}", "Bearer hidden-2")},
    )

    assert "hidden" not in repr(config)
    assert "hidden" not in repr(HttpsSink(config))
    with pytest.raises(AttributeError):
        config.method = "PUT"  # type: ignore[misc]
