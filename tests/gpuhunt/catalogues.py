"""gpuhunt catalogues the tests generate, written by gpuhunt's own ``storage.dump``.

``write_dir`` lays out ``{dir}/{provider}.csv`` (what ``GPUHUNT_CATALOG_DIR`` reads);
``publish`` lays out ``{root}/{provider}/version`` and ``{root}/{provider}/{version}/catalog.zip``
(what gpuhunt downloads from ``GPUHUNT_CATALOG_URL``). :class:`CatalogueServer` serves such a
root on loopback and can be told to fail or stall for chosen paths.
"""

from __future__ import annotations

import http.server
import io
import threading
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gpuhunt import AcceleratorVendor, CatalogItem
from gpuhunt._internal import storage

VERSION = "20261201-1200"


def item(**overrides: Any) -> CatalogItem:
    """One on-demand 8x H100 row in us-east-1; pass any CatalogItem field to change it."""
    values: dict[str, Any] = {
        "provider": "aws",
        "instance_name": "p5.48xlarge",
        "location": "us-east-1",
        "price": 98.32,
        "cpu": 192,
        "memory": 2048.0,
        "gpu_count": 8,
        "gpu_name": "H100",
        "gpu_memory": 80.0,
        "spot": False,
        "disk_size": 30720.0,
        "gpu_vendor": AcceleratorVendor.NVIDIA,
        "flags": [],
        "provider_data": {},
    }
    values.update(overrides)
    if not values["gpu_count"] and "gpu_vendor" not in overrides:
        values["gpu_vendor"] = None
    return CatalogItem(**values)


def csv_text(items: Iterable[CatalogItem], tmp: Path) -> str:
    path = tmp / "dump.csv"
    storage.dump(list(items), str(path))
    return path.read_text()


def write_dir(directory: Path, provider: str, items: Iterable[CatalogItem]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{provider}.csv"
    storage.dump(list(items), str(path))
    return path


def publish(
    root: Path, provider: str, items: Iterable[CatalogItem], version: str = VERSION
) -> Path:
    """Publish ``items`` as gpuhunt's bucket holds them; returns the zip's path."""
    scratch = root / ".scratch"
    csv_path = write_dir(scratch, provider, items)
    target = root / provider / version / "catalog.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(csv_path, f"{provider}.csv")
    target.write_bytes(buffer.getvalue())
    (root / provider / "version").write_text(version + "\n")
    return target


class CatalogueServer:
    """A loopback HTTP server for a published root. ``fail[path] = status`` answers that
    status; ``stall[path] = event`` waits for the event before answering (503 when it is not
    set within 5 s)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.fail: dict[str, int] = {}
        self.stall: dict[str, threading.Event] = {}
        self.requests: list[str] = []
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(server.root), **kwargs)

            def do_GET(self) -> None:
                server.requests.append(self.path)
                stalled = server.stall.get(self.path)
                if stalled is not None and not stalled.wait(5):
                    self.send_error(503, "stalled request was never released")
                    return
                if (status := server.fail.get(self.path)) is not None:
                    self.send_error(status)
                    return
                super().do_GET()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @contextmanager
    def running(self) -> Iterator[CatalogueServer]:
        thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            for event in self.stall.values():
                event.set()
            self._httpd.shutdown()
            self._httpd.server_close()
            thread.join()
