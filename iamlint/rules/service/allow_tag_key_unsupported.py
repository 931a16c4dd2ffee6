from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.service.deny_tag_key_unsupported import keys_of, tag_entries, tagged_statements, unsupported


class AllowTagKeyUnsupported(Rule):
    """An `Allow` tests a tag key on actions that do not support it, or with `NotAction`.

    Tag keys are `aws:ResourceTag/...`, `aws:RequestTag/...` and `aws:TagKeys`.

    An action pattern is reported when none of the actions it stands for supports the key, by the
    service data (the action's keys and its resource types' keys); with `NotAction`, at
    `NotAction`. A test that needs the key (`StringEquals`, `StringLike`, `ForAnyValue:...`)
    makes the grant dead for those actions; a negated or `...IfExists` test (or `ForAllValues:`)
    is true without the key, so they are allowed whatever the tags.

    ## Why is this bad?
    A key the action does not support is never in its requests. With a test that needs the key,
    the statement never grants the action (dead text that suggests access it does not give); with
    `StringNotEquals`, `...IfExists` and the like, the action is allowed on every resource,
    tagged or not, which is more than the statement seems to say. Grant such actions in a
    statement of their own, scoped by resource instead of tags.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Sid": "AllowViewTeamResources", "Effect": "Allow",
                     "Action": ["appmesh:DescribeMesh", "backup:GetBackupPlan", "route53:GetHostedZone"],
                     "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "BumbleBee"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Sid": "AllowViewTeamResources", "Effect": "Allow", "Action": ["appmesh:DescribeMesh", "backup:GetBackupPlan"],
         "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "BumbleBee"}}},
        {"Sid": "AllowViewTeamZone", "Effect": "Allow", "Action": "route53:GetHostedZone",
         "Resource": "arn:aws:route53:::hostedzone/Z0123456789BUMBLEBEE"}
      ]
    }
    ```

    ## Known problems
    Support for tag keys comes from the service data; a service that adds it is reported until
    the data knows (`iamlint --version` names its date).

    ## References
    - [IAM Access Analyzer policy checks: Allow with unsupported tag condition key for service](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-suggestion-allow-with-unsupported-tag-condition-key-for-service)
    - [AWS services that work with IAM (the ABAC column)](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_aws-services-that-work-with-iam.html)
    """

    code = "IAM217"
    name = "allow-tag-key-unsupported"
    severity = Severity.INFO
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in tagged_statements(policy):
            if not statement.is_allow:
                continue
            entries = [entry for entry in tag_entries(statement)
                       if entry.type is not None and entry.matches_absent is not None]
            if not entries:
                continue
            for node, missing, not_action in unsupported(statement, entries):
                dead = [entry for entry in missing if entry.matches_absent is False]
                if not_action:
                    if dead:
                        yield Finding(node, f"with `NotAction`, the actions that do not support {keys_of(dead)} "
                                            f"are never allowed by this statement; list the actions to allow")
                    else:
                        yield Finding(node, f"with `NotAction`, the actions that do not support {keys_of(missing)} "
                                            f"are allowed whatever the tags (the test is true without the key); "
                                            f"list the actions to allow")
                elif dead:
                    yield Finding(node, f"`{node.value}` does not support {keys_of(dead)}: this `Allow` never "
                                        f"applies to it (a dead grant); allow it in a statement without the tag "
                                        f"condition")
                else:
                    tests = "the test is" if len({entry.name for entry in missing}) == 1 else "the tests are"
                    yield Finding(node, f"`{node.value}` does not support {keys_of(missing)}: {tests} always "
                                        f"true for it, so it is allowed whatever the tags; allow it in a statement "
                                        f"without the tag condition")
