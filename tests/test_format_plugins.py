"""Output formats: one registry, iamlint's four and those plugins declare through entry points.
The example of docs/plugins.md is installed for real and run through the real command line;
a format that is not there is a usage error; a built-in format costs no entry-point reading."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import REPO, run_main
from iamlint.reporters import BUILTIN_REPORTERS, find_reporter

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}\n'


def _documented_format() -> tuple[dict[str, str], str, str]:
    """The example of docs/plugins.md's "Output formats from a plugin": (its entry points, its
    module's name, the module's source)."""
    page = (REPO / "docs" / "plugins.md").read_text(encoding="utf-8")
    section = page.split("\n## Output formats from a plugin\n", 1)[1].split("\n## ", 1)[0]
    toml_text = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    python_text = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    entry_points = tomllib.loads(toml_text)["project"]["entry-points"]["iamlint.reporters"]
    module = re.match(r"# (\w+)\.py\n", python_text).group(1)
    return entry_points, module, python_text


def _install(site: Path, name: str, entry_points: dict[str, str], modules: dict[str, str]) -> dict:
    """A distribution ``name`` in the folder ``site``, as pip leaves one (its modules and a
    .dist-info with iamlint.reporters entry points); the environment in which Python finds it."""
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[iamlint.reporters]\n" + "".join(f"{key} = {value}\n" for key, value in entry_points.items()))
    for module, source in modules.items():
        (site / f"{module}.py").write_text(source)
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}


def _iamlint(*argv: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "iamlint", *argv], cwd=cwd, env=env, capture_output=True, text=True)


def test_the_documented_plugin_format_is_used_listed_and_checked(tmp_path):
    entry_points, module, source = _documented_format()
    assert entry_points == {"tally": module}
    env = _install(tmp_path / "site", "acme_tally", {**entry_points, "broken": "acme_missing"}, {module: source})
    (tmp_path / "p.json").write_text(POLICY)

    run = _iamlint("--isolated", "--select", "IAM303,IAM304", "--format", "tally", "p.json", cwd=tmp_path, env=env)
    assert (run.returncode, run.stderr) == (1, "")
    assert run.stdout.splitlines() == ["   1  IAM303 service-wildcard", "   1  IAM304 wildcard-resource",
                                       "2 findings in 1 files"]
    quiet = _iamlint("--isolated", "-q", "--select", "IAM303", "--format", "tally", "p.json", cwd=tmp_path, env=env)
    assert quiet.stdout == "   1  IAM303 service-wildcard\n"

    listed = _iamlint("formats", cwd=tmp_path, env=env)
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [*BUILTIN_REPORTERS, "broken", "tally"]
    assert "tally   how many findings each rule has, most first" in lines
    assert "failed to load: ModuleNotFoundError" in lines[4]

    unknown = _iamlint("--isolated", "--format", "nope", "p.json", cwd=tmp_path, env=env)
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert "argument --format: invalid choice: 'nope' (choose from text, json, sarif, github, broken, tally)" \
        in unknown.stderr

    broken = _iamlint("--isolated", "--format", "broken", "p.json", cwd=tmp_path, env=env)
    assert broken.returncode == 2 and broken.stdout == ""
    assert broken.stderr.startswith("iamlint: output format `broken` (acme_missing) failed to load: "
                                    "ModuleNotFoundError")


def test_a_plain_write_function_is_a_format_too(tmp_path):
    source = textwrap.dedent('''
        def paths(report, stream):
            """Each file with findings, once."""
            stream.write("".join(f"{path}\\n" for path in dict.fromkeys(d.path for d in report.diagnostics)))
    ''')
    env = _install(tmp_path / "site", "acme_paths", {"paths": "acme_paths:paths"}, {"acme_paths": source})
    (tmp_path / "p.json").write_text(POLICY)
    assert _iamlint("--isolated", "--format", "paths", "p.json", cwd=tmp_path, env=env).stdout == "p.json\n"
    assert "paths   Each file with findings, once." in _iamlint("formats", cwd=tmp_path, env=env).stdout


def test_a_class_is_a_format_and_a_format_that_fails_names_its_plugin(tmp_path):
    source = textwrap.dedent('''
        class Count:
            DESCRIPTION = "how many findings"

            def write(self, report, stream):
                stream.write(f"{len(report.diagnostics)}\\n")


        def fails(report, stream):
            raise KeyError("diagnostic")
    ''')
    env = _install(tmp_path / "site", "acme_more", {"count": "acme_more:Count", "fails": "acme_more:fails"},
                   {"acme_more": source})
    (tmp_path / "p.json").write_text(POLICY)
    counted = _iamlint("--isolated", "--select", "IAM303", "--format", "count", "p.json", cwd=tmp_path, env=env)
    assert (counted.returncode, counted.stdout, counted.stderr) == (1, "1\n", "")
    failed = _iamlint("--isolated", "--format", "fails", "p.json", cwd=tmp_path, env=env)
    assert failed.returncode == 2
    assert failed.stderr == "iamlint: output format `fails` (acme_more:fails) failed: KeyError: 'diagnostic'\n"


def test_an_unknown_format_is_a_usage_error_that_lists_the_formats(tmp_path):
    run = run_main("--isolated", "--format", "xml", ".", cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert "invalid choice: 'xml' (choose from text, json, sarif, github" in run.err
    assert run_main("formats", "--all").code == 2


def test_the_builtin_formats_implement_the_interface_and_are_declared():
    for name in BUILTIN_REPORTERS:
        reporter = find_reporter(name)
        assert callable(reporter.write) and reporter.description and "\n" not in reporter.description, name
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    assert declared["iamlint.reporters"] == BUILTIN_REPORTERS  # documented where plugins look
    options = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert f"--format {'|'.join(BUILTIN_REPORTERS)} " in options


STARTUP = textwrap.dedent("""
    import contextlib, io, sys
    from iamlint.cli import main
    with contextlib.redirect_stdout(io.StringIO()):
        main(sys.argv[1:])
    print(sorted(m for m in sys.modules if m.startswith(("iamlint.reporters.", "importlib.metadata"))))
""")


def test_a_builtin_format_imports_only_its_reporter_and_reads_no_entry_points(tmp_path):
    (tmp_path / "p.json").write_text(POLICY)
    for name, module in BUILTIN_REPORTERS.items():
        result = subprocess.run([sys.executable, "-c", STARTUP, "--isolated", "--format", name, "p.json"],
                                cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        loaded = {m for m in ast.literal_eval(result.stdout) if m not in ("iamlint.reporters.base", "iamlint.reporters.safe")}
        assert loaded == {module}, name
