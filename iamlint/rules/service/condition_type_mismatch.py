from __future__ import annotations

import json
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import services
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.service.unknown_condition_key import key_type

# operator family -> the key types it is meant for
# (String operators compare any key's text, so they suit every type; ARN operators parse the
# value as an ARN, which string keys often hold, e.g. kms:EncryptionContext:aws:s3:arn.)
FAMILIES = {
    "String": {"String", "ArrayOfString", "ARN", "ArrayOfARN", "Bool", "ArrayOfBool", "Numeric", "Date",
               "IPAddress"},
    "Numeric": {"Numeric", "ArrayOfNumeric"},
    "Date": {"Date", "Numeric"},
    "Bool": {"Bool", "ArrayOfBool"},
    "IpAddress": {"IPAddress"},
    "Arn": {"ARN", "ArrayOfARN", "String", "ArrayOfString"},
    "Binary": {"Binary"},
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")


def _value_problem(kind: str, operator: str, value) -> str | None:
    """Why a condition value cannot be compared as ``kind``, or None."""
    text = value if isinstance(value, str) else None
    if kind in ("Bool", "Null"):
        if str(value).lower() not in ("true", "false"):
            return f"`{operator}` compares with `true` or `false`, not `{value}`"
    elif kind == "Numeric":
        if isinstance(value, bool) or not (isinstance(value, (int, float)) or (
                text is not None and re.fullmatch(r"-?\d+(\.\d+)?", text.strip()))):
            return f"`{operator}` compares numbers; `{value}` is not one"
    elif kind == "Date":
        if isinstance(value, bool) or not (isinstance(value, (int, float)) or (
                text is not None and (text.strip().isdigit() or _ISO_DATE.match(text.strip())))):
            return f"`{operator}` compares dates (ISO 8601 or epoch seconds); `{value}` is not one"
    elif kind == "IpAddress":
        import ipaddress

        try:
            ipaddress.ip_network(str(value), strict=False)
        except ValueError:
            return f"`{value}` is not an IP address or CIDR range"
    return None


class ConditionTypeMismatch(Rule):
    """A condition compares a key with an operator of the wrong type, or with a malformed value.

    The operator family must suit the key's type (from the service data and IAM's list of
    global keys): `Numeric...` operators need numeric keys, `Date...` date (or epoch) keys,
    `Bool` boolean keys, `IpAddress` IP-address keys, and `Arn...` ARN or string keys; `String...`
    operators compare the text of any key (where another operator says better what is meant,
    `string-operator-mismatch`, IAM212, says so). Values must parse as what the operator compares:
    `true`/`false` for `Bool` and `Null`, numbers, ISO 8601 dates or epoch seconds, IP addresses
    or CIDR ranges. Reported at the key for a type mismatch, at the value for a malformed value.
    Keys that nobody defines are `unknown-condition-key`'s business.

    ## Why is this bad?
    IAM does not reject the policy; the comparison simply never matches (`NumericLessThan` on
    a boolean, an invalid CIDR), so an Allow never applies or, worse, a Deny never does.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                     "Condition": {"NumericLessThan": {"aws:SecureTransport": "1"},
                                   "NotIpAddress": {"aws:SourceIp": "203.0.113.0/33"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                     "Condition": {"Bool": {"aws:SecureTransport": "false"},
                                   "NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
    """

    code = "IAM204"
    name = "condition-type-mismatch"
    severity = Severity.ERROR
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            for condition in statement.conditions():
                kind, operator, key, value = condition.type, condition.operator, condition.key, condition.node
                if kind is None:
                    continue  # an unknown operator: invalid-condition-operator says so
                declared = key_type(key)
                if kind not in ("Null",) and declared is not None and declared not in FAMILIES[kind]:
                    yield Finding(value.key or value, f"`{key}` is a {declared} key; `{operator}` compares "
                                                      f"{kind.lower() if kind != 'IpAddress' else 'IP addresses'} "
                                                      f"values, so it never matches as intended")
                    continue
                reported = set()
                for item in value.elements():
                    if item.value is None or isinstance(item.value, (dict, list)):
                        continue
                    problem = _value_problem(kind, operator, item.value)
                    if problem is not None:
                        reported.add(id(item))
                        yield Finding(item, problem)
                yield from _value_format_findings(condition, reported)


# --- values of the right type but the wrong form (Access Analyzer's value checks) ---------------

_JSON_TYPES = {str: "string", int: "number", float: "number", bool: "boolean"}
# keys whose values are AWS Regions, beyond service keys named `...Region(s)` (see _is_region_key)
REGION_KEYS = frozenset({"aws:requestedregion", "ec2:region", "s3:locationconstraint"})
# keys whose values are service principals (`lambda.amazonaws.com`); kms:ViaService takes
# `<service>.<region>.amazonaws.com`, which has the same form
SERVICE_PRINCIPAL_KEYS = frozenset(k.lower() for k in (
    "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList", "aws:CalledVia", "aws:CalledViaFirst",
    "aws:CalledViaLast", "iam:PassedToService", "iam:AWSServiceName", "kms:ViaService"))
_SERVICE_PRINCIPAL = re.compile(r"[a-z0-9][a-z0-9.-]*\.(amazonaws\.com(\.cn)?|amazon\.com)")
_VPC_IDS = {"aws:sourcevpc": ("vpc", re.compile(r"vpc-([0-9a-zA-Z]{8}|[0-9a-zA-Z]{17})"), "VPC id"),
            "aws:sourcevpce": ("vpce", re.compile(r"vpce-([0-9a-zA-Z]{8}|[0-9a-zA-Z]{17})"), "VPC endpoint id")}
_KMS_KEY_NAME = re.compile(r"kms.?key", re.I)
_KMS_KEY_ARN = re.compile(r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+")
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def _value_format_findings(condition, reported: set) -> Iterable[Finding]:
    """Values of one key that mix JSON types, `Bool` with both truths, and values of keys with a
    known form (Regions, VPC and endpoint ids, KMS key ARNs, service principals, base64) that do
    not have it. Values already reported (``reported``: node ids) are not reported again."""
    values = [n for n in condition.values if type(n.value) in _JSON_TYPES] if len(condition.values) > 1 else ()
    if len(values) > 1:
        first = _JSON_TYPES[type(values[0].value)]
        odd = next((n for n in values if _JSON_TYPES[type(n.value)] != first), None)
        if odd is not None and id(odd) not in reported:
            shown = json.dumps(odd.value) if type(odd.value) is not str else odd.value
            yield Finding(odd, f"`{shown}` is a {_JSON_TYPES[type(odd.value)]} among {first}s: IAM compares the "
                               f"values of one key as one JSON type")
            reported.add(id(odd))
        if condition.type == "Bool":
            truths = [str(n.value).lower() for n in values]
            if "true" in truths and "false" in truths:
                odd = next(n for n, t in zip(values, truths, strict=True) if t != truths[0])
                yield Finding(odd, f"`{condition.operator}` takes one value; `true` and `false` together always match")
    if condition.type == "Binary":
        for node in condition.strings():
            if id(node) not in reported and not _BASE64.fullmatch(node.value):
                yield Finding(node, f"`{node.value}` is not base64: `{condition.base}` compares base64-encoded bytes")
        return
    if condition.type not in ("String", "Arn"):
        return
    check = _form_check(condition.key)
    if check is None:
        return
    for node in condition.strings():
        text = node.value
        if id(node) in reported or "${" in text or not text:
            continue
        wild = "*" in text or "?" in text
        if wild and not condition.matches_wildcards:
            continue  # compared literally: wildcard-without-like (IAM121)
        problem = check(text, wild, condition)
        if problem is not None:
            yield Finding(node, problem)


@services.cached(maxsize=8192)
def _form_check(key: str):
    """The check of a key's values' form, or None for a key of no known form."""
    name = key.lower()
    if name in _VPC_IDS:
        return _vpc_id
    if name in SERVICE_PRINCIPAL_KEYS:
        return _service_principal
    declared = key_type(key)
    if _is_region_key(name, declared):
        return _region
    if declared in ("ARN", "ArrayOfARN") and _KMS_KEY_NAME.search(name.partition(":")[2]):
        return _kms_key_arn
    return None


def _is_region_key(name: str, declared: str | None) -> bool:
    if name in REGION_KEYS:
        return True
    if declared not in ("String", "ArrayOfString") or name.startswith("aws:") or "tag/" in name:
        return False
    return name.endswith(("region", "regions")) and not name.endswith("multiregion")


def _region(text: str, wild: bool, condition) -> str | None:
    from iamlint.arns import region_exists

    code = text.lower() if "IgnoreCase" in condition.base else text
    if region_exists(code) or (condition.name == "s3:locationconstraint" and code in ("EU", "eu")):
        return None  # S3's old name of eu-west-1
    return f"`{text}` matches no AWS Region" if wild else f"`{text}` is not an AWS Region"


def _vpc_id(text: str, wild: bool, condition) -> str | None:
    prefix, pattern, noun = _VPC_IDS[condition.name]
    if wild or pattern.fullmatch(text):
        return None
    return f"`{text}` is not a {noun}: use `{prefix}-` followed by 8 or 17 letters and digits"


def _kms_key_arn(text: str, wild: bool, condition) -> str | None:
    if wild or _KMS_KEY_ARN.fullmatch(text):
        return None
    return (f"`{text}` is not a KMS key ARN: `{condition.key}` holds "
            f"`arn:aws:kms:<region>:<account>:key/<key id>`")


def _service_principal(text: str, wild: bool, condition) -> str | None:
    if wild or _SERVICE_PRINCIPAL.fullmatch(text):
        return None
    if "." not in text and re.fullmatch(r"[A-Za-z0-9-]+", text):
        return f"`{text}` is not a service principal: write `{text.lower()}.amazonaws.com`"
    return f"`{text}` is not a service principal (a service's domain name, such as `lambda.amazonaws.com`)"
