from __future__ import annotations

from iamlint.diagnostics import Severity
from iamlint.rules.base import ReaderRule


class UnusedSuppression(ReaderRule):
    """A suppression that silences nothing.

    A `# iamlint: ignore[...]` comment with no finding of those rules on its line, an
    `# iamlint: ignore-file[...]` with none in the file, or a resource's
    `Metadata.iamlint.ignore` entry with none in the resource. Reported at the suppression; not
    reported when the rules it names did not run (`--select` left them out).

    ## Why is this bad?
    The finding it was written for is gone (fixed, or moved to another line). A stale
    suppression would silently hide the next, unrelated finding of that rule on the same line.

    ## Example
    ```yaml
    Resources:
      Reader:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject  # iamlint: ignore[IAM303] was s3:* until the audit
                Resource: arn:aws:s3:::reports/*
    ```

    ## Use instead
    ```yaml
    Resources:
      Reader:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: arn:aws:s3:::reports/*
    ```

    ## References
    - [ruff: unused noqa (RUF100)](https://docs.astral.sh/ruff/rules/unused-noqa/)
    """

    code = "IAM004"
    name = "unused-suppression"
    applies_to = "CloudFormation and SAM templates"
    severity = Severity.WARNING
