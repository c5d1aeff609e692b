"""The TLS context for the https output: trust store, verification, client certificate.

httpx only consults ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` when it builds the context itself
(and 0.28.0 not at all), but a client certificate needs a context we build; so this
module applies the same rule in every httpx version: an explicit ``ca_bundle`` wins, then
``SSL_CERT_FILE``, then ``SSL_CERT_DIR``, then certifi's bundle (httpx's default).
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping

import attrs


class TLSSetupError(Exception):
    """A CA bundle or client certificate cannot be loaded; the message names the file."""


@attrs.frozen
class TLSSettings:
    """What the TLS context is built from; also stored in dead-letter files for replay."""

    verify_ssl: bool = True
    ca_bundle: str | None = None
    client_cert: str | None = None
    client_key: str | None = None

    def absolute(self) -> TLSSettings:
        """The same settings with file paths made absolute (for files read later)."""

        def absolute(path: str | None) -> str | None:
            return os.path.abspath(path) if path else None

        return TLSSettings(
            verify_ssl=self.verify_ssl,
            ca_bundle=absolute(self.ca_bundle),
            client_cert=absolute(self.client_cert),
            client_key=absolute(self.client_key),
        )


def build_ssl_context(
    settings: TLSSettings, environ: Mapping[str, str] | None = None
) -> ssl.SSLContext:
    """An SSL context for ``settings``; raise :class:`TLSSetupError` naming a bad file."""
    environ = os.environ if environ is None else environ
    if not settings.verify_ssl:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        context = _verifying_context(settings.ca_bundle, environ)
    if settings.client_cert:
        try:
            context.load_cert_chain(settings.client_cert, settings.client_key)
        except (OSError, ssl.SSLError) as error:
            files = settings.client_cert + (
                f" / {settings.client_key}" if settings.client_key else ""
            )
            raise TLSSetupError(f"cannot load client_cert {files}: {_reason(error)}") from error
    return context


def _verifying_context(ca_bundle: str | None, environ: Mapping[str, str]) -> ssl.SSLContext:
    if ca_bundle:
        return _load_trust(ca_bundle, "ca_bundle")
    if environ.get("SSL_CERT_FILE"):
        return _load_trust(environ["SSL_CERT_FILE"], "SSL_CERT_FILE")
    if environ.get("SSL_CERT_DIR"):
        return _load_trust(environ["SSL_CERT_DIR"], "SSL_CERT_DIR")
    import certifi  # httpx's own dependency and default trust store

    return ssl.create_default_context(cafile=certifi.where())


def _load_trust(path: str, where: str) -> ssl.SSLContext:
    try:
        if os.path.isdir(path):
            return ssl.create_default_context(capath=path)
        return ssl.create_default_context(cafile=path)
    except (OSError, ssl.SSLError) as error:
        raise TLSSetupError(f"cannot load {where} {path}: {_reason(error)}") from error


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
