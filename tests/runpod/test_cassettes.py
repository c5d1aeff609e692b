"""Replay the recorded cassettes (record_mode "none"): no server, no network."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from gpuport_collectors.errors import AuthenticationError
from gpuport_collectors.secrets import Secret
from gpuport_runpod.collector import RunPodCollector
from gpuport_runpod.config import RunPodConfig

from .conftest import CANARY, COLLECTED_AT, FakeTime
from .oracle import expected_from_cassette, records_by_key
from .record_cassettes import CASSETTES, SCENARIOS, Scenario, make_vcr, record_from_simulator


def replaying_collector(scenario: Scenario, fake_time: FakeTime) -> RunPodCollector:
    # No api_url: the default https://api.runpod.io/graphql, matched on path only.
    config = RunPodConfig(api_key=Secret.literal(CANARY), **scenario.options)
    return RunPodCollector(
        config,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        now=lambda: COLLECTED_AT,
        environ={},
    )


@pytest.mark.parametrize("name", ["runpod_collect", "runpod_partial_failure"])
def test_replayed_collection_matches_the_recorded_answers(name: str, fake_time: FakeTime) -> None:
    scenario = SCENARIOS[name]
    collector = replaying_collector(scenario, fake_time)
    with make_vcr("none").use_cassette(scenario.filename) as cassette:
        instances = asyncio.run(collector.fetch_instances())
        assert cassette.all_played  # same requests, same retries as when recorded

    expected, never_priced = expected_from_cassette(CASSETTES / scenario.filename, COLLECTED_AT)
    actual = records_by_key(instances)
    assert expected  # the cassette holds offers to check against
    assert actual.keys() == expected.keys()
    for key, record in expected.items():
        assert actual[key] == pytest.approx(record), key
    skipped = {gpu for gpu in never_priced if any(repr(gpu) in p for p in collector.problems)}
    assert skipped == never_priced
    assert len(collector.problems) == len(never_priced)


def test_partial_failure_cassette_skips_exactly_the_broken_types(fake_time: FakeTime) -> None:
    _, never_priced = expected_from_cassette(
        CASSETTES / SCENARIOS["runpod_partial_failure"].filename, COLLECTED_AT
    )
    assert len(never_priced) == 2


def test_replayed_rejected_key(fake_time: FakeTime) -> None:
    scenario = SCENARIOS["runpod_auth_rejected"]
    collector = replaying_collector(scenario, fake_time)
    with (
        make_vcr("none").use_cassette(scenario.filename),
        pytest.raises(AuthenticationError, match="RunPod rejected the API key"),
    ):
        asyncio.run(collector.fetch_instances())
    assert fake_time.sleeps == []


@pytest.mark.parametrize("path", sorted(CASSETTES.glob("*.yaml")), ids=lambda p: p.name)
def test_committed_cassettes_hold_no_credentials(path: Path) -> None:
    text = path.read_text()
    assert "Bearer" not in text
    assert "recording-key" not in text
    for interaction in yaml.safe_load(text)["interactions"]:
        headers = {name.lower() for name in interaction["request"]["headers"]}
        assert "authorization" not in headers
        assert "cookie" not in headers


def test_every_scenario_has_a_cassette() -> None:
    assert {path.stem for path in CASSETTES.glob("*.yaml")} == set(SCENARIOS)


def test_recording_with_the_canary_key_writes_no_trace_of_it(
    tmp_path: Path, fake_time: FakeTime
) -> None:
    paths = record_from_simulator(tmp_path, key=CANARY, sleep=fake_time.sleep)
    assert len(paths) == len(SCENARIOS)
    for path in paths:
        text = path.read_text()
        assert CANARY not in text
        assert "Bearer" not in text
