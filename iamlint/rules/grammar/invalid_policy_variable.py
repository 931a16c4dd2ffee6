from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

    from iamlint.nodes import Node

from iamlint import services
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.variables import Variable, variables

# condition operators whose values IAM substitutes variables in without condition-type-mismatch
# calling the value invalid first (a variable in `NumericLessThan` is IAM204's)
_TEXT_OPERATORS = ("String", "Arn", None)
_QUOTED_DEFAULT = re.compile(r"\s*'[^']*'")
# what unsubstituted-reference (IAM115) reports in a template: `${Name}`, `${AWS::Region}`, `${Res.Arn}`
_TEMPLATE_REFERENCE = re.compile(r"[A-Za-z0-9]+(?:::[A-Za-z0-9]+)?(?:\.[A-Za-z0-9.]+)?")


class InvalidPolicyVariable(Rule):
    """A policy variable (`${aws:username}`) is malformed, names no condition key, or stands where IAM
    does not substitute it.

    IAM replaces `${key}` with the request's value of `key` in `Resource`, `NotResource` and
    condition values, when the policy says `"Version": "2012-10-17"`. Reported at the string:
    a `${` with no closing `}`; an empty `${}`; a space in the name (`${aws: username}`); a
    default that is not in single quotes (`${aws:PrincipalTag/team, 'none'}` is right); a name
    that is no condition key (`${Account}`, `${AWS::AccountId}`: placeholders and template
    references reach IAM as these very characters); any variable in `Principal`, `NotPrincipal`,
    `Id` or a resource policy's `Sid`, where IAM never substitutes; and any variable in a policy
    whose `Version` is absent or `2008-10-17`, where none is substituted. `${*}`, `${?}` and
    `${$}` are escapes for the characters themselves. Variables in `Action` are
    `invalid-action-format`'s; in `Numeric...`, `Date...`, `Bool`, `IpAddress` and `Binary...`
    conditions `condition-type-mismatch`'s.

    ## Why is this bad?
    IAM does not substitute a variable it cannot read: the ARN or condition value keeps the
    characters `${...}` and matches nothing, so an `Allow` grants nothing and a `Deny` guards
    nothing, without a word from IAM.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                     "Resource": "arn:aws:s3:::home/${aws:username/*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                     "Resource": "arn:aws:s3:::home/${aws:username}/*"}]
    }
    ```

    ## Known problems
    A name is checked against IAM's global keys and the service data: a key newer than the
    data is reported until the data is refreshed. Identity providers' keys
    (`${accounts.google.com:sub}`) are not checked. In a CloudFormation template, `${Name}` and
    `${AWS::Region}` are left to `unsubstituted-reference` (IAM115), which knows the
    template's parameters and resources.

    ## References
    - [IAM policy elements: Variables and tags](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)
    - [IAM JSON policy elements: Version](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html)
    """

    code = "IAM117"
    name = "invalid-policy-variable"
    severity = Severity.ERROR
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        if policy.text and "$" not in policy.text:
            return  # a policy file's own text: no variable anywhere (most policies)
        version = policy.root.get("Version")
        legacy = version is None or version.value == "2008-10-17"
        in_template = policy.in_template
        literal_elements = [("Id", policy.root.get("Id"))]
        for statement in policy.statements():
            elements = statement.node.value
            if policy.kind == "resource":  # elsewhere a `$` in a Sid is invalid-sid's
                literal_elements.append(("Sid", elements.get("Sid")))
            for element in ("Principal", "NotPrincipal"):
                node = elements.get(element)
                if node is not None:
                    literal_elements += [(element, n) for n in _principal_strings(node)]
            for element in ("Resource", "NotResource"):
                for node in statement.strings(element):
                    if "${" in node.value:
                        yield from self._check_value(node, legacy, in_template)
            for condition in statement.conditions():
                if condition.type in _TEXT_OPERATORS:
                    for node in condition.values:
                        if type(node.value) is str and "${" in node.value:
                            yield from self._check_value(node, legacy, in_template)
        for element, node in literal_elements:
            if node is not None and type(node.value) is str and "${" in node.value:
                found = [v for v in variables(node.value) if not v.escape]
                if found:
                    yield Finding(node, f"policy variables work only in `Resource` and `Condition`; "
                                        f"`{found[0].text}` in `{element}` is literal text")

    def _check_value(self, node: Node, legacy: bool, in_template: bool) -> Iterable[Finding]:
        text = node.value
        found = [v for v in variables(text) if not v.escape]
        if not found:
            return
        if legacy:
            yield Finding(node, f"`{found[0].text}` is literal text: policy variables need "
                                f"`\"Version\": \"2012-10-17\"`")
            return
        for variable in found:
            problem = _problem(variable, text, in_template)
            if problem is not None:
                yield Finding(node, problem)


def _principal_strings(node: Node) -> list[Node]:
    if node.is_mapping:
        return [n for _, value in node.items() for n in value.strings()]
    return list(node.strings())


def _problem(variable: Variable, text: str, in_template: bool) -> str | None:
    if not variable.closed:
        return f"the policy variable in `{text}` has no closing `}}`"
    return _closed_problem(variable.text, in_template)


@services.cached(maxsize=4096)
def _closed_problem(written: str, in_template: bool) -> str | None:
    """What is wrong with a closed variable (``${...}`` as written), or None; cached, since
    policies use a few variables many times."""
    name, comma, default = written[2:-1].partition(",")
    if not name.strip():
        return f"`{written}` is an empty policy variable: name a condition key (`${{aws:username}}`)"
    if name.split() != [name]:
        return f"`{written}` contains a space: write `${{{''.join(name.split())}}}`"
    if comma and not _QUOTED_DEFAULT.fullmatch(default):
        quoted = default.strip().strip("\"'")
        return f"the default value in `{written}` must be in single quotes: `'{quoted}'`"
    if in_template and _TEMPLATE_REFERENCE.fullmatch(name):
        return None  # a template's reference: unsubstituted-reference (IAM115)
    return _not_a_key(name, written)


def _not_a_key(name: str, text: str) -> str | None:
    """Why ``name`` names no condition key, or None when it names one (or may: providers' keys)."""
    from iamlint.rules.service import suggestion
    from iamlint.rules.service.unknown_condition_key import is_federation_key

    prefix, colon, rest = name.partition(":")
    if name.startswith("AWS::"):
        return (f"`{text}` is not a policy variable but a CloudFormation pseudo parameter: IAM reads "
                f"these very characters; in a template, put the string in `Fn::Sub`")
    if not colon or not prefix or not rest:
        return (f"`{text}` is not a policy variable (no condition key is called `{name}`): IAM reads "
                f"these very characters; replace the placeholder")
    if is_federation_key(name):
        return None
    if prefix.lower() == "aws":
        if services.global_condition_key_type(name) is not None:
            return None
        known = [key for key, _ in services.global_condition_keys().values()]
        return f"`{text}` names no global condition key{suggestion(name, known)}"
    service = services.service(prefix)
    if service is None:
        return f"`{text}` is not a policy variable: `{prefix}` is no AWS service prefix"
    if service.condition_key_type(name) is not None:
        return None
    return f"`{text}` names no condition key of {service.name}{suggestion(name, service.condition_key_names)}"
