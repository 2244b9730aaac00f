"""A headless Chromium driven over the DevTools protocol, for the browser tests of the reports.

The protocol runs over a pipe (`--remote-debugging-pipe`: the browser reads commands on fd 3
and writes replies on fd 4, each a JSON text ending in NUL), so no port is opened and no
websocket library is needed. Every `Network.requestWillBeSent` event is kept, so a test can
prove that a page asked for nothing outside the file system.

What belongs here: starting and stopping the browser, opening a page, evaluating JavaScript,
screenshots. What does not: what the reports must show (the test modules).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The flags the project runs Chromium with, headless and with no background traffic.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
)
TIMEOUT_S = 60.0


def chromium_executable() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    return None


class DevToolsError(RuntimeError):
    pass


@dataclass
class Page:
    """One opened tab: its session, the requests it made, and its console errors."""

    browser: Chromium
    session_id: str
    requests: list[str] = field(default_factory=list)

    def evaluate(self, expression: str) -> Any:
        reply = self.browser.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            self.session_id,
        )
        if "exceptionDetails" in reply:
            raise DevToolsError(f"{expression!r} failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def screenshot(self, path: Path, width: int = 1400) -> Path:
        """The whole page, `width` CSS pixels wide, as PNG."""
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        self.browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            self.session_id,
        )
        reply = self.browser.send(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True},
            self.session_id,
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(reply["data"]))
        return path


def _high_fd(fd: int) -> int:
    """A copy of `fd` numbered 10 or above, so moving it onto 3 or 4 cannot clobber the other."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return high


class Chromium:
    """`with Chromium() as browser: page = browser.open(path)`."""

    def __init__(self, executable: str, window: tuple[int, int] = (1400, 900)) -> None:
        self.executable = executable
        self.window = window
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict] = []

    def __enter__(self) -> Chromium:
        self._profile = tempfile.TemporaryDirectory(prefix="bma-chromium-")
        to_browser_r, to_browser_w = (_high_fd(fd) for fd in os.pipe())
        from_browser_r, from_browser_w = (_high_fd(fd) for fd in os.pipe())

        def wire_pipes() -> None:  # runs in the child, before exec
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self._log = open(Path(self._profile.name) / "chromium.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                self.executable,
                *CHROMIUM_FLAGS,
                "--remote-debugging-pipe",
                f"--user-data-dir={self._profile.name}",
                f"--window-size={self.window[0]},{self.window[1]}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
            preexec_fn=wire_pipes,  # noqa: PLW1509 - single-threaded test process
            close_fds=False,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._write, self._read = to_browser_w, from_browser_r
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.send("Browser.close")
        except (DevToolsError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._write)
        os.close(self._read)
        self._log.close()
        self._profile.cleanup()

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

    def send(self, method: str, params: dict | None = None, session_id: str | None = None) -> dict:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session_id:
            message["sessionId"] = session_id
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise DevToolsError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def wait_for(self, method: str, session_id: str) -> dict:
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == session_id:
                    return self._events.pop(i)
            self._events.append(self._receive(deadline))

    # -- pages --------------------------------------------------------------------------------

    def open(self, path: Path) -> Page:
        """Open a local file in a new tab and wait until it has loaded and plotly has drawn."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Network", "Page", "Runtime"):
            self.send(f"{domain}.enable", {}, session)
        self.send("Page.navigate", {"url": Path(path).resolve().as_uri()}, session)
        self.wait_for("Page.loadEventFired", session)
        page = Page(self, session)
        # Charts draw asynchronously after load; give them a frame or two.
        page.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 300)))")
        page.requests = [
            e["params"]["request"]["url"]
            for e in self._events
            if e.get("method") == "Network.requestWillBeSent" and e.get("sessionId") == session
        ]
        return page
