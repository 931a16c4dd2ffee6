"""How long a running `iamlint server` takes to re-lint an edited 300-line template.

    python bench/lsp_relint.py [--runs N]

Opens a generated 300-line CloudFormation template in the real server (over stdio, as an editor
does), then saves it N times after each of two kinds of edit (a line changed; lines added near the
top, which moves everything below), and reports the median time the server spends re-linting (it
reports it itself when IAMLINT_SERVER_TIMING=1) and the median round trip from the save
notification to the diagnostics arriving at this client (the debounce only applies to unsaved
changes). Budget: 10 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from lsp_client import Client


def template(lines: int = 300) -> str:
    head = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'
    role = """  Role{n}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}
      Policies:
        - PolicyName: p{n}
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {{Effect: Allow, Action: ["s3:GetObject", "sqs:*"], Resource: "*"}}
"""
    text, n = head, 0
    while text.count("\n") + role.count("\n") <= lines:
        text += role.format(n=n)
        n += 1
    return text


def edits(text: str, runs: int) -> dict[str, list[str]]:
    """Successive versions of the template, for two kinds of edit: a change within one line (the
    other lines stay where they are), and lines added or removed near the top (every resource
    below moves)."""
    lines = text.split("\n")
    return {
        "a line changed": [text.replace("p0\n", f"p{version}\n") for version in range(2, runs + 2)],
        "lines added near the top": ["\n".join(lines[:8] + [f"      # note {version}"] * (version % 3 + 1) + lines[8:])
                                     for version in range(runs)],
    }


def measure(client: Client, uri: str, versions: list[str], first_version: int) -> tuple[list[float], list[float], int]:
    """Round trip and the server's own time of a save after each version, and the diagnostics."""
    times, server_times, found = [], [], []
    for version, edited in enumerate(versions, first_version):
        client.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": edited}]})
        start = time.perf_counter()
        client.send("textDocument/didSave", {"textDocument": {"uri": uri}})
        log = client.wait_for(lambda m: m.get("method") == "window/logMessage"
                              and m["params"]["message"].startswith("iamlint: linted"))
        found = client.diagnostics(uri)
        times.append(time.perf_counter() - start)
        server_times.append(float(log["params"]["message"].rsplit(" in ", 1)[1].split()[0]) / 1000)
    return times, server_times, len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["IAMLINT_SERVER_TIMING"] = "1"  # the server also reports its own lint time
        client = Client(Path(folder))
        ident = client.send("initialize", {"processId": None, "rootUri": Path(folder).as_uri(), "capabilities": {}},
                            request=True)
        client.wait_for(lambda m: m.get("id") == ident)
        client.send("initialized", {})
        uri = (Path(folder) / "template.yaml").as_uri()
        text = template()
        client.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                              "text": text}})
        client.diagnostics(uri)
        print(f"re-lint of a {text.count(chr(10))}-line template in a running server, {args.runs} saves each:")
        version = 2
        for name, versions in edits(text, args.runs).items():
            times, server_times, found = measure(client, uri, versions, version)
            version += len(versions)
            print(f"  {name} ({found} diagnostics): in the server median {statistics.median(server_times) * 1000:.1f}"
                  f" ms (best {min(server_times) * 1000:.1f}); round trip to the client median "
                  f"{statistics.median(times) * 1000:.1f} ms (best {min(times) * 1000:.1f})")
        client.close()


if __name__ == "__main__":
    main()
