"""The ``gpuport-collectors`` console script: tunes the process, then runs :func:`.cli.main`.

Starting the command line imports click, pluggy, the plugins and (for most commands) a
config's libraries: many objects are allocated and almost none freed, so Python's cyclic
collector, at its default threshold of 700 new objects, walks them again and again. The
program raises that threshold before importing anything, which cuts start-up work by a few
percent (benchmarks/startup.py) and leaves at most that many objects' cleanup for later.
Only the console script does this; importing :mod:`gpuport_collectors.cli` changes nothing.
"""

from __future__ import annotations

import gc

#: New objects between collections of the youngest generation (Python's default: 700).
GC_THRESHOLD = 50_000


def main() -> None:
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], GC_THRESHOLD), *threshold[1:])
    from .cli import main as run

    try:
        run()
    finally:
        # Nothing collectable is left but the modules, which die with the process; frozen,
        # the collections of interpreter shutdown skip them (8% of ``--help`` or ``validate``).
        gc.freeze()
