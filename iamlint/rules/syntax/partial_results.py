from __future__ import annotations

from iamlint.diagnostics import Severity
from iamlint.rules.base import ReaderRule


class PartialResults(ReaderRule):
    """iamlint stopped early on this file: a limit was reached, so some findings are missing.

    Two limits lead here: a file reports at most 10,000 findings (after repeated findings are
    collapsed; no real-world file comes near), and the language server gives each document a
    time budget (10 s), after which it shows what it found so far. Reported where the limit
    was reached. The limits are listed in docs/limits-and-security.md.

    ## Why is this bad?
    The findings past the limit are not reported: fixing the ones shown may reveal more. A
    file that reaches a limit is almost always generated or hostile.

    ## Example
    ```text
    big.json:40001:7: IAM007 this file has 150,001 findings; only the first 10,000 are reported
    (iamlint's per-file limit) (partial-results)
    ```

    ## Use instead
    Split the file, or lint it on the command line, where no time budget applies.

    ## References
    - [iamlint: limits and security](https://github.com/iamlint/iamlint/blob/main/docs/limits-and-security.md)
    """

    code = "IAM007"
    name = "partial-results"
    severity = Severity.WARNING
