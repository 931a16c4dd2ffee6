from __future__ import annotations

from iamlint.diagnostics import Severity
from iamlint.rules.base import ReaderRule


class InternalError(ReaderRule):
    """iamlint itself failed on this file: a bug in iamlint, not in the file.

    Reported at the start of the file, with the exception's type and where in iamlint it was
    raised. The other files of the run are linted and reported as usual, and the run exits
    with status 2 (not 1, which means findings), whatever `--exit-zero` or `fail-on` say, so a
    CI job can tell a crash from findings. It cannot be selected away, ignored, suppressed or
    recorded in a baseline: a file iamlint could not check is never silently clean. The
    language server shows it on the document and goes on serving the others.

    ## Why is this bad?
    Nothing in the file was checked (or only part of it): its findings are missing. Please
    report it, with the file if you can share it (or a smaller file that fails the same way),
    at https://github.com/iamlint/iamlint/issues.

    ## Example
    ```text
    policy.json:1:1: IAM000 iamlint failed on this file: ValueError (...) at
    iamlint/parsers/json_parser.py:95; the other files were checked. Please report it:
    https://github.com/iamlint/iamlint/issues (internal-error)
    ```

    ## Use instead
    An iamlint release that fixes the bug. Until then, `exclude` the file in the configuration:
    a file that is not read cannot fail.

    ## References
    - [Reporting an iamlint bug](https://github.com/iamlint/iamlint/issues)
    """

    code = "IAM000"
    name = "internal-error"
    severity = Severity.ERROR
