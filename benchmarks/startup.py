"""Start-up time of the command line against ``python -c "import click, rich"``.

    python benchmarks/startup.py            # best of 7 after a warm-up, ratios printed
    python benchmarks/startup.py --runs 15

Each command runs as a fresh process, as a user's shell (or a TAB press) runs it: the
console script's own interpreter, this environment's installed plugins. The baseline is
the same interpreter importing click and rich, the two libraries every click+rich CLI pays
for. Targets (issue 12): ``--help`` at most 1.5x, a shell-completion answer at most 2x,
``validate`` of examples/export.yaml at most 3x.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).with_name("gpuport-collectors")

COMPLETION = {
    "_GPUPORT_COLLECTORS_COMPLETE": "bash_complete",
    "COMP_WORDS": "gpuport-collectors ex",
    "COMP_CWORD": "1",
}

#: name -> (argv, extra environment, target ratio or None for the baseline)
CASES: dict[str, tuple[list[str], dict[str, str], float | None]] = {
    "import click, rich": ([sys.executable, "-c", "import click, rich"], {}, None),
    "--help": ([str(SCRIPT), "--help"], {}, 1.5),
    "completion (TAB)": ([str(SCRIPT)], COMPLETION, 2.0),
    "validate examples/export.yaml": (
        [str(SCRIPT), "validate", "--config", "examples/export.yaml"],
        {},
        3.0,
    ),
    "plugins": ([str(SCRIPT), "plugins"], {}, None),
}


def environment(extra: dict[str, str]) -> dict[str, str]:
    env = {**os.environ, **extra}
    env.pop("GPUPORT_DISABLE_PLUGINS", None)
    # A user's Python caches bytecode; without it every start compiles our modules anew
    # (an editable install's sources have no .pyc until a run writes them).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def best_times(runs: int) -> dict[str, float]:
    """Each case's best time. The cases take turns, round after round, so a slow spell of
    the machine slows every case alike instead of skewing one ratio."""
    envs = {name: environment(extra) for name, (_, extra, _) in CASES.items()}
    for name, (argv, _, _) in CASES.items():  # warm-up: caches, bytecode
        subprocess.run(argv, cwd=ROOT, env=envs[name], capture_output=True, check=True)
    best = dict.fromkeys(CASES, float("inf"))
    for _ in range(runs):
        for name, (argv, _, _) in CASES.items():
            began = time.perf_counter()
            subprocess.run(argv, cwd=ROOT, env=envs[name], capture_output=True, check=True)
            best[name] = min(best[name], time.perf_counter() - began)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command")
    args = parser.parse_args()
    best = best_times(args.runs)
    baseline = best["import click, rich"]
    print(f"{'command':32} {'best s':>8} {'ratio':>7} {'target':>7}")
    missed = 0
    for name, (_, _, target) in CASES.items():
        ratio = best[name] / baseline
        verdict = "" if target is None else (f"{target:.1f}x" + (" MISSED" * (ratio > target)))
        missed += target is not None and ratio > target
        print(f"{name:32} {best[name]:8.3f} {ratio:7.2f} {verdict:>7}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
