"""Where one provider's gpuhunt rows come from: a local CSV, the published catalogue, or
gpuhunt's online provider. The only module that imports gpuhunt (at collection time).

Offline catalogues are read as gpuhunt reads them: ``{dir}/{provider}.csv``, or
``{url}/{provider}/version`` naming the latest version and
``{url}/{provider}/{version}/catalog.zip`` holding ``{provider}.csv``; each row is parsed
by gpuhunt's own ``item_from_row``. We download with httpx and a timeout (gpuhunt's
``urlopen`` has none) and count malformed rows instead of only logging them.
"""

from __future__ import annotations

import csv
import importlib
import io
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs
import gpuhunt
import httpx
from gpuhunt._internal import catalog as gpuhunt_catalog
from gpuhunt._internal import default as gpuhunt_default
from gpuhunt._internal import storage as gpuhunt_storage

CATALOG_DIR_ENV = "GPUHUNT_CATALOG_DIR"
CATALOG_URL_ENV = "GPUHUNT_CATALOG_URL"
USER_AGENT = "gpuport-data-collectors (gpuhunt collector)"


class SourceError(Exception):
    """One provider's rows could not be read; the message says where and why."""


class MissingCredentials(SourceError):
    """An online provider needs an environment variable that is not set."""


@attrs.frozen
class Rows:
    """A provider's parsed rows and the malformed ones skipped (``line: reason``)."""

    items: list[gpuhunt.CatalogItem]
    skipped: list[str]


@attrs.frozen
class Location:
    """Where the offline catalogue is: a directory of CSVs, else a base URL."""

    directory: Path | None
    url: str

    @classmethod
    def choose(
        cls, catalog_dir: str | None, catalog_url: str | None, environ: Mapping[str, str]
    ) -> Location:
        """Options first, then ``GPUHUNT_CATALOG_DIR`` / ``GPUHUNT_CATALOG_URL``, then gpuhunt's."""
        if catalog_dir:
            return cls(Path(catalog_dir), "")
        if catalog_url:
            return cls(None, catalog_url.rstrip("/"))
        if environ.get(CATALOG_DIR_ENV):
            return cls(Path(environ[CATALOG_DIR_ENV]), "")
        url = environ.get(CATALOG_URL_ENV) or gpuhunt_catalog.CATALOG_URL
        return cls(None, url.rstrip("/"))


def offline_rows(provider: str, location: Location, *, timeout: float) -> Rows:
    """Read one provider's CSV from the catalogue ``location``."""
    if location.directory is not None:
        path = location.directory / f"{provider}.csv"
        try:
            with path.open("rb") as raw:
                return parse_csv(io.TextIOWrapper(raw, "utf-8"), provider, str(path))
        except FileNotFoundError:
            raise SourceError(f"no catalogue file {path}") from None
        except OSError as error:
            raise SourceError(f"cannot read {path}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise SourceError(f"{path} is not UTF-8 text") from None
    with httpx.Client(
        timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
    ) as client:
        version = _get(client, f"{location.url}/{provider}/version").decode().strip()
        if not version or "/" in version:
            raise SourceError(f"{location.url}/{provider}/version names no version")
        url = f"{location.url}/{provider}/{version}/catalog.zip"
        data = _get(client, url)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(f"{provider}.csv") as raw:
            return parse_csv(io.TextIOWrapper(raw, "utf-8"), provider, url)
    except zipfile.BadZipFile:
        raise SourceError(f"{url} is not a zip archive") from None
    except KeyError:
        raise SourceError(f"{url} holds no {provider}.csv") from None
    except UnicodeDecodeError:
        raise SourceError(f"{provider}.csv in {url} is not UTF-8 text") from None


def _get(client: httpx.Client, url: str) -> bytes:
    try:
        response = client.get(url)
    except httpx.HTTPError as error:
        raise SourceError(f"cannot download {url}: {error or type(error).__name__}") from None
    if response.status_code != 200:
        raise SourceError(f"cannot download {url}: HTTP {response.status_code}")
    return response.content


def parse_csv(lines: Iterable[str], provider: str, where: str) -> Rows:
    """Rows of a gpuhunt catalogue CSV, each parsed by gpuhunt's ``item_from_row``."""
    reader = csv.DictReader(lines)
    items: list[gpuhunt.CatalogItem] = []
    skipped: list[str] = []
    load = gpuhunt_storage.item_from_row
    try:
        for row in reader:
            try:
                items.append(load(row, provider=provider))
            except (ValueError, TypeError, KeyError) as error:
                skipped.append(f"line {reader.line_num}: {error}")
    except csv.Error as error:
        raise SourceError(f"{where}: not a CSV catalogue ({error})") from None
    if skipped and not items:
        raise SourceError(
            f"{where}: no row could be read ({len(skipped)} malformed, first {skipped[0]})"
        )
    return Rows(items, skipped)


def online_rows(provider: str) -> Rows:
    """Ask gpuhunt's online provider, built from the environment as gpuhunt builds it."""
    module_name, class_name = _online_class(provider)
    provider_class = getattr(importlib.import_module(module_name), class_name)
    try:
        instance = provider_class.from_env()
    except gpuhunt.MissingCredsError as error:
        raise MissingCredentials(f"missing credentials: {error}") from None
    catalog = gpuhunt.Catalog(balance_resources=True, auto_reload=False)
    catalog.add_provider(instance)
    return Rows(catalog.query(provider=provider), [])


def _online_class(provider: str) -> tuple[str, str]:
    for module_name, class_name in gpuhunt_default.ONLINE_PROVIDER_MODULES:
        if module_name.rsplit(".", 1)[-1] == provider:
            return module_name, class_name
    raise SourceError(f"gpuhunt {gpuhunt_version()} has no online provider {provider!r}")


def gpuhunt_version() -> str:
    from importlib.metadata import version

    return version("gpuhunt")


def is_online(provider: str) -> bool:
    return provider in gpuhunt_catalog.ONLINE_PROVIDERS
