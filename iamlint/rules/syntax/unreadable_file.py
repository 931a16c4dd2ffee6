from __future__ import annotations

from iamlint.diagnostics import Severity
from iamlint.rules.base import ReaderRule


class UnreadableFile(ReaderRule):
    """The file cannot be read as a policy: not a regular file, binary, not UTF-8, too large or nested too deep.

    Reported at the first offending byte where there is one (a NUL byte, an invalid UTF-8
    sequence), else at the start of the file. Limits: 10 MB per file (the largest IAM policy is a
    few kilobytes, the largest CloudFormation template 1 MB) and 256 levels of nesting; YAML
    aliases may expand to 1,000,000 nodes. Only regular files are read: a named pipe, a device or
    a socket named on the command line is reported, not opened for reading. Every limit is listed
    in docs/limits-and-security.md.

    ## Why is this bad?
    Nothing in the file is checked. A policy saved as UTF-16 by an editor, or a binary committed
    under a `.json` name, slips past review unless the linter says so.

    ## Example
    ```text
    (a file saved as UTF-16, or one with a NUL byte)
    ```

    ## Use instead
    Save policies as UTF-8 text.

    ## References
    - [IAM JSON policy grammar](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
    """

    code = "IAM003"
    name = "unreadable-file"
    severity = Severity.ERROR
