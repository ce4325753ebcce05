"""A real JupyterLab with the explorer open in headless Chromium, for the browser test and benchmark.

``lab(folder, code)`` writes a one-cell notebook, starts JupyterLab on a free loopback port with a
fresh workspace and starts the notebook's kernel through the REST API (so no "Select Kernel" dialog
can get in the way; the server reports the kernel idle only once a page connects);
``open_explorer(page, url)`` waits for the connected, idle kernel, runs the cell and waits for the
picture. Needs Playwright and a Chromium executable (never downloaded).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOKEN = "explorer-test"
EXPLORER = ".jp-OutputArea-output:has(.sl-explorer-view)"


def chromium() -> str | None:
    """The Chromium executable on this machine, or ``None``."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(port: int, path: str, body: dict | None = None, timeout: float = 5.0):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method="POST" if body else "GET",
        data=json.dumps(body).encode() if body else None,
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


@contextlib.contextmanager
def lab(folder: Path, code: str, name: str = "explorer.ipynb"):
    """JupyterLab on ``folder`` with a notebook holding ``code`` and a started kernel; yields its URL."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, folder / name)
    port = free_port()
    root = ["--allow-root"] if os.getuid() == 0 else []
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            f"--notebook-dir={folder}",
            "--ServerApp.ip=127.0.0.1",
            *root,
            "--no-browser",
            f"--ServerApp.token={TOKEN}",
            f"--ServerApp.port={port}",
            # a fresh workspace and settings, so a layout saved by earlier sessions cannot get in the way
            f"--LabApp.workspaces_dir={folder / 'workspaces'}",
            f"--LabApp.user_settings_dir={folder / 'settings'}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(lambda: _api(port, "/api/status"), 60, "JupyterLab did not start")
        session = _api(
            port,
            "/api/sessions",
            {"path": name, "name": name, "type": "notebook", "kernel": {"name": "python3"}},
            timeout=60,
        )
        assert session["kernel"]["id"]  # the page attaches to it: no "Select Kernel" dialog
        yield f"http://127.0.0.1:{port}/lab/tree/{name}?token={TOKEN}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait(probe, seconds: float, what: str):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if probe():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(what)


def _accept_dialog(page) -> None:
    """Accept a JupyterLab dialog that covers the notebook, and print what it said.

    On a loaded machine JupyterLab can still open one (a kernel dialog, once seen on Python 3.12)
    although the kernel was started beforehand; its default button keeps the notebook's kernel.
    """
    dialog = page.locator(".jp-Dialog").first
    if page.locator(".jp-Dialog").count() and dialog.is_visible():
        print(f"explorer_lab: accepting a JupyterLab dialog: {dialog.inner_text()[:200]!r}")
        dialog.locator(".jp-mod-accept").first.click(timeout=10_000)
        dialog.wait_for(state="detached", timeout=10_000)


def open_explorer(page, url: str, timeout_ms: int = 120_000):
    """Open the notebook, run its cell, wait until the explorer's picture and read-outs are there."""
    page.goto(url)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout_ms)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout_ms)
    image = page.locator(f"{EXPLORER} img.sl-explorer-view").first
    for _ in range(3):  # a click that lands while JupyterLab is still settling does nothing: retry
        try:
            _accept_dialog(page)
            page.locator(".jp-Notebook .jp-Cell").first.click(timeout=20_000)
            page.keyboard.press("Escape")
            page.keyboard.press("Control+Enter")  # run the cell and stay on it (no new cell below)
            image.wait_for(timeout=60_000)  # a loaded 2-core machine can take this long
            break
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError; try again
            continue
    image.wait_for(timeout=1000)
    page.wait_for_function("el => el.src && el.alt", arg=image.element_handle(), timeout=30_000)
    return page.locator(EXPLORER).first, image
