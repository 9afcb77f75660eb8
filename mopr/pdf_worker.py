"""The process that renders PDFs, so that a render can be stopped when it takes too long.

WeasyPrint cannot be interrupted from inside Python, so each application process keeps one
helper process (started with "spawn", so it shares no locks or threads with the server) that
renders one HTML document at a time. It is a plain ``python -m mopr.pdf_worker`` child that
reads and writes length-prefixed frames on its stdin and stdout, so it shares no locks or
threads with the server and never re-imports the server's main module. A render that passes
the time limit has its process killed; the next render starts a fresh one. No Django here:
the helper gets the HTML string and the folder it may read, nothing else.
"""

from __future__ import annotations

import mimetypes
import os
import pickle
import select
import subprocess
import sys
import threading
import time
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
    document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=_fetcher_class(root)()).render()
    # PDF/A: the XMP metadata stream is written unfiltered (ISO 19005: "shall not contain a Filter
    # key"); WeasyPrint compresses it with the rest.
    include = document.metadata.include_in_pdf

    def uncompressed(pdf, variant_, version, conformance, compress):
        return include(pdf, variant_, version, conformance, False)

    document.metadata.include_in_pdf = uncompressed
    return document.write_pdf(pdf_variant=variant)


def _write(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "big") + data)
    stream.flush()


def _read(stream):
    size = int.from_bytes(_read_exactly(stream, 8), "big")
    return pickle.loads(_read_exactly(stream, size))


def _read_exactly(stream, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _serve() -> None:
    """The helper process: frames in on stdin, frames out on stdout; logs go to stderr."""
    import logging

    logging.basicConfig(level=logging.ERROR)
    import weasyprint  # noqa: F401 - loaded before "ready", so the time limit covers rendering only

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames may reach the parent's pipe
    _write(stdout, ("ready", None))
    while True:
        try:
            job = _read(stdin)
        except EOFError:
            return
        try:
            _write(stdout, ("ok", render(*job)))
        except Exception as error:  # reported to the caller, who raises it there
            _write(stdout, ("error", f"{type(error).__name__}: {error}"))


class Renderer:
    """One helper process per application process; renders are serialised by a lock.

    Every wait has the render's deadline (issue 16.10): a helper that stops reading (a page
    larger than the pipe's buffer would block the write for ever), one that stops half way
    through its answer, and a render queued behind a frozen one all end in ``RenderTimeout`` at
    the deadline, and the frozen helper is killed; the server's own timeout is never reached."""

    def __init__(self, command: list[str] | None = None) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._command = command or [sys.executable, "-m", "mopr.pdf_worker"]

    def _start(self) -> None:
        root = str(Path(__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
        self._process = subprocess.Popen(
            self._command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=root, bufsize=0
        )
        for stream in (self._process.stdin, self._process.stdout):
            os.set_blocking(stream.fileno(), False)
        try:
            if self._receive(time.monotonic() + STARTUP_TIMEOUT)[0] != "ready":
                raise RenderFailed("the render process did not start")
        except (EOFError, OSError, RenderTimeout):
            self._stop()
            raise RenderFailed("the render process did not start") from None

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=5)
            for stream in (self._process.stdin, self._process.stdout):
                stream.close()
        self._process = None

    def _send(self, obj, deadline: float) -> None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(len(data).to_bytes(8, "big") + data)
        fd = self._process.stdin.fileno()
        while view:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RenderTimeout("the render process stopped reading")
            if not select.select([], [fd], [], left)[1]:
                continue
            try:
                view = view[os.write(fd, view[:65536]) :]
            except BlockingIOError:
                continue

    def _read(self, size: int, deadline: float) -> bytes:
        fd, chunks, left = self._process.stdout.fileno(), [], size
        while left:
            wait = deadline - time.monotonic()
            if wait <= 0:
                raise RenderTimeout("the render process stopped answering")
            if not select.select([fd], [], [], wait)[0]:
                continue
            try:
                chunk = os.read(fd, min(left, 1 << 20))
            except BlockingIOError:
                continue
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _receive(self, deadline: float):
        size = int.from_bytes(self._read(8, deadline), "big")
        return pickle.loads(self._read(size, deadline))

    def render(self, html: str, *, static_dir: str, variant: str, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        # A render queued behind a frozen one waits no longer than its own time limit.
        if not self._lock.acquire(timeout=timeout):
            raise RenderTimeout(f"another render took longer than {timeout} s")
        try:
            if self._process is None or self._process.poll() is not None:
                self._start()
            try:
                self._send((html, static_dir, variant), deadline)
                status, payload = self._receive(deadline)
            except RenderTimeout:
                self._stop()
                raise
            except (EOFError, OSError):
                self._stop()
                raise RenderFailed("the render process ended unexpectedly") from None
            if status != "ok":
                raise RenderFailed(payload)
            return payload
        finally:
            self._lock.release()


renderer = Renderer()

if __name__ == "__main__":
    _serve()
