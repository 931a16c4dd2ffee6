from __future__ import annotations

from iamlint.diagnostics import Severity
from iamlint.rules.base import ReaderRule


class InvalidSuppression(ReaderRule):
    """A suppression that names no rule, or a rule that does not exist.

    `# iamlint: ignore` and `# iamlint: ignore-file` must name the rules they silence in
    brackets (codes, code prefixes or names: `ignore[IAM401]`, `ignore[inline-policy]`,
    `ignore[IAM4]`), optionally followed by a reason. `ALL` is not accepted. The same holds for
    `Metadata.iamlint.ignore` lists. Reported at the suppression, which silences nothing.

    ## Why is this bad?
    A bare ignore hides every present and future finding on the line, including ones nobody
    looked at; a misspelled rule silences nothing while looking as if it did.

    ## Example
    ```yaml
    Resources:
      Deployer:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {Service: codebuild.amazonaws.com}
                Action: sts:AssumeRole
          Policies:  # iamlint: ignore
            - PolicyName: deploy
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - {Effect: Allow, Action: "cloudformation:*", Resource: "*"}
    ```

    ## Use instead
    ```yaml
    Resources:
      Deployer:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {Service: codebuild.amazonaws.com}
                Action: sts:AssumeRole
          Policies:
            - PolicyName: deploy
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - {Effect: Allow, Action: "cloudformation:*", Resource: "*"}  # iamlint: ignore[IAM303] reviewed
    ```

    ## References
    - [ruff: error suppression](https://docs.astral.sh/ruff/linter/#error-suppression)
    """

    code = "IAM005"
    name = "invalid-suppression"
    applies_to = "CloudFormation and SAM templates"
    severity = Severity.ERROR
