"""``gpuport-collectors replay DIR``: send dead-letter files again, removing each delivered one.

``${VAR}`` references in the stored URL and headers are resolved from the environment
at replay time, and every batch keeps its Idempotency-Key, so a receiver that already
got a batch can drop the copy. Exit status: 0 all delivered (or nothing to do), 1 some
files remain, 2 bad usage (missing directory, unset variable).
"""

from __future__ import annotations

import contextlib
import os
import urllib.parse
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import click

from gpuport_collectors.plugin_api import (
    RetryOptions,
    RetryPolicy,
    Secret,
    masked_library_logs,
    references,
    resolve,
)

from .config import PLAIN_HEADERS
from .deadletter import DeadLetter, DeadLetterError, read_dead_letter
from .headers import IDEMPOTENCY_HEADER
from .redact import MASK, Scrubber, display_url

if TYPE_CHECKING:
    import httpx

    from .delivery import Outcome

METHODS = ("POST", "PUT", "PATCH")
Echo = Callable[[str, bool], None]


@attrs.define
class ReplaySummary:
    """What a replay did: files found, delivered, and left in place."""

    found: int = 0
    delivered: int = 0
    remaining: int = 0
    missing: dict[str, list[str]] = attrs.Factory(dict)

    @property
    def exit_code(self) -> int:
        if self.missing:
            return 2
        return 1 if self.remaining else 0


def dead_letter_files(directory: Path) -> list[Path]:
    """The dead-letter files in ``directory``, oldest first (names start with the time)."""
    return sorted(
        path
        for path in directory.glob("*.json")
        if path.is_file() and not path.name.startswith(".")
    )


def replay_directory(
    directory: Path,
    *,
    environ: Mapping[str, str] | None = None,
    retry_attempts: int = 0,
    retry_delay: float = 1.0,
    echo: Echo = lambda line, err: click.echo(line, err=err),
    transport: httpx.BaseTransport | None = None,
) -> ReplaySummary:
    """Send every dead-letter file in ``directory`` once (plus ``retry_attempts`` retries).

    Nothing is sent when a referenced variable is unset: ``missing`` names them.
    """
    environ = os.environ if environ is None else environ
    summary = ReplaySummary()
    letters: list[tuple[Path, DeadLetter]] = []
    for path in dead_letter_files(directory):
        summary.found += 1
        try:
            letters.append((path, read_dead_letter(path)))
        except DeadLetterError as error:
            summary.remaining += 1
            echo(f"skipped {path.name}: {error}", True)
    for path, letter in letters:
        for name in _references(letter):
            if name not in environ:
                summary.missing.setdefault(name, []).append(path.name)
    if summary.missing:
        return summary
    policy = RetryOptions(retry_attempts=retry_attempts, retry_delay=retry_delay).retry_policy()
    with _Clients(transport) as clients:
        for path, letter in letters:
            outcome = _send(letter, environ, policy, clients)
            if outcome.delivered:
                path.unlink(missing_ok=True)
                summary.delivered += 1
                echo(f"delivered {path.name}", False)
            else:
                summary.remaining += 1
                echo(f"not delivered {path.name}: {outcome.reason}", True)
    return summary


def _references(letter: DeadLetter) -> list[str]:
    names = references(letter.url)
    for value in letter.headers.values():
        names += references(value)
    return names


def _send(
    letter: DeadLetter, environ: Mapping[str, str], policy: RetryPolicy, clients: _Clients
) -> Outcome:
    from .delivery import BatchRequest, Outcome, Sender
    from .tls import TLSSetupError

    url = Secret(template=letter.url, value=resolve(letter.url, environ))
    headers = {
        name: Secret(template=value, value=resolve(value, environ))
        for name, value in letter.headers.items()
    }
    scrub = Scrubber.for_request(url, headers, PLAIN_HEADERS, environ)
    parts = urllib.parse.urlsplit(url.reveal())
    if parts.scheme.lower() != "https" or not parts.hostname:
        return Outcome(False, 0, f"{display_url(letter.url)} is not an https:// URL once resolved")
    masked = [name for name, value in letter.headers.items() if value == MASK]
    if masked:
        return Outcome(False, 0, f"header {masked[0]} was not stored (***); cannot replay")
    if letter.method.upper() not in METHODS:
        return Outcome(False, 0, f"method {letter.method!r} is not one of {', '.join(METHODS)}")
    try:
        client = clients.get(letter)
    except TLSSetupError as error:
        return Outcome(False, 0, scrub(str(error)))
    request = BatchRequest(
        method=letter.method.upper(),
        url=url.reveal(),
        headers={
            **{name: value.reveal() for name, value in headers.items()},
            IDEMPOTENCY_HEADER: letter.idempotency_key,
        },
        body=letter.body,
    )
    sender = Sender(
        client=client, policy=policy, scrub=scrub, label=f"replay {display_url(letter.url)}"
    )
    with masked_library_logs(scrub, "httpx"):
        return sender.send(request)


class _Clients(contextlib.ExitStack):
    """One httpx client per distinct TLS setup and timeout, closed at the end."""

    def __init__(self, transport: httpx.BaseTransport | None) -> None:
        super().__init__()
        self.transport = transport
        self.clients: dict[tuple[object, float], httpx.Client] = {}

    def get(self, letter: DeadLetter) -> httpx.Client:
        from .delivery import open_client

        key = (letter.tls, letter.timeout)
        if key not in self.clients:
            client = open_client(letter.tls, letter.timeout, self.transport)
            self.clients[key] = self.enter_context(client)
        return self.clients[key]


@click.command("replay")
@click.argument(
    "directory", type=click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path)
)
@click.option(
    "--retry-attempts",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Retries per file on a transient failure (listed statuses, timeouts, drops).",
)
@click.pass_context
def replay_command(ctx: click.Context, directory: Path, retry_attempts: int) -> None:
    """Send again the batches an https output saved to DIRECTORY (its dead_letter_dir).

    ${VAR} references in URLs and headers are resolved from the environment now; each
    batch keeps its Idempotency-Key. Delivered files are removed. Exit status: 0 all
    delivered, 1 some remain, 2 a variable is unset (nothing is sent then).
    """
    summary = replay_directory(directory, retry_attempts=retry_attempts)
    if summary.missing:
        for name, files in sorted(summary.missing.items()):
            click.echo(
                f"error: environment variable {name} is not set (used by {len(files)} "
                f"dead-letter file{'s' if len(files) != 1 else ''} in {directory}); "
                "export it and run replay again",
                err=True,
            )
    elif not summary.found:
        click.echo(f"nothing to replay in {directory}")
    else:
        click.echo(
            f"{summary.delivered} of {summary.found} batches delivered; "
            f"{summary.remaining} remain in {directory}"
        )
    ctx.exit(summary.exit_code)
