"""A headless Chromium driven over the DevTools protocol, for the tests that look at pages: the
reports opened from files (reports/test_browser.py) and Superset's dashboard (bi/test_superset.py).

The protocol runs over a pipe (`--remote-debugging-pipe`: the browser reads commands on fd 3
and writes replies on fd 4, each a JSON text ending in NUL), so no port is opened and no
websocket library is needed. Every page's `Network.requestWillBeSent` URLs are kept, so a test
can prove that a page asked for nothing outside the file system.

The browser runs in its own process group; leaving the `with` block closes it and then ends
that group, so no renderer or helper process outlives the test.

What belongs here: finding, starting and stopping the browser, opening a page (a file or a
URL), evaluating JavaScript, waiting for a condition, screenshots. What does not: what the
pages must show (the test modules).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# The flags the project runs Chromium with, headless and with no background traffic.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
)
# For containers (a small /dev/shm) and screenshots without scroll bars.
EXTRA_FLAGS = ("--disable-dev-shm-usage", "--hide-scrollbars")
TIMEOUT_S = 60.0


def chromium_executable() -> str | None:
    """$BMA_CHROMIUM if set, else `chromium` or `chromium-browser` on PATH."""
    for candidate in (
        os.getenv("BMA_CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def require_chromium() -> str:
    """The executable; skips the test when there is none, fails under CI=true (CI installs it)."""
    executable = chromium_executable()
    if executable is None:
        reason = "chromium is not installed (make setup installs it: apt-get install chromium)"
        if os.getenv("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI installs it, so this is an error")
        pytest.skip(reason)
    return executable


class DevToolsError(RuntimeError):
    pass


@dataclass
class Page:
    """One opened tab: its session and the URLs it requested."""

    browser: Chromium
    session_id: str
    requests: list[str] = field(default_factory=list)

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.browser.send(method, params, self.session_id)

    def navigate(self, url: str) -> None:
        """Go to `url` and wait for its load event (the page's scripts may still be drawing)."""
        self.browser.drop_events("Page.loadEventFired", self.session_id)
        reply = self.send("Page.navigate", {"url": url})
        if reply.get("errorText"):
            raise DevToolsError(f"{url}: {reply['errorText']}")
        self.browser.wait_for("Page.loadEventFired", self.session_id)

    def evaluate(self, expression: str) -> Any:
        """The value of `expression` (a promise is awaited); a JavaScript error raises."""
        reply = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in reply:
            raise DevToolsError(f"{expression!r} failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def wait_until(
        self,
        expression: str,
        done: Callable[[Any], bool],
        timeout: float = TIMEOUT_S,
        interval: float = 1.0,
    ) -> Any:
        """Evaluate `expression` until `done(value)` or `timeout` seconds; the last value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if done(value) or time.monotonic() > deadline:
                return value
            time.sleep(interval)

    def screenshot(self, path: Path, width: int | None = 1400) -> Path:
        """As PNG: the whole page `width` CSS pixels wide, or with `width=None` the window as it
        is (a page that re-lays itself out on a resize, like Superset's grid, is shot so)."""
        params: dict[str, Any] = {"format": "png"}
        if width is not None:
            height = int(self.evaluate("document.documentElement.scrollHeight"))
            self.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            )
            params["captureBeyondViewport"] = True
        reply = self.send("Page.captureScreenshot", params)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(reply["data"]))
        return path


def _high_fd(fd: int) -> int:
    """A copy of `fd` numbered 10 or above, so moving it onto 3 or 4 cannot clobber the other."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return high


class Chromium:
    """`with Chromium(executable) as browser: page = browser.open(path_or_url)`."""

    def __init__(
        self, executable: str, window: tuple[int, int] = (1400, 900), profile: Path | None = None
    ) -> None:
        self.executable = executable
        self.window = window
        self.profile = profile
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict] = []
        self._pages: dict[str, Page] = {}

    def __enter__(self) -> Chromium:
        self._tmp = tempfile.TemporaryDirectory(prefix="bma-chromium-")
        profile = self.profile or Path(self._tmp.name)
        profile.mkdir(parents=True, exist_ok=True)
        to_browser_r, to_browser_w = (_high_fd(fd) for fd in os.pipe())
        from_browser_r, from_browser_w = (_high_fd(fd) for fd in os.pipe())

        def wire_pipes() -> None:  # runs in the child, before exec
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self._log = open(Path(self._tmp.name) / "chromium.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                self.executable,
                *CHROMIUM_FLAGS,
                *EXTRA_FLAGS,
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                f"--window-size={self.window[0]},{self.window[1]}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
            preexec_fn=wire_pipes,  # noqa: PLW1509 - single-threaded test process
            close_fds=False,
            start_new_session=True,  # its own process group, ended as a whole in __exit__
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._write, self._read = to_browser_w, from_browser_r
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except (DevToolsError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait()
        self._signal_group(signal.SIGKILL)  # helpers the browser left behind, if any
        os.close(self._write)
        os.close(self._read)
        self._log.close()
        self._tmp.cleanup()

    def _signal_group(self, sig: signal.Signals) -> None:
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass

    # -- protocol -----------------------------------------------------------------------------

    def _receive(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._read], [], [], left)[0]:
                raise DevToolsError("Chromium did not answer in time")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise DevToolsError(f"Chromium exited (code {self.process.poll()})")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _keep(self, event: dict) -> None:
        """A request is noted on its page, other network events are dropped (a web app sends
        thousands), the rest wait for `wait_for`."""
        method = event.get("method", "")
        page = self._pages.get(event.get("sessionId", ""))
        if method == "Network.requestWillBeSent" and page is not None:
            page.requests.append(event["params"]["request"]["url"])
        elif not method.startswith("Network."):
            self._events.append(event)

    def send(
        self,
        method: str,
        params: dict | None = None,
        session_id: str | None = None,
        timeout: float = TIMEOUT_S,
    ) -> dict:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session_id:
            message["sessionId"] = session_id
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise DevToolsError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._keep(reply)

    def wait_for(self, method: str, session_id: str) -> dict:
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == session_id:
                    return self._events.pop(i)
            self._keep(self._receive(deadline))

    def drop_events(self, method: str, session_id: str) -> None:
        self._events = [
            e
            for e in self._events
            if not (e.get("method") == method and e.get("sessionId") == session_id)
        ]

    # -- pages --------------------------------------------------------------------------------

    def open(self, location: Path | str) -> Page:
        """A new tab, the size of the window, at a local file or a URL, once it has loaded and
        its charts have had a frame or two to draw."""
        url = location if isinstance(location, str) else Path(location).resolve().as_uri()
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = self._pages[session] = Page(self, session)
        for domain in ("Network", "Page", "Runtime"):
            page.send(f"{domain}.enable")
        width, height = self.window  # a new tab's viewport is not the window's: set it
        page.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        page.navigate(url)
        page.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 300)))")
        return page
