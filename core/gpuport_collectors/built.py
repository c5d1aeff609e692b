"""The plugin instances loading built, handed to the first run that uses them.

Loading a config must build every collector, transformer and sink: a constructor may raise
``OptionError``, which ``validate`` reports at its line. Keeping those instances lets the run
use exactly them instead of building each plugin a second time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from .config import PluginChoice


@attrs.define(eq=False, repr=False)
class BuiltPlugins:
    """Instances built while validating, each given out once, to the choice it was built from.

    :meth:`take` returns a choice's kept instance the first time and builds a new one after
    that. So the first run of a loaded config uses what loading built, and every later run
    builds its own: per-run state (a batch counter, an open client) never carries from one
    run to the next. A choice made afresh (``attrs.evolve``, as ``--api-key`` does) is
    another object, so it never receives an instance built from other options.
    """

    # id(choice) -> (choice, instance). The entry holds the choice, so while it is kept
    # no other object can be given its id.
    _kept: dict[int, tuple[PluginChoice, Any]] = attrs.field(factory=dict, init=False)

    def keep(self, choice: PluginChoice, instance: Any) -> None:
        self._kept[id(choice)] = (choice, instance)

    def take(self, choice: PluginChoice) -> Any:
        """The instance built for ``choice`` if it is still kept, else a new one."""
        kept = self._kept.pop(id(choice), None)
        return kept[1] if kept is not None else choice.build()
