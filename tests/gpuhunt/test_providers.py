"""Our provider lists, defaults and credential table agree with the installed gpuhunt."""

from __future__ import annotations

import inspect
import re

import gpuhunt._internal.catalog as catalog
import gpuhunt._internal.default as default

from gpuport_gpuhunt.providers import (
    CREDENTIAL_ENV,
    DEFAULT_PROVIDERS,
    OFFLINE_PROVIDERS,
    ONLINE_PROVIDERS,
)


def test_provider_lists_are_gpuhunts() -> None:
    assert list(OFFLINE_PROVIDERS) == catalog.OFFLINE_PROVIDERS
    assert list(ONLINE_PROVIDERS) == catalog.ONLINE_PROVIDERS
    assert [m.rsplit(".", 1)[-1] for m, _ in default.ONLINE_PROVIDER_MODULES] == list(
        ONLINE_PROVIDERS
    )


def test_default_is_every_offline_provider_but_runpod() -> None:
    assert set(DEFAULT_PROVIDERS) == set(OFFLINE_PROVIDERS) - {"runpod"}


def test_every_credential_gpuhunt_reads_is_masked() -> None:
    import importlib

    read: dict[str, set[str]] = {}
    for module_name, _class in default.ONLINE_PROVIDER_MODULES:
        source = inspect.getsource(importlib.import_module(module_name))
        names = set(re.findall(r'get_creds_env\("([A-Z0-9_]+)"\)', source))
        names |= {n for n in re.findall(r'os\.getenv\("([A-Z0-9_]+)"', source) if "KEY" in n}
        if names:
            read[module_name.rsplit(".", 1)[-1]] = names
    assert {p: set(v) for p, v in CREDENTIAL_ENV.items()} == read
