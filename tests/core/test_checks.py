"""``checks:``: located config errors, what is dropped or withheld, the baseline."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from gpuport_collectors import ConfigError
from gpuport_collectors.checks import ChecksConfig
from gpuport_collectors.config import parse_export_config
from gpuport_collectors.gate import check_collection
from gpuport_collectors.matching import match_offers, offer_key
from gpuport_collectors.snapshots import read_snapshot, write_snapshot
from gpuport_collectors.testing import generate_instances, make_instance
from tests.run_cli import run

PIPELINES = """\
pipelines:
  - name: prices
    transformer: {format: json}
    outputs:
      - {type: local, path: out, filename_pattern: prices.json, overwrite: true}
"""


def errors_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_export_config(PIPELINES + text, source="c.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_checks_load_into_their_config_class() -> None:
    config = parse_export_config(
        PIPELINES + "checks:\n  min_instances: 50\n  on_partial: withhold\n"
        "  price_range: [0.05, 200]\n  baseline: last.json.gz\n  max_price_change: 5\n"
        "  max_missing_fraction: 0.5\n  update_baseline: true\n"
    )
    assert config.checks == ChecksConfig(
        min_instances=50,
        on_partial="withhold",
        price_range=[0.05, 200.0],
        baseline="last.json.gz",
        max_price_change=5.0,
        max_missing_fraction=0.5,
        update_baseline=True,
    )


@pytest.mark.parametrize("text", ["", "checks:\n", "checks: {}\n"])
def test_no_checks_means_the_defaults(text: str) -> None:
    assert parse_export_config(PIPELINES + text).checks == ChecksConfig()


def test_checks_errors_are_located_with_did_you_mean() -> None:
    assert errors_of(
        "checks:\n"
        "  min_instance: 3\n"
        "  on_partial: witthold\n"
        "  price_range: [5, 1]\n"
        "  max_price_change: cheap\n"
    ) == [
        "c.yaml:7:3: unknown option 'min_instance'; did you mean 'min_instances'? (options: "
        "min_instances, on_partial, price_range, baseline, max_price_change, "
        "max_missing_fraction, update_baseline)",
        "c.yaml:8:15: expected one of 'publish', 'withhold', got 'witthold'; "
        "did you mean 'withhold'?",
        "c.yaml:10:21: expected a number, got 'cheap'",
    ]


def test_checks_values_are_checked_together_and_located() -> None:
    assert errors_of(
        "checks:\n"
        "  min_instances: 0\n"
        "  price_range: [5, 1]\n"
        "  max_price_change: 1\n"
        "  update_baseline: true\n"
    ) == [
        "c.yaml:7:18: min_instances must be at least 1: an empty collection is never published",
        "c.yaml:8:16: price_range must be [LOW, HIGH] with 0 <= LOW <= HIGH",
        "c.yaml:9:21: max_price_change is a ratio greater than 1 (e.g. 5 for 5x)",
        "c.yaml:9:21: max_price_change needs a 'baseline' snapshot to compare with",
        "c.yaml:10:20: update_baseline needs a 'baseline' snapshot to compare with",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("checks: [1]\n", "c.yaml:6:9: expected a mapping, got a list"),
        ("checkz: {}\n", "c.yaml:6:1: unknown top-level key 'checkz'; did you mean 'checks'?"),
        ("checks:\n  price_range: [1]\n", "c.yaml:7:16: price_range must be [LOW, HIGH]"),
        ("checks:\n  price_range: 5\n", "c.yaml:7:16: expected a list, got 5"),
        ("checks:\n  baseline: b.json\n  max_missing_fraction: 1\n", "c.yaml:8:25: "),
    ],
)
def test_more_checks_errors(text: str, message: str) -> None:
    problems = errors_of(text)
    assert len(problems) == 1 and problems[0].startswith(message), problems


# -- the checks themselves (API) ---------------------------------------------------------


def test_price_range_drops_offers_outside_and_keeps_unknown_prices() -> None:
    cheap = make_instance(region="A", price=0.0, spot_price=None)
    fine = make_instance(region="B", price=1.0, spot_price=0.5)
    spot_bad = make_instance(region="C", price=1.0, spot_price=0.001)
    unknown = make_instance(region="D", price=None, spot_price=None)
    outcome = check_collection(
        [cheap, fine, spot_bad, unknown], ChecksConfig(price_range=[0.01, 100])
    )
    assert outcome.published == [fine, unknown]
    assert [(d.instance.region, d.check, d.reason) for d in outcome.dropped] == [
        ("A", "price_range", "price 0 outside price_range [0.01, 100]"),
        ("C", "price_range", "spot_price 0.001 outside price_range [0.01, 100]"),
    ]
    assert not outcome.is_withheld


def test_min_instances_counts_what_is_left_after_drops() -> None:
    rows = [make_instance(region=str(n), price=0.0 if n < 3 else 1.0) for n in range(5)]
    outcome = check_collection(rows, ChecksConfig(min_instances=3, price_range=[0.01, 10]))
    assert outcome.withheld == ["2 instances left to publish, fewer than checks.min_instances (3)"]


def test_on_partial_withhold() -> None:
    rows = generate_instances(5)
    checks = ChecksConfig(on_partial="withhold")
    assert check_collection(rows, checks).withheld == []
    assert check_collection(rows, checks, problems=["runpod: H100: HTTP 500"]).withheld == [
        "the collection is partial (1 problem) and checks.on_partial is withhold"
    ]
    assert check_collection(rows, ChecksConfig(), problems=["x"]).withheld == []


def test_drift_drops_offers_that_moved_too_far_either_way() -> None:
    baseline = generate_instances(40, seed=3)
    today = list(baseline)
    today[0] = attrs.evolve(today[0], price=today[0].price * 6)  # type: ignore[operator]
    today[1] = attrs.evolve(today[1], price=today[1].price / 6)  # type: ignore[operator]
    today[2] = attrs.evolve(today[2], price=today[2].price * 4)  # type: ignore[operator]
    today[3] = attrs.evolve(today[3], price=None)  # unknown now: not compared
    checks = ChecksConfig(baseline="b.json", max_price_change=5)
    outcome = check_collection(today, checks, baseline=baseline)
    assert [drop.instance for drop in outcome.dropped] == [today[0], today[1]]
    assert "(6.0x) moved more than checks.max_price_change (5x)" in outcome.dropped[0].reason
    assert len(outcome.published) == 38


def test_missing_fraction_withholds_the_whole_collection() -> None:
    baseline = generate_instances(10, seed=4)
    checks = ChecksConfig(baseline="b.json", max_missing_fraction=0.5)
    assert check_collection(baseline[:5], checks, baseline=baseline).withheld == []
    assert check_collection(baseline[:4], checks, baseline=baseline).withheld == [
        "6 of the baseline's 10 offers (60%) are missing, "
        "more than checks.max_missing_fraction (0.5)"
    ]


def test_matching_pairs_offers_by_key_and_repeats_by_occurrence() -> None:
    a1, a2 = make_instance(region="A", price=1.0), make_instance(region="A", price=2.0)
    b = make_instance(region="B")
    c = make_instance(region="C", accelerator_count=2, instance_type="2x RTX")
    matched = match_offers([a1, b, a2], [c, a2, a1])
    assert matched.pairs == [(a1, a2), (a2, a1)]
    assert matched.removed == [b] and matched.added == [c]
    assert offer_key(c) == ("RunPod", "2x RTX", "C", 2)


# -- through the CLI ---------------------------------------------------------------------


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path("c.yaml").write_text(
        PIPELINES + "checks:\n  baseline: state/baseline.json.gz\n  max_price_change: 5\n"
        "  max_missing_fraction: 0.5\n  update_baseline: true\n"
    )
    return tmp_path


def test_first_run_says_once_there_is_no_baseline_then_writes_it(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("state").mkdir()
    write_snapshot(generate_instances(20, seed=5), "today.json")
    code, out, err = run(capsys, "export", "-c", "c.yaml", "--snapshot", "today.json")
    assert code == 0, err
    assert out.count("does not exist yet") == 1 and "state/baseline.json.gz" in out
    assert "baseline state/baseline.json.gz updated with 20 instances" in out
    assert (
        read_snapshot("state/baseline.json.gz").instances == read_snapshot("today.json").instances
    )


def test_a_price_spike_is_dropped_and_reported_exit_0(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("state").mkdir()
    yesterday = generate_instances(20, seed=6)
    write_snapshot(yesterday, "state/baseline.json.gz")
    today = list(yesterday)
    today[4] = attrs.evolve(today[4], price=999.0)
    write_snapshot(today, "today.json")
    code, _, err = run(capsys, "export", "-c", "c.yaml", "--snapshot", "today.json")
    assert code == 0, err
    assert "warning: checks dropped 1 offer (max_price_change: 1); first: " in err
    assert f"{today[4].instance_type} in {today[4].region}: price" in err
    published = json.loads(Path("out/prices.json").read_text())
    assert len(published) == 19 and 999.0 not in [r["price"] for r in published]
    assert len(read_snapshot("state/baseline.json.gz").instances) == 19  # what was published


def test_half_the_offers_gone_is_withheld_and_the_baseline_kept(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("state").mkdir()
    yesterday = generate_instances(20, seed=7)
    write_snapshot(yesterday, "state/baseline.json.gz")
    before = Path("state/baseline.json.gz").read_bytes()
    write_snapshot(yesterday[:6], "today.json")
    code, _, err = run(capsys, "export", "-c", "c.yaml", "--snapshot", "today.json")
    assert code == 1
    assert err.splitlines() == [
        "error: collection withheld, nothing published: 14 of the baseline's 20 offers (70%) "
        "are missing, more than checks.max_missing_fraction (0.5)"
    ]
    assert not Path("out").exists()
    assert Path("state/baseline.json.gz").read_bytes() == before


def test_an_unusable_baseline_withholds(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("state").mkdir()
    Path("state/baseline.json.gz").write_bytes(b"\x1f\x8b broken")
    write_snapshot(generate_instances(5), "today.json")
    code, _, err = run(capsys, "export", "-c", "c.yaml", "--snapshot", "today.json")
    assert code == 1
    assert "withheld, nothing published: the baseline cannot be read: " in err
    assert "corrupt gzip data" in err and not Path("out").exists()


def test_the_baseline_is_not_moved_by_a_dry_run_or_a_failed_output(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_snapshot(generate_instances(5), "today.json")
    code, out, _ = run(capsys, "export", "-c", "c.yaml", "--snapshot", "today.json", "--dry-run")
    assert code == 0 and "kept: dry run" in out
    assert not Path("state").exists()
    Path("out").write_text("a file where the output directory should be")
    code, out, _ = run(capsys, "export", "-c", "c.yaml", "--snapshot", "today.json")
    assert code == 1 and "kept: an output failed" in out
    assert not Path("state").exists()


# -- docs --------------------------------------------------------------------------------


def test_every_checks_key_is_documented_with_its_default() -> None:
    from tests.ecosystem.markdown import Document
    from tests.ecosystem.test_docs import default_problem

    section = Document.read("configuration.md").section("Checks")
    rows = section.table_keys()
    fields = {field.name: field for field in attrs.fields(ChecksConfig)}
    assert list(rows) == list(fields)
    problems = [default_problem(fields[key], rows[key][0]) for key in fields]
    assert problems == [None] * len(fields)
    example = section.code("yaml")[0].text
    checks = parse_export_config(PIPELINES + example).checks
    assert checks.baseline == "state/last-published.json.gz" and checks.update_baseline


def test_a_baseline_to_update_must_have_a_snapshot_name() -> None:
    assert errors_of("checks:\n  baseline: state/last.txt\n  update_baseline: true\n") == [
        "c.yaml:7:13: update_baseline writes the baseline as a snapshot, so its name must "
        "end with one of .json, .jsonl, .json.gz, .jsonl.gz"
    ]
