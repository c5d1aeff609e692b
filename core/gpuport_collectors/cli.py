"""The ``gpuport-collectors`` command line (click). Exit codes: 0 ok, 1 something failed, 2 usage.

Plugins are discovered before arguments are parsed, so their commands appear in ``--help``;
discovery imports only each plugin's ``plugin.py``. Everything else (the config loader,
rich, the pipeline) is imported inside the command that needs it, so ``--help`` and shell
completion cost little more than click itself (benchmarks/startup.py).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from .errors import ConfigError, GpuportError, UsageError
from .lazy import lazy_command
from .logs import preserved_logging
from .plugins import PluginHost, PluginLoadWarning, default_host
from .signals import Stopped, stop_on_signals
from .words import suggest

if TYPE_CHECKING:
    from pathlib import Path

    from .config import ExportConfig
    from .console import Reporter

F = TypeVar("F", bound=Callable[..., Any])


class FilePath(click.Path):
    """``click.Path`` (not a directory) giving a ``pathlib.Path``; pathlib loads only when an
    argument is converted, not for ``--help`` or a TAB."""

    def __init__(self, *, allow_dash: bool = False) -> None:
        super().__init__(dir_okay=False, allow_dash=allow_dash)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from pathlib import Path

        return Path(os.fsdecode(super().convert(value, param, ctx)))


config_option = click.option(
    "--config",
    "-c",
    "config_path",
    required=True,
    type=FilePath(allow_dash=True),
    help="Export config (YAML); '-' reads standard input.",
)
api_key_option = click.option(
    "--api-key",
    envvar=None,
    default=None,
    metavar="KEY",
    help="API key for collectors that take one (default: RUNPOD_API_KEY).",
)


report_option = click.option(
    "--report",
    metavar="PATH",
    default=None,
    help="Write a JSON run report to PATH (also when the run fails); '-' prints it instead "
    "of the summary.",
)


s3_endpoint_option = click.option(
    "--s3-endpoint-url",
    metavar="URL",
    default=None,
    help="S3-compatible endpoint for s3:// snapshots (default: AWS_ENDPOINT_URL, else AWS).",
)


def output_options(function: F) -> F:
    function = click.option("--quiet", "-q", is_flag=True, help="Print only errors.")(function)
    function = click.option("--verbose", "-v", is_flag=True, help="Log requests and timings.")(
        function
    )
    return function


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gpuport-data-collectors", prog_name="gpuport-collectors")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Collect GPU cloud offers and run them through YAML export pipelines."""
    ctx.ensure_object(dict)["debug"] = debug
    # Installed for the command that runs (restored when it ends), not for --help or a TAB.
    ctx.with_resource(stop_on_signals())


@cli.command()
@config_option
@api_key_option
@click.option(
    "--snapshot",
    metavar="PATH",
    help="Read instances from a snapshot (a file or s3://bucket/key) instead of the config's "
    "collectors.",
)
@click.option(
    "--pipeline",
    "pipelines",
    multiple=True,
    metavar="NAME",
    help="Run only this pipeline (repeatable).",
)
@click.option("--dry-run", is_flag=True, help="Collect and transform, but write nothing.")
@click.option("--validate-only", is_flag=True, help="Check the config and exit.")
@s3_endpoint_option
@report_option
@output_options
def export(
    config_path: Path,
    api_key: str | None,
    snapshot: str | None,
    pipelines: Sequence[str],
    dry_run: bool,
    validate_only: bool,
    s3_endpoint_url: str | None,
    report: str | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Collect instances, check them, and run the config's pipelines."""
    from . import flow
    from .collection import choose_collectors
    from .config import load_export_config
    from .report import RunRecorder
    from .s3 import endpoint_for_run

    reporter = _reporter(quiet, report)
    host = _host()
    _configure_logging(verbose, reporter, host)
    recorder = RunRecorder(command="export")
    with (
        flow.recording(recorder, None if validate_only else report),
        endpoint_for_run(s3_endpoint_url),
    ):
        config = load_export_config(
            config_path, host=host, collectors_used=snapshot is None or validate_only
        )
        if validate_only:
            _report_valid(reporter, config)
            return
        _check_pipeline_names(config, pipelines, reporter)
        choices = choose_collectors(config, host, snapshot=snapshot, api_key=api_key)
        code = flow.export(
            reporter, recorder, config, choices, only=pipelines or None, dry_run=dry_run
        )
        if code:
            raise SystemExit(code)


@cli.command()
@config_option
@output_options
def validate(config_path: Path, verbose: bool, quiet: bool) -> None:
    """Check a config and the plugins it uses; touch nothing."""
    from .config import load_export_config
    from .console import Reporter

    reporter = Reporter(quiet=quiet)
    host = _host()
    _configure_logging(verbose, reporter, host)
    _report_valid(reporter, load_export_config(config_path, host=host))


@cli.command()
@click.option(
    "--config",
    "-c",
    "config_path",
    default=None,
    type=FilePath(),
    help="Export config whose collectors to run (default: runpod).",
)
@click.option(
    "--collector",
    default=None,
    metavar="NAME",
    help="Registered collector to run instead of the config's (default: runpod).",
)
@click.option(
    "--option",
    "-o",
    "options",
    multiple=True,
    metavar="KEY=VALUE",
    help="Option of --collector (repeatable), e.g. -o max_concurrency=4; "
    "a list takes commas: -o providers=aws,gcp.",
)
@api_key_option
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="Snapshot to write (a file or s3://bucket/key): .json, .jsonl, .json.gz or .jsonl.gz.",
)
@s3_endpoint_option
@report_option
@output_options
def collect(
    config_path: Path | None,
    collector: str | None,
    options: Sequence[str],
    api_key: str | None,
    output: str,
    s3_endpoint_url: str | None,
    report: str | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Collect instances and save them as a snapshot (a file or s3://bucket/key; not when
    nothing was collected)."""
    from . import flow
    from .built import BuiltPlugins
    from .collection import choose_collectors
    from .report import RunRecorder
    from .s3 import endpoint_for_run, is_s3_url, parse_s3_url
    from .snapshots import SUFFIXES

    reporter = _reporter(quiet, report)
    host = _host()
    _configure_logging(verbose, reporter, host)
    recorder = RunRecorder(command="collect")
    with flow.recording(recorder, report), endpoint_for_run(s3_endpoint_url):
        if not output.lower().endswith(SUFFIXES):
            raise UsageError(f"--output must end with one of {', '.join(SUFFIXES)}")
        if is_s3_url(output):
            parse_s3_url(output)  # a malformed URL is a usage error before collecting
        if options and collector is None:
            if config_path is not None:
                raise UsageError(
                    "--option sets --collector's options; with --config, set them in the config"
                )
            collector = "runpod"
        config = None
        if config_path is not None:
            from .config import load_export_config

            config = load_export_config(config_path, host=host)
        built = BuiltPlugins() if config is None else config.built  # checked once, used by the run
        choices = choose_collectors(
            config,
            host,
            collector=collector,
            options=_parse_options(options),
            api_key=api_key,
            built=built,
        )
        checks = config.checks if config is not None else None
        code = flow.collect_snapshot(reporter, recorder, choices, output, checks, built)
        if code:
            raise SystemExit(code)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def plugins(as_json: bool) -> None:
    """List every plugin entry point: what it registers, where from, whether it loaded."""
    reports = [report.as_dict() for report in _host().resolve_all().reports]
    if as_json:
        import json

        click.echo(json.dumps(reports, indent=2))
        return
    from .console import Reporter

    reporter = Reporter()
    for report in reports:
        origin = f"{report['distribution'] or '-'} {report['version'] or ''}".strip()
        if report["loaded"]:
            what = "; ".join(
                f"{kind}: {', '.join(names)}" for kind, names in report["registers"].items()
            )
            status = what or "registers nothing"
        elif report["disabled"]:
            status = "disabled by GPUPORT_DISABLE_PLUGINS"
        else:
            status = f"NOT LOADED: {report['error']}"
        reporter.info(f"{report['name']} ({origin}): {status}")


# Their modules load when they run: --help and every TAB list them from these lines.
cli.add_command(
    lazy_command(
        "schema",
        "gpuport_collectors.schema_command:schema_command",
        help="Print the JSON Schema of the config for the installed plugins, for editors and CI.",
    )
)
cli.add_command(
    lazy_command(
        "diff",
        "gpuport_collectors.diff_command:diff",
        help="Offers added, removed and changed between two snapshots.",
    )
)


def _reporter(quiet: bool, report: str | None) -> Reporter:
    """With ``--report -`` the report takes stdout: the summary is not printed."""
    from rich.console import Console

    from .console import Reporter

    if report == "-":
        return Reporter(quiet=quiet, out=Console(file=io.StringIO()))
    return Reporter(quiet=quiet)


def _report_valid(reporter: Reporter, config: ExportConfig) -> None:
    enabled = [pipeline for pipeline in config.pipelines if pipeline.enabled]
    outputs = sum(len(pipeline.outputs) for pipeline in enabled)
    reporter.info(
        f"{config.source}: OK, {len(config.pipelines)} pipelines ({len(enabled)} enabled), "
        f"{outputs} outputs"
    )


def _check_pipeline_names(config: ExportConfig, names: Sequence[str], reporter: Reporter) -> None:
    """``--pipeline`` must name an enabled pipeline; a config running nothing is a warning."""
    known = [pipeline.name for pipeline in config.pipelines]
    enabled = [pipeline.name for pipeline in config.pipelines if pipeline.enabled]
    for name in names:
        if name not in known:
            raise UsageError(
                f"--pipeline {name!r} is not in {config.source}{suggest(name, enabled or known)} "
                f"(pipelines: {', '.join(known)})"
            )
        if name not in enabled:
            raise UsageError(
                f"--pipeline {name!r} is disabled in {config.source} (enabled: false)"
                f"{suggest(name, enabled)}; set enabled: true to run it"
            )
    if not enabled:
        reporter.warning(f"{config.source}: no pipeline is enabled; nothing will be published")


def _parse_options(options: Sequence[str]) -> dict[str, str]:
    parsed = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key:
            raise UsageError(f"--option {option!r} must look like KEY=VALUE")
        parsed[key.strip()] = value
    return parsed


def _configure_logging(verbose: bool, reporter: Reporter, host: PluginHost) -> None:
    """``--verbose`` logs requests and timings; ``--debug`` also shows plugin tracebacks."""
    from .logs import configure_logging

    context = click.get_current_context(silent=True)
    state = context.find_object(dict) if context is not None else None
    verbose = verbose or bool(state and state.get("debug"))
    packages = ["gpuport_collectors", *host.packages()]
    configure_logging(verbose, lambda: reporter.err, packages=packages)


def _host() -> PluginHost:
    """The host ``main`` runs with (the process-wide one when click is driven directly)."""
    context = click.get_current_context(silent=True)
    state = context.find_object(dict) if context is not None else None
    if state and "host" in state:
        host: PluginHost = state["host"]
        return host
    return default_host()


@contextlib.contextmanager
def _plugin_warnings(reporter: Callable[[], Reporter]) -> Iterator[None]:
    """Print each plugin-load warning as one line, whenever it happens during the run.

    Registration hooks run when a command first needs a registry, not at start-up, so
    the warnings are shown where they arise rather than collected once.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("always", PluginLoadWarning)
        shown = warnings.showwarning

        def show(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
            if issubclass(category, PluginLoadWarning):
                reporter().warning(str(message))
            else:
                shown(message, category, *args, **kwargs)

        warnings.showwarning = show
        yield


def command_group(host: PluginHost) -> click.Group:
    """The built-in commands plus those ``host``'s plugins add, in a group of its own."""
    group = copy.copy(cli)
    group.commands = dict(cli.commands)
    host.register_commands(group)
    return group


def main(argv: Sequence[str] | None = None, *, host: PluginHost | None = None) -> NoReturn:
    """Console-script entry point: translate gpuport errors into one line and an exit code.

    ``host`` replaces the process-wide plugin host (tests and embedding programs use it).
    Logging is put back as it was on the way out, so in-process calls leave no trace.
    """
    with preserved_logging():
        _main(list(sys.argv[1:] if argv is None else argv), host)


def _help_width() -> int | None:
    """The help width click would choose, found without click's ``import shutil`` (which
    loads zlib, bz2 and lzma: 3% of ``--help``). ``None`` lets click decide."""
    from click import formatting

    if formatting.FORCED_WIDTH is not None:  # click.testing forces one
        return None
    columns = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(min(columns or 80, 80) - 2, 50)


def _stopped(reporter: Reporter, stopped: Stopped) -> NoReturn:
    """SIGTERM / SIGHUP: atomic writes have already removed their temp files."""
    reporter.error(f"stopped by {stopped.name}; nothing half-written was left behind")
    raise SystemExit(stopped.exit_code) from None


def _error_reporter() -> Reporter:
    """The reporter for errors and warnings outside commands, made only when one is due."""
    from .console import Reporter

    return Reporter()


def _main(args: list[str], host: PluginHost | None) -> NoReturn:
    reporter = functools.cache(_error_reporter)
    debug = "--debug" in args
    try:
        with _plugin_warnings(reporter):
            host = (host or default_host()).discover()
            command_group(host).main(
                args=args,
                prog_name="gpuport-collectors",
                standalone_mode=False,
                obj={"host": host},
                terminal_width=_help_width(),
            )
    except ConfigError as error:
        if debug:
            raise
        for problem in error.problems:  # already FILE:LINE:COL: message
            reporter().err.print(str(problem), markup=False, highlight=False)
        raise SystemExit(error.exit_code) from None
    except GpuportError as error:
        if debug:
            raise
        reporter().error(str(error))
        raise SystemExit(error.exit_code) from None
    except click.exceptions.Abort as error:
        if isinstance(error.__cause__, Stopped):  # click turns KeyboardInterrupt into Abort
            _stopped(reporter(), error.__cause__)
        reporter().error("aborted")
        raise SystemExit(130) from None
    except click.ClickException as error:
        error.show()
        raise SystemExit(error.exit_code) from None
    except Stopped as stopped:
        _stopped(reporter(), stopped)
    except KeyboardInterrupt:
        reporter().error("interrupted")
        raise SystemExit(130) from None
    raise SystemExit(0)
