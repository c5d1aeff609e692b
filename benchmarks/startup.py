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


def best_time(argv: list[str], extra: dict[str, str], runs: int) -> float:
    env = {**os.environ, **extra}
    env.pop("GPUPORT_DISABLE_PLUGINS", None)
    # A user's Python caches bytecode; without it every start compiles our modules anew
    # (an editable install's sources have no .pyc until a run writes them).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=True)  # warm-up
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command")
    args = parser.parse_args()
    baseline = best_time(*CASES["import click, rich"][:2], runs=args.runs)
    print(f"{'command':32} {'best s':>8} {'ratio':>7} {'target':>7}")
    print(f"{'import click, rich':32} {baseline:8.3f} {1.0:7.2f} {'':>7}")
    missed = 0
    for name, (argv, extra, target) in CASES.items():
        if target is None and name == "import click, rich":
            continue
        seconds = best_time(argv, extra, args.runs)
        ratio = seconds / baseline
        verdict = "" if target is None else (f"{target:.1f}x" + (" MISSED" * (ratio > target)))
        missed += target is not None and ratio > target
        print(f"{name:32} {seconds:8.3f} {ratio:7.2f} {verdict:>7}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
