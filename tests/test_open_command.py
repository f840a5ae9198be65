"""The README's open commands: `python3 suite.py lab` (JupyterLab on the start notebook, with the Chinese
web font and the Notebook interface on the same server) and `jupyter notebook` (the classic-style
interface: a chapter opens and runs)."""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(
    Path(sys.prefix).resolve() != (ROOT / ".venv").resolve(),
    reason="runs only inside the environment that `python3 suite.py` manages (.venv)",
)
def test_open_command_serves_the_start_notebook(tmp_path):
    port, token = _free_port(), "crmlib-test-token"
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "suite.py"),
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.runtime_dir={tmp_path}",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config")},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(
                    f"{base}/api/contents/notebooks/00_start_here.ipynb?token={token}", timeout=5
                ) as r:
                    assert r.status == 200 and b"Customer relationship management" in r.read()
                    break
            except OSError:
                assert proc.poll() is None, (tmp_path / "lab.log").read_text()
                assert time.monotonic() < deadline, "JupyterLab did not start within 120 s"
                time.sleep(1)
        with urllib.request.urlopen(f"{base}/lab/tree/notebooks/00_start_here.ipynb?token={token}", timeout=10) as r:
            assert r.status == 200 and b"JupyterLab" in r.read()
        with urllib.request.urlopen(f"{base}/custom/custom.css?token={token}", timeout=10) as r:
            css = r.read().decode("utf-8")  # the Chinese web font, served by the same server
            assert "@font-face" in css and "Noto Sans CJK SC" in css
        font = re.search(r'url\("([^"]+)"\)', css).group(1)
        with urllib.request.urlopen(f"{base}/custom/{font}?token={token}", timeout=30) as r:
            assert r.status == 200 and len(r.read()) > 1_000_000
        if importlib.util.find_spec("notebook") is not None:  # the classic-style interface on the same server
            with urllib.request.urlopen(
                f"{base}/notebooks/notebooks/00_start_here.ipynb?token={token}", timeout=10
            ) as r:
                assert r.status == 200 and b"Jupyter Notebook" in r.read()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(f"{base}/?token={token}", timeout=10)
            pytest.fail("/ must redirect to the start notebook")
        except urllib.error.HTTPError as err:  # the 302 itself
            assert err.code in (301, 302, 303, 307), err.code
            assert err.headers["Location"].split("?")[0].endswith("/lab/tree/notebooks/00_start_here.ipynb"), (
                f"/ redirects to {err.headers['Location']}, not the start notebook"
            )
        text = (tmp_path / "lab.log").read_text()
        printed = [ln for ln in text.splitlines() if f"127.0.0.1:{port}/" in ln]
        assert any("/lab/tree/notebooks/00_start_here.ipynb" in ln for ln in printed), (
            "the printed URL must open the start notebook:\n" + "\n".join(printed)
        )
        assert "[suite] installing" not in text, "the second run must reuse the environment"
        if os.geteuid() == 0:
            assert "--allow-root" in text
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


# ----------------------------------------------------------------------------- classic Notebook interface


def _execute(base: str, token: str, kernel_id: str, code: str, timeout: float = 120) -> dict:
    """Run ``code`` on a kernel of the server through its websocket; return stdout text, error and status."""
    import asyncio
    import json
    import uuid

    from tornado.websocket import websocket_connect

    async def run():
        ws = await websocket_connect(f"{base.replace('http', 'ws')}/api/kernels/{kernel_id}/channels?token={token}")
        msg_id, session = uuid.uuid4().hex, uuid.uuid4().hex
        ws.write_message(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "execute_request",
                        "username": "test",
                        "session": session,
                        "date": "",
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "buffers": [],
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": True,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                }
            )
        )
        out = {"stdout": "", "error": None, "status": None}
        # The reply comes on the shell channel and the printed text on iopub; they are not ordered with
        # respect to each other, so wait for both the reply and iopub's "idle" for this request (as
        # jupyter_client does) before reading stdout.
        idle = False
        while out["status"] is None or not idle:
            msg = json.loads(await asyncio.wait_for(ws.read_message(), timeout))
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream" and msg["content"]["name"] == "stdout":
                out["stdout"] += msg["content"]["text"]
            elif kind == "error":
                out["error"] = f"{msg['content']['ename']}: {msg['content']['evalue']}"
            elif kind == "execute_reply":
                out["status"] = msg["content"]["status"]
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        ws.close()
        return out

    # In its own thread: an earlier test on this worker (Playwright, nbval) may have left an event loop
    # running in the main thread, where asyncio.run() refuses to start.
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


@pytest.mark.skipif(
    importlib.util.find_spec("notebook") is None,
    reason="the classic Notebook interface (notebook 7) comes with the suite's notebooks extra",
)
def test_classic_notebook_interface_opens_and_runs_a_chapter(tmp_path):
    """README: `jupyter notebook` serves the suite; a chapter opens and its set-up cell runs on a kernel."""
    import json

    port, token = _free_port(), "crmlib-notebook-token"
    chapter = sorted(p for p in (ROOT / "notebooks").glob("0[1-9]_*.ipynb"))[0]
    cmd = [
        sys.executable,
        "-m",
        "notebook",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT}",
        f"--ServerApp.runtime_dir={tmp_path}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(tmp_path / "notebook.log", "w")
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config")},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                assert proc.poll() is None, (tmp_path / "notebook.log").read_text()
                assert time.monotonic() < deadline, "jupyter notebook did not start within 120 s"
                time.sleep(1)
        rel = chapter.relative_to(ROOT).as_posix()
        with urllib.request.urlopen(f"{base}/notebooks/{rel}?token={token}", timeout=30) as r:
            page = r.read().decode("utf-8")
            assert r.status == 200 and "notebook" in page.lower(), "the Notebook page of the chapter does not open"
        with urllib.request.urlopen(f"{base}/api/contents/{rel}?token={token}", timeout=30) as r:
            model = json.load(r)
        committed = json.loads(chapter.read_text(encoding="utf-8"))
        assert model["type"] == "notebook" and len(model["content"]["cells"]) == len(committed["cells"])
        req = urllib.request.Request(
            f"{base}/api/kernels?token={token}",
            method="POST",
            data=json.dumps({"name": "python3", "path": "notebooks"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=60) as r:
            kernel = json.load(r)
        setup = next("".join(c["source"]) for c in committed["cells"] if c["cell_type"] == "code")
        ran = _execute(base, token, kernel["id"], setup)
        assert ran["status"] == "ok", f"the chapter's first code cell failed: {ran['error']}"
        ran = _execute(
            base, token, kernel["id"], "import os, crmlib; print(os.path.basename(os.getcwd()), crmlib.__name__)"
        )
        assert ran["status"] == "ok" and ran["stdout"].split() == ["notebooks", "crmlib"], ran
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
