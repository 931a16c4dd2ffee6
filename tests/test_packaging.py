"""What a release ships and says: the wheel carries the schemas, the AWS data and the notices; every
version a user copies from the docs is the package's version; the workflows test the Python
versions the package claims, and publish only the version they were tagged with."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from iamlint import __version__

VERSION = re.compile(r"\d+\.\d+\.\d+(?:[-.\w]*)")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel .ci/run built (IAMLINT_WHEEL), else one built here the way pip builds it."""
    given = os.environ.get("IAMLINT_WHEEL")
    if given:
        return REPO / given  # relative to the repository, where .ci/run built it
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    return next(out.glob("iamlint-*.whl"))


def test_the_wheel_ships_the_schemas_the_aws_data_and_the_notices(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for schema in (REPO / "schemas").glob("*.json"):
            assert archive.read(f"iamlint/schemas/{schema.name}") == schema.read_bytes(), schema.name
        data = REPO / "iamlint" / "data"
        shipped = {p.relative_to(REPO).as_posix() for p in data.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
        assert len([n for n in shipped if n.startswith("iamlint/data/aws/services/")]) > 400
        assert shipped <= names, sorted(shipped - names)[:5]
        info = f"iamlint-{__version__}.dist-info"
        assert {f"{info}/licenses/LICENSE", f"{info}/licenses/NOTICE"} <= names
        metadata = archive.read(f"{info}/METADATA").decode("utf-8")
        entry_points = archive.read(f"{info}/entry_points.txt").decode("utf-8")
    assert f"\nVersion: {__version__}\n" in metadata
    assert "iamlint = iamlint.cli:main" in entry_points and "parliament = iamlint.plugins.parliament" in entry_points
    extras = set(re.findall(r"^Provides-Extra: (.+)$", metadata, re.M))
    assert {"lsp", "parliament", "cfn-lint", "test"} <= extras
    # only the package: no tests, scripts or repository files beside it
    assert {name.split("/", 1)[0] for name in names} == {"iamlint", info}


def test_the_notice_names_the_source_of_the_shipped_aws_data():
    source = json.loads((REPO / "iamlint" / "data" / "aws" / "index.json").read_text(encoding="utf-8"))["source"]
    notice = " ".join((REPO / "NOTICE").read_text(encoding="utf-8").split())
    assert f"{source['package']} {source['version']}" in notice, "NOTICE must name the data's source and version"
    assert source["license"] == "MIT" and "MIT" in notice


def _copied_versions() -> list[tuple[str, str]]:
    """(where, version) of every iamlint version a user copies: pre-commit `rev:`, `uses:
    iamlint/iamlint@v...`, the action's pip requirement examples."""
    found = []
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), REPO / "action.yml"]:
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(REPO).as_posix()
        found += [(f"{where}: rev", v) for v in re.findall(rf"repo: https://github.com/iamlint/iamlint\n\s+rev: v({VERSION.pattern})", text)]
        found += [(f"{where}: uses", v) for v in re.findall(rf"uses: iamlint/iamlint@v({VERSION.pattern})", text)]
        found += [(f"{where}: requirement", v) for v in re.findall(rf"`==({VERSION.pattern})`", text)]
    return found


def test_every_version_users_copy_is_the_package_version():
    found = _copied_versions()
    kinds = {where.rsplit(": ", 1)[1] for where, _ in found}
    assert kinds == {"rev", "uses", "requirement"}, found  # each kind is there to be checked
    assert [(where, v) for where, v in found if v != __version__] == [], f"release {__version__}: bump these"


def test_the_version_is_written_once_and_the_changelog_has_it():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^dynamic = \["version"\]', pyproject, re.M) and not re.search(r"^version =", pyproject, re.M)
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d\d-\d\d$", changelog, re.M)
    assert changelog.index("## [Unreleased]") < changelog.index(f"## [{__version__}]")


def _workflow(name: str) -> dict:
    data = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_ci_tests_every_python_version_the_package_claims():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    claimed = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', pyproject)
    minimum = re.search(r'requires-python = ">=(3\.\d+)"', pyproject).group(1)
    matrix = _workflow("ci.yml")["jobs"]["ci"]["strategy"]["matrix"]["python"]
    assert matrix == claimed and matrix[0] == minimum
    assert any(step.get("run") == ".ci/run" for step in _workflow("ci.yml")["jobs"]["ci"]["steps"])


def test_release_publishes_the_tagged_version_with_trusted_publishing():
    release = _workflow("release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    build, publish = release["jobs"]["build"], release["jobs"]["publish"]
    runs = [step.get("run", "") for step in build["steps"]]
    assert any("GITHUB_REF_NAME" in run and "__version__" in run for run in runs)  # tag == version
    assert ".ci/run" in runs  # the release passes every check, and builds dist/ there
    assert publish["needs"] == "build" and publish["permissions"] == {"id-token": "write"}
    assert publish["steps"][-1]["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert "password" not in json.dumps(publish)  # no stored token


@pytest.mark.skipif(shutil.which("actionlint", path=str(Path(sys.executable).parent)) is None,
                    reason="actionlint comes with the dev extra")
def test_the_documented_workflow_passes_actionlint(tmp_path):
    """The workflow users copy from docs/ci.md is valid (actionlint, pinned in the dev extra)."""
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    workflow = text.split("```yaml\n# .github/workflows/iamlint.yml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "iamlint.yml"
    path.write_text(workflow, encoding="utf-8")
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    result = subprocess.run([actionlint, "-shellcheck=", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
