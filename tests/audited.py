"""Run iamlint's command line under an audit hook (PEP 578) that records what it opens, writes,
runs and connects to: `python tests/audited.py LOG -- ARGS...`. The record goes to LOG as JSON
when iamlint exits. Used by tests/test_security.py."""

from __future__ import annotations

import json
import os
import sys

WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
events: list = []
recording = True


def hook(event: str, args) -> None:
    if not recording:
        return
    if event == "open":
        path, mode, flags = args
        if isinstance(path, int) or path is None:
            return
        writes = (mode is not None and any(c in mode for c in "wax+")) or bool((flags or 0) & WRITING)
        events.append(["write" if writes else "read", os.path.abspath(os.fsdecode(path))])
    elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "pty.spawn"):
        events.append([event, repr(args)[:300]])
    elif event.startswith("socket.") or event in ("urllib.Request", "http.client.connect", "ftplib.connect"):
        events.append([event, repr(args)[:300]])


def main() -> int:
    global recording
    log, separator, *argv = sys.argv[1:]
    assert separator == "--"
    sys.addaudithook(hook)
    from iamlint.cli import main as iamlint_main

    try:
        code = iamlint_main(argv)
    finally:
        recording = False
        with open(log, "w", encoding="utf-8") as handle:
            json.dump(events, handle)
    return code


if __name__ == "__main__":
    sys.exit(main())
