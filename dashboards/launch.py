"""Start the Streamlit server for `wirehouse dashboard`: local, headless and offline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flows.errors import EXIT_OK, UserError
from flows.settings import REPO_ROOT, Settings

APP = Path(__file__).with_name("app.py")


def streamlit_command(port: int, address: str = "127.0.0.1") -> list[str]:
    """No browser is opened, nothing is sent home, and only this machine can connect."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless=true",
        f"--server.address={address}",
        f"--server.port={port}",
        "--server.fileWatcherType=none",
        "--server.runOnSave=false",
        "--browser.gatherUsageStats=false",
        "--client.toolbarMode=minimal",
        "--global.developmentMode=false",
        "--theme.base=light",
    ]


def serve_dashboard(settings: Settings, port: int) -> int:
    """Run the dashboard until interrupted; it reads WIREHOUSE_HOME's published snapshot."""
    if not 0 < port < 65536:
        raise UserError(f"not a port number: {port}")
    env = dict(os.environ, WIREHOUSE_HOME=str(settings.home))
    # The app imports `dashboards` and `flows` from the checkout whatever the working folder.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    print(f"wirehouse: dashboard for {settings.published_db} on http://127.0.0.1:{port}/")
    try:
        return subprocess.call(streamlit_command(port), env=env, cwd=REPO_ROOT) or EXIT_OK
    except KeyboardInterrupt:
        return EXIT_OK
