"""The openmetrics format pushed to a Pushgateway-like endpoint by the https output."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

import gpuport_https.plugin
import gpuport_openmetrics.plugin
from gpuport_collectors import CollectionInfo, PluginHost, execute_pipelines
from gpuport_collectors.testing import DEFAULT_NOW, generate_instances

CONFIG = """\
pipelines:
  - name: prices
    transformer: {{format: openmetrics}}
    outputs:
      - type: https
        url: "{url}/metrics/job/gpuport"
        method: PUT
        ca_bundle: "{ca}"
        batch_size: 10
        retry_delay: 0
"""


def test_put_to_a_pushgateway_sends_one_text_document(certs, server, export_config):
    host = PluginHost(entry_points=[], environ={})
    host.add_plugin(gpuport_https.plugin, "https")
    host.add_plugin(gpuport_openmetrics.plugin, "openmetrics")
    srv = server()
    config = export_config(CONFIG.format(url=srv.url, ca=certs.ca_file), host=host)
    rows = generate_instances(seed=2)
    collection = CollectionInfo(("runpod",), len(rows), DEFAULT_NOW, 1.0)

    (result,) = execute_pipelines(rows, config, collection=collection)

    assert result.success, result.error
    (request,) = srv.requests  # batch_size cannot split a metrics document
    assert (request.method, request.path) == ("PUT", "/metrics/job/gpuport")
    # The Pushgateway parses anything but its protobuf type as text format 0.0.4.
    assert request.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    families = {f.name: f for f in text_string_to_metric_families(request.body.decode())}
    assert len(families["gpuport_offer_price_dollars_per_hour"].samples) == len(rows)
    assert families["gpuport_collection_instances"].samples[0].value == len(rows)
