from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import ReaderRule

# AKIA: IAM user access key; ASIA: temporary (STS) key; ABIA: STS service bearer; ACCA: context-specific
# Patterns are compiled on first use (re caches them), not at import: start-up time matters.
ACCESS_KEY_ID = r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])"
SECRET_NAME = r"(?i)secret_?access_?key|aws_?secret|secret_?key"
SECRET_VALUE = r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"
SECRET_ASSIGNMENT = (r"(?i)(?:secret_?access_?key|aws_?secret\w*)[\"']?(?:\s*[:=]\s*|[ \t]+)[\"']?"
                     r"(?P<value>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])")
# A file without any of these holds no key (a case-blind regex would scan 1 ms per 10 KB; this 20 µs)
_MARKERS = ("AKIA", "ASIA", "ABIA", "ACCA", "SECRET")


def _is_example(value: str) -> bool:
    """AWS's documentation keys (AKIAIOSFODNN7EXAMPLE, wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY)."""
    return "EXAMPLE" in value


def _looks_random(value: str) -> bool:
    """A 40-character secret mixes cases and digits; a SHA-1 (hex) or a word does not."""
    return any(c.islower() for c in value) and any(c.isupper() for c in value) and any(c.isdigit() for c in value)


def _mask(value: str) -> str:
    return value[:4] + "…" + value[-4:]


class HardcodedCredentials(ReaderRule):
    """An AWS access key id or secret access key is written into a template or policy file.

    Access key ids are recognised by their prefix (`AKIA` long-term, `ASIA` temporary, ...) and
    form, anywhere: parameter defaults, environment variables, user data. Secret access keys
    are 40 random-looking base64 characters in a value whose key names a secret
    (`SecretAccessKey`, `aws_secret_access_key`, Terraform's `secret_key`, a variable named so,
    ...) or written as `aws_secret_access_key=...` (or `aws configure set aws_secret_access_key
    ...`) inside a string. AWS's documentation examples (`...EXAMPLE`) are not reported.
    Reported at the string that holds them; the message shows only the first and last four
    characters. In Terraform, every file is searched: `provider` blocks, `locals`, variable
    defaults, and `.tfvars` files, where keys usually land.

    ## Why is this bad?
    Anything in git is copied to every clone, fork and CI log, forever: a committed key must be
    treated as leaked and rotated. Keys should come from roles, or from Secrets Manager or SSM
    Parameter Store at deploy time.

    ## Example
    ```yaml
    Resources:
      Uploader:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: index.handler
          Role: arn:aws:iam::111122223333:role/uploader
          Code: {ZipFile: "def handler(event, context): pass"}
          Environment:
            Variables:
              AWS_ACCESS_KEY_ID: AKIA2OGYBAH6Q3EXMPL7
    ```

    ## Use instead
    ```yaml
    Resources:
      Uploader:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: index.handler
          Role: arn:aws:iam::111122223333:role/uploader
          Code: {ZipFile: "def handler(event, context): pass"}
    ```

    ## References
    - [Best practices for managing AWS access keys](https://docs.aws.amazon.com/accounts/latest/reference/credentials-access-keys-best-practices.html)
    - [Understanding unique ID prefixes](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids)
    """

    code = "IAM505"
    name = "hardcoded-credentials"
    severity = Severity.ERROR

    def check_file(self, parsed) -> Iterable[Finding]:
        if parsed.text:
            upper = parsed.text.upper()
            if not any(marker in upper for marker in _MARKERS):
                return
        stack = [parsed.root]
        while stack:
            node = stack.pop()
            value = node.value
            if type(value) is dict:
                stack.extend(reversed(value.values()))
                continue
            if type(value) is list:
                stack.extend(reversed(value))
                continue
            if type(value) is not str or len(value) < 20:
                continue
            for match in re.finditer(ACCESS_KEY_ID, value):
                if not _is_example(match.group()):
                    yield Finding(node, f"AWS access key id `{_mask(match.group())}` is hard-coded; "
                                        "rotate it and use a role or a secret store")
            secrets = []
            key = node.key.value if node.key is not None else ""
            if type(key) is str and re.search(SECRET_NAME, key):
                secrets += [m.group() for m in re.finditer(SECRET_VALUE, value)]
            secrets += [m.group("value") for m in re.finditer(SECRET_ASSIGNMENT, value)]
            for secret in dict.fromkeys(secrets):
                if _looks_random(secret) and not _is_example(secret):
                    yield Finding(node, f"AWS secret access key `{_mask(secret)}` is hard-coded; "
                                        "rotate it and use a role or a secret store")
