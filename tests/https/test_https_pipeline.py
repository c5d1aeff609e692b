"""The https output inside a real pipeline run: loaded from YAML, run by execute_pipelines."""

from __future__ import annotations

import json

from gpuport_collectors import execute_pipelines
from gpuport_collectors.testing import generate_instances
from tests.https.https_testserver import Reply

CONFIG = """\
pipelines:
  - name: to-webhook
    transformer: {{format: json}}
    outputs:
      - type: https
        url: "{url}/in"
        headers: {{Authorization: "Bearer ${{HOOK_TOKEN}}"}}
        ca_bundle: "{ca}"
        batch_size: 50
        retry_delay: 0
"""


def test_pipeline_reports_the_https_result(certs, server, export_config, host):
    srv = server()
    config = export_config(
        CONFIG.format(url=srv.url, ca=certs.ca_file), environ={"HOOK_TOKEN": "t"}, host=host
    )
    rows = generate_instances(120, seed=11)

    (result,) = execute_pipelines(rows, config)

    assert result.success, result.error
    (output,) = result.outputs
    assert (output.output_type, output.destination) == ("https", f"{srv.url}/in")
    assert (output.batches_sent, output.batches_failed) == (3, 0)
    assert sum(len(json.loads(r.body)) for r in srv.requests) == 120
    assert {r.headers["authorization"] for r in srv.requests} == {"Bearer t"}


def test_failed_batches_fail_the_output_and_the_pipeline(certs, server, export_config, host):
    srv = server(lambda request, seen: Reply(500))
    config = export_config(
        CONFIG.format(url=srv.url, ca=certs.ca_file), environ={"HOOK_TOKEN": "t"}, host=host
    )

    (result,) = execute_pipelines(generate_instances(60), config)

    assert not result.success
    (output,) = result.outputs
    assert (output.batches_sent, output.batches_retried, output.batches_failed) == (0, 2, 2)
    assert output.error is not None and output.error.startswith("2 of 2 batches failed")


def test_dry_run_sends_nothing(certs, server, export_config, host):
    srv = server()
    config = export_config(
        CONFIG.format(url=srv.url, ca=certs.ca_file), environ={"HOOK_TOKEN": "t"}, host=host
    )

    (result,) = execute_pipelines(generate_instances(120), config, dry_run=True)

    (output,) = result.outputs
    assert output.dry_run and output.batches_sent == 3
    assert output.destination == f"{srv.url}/in"
    assert srv.requests == []
