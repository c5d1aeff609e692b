"""Install both example plugins with pip into a throwaway virtual environment and use them
as a user would: ``gpuport-collectors plugins``, an export through them, the plugin's own
command, and the plugins' own test suites against the installed packages.

Slow (marked ``installs``): pip builds each package with setuptools fetched from the package
index (build isolation), exactly like ``pip install ./gpuport-glob``. One pip call installs
both. The venv sees this environment's packages (gpuport itself, pytest) through a ``.pth``
file, so the project is not reinstalled.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path
from typing import Any

import pytest

from gpuport_collectors.snapshots import write_snapshot
from gpuport_collectors.testing import generate_instances

from .markdown import ROOT

pytestmark = pytest.mark.installs

EXAMPLES = ROOT / "examples" / "plugins"
#: How the console script starts: the same entry point, read from installed metadata.
CLI = (
    "import sys, importlib.metadata as m; "
    "(ep,) = m.entry_points(group='console_scripts', name='gpuport-collectors'); "
    "sys.exit(ep.load()())"
)


class Environment:
    """A virtual environment whose python sees this environment's packages too."""

    def __init__(self, root: Path) -> None:
        venv.create(root, system_site_packages=True, with_pip=False, symlinks=True)
        self.python = root / "bin" / "python"
        hidden = ("GPUPORT_DISABLE_PLUGINS", "PYTHONPATH")
        self.env = {k: v for k, v in os.environ.items() if k not in hidden}
        purelib = self.run_python("-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
        parents = {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
        lines = [f"import site; site.addsitedir({path!r})" for path in sorted(parents)]
        pth = Path(purelib.stdout.strip(), "_gpuport_test_parent.pth")
        pth.write_text("\n".join(lines) + "\n")

    def run_python(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.python), *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=self.env,
            timeout=600,
            check=False,
        )

    def pip_install(self, *paths: Path) -> subprocess.CompletedProcess[str]:
        command = [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(self.python),
            "install",
            "--no-input",
            "--disable-pip-version-check",
            *map(str, paths),
        ]
        return subprocess.run(
            command, capture_output=True, text=True, env=self.env, timeout=600, check=False
        )

    def gpuport(self, *args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return self.run_python("-c", CLI, *map(str, args), cwd=cwd)


def test_example_plugins_install_and_work(tmp_path: Path) -> None:
    """One test, so that pytest-xdist never splits it into two installs."""
    installed = install_examples(tmp_path / "install")
    check_plugins_are_listed(installed)
    check_export_through_both_plugins(installed, tmp_path / "run")
    check_schema_covers_both_plugins(installed)
    for name in ("gpuport-glob", "gpuport-price-history"):
        check_example_suite_against_the_installed_package(installed, name)


def install_examples(work: Path) -> tuple[Environment, Path]:
    """One venv with both examples installed from copies (pip builds in the source tree)."""
    copies = []
    for name in ("gpuport-glob", "gpuport-price-history"):
        copies.append(
            shutil.copytree(
                EXAMPLES / name,
                work / "src" / name,
                ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"),
            )
        )
    environment = Environment(work / "venv")
    result = environment.pip_install(*copies)
    assert result.returncode == 0, result.stdout + result.stderr
    return environment, work


def check_plugins_are_listed(installed: tuple[Environment, Path]) -> None:
    environment, _ = installed
    run = environment.gpuport("plugins", "--json")
    assert run.returncode == 0, run.stderr
    third_party = [
        p for p in json.loads(run.stdout) if p["distribution"] != "gpuport-data-collectors"
    ]
    assert third_party == [
        {
            "name": "glob",
            "distribution": "gpuport-glob",
            "version": "0.1.0",
            "loaded": True,
            "disabled": False,
            "error": None,
            "registers": {"operators": ["glob"]},
        },
        {
            "name": "price_history",
            "distribution": "gpuport-price-history",
            "version": "0.1.0",
            "loaded": True,
            "disabled": False,
            "error": None,
            "registers": {"sinks": ["price_history"]},
        },
    ]
    plain = environment.gpuport("plugins")
    assert "glob (gpuport-glob 0.1.0): operators: glob" in plain.stdout.splitlines()
    helped = environment.gpuport("--help")
    assert "price-changes" in helped.stdout


CONFIG = """\
pipelines:
  - name: big-gpus
    filters:
      - field: accelerator_name
        operator: glob
        values: ["*h100*", "*a100*"]
        ignore_case: true
    transformer: {format: json}
    outputs:
      - type: price_history
        path: ./history.sqlite
      - type: local
        path: ./out
        filename_pattern: "{pipeline}.json"
        overwrite: true
"""


def check_export_through_both_plugins(installed: tuple[Environment, Path], tmp_path: Path) -> None:
    environment, _ = installed
    tmp_path.mkdir()
    (tmp_path / "export.yaml").write_text(CONFIG)
    day1 = generate_instances(seed=11)
    day2 = [_reprice(instance, index) for index, instance in enumerate(day1)]
    write_snapshot(day1, tmp_path / "day1.json")
    write_snapshot(day2, tmp_path / "day2.json.gz")

    for snapshot in ("day1.json", "day2.json.gz"):
        run = environment.gpuport(
            "export", "-c", "export.yaml", "--snapshot", snapshot, cwd=tmp_path
        )
        assert run.returncode == 0, run.stderr

    big = [i for i in day2 if "H100" in i.accelerator_name or "A100" in i.accelerator_name]
    written = json.loads((tmp_path / "out" / "big-gpus.json").read_text())
    assert [r["instance_type"] + r["region"] for r in written] == [
        i.instance_type + i.region for i in big
    ]
    changes = environment.gpuport("price-changes", "--db", "history.sqlite", "--json", cwd=tmp_path)
    assert changes.returncode == 0, changes.stderr
    report: dict[str, Any] = json.loads(changes.stdout)
    moved = [i for index, i in enumerate(day2) if i in big and index % 3 == 0]
    assert [
        (c["kind"], c["instance_type"], c["region"], c["new_price"]) for c in report["changes"]
    ] == sorted(("changed", i.instance_type, i.region, i.price) for i in moved)
    assert report["unchanged"] == len(big) - len(moved)


def check_schema_covers_both_plugins(installed: tuple[Environment, Path]) -> None:
    """``schema`` in the venv describes the installed plugins' options; CONFIG passes it."""
    import jsonschema
    from ruamel.yaml import YAML

    environment, _ = installed
    run = environment.gpuport("schema")
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    schema = json.loads(run.stdout)
    glob = schema["$defs"]["operator.glob"]["properties"]
    assert list(glob) == ["operator", "field", "value", "values", "ignore_case", "negate"]
    assert glob["negate"]["default"] is False
    assert glob["negate"]["description"] == "keep the instances that match no pattern"
    history = schema["$defs"]["output.price_history"]
    assert history["required"] == ["path"]
    assert history["properties"]["timeout"]["exclusiveMinimum"] == 0
    assert "gpuport-glob" in schema["$comment"]
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(YAML(typ="safe", pure=True).load(CONFIG))) == []
    wrong = CONFIG.replace("ignore_case: true", "ignore_case: true\n        negated: true")
    errors = [e.message for e in validator.iter_errors(YAML(typ="safe").load(wrong))]
    assert errors == ["Additional properties are not allowed ('negated' was unexpected)"]


def _reprice(instance: Any, index: int) -> Any:
    import attrs

    if index % 3 or instance.price is None:
        return instance
    return attrs.evolve(instance, price=round(instance.price + 0.25, 2))


def check_example_suite_against_the_installed_package(
    installed: tuple[Environment, Path], name: str
) -> None:
    environment, work = installed
    package = name.replace("-", "_")
    where = environment.run_python("-c", f"import {package}; print({package}.__file__)", cwd=work)
    assert "site-packages" in where.stdout, where.stdout + where.stderr
    run = environment.run_python(
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:xdist",
        "-q",
        str(work / "src" / name / "tests"),
        cwd=work,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    summary = run.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary
