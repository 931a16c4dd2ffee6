from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import services
from iamlint.conditions import key_type  # noqa: F401 (condition-type-mismatch imports it from here)
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.service import suggestion

# Keys of one service that AWS sets on requests to any service (credentials issued to an EC2
# instance, a Lambda function, a Glue job, ...), so they are used with other services' actions.
CROSS_SERVICE_KEYS = frozenset(k.lower() for k in (
    "ec2:SourceInstanceARN", "ec2:RoleDelivery", "lambda:SourceFunctionArn", "ssm:SourceInstanceARN",
    "glue:RoleAssumedBy", "glue:CredentialIssuingService", "kms:ViaService", "kms:CallerAccount",
    "identitystore:UserId", "sso:InstanceArn",
))

# Global keys that AWS retired, lowercase -> AWS's replacement (Access Analyzer's
# DEPRECATED_GLOBAL_CONDITION_KEY): the replacement, not the nearest spelling, is the suggestion.
DEPRECATED_GLOBAL_KEYS = {"aws:arn": "aws:PrincipalArn"}


def is_federation_key(key: str) -> bool:
    """Keys of identity providers: `accounts.google.com:aud`, `token.actions.githubusercontent.com:sub`,
    `saml:sub`, ...: they are as many as there are providers."""
    prefix = key.partition(":")[0].lower()
    return "." in prefix or prefix == "saml"


class UnknownConditionKey(Rule):
    """A condition key that no AWS service defines, or a service's key in a statement with no
    action of that service.

    Global keys (`aws:SourceIp`, `aws:PrincipalTag/...`) come from IAM's documented list; service
    keys (`s3:prefix`, `ec2:ResourceTag/...`) from iamlint's service data; keys are matched in any
    case, as IAM does; the deprecated `aws:ARN` is reported with its replacement, `aws:PrincipalArn`.
    Identity providers' keys (`token.actions.githubusercontent.com:sub`,
    `saml:aud`) are not checked. A service's key is also reported when no action of the statement
    belongs to that service (`s3:prefix` next to `ec2:*` only), since it is then never present,
    except keys that AWS sets on all requests made with a service's credentials
    (`ec2:SourceInstanceARN`, `lambda:SourceFunctionArn`, `kms:ViaService`, ...).

    ## Why is this bad?
    A key that is never present in the request makes `...IfExists`, `Not...` and `Null`
    conditions always true and the others always false: the statement quietly never applies, or
    always does.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
                     "Condition": {"NotIpAddress": {"aws:SourceIpAddress": "203.0.113.0/24"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
                     "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]
    }
    ```

    ## References
    - [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
    - [Actions, resources, and condition keys for AWS services](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    """

    code = "IAM203"
    name = "unknown-condition-key"
    severity = Severity.WARNING
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            action_prefixes = {n.value.partition(":")[0].lower() for n in statement.strings("Action")}
            action = statement.get("Action")
            # an action only known when deployed may be of any service: the key's service among them
            specific = (statement.get("NotAction") is None and "*" not in {p.strip() for p in action_prefixes}
                        and (action is None or all(type(n.value) is str for n in action.elements())))
            for condition in statement.conditions():
                key, node = condition.key, condition.key_node
                if is_federation_key(key):
                    continue
                prefix = key.partition(":")[0]
                if key_type(key) is None:
                    service = services.service(prefix)
                    if key.lower() in DEPRECATED_GLOBAL_KEYS:
                        yield Finding(node, f"`{key}` is a deprecated global condition key; use "
                                            f"`{DEPRECATED_GLOBAL_KEYS[key.lower()]}`, AWS's replacement")
                    elif prefix.lower() == "aws":
                        known = [name for name, _ in services.global_condition_keys().values()]
                        yield Finding(node, f"`{key}` is not a global condition key{suggestion(key, known)}")
                    elif service is None:
                        yield Finding(node, f"`{key}` belongs to no AWS service (`{prefix}` is not a service prefix)")
                    else:
                        yield Finding(node, f"`{key}` is not a condition key of {service.name}"
                                            f"{suggestion(key, service.condition_key_names)}")
                elif (specific and prefix.lower() != "aws" and prefix.lower() not in action_prefixes
                      and key.lower() not in CROSS_SERVICE_KEYS):
                    service = services.service(prefix)
                    yield Finding(node, f"`{key}` is a key of {service.name}, but no action of this statement "
                                        f"is a `{prefix}` action, so the key is never in the request")
