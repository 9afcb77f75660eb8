"""The process that renders PDFs, so that a render can be stopped when it takes too long.

WeasyPrint cannot be interrupted from inside Python, so each application process keeps one
helper process (started with "spawn", so it shares no locks or threads with the server) that
renders one HTML document at a time. A render that passes the time limit has its process
killed; the next render starts a fresh one. No Django here: the helper gets the HTML string
and the folder it may read, nothing else.
"""

from __future__ import annotations

import mimetypes
import multiprocessing
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

STARTUP_TIMEOUT = 60  # seconds for the helper process to import WeasyPrint


class RenderTimeout(Exception):
    """The render passed its time limit and was stopped."""


class RenderFailed(Exception):
    """WeasyPrint raised an error while rendering."""


def _fetcher_class(static_dir: Path):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves file:// URLs inside static/ and nothing else (no network, no other files)."""

        def fetch(self, url, headers=None):
            if not url.startswith("file://"):
                raise ValueError(f"refused: {url[:100]}")
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not path.is_relative_to(static_dir) or not path.is_file():
                raise ValueError(f"refused: {path}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    return StaticOnlyFetcher


def render(html: str, static_dir: str, variant: str) -> bytes:
    """Render in this process (used by the helper process and by the benchmark's reference)."""
    from weasyprint import HTML

    root = Path(static_dir).resolve()
    document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=_fetcher_class(root)())
    return document.write_pdf(pdf_variant=variant)


def _serve(connection) -> None:
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    import weasyprint  # noqa: F401 - loaded before "ready", so the time limit covers rendering only

    connection.send(("ready", None))
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        try:
            connection.send(("ok", render(*job)))
        except Exception as error:  # reported to the caller, who raises it there
            connection.send(("error", f"{type(error).__name__}: {error}"))


class Renderer:
    """One helper process per application process; renders are serialised by a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process = None
        self._connection = None

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), daemon=True, name="mopr-pdf")
        self._process.start()
        child.close()
        self._connection = parent
        if not parent.poll(STARTUP_TIMEOUT) or parent.recv()[0] != "ready":
            self._stop()
            raise RenderFailed("the render process did not start")

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(timeout=5)
        self._process = self._connection = None

    def render(self, html: str, *, static_dir: str, variant: str, timeout: float) -> bytes:
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._start()
            self._connection.send((html, static_dir, variant))
            if not self._connection.poll(timeout):
                self._stop()
                raise RenderTimeout(f"render took longer than {timeout} s")
            try:
                status, payload = self._connection.recv()
            except EOFError:
                self._stop()
                raise RenderFailed("the render process ended unexpectedly") from None
            if status != "ok":
                raise RenderFailed(payload)
            return payload


renderer = Renderer()
