"""Fixtures for browser journeys: a real `theodoi serve` process and the system Chromium.

The server runs on its own SQLite database, loaded by `theodoi demo` in a temporary folder, not
on Django's test database: a browser test sees what a person would see after `make run`.

Browser tests must not touch the ORM. Playwright's sync API keeps an asyncio loop marked as
running in this thread while it is started, and Django then refuses database access
(SynchronousOnlyOperation). That is why `browser` is module-scoped: its loop stops when the
module ends, before any later module's database tests run.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from theodoi.domain.text import fold

REPO_DIR = Path(__file__).resolve().parents[2]
SCREENSHOTS_DIR = REPO_DIR / "test-artifacts" / "screenshots"
SERVER_START_TIMEOUT = 60  # seconds
DEMO_TIMEOUT = 600  # seconds; loading the dataset takes far less, a hang must still end

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}


@dataclass(frozen=True)
class DemoServer:
    """A running `theodoi serve` process holding the Cát Hải demo data."""

    base_url: str
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict, repr=False)

    def theodoi(self, *args: str) -> str:
        """Run a ``theodoi`` command on the server's data; its output."""
        done = subprocess.run(
            [str(_theodoi_command()), *args],
            env=self.env,
            cwd=self.data_dir,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout


def _theodoi_command() -> Path:
    # The console script installed next to the interpreter running the tests (the venv's).
    command = Path(sys.executable).with_name("theodoi")
    if not command.exists():
        pytest.fail(f"Không tìm thấy lệnh theodoi tại {command}. Hãy chạy: make setup")
    return command


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    """Whether an HTTP server answers at url, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """`theodoi demo` into a fresh data folder, then `theodoi serve` on a free local port."""
    with running_demo(tmp_path_factory.mktemp("theodoi-server")) as server:
        yield server


@contextlib.contextmanager
def running_demo(data_dir: Path, extra_env: dict[str, str] | None = None) -> Iterator[DemoServer]:
    """The demo server in ``data_dir``, with ``extra_env`` (an SMTP server, say) set."""
    theodoi = _theodoi_command()
    env = {
        **os.environ,
        "THEODOI_DATA_DIR": str(data_dir),
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    # Always the embedded SQLite database, also when the suite itself runs on PostgreSQL.
    env.pop("THEODOI_DATABASE_URL", None)

    demo = subprocess.run(
        [theodoi, "demo"],
        env=env,
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=DEMO_TIMEOUT,
    )
    if demo.returncode != 0:
        pytest.fail(
            f"`theodoi demo` thất bại (mã {demo.returncode}).\n"
            f"--- stdout ---\n{demo.stdout}\n--- stderr ---\n{demo.stderr}",
            pytrace=False,
        )

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    # Output goes to files, not pipes: a chatty server must never block on a full pipe.
    stdout_path = data_dir / "serve.stdout.log"
    stderr_path = data_dir / "serve.stderr.log"
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        server = subprocess.Popen(
            [theodoi, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=data_dir,
            stdout=stdout,
            stderr=stderr,
        )

    def server_output() -> str:
        return (
            f"--- stdout ---\n{stdout_path.read_text(errors='replace')}\n"
            f"--- stderr ---\n{stderr_path.read_text(errors='replace')}"
        )

    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _answers(base_url + "/"):
            if server.poll() is not None:
                pytest.fail(
                    f"`theodoi serve` dừng ngay khi khởi động (mã {server.returncode}).\n"
                    + server_output(),
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"`theodoi serve` không trả lời tại {base_url}/ sau "
                    f"{SERVER_START_TIMEOUT} giây.\n" + server_output(),
                    pytrace=False,
                )
            time.sleep(0.25)

        yield DemoServer(base_url=base_url, data_dir=data_dir, env=env)

        if server.poll() is not None:
            # It died while the tests ran: their failures are explained by this.
            print(
                f"`theodoi serve` đã dừng giữa chừng (mã {server.returncode}).\n" + server_output(),
                file=sys.stderr,
            )
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium (installed by `make setup`), or THEODOI_CHROMIUM."""
    configured = os.environ.get("THEODOI_CHROMIUM")
    if configured:
        found = shutil.which(configured)
        if not found:
            pytest.fail(
                f"THEODOI_CHROMIUM={configured} không phải tệp chạy được Chromium.",
                pytrace=False,
            )
        return found
    for candidate in ("chromium", "chromium-browser", "/usr/bin/chromium"):
        found = shutil.which(candidate)
        if found:
            return found
    pytest.fail(
        "Không tìm thấy Chromium để chạy kiểm thử trên trình duyệt. Hãy chạy `make setup` "
        "(cài gói chromium của Debian), hoặc đặt THEODOI_CHROMIUM là đường dẫn tới Chromium.",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Browser]:
    """A headless Chromium driven by Playwright, for the tests of one module."""
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh browser context: `new_page()` or `new_page("phone")`."""
    contexts: list[BrowserContext] = []

    def open_page(viewport: str = "desktop") -> Page:
        if viewport not in VIEWPORTS:
            raise ValueError(f"unknown viewport {viewport!r}; one of {sorted(VIEWPORTS)}")
        context = browser.new_context(
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            accept_downloads=True,
            **VIEWPORTS[viewport],
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


# Screenshots of one test module are numbered in the order they were taken, across its tests,
# so that a journey reads in order and two tests never overwrite each other's pictures.
_screenshot_counts: dict[Path, int] = {}


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """`screenshot(page, "dashboard")` saves a full-page PNG under test-artifacts/screenshots/
    <test module>/NN-dashboard.png and returns its path."""
    folder = SCREENSHOTS_DIR / request.path.stem

    def take(page: Page, name: str) -> Path:
        if folder not in _screenshot_counts:
            # First picture of this module in this run: drop the previous run's pictures.
            if folder.exists():
                for old in folder.glob("*.png"):
                    old.unlink()
            folder.mkdir(parents=True, exist_ok=True)
            _screenshot_counts[folder] = 0
        _screenshot_counts[folder] += 1
        # "Đăng nhập" -> "dang-nhap": file names that every tool and archive handles.
        safe_name = re.sub(r"[^a-z0-9_.-]+", "-", fold(name)).strip("-") or "page"
        path = folder / f"{_screenshot_counts[folder]:02d}-{safe_name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
