"""Words for messages: the one did-you-mean helper every error message uses."""

from __future__ import annotations

from collections.abc import Iterable


def suggest(word: object, choices: Iterable[object]) -> str:
    """A ``; did you mean 'x'?`` suffix, or an empty string when nothing is close."""
    import difflib  # only when a message is being worded

    names = [str(choice) for choice in choices]
    close = difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
