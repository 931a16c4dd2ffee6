from __future__ import annotations

from functools import cache, lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.data import read_list
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.privilege import catalogue, listing


@lru_cache(maxsize=1)
def escalation_paths() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(name, actions) of each path in data/privilege-escalation.txt."""
    paths = []
    for line in read_list("privilege-escalation"):
        name, _, actions = line.partition(":")
        paths.append((name.strip(), tuple(a.strip() for a in actions.split("+"))))
    return tuple(paths)


@cache
def escalation_actions() -> tuple[str, ...]:
    return tuple(action for _, actions in escalation_paths() for action in actions)


def _unconstrained(statement) -> bool:
    return statement.resource_star() is not None and statement.get("Condition") is None


class PrivilegeEscalation(Rule):
    """The policy grants every action of a known privilege-escalation path.

    Paths are Rhino Security Labs' list and its successors (`iamlint/data/privilege-escalation.txt`):
    `iam:CreatePolicyVersion`, `iam:AttachUserPolicy`, `iam:PutRolePolicy` with `sts:AssumeRole`,
    `iam:PassRole` with `lambda:CreateFunction` and `lambda:InvokeFunction`, with
    `ec2:RunInstances`, with `cloudformation:CreateStack`, Glue, CodeBuild, SageMaker, ECS, ...
    An action counts when an `Allow` grants it on `"*"` with no condition, directly or through a
    wildcard or `NotAction`, and no unconditional `Deny` on `"*"` takes it back; the actions of a
    path may come from different statements. Reported at the node that grants a path's first
    action, once per node (`iam:*` opens many paths at once); `"Action": "*"` is left to
    `full-admin` and `wildcard-action`.

    ## Why is this bad?
    Whoever holds the policy can give themselves any permission, administrator included: the
    policy is as powerful as `AdministratorAccess`, however modest it looks.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
      ]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/lambda-basic",
         "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}
      ]
    }
    ```

    ## References
    - [Rhino Security Labs: AWS IAM privilege escalation methods](https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/)
    - [Bishop Fox: iam-vulnerable](https://github.com/BishopFox/iam-vulnerable)
    """

    code = "IAM308"
    name = "privilege-escalation"
    severity = Severity.ERROR
    kinds = frozenset({"identity"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        statements = policy.statements()
        allows = [s for s in statements if s.is_allow and _unconstrained(s)]
        denies = [s for s in statements if s.effect == "Deny" and _unconstrained(s)]
        if not allows:
            return
        steps = catalogue(escalation_actions())
        granting: dict[str, object] = {}  # action (lower case) -> the first node that grants it
        for statement in allows:
            for node, hits in statement.covers(steps):
                for action in hits:
                    granting.setdefault(action.lower(), node)
        denied = {action.lower() for statement in denies for node in statement.strings("Action")
                  for action in steps.matching(node.value)}
        found: dict[int, tuple] = {}  # node -> (node, [(path name, other actions and their nodes)])
        for name, actions in escalation_paths():
            nodes = []
            for action in actions:
                lowered = action.lower()
                if lowered not in granting or lowered in denied:
                    break
                nodes.append(granting[lowered])
            else:
                if nodes[0].is_string and nodes[0].value.strip() in ("*", "*:*"):
                    continue  # full-admin and wildcard-action already say it all
                found.setdefault(id(nodes[0]), (nodes[0], []))[1].append((name, list(zip(actions, nodes, strict=True))))
        for node, paths in found.values():
            if len(paths) == 1:
                name, steps = paths[0]
                first = steps[0][0]
                where = ", ".join(f"`{a}` (line {n.span.line})" for a, n in steps[1:])
                joined = f" with {where}" if where else ""
                yield Finding(node, f"`{first}` on every resource{joined} is the privilege escalation path "
                                    f"`{name}`: whoever holds this policy can grant themselves more",
                              related=tuple((f"`{a}`, a step of `{name}`", n) for a, n in steps[1:]))
            else:
                names = listing([name for name, _ in paths])
                yield Finding(node, f"`{node.value if node.is_string else 'NotAction'}` on every resource opens "
                                    f"{len(paths)} privilege escalation paths ({names}): whoever holds this "
                                    "policy can grant themselves more")
