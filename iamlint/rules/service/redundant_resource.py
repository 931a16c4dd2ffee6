from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from functools import lru_cache

from iamlint import arns
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


def _wild(value: str) -> bool:
    return "*" in value or "?" in value


def _everything(value: str) -> bool:
    """`*` (or `**`, `*?`): the pattern every value matches."""
    return "*" in value and not value.strip("*?")


def _same(node) -> object:
    """What makes two entries the same value: a string's text, an opaque value's spelling."""
    value = node.value
    return value if type(value) is str else ("opaque", value.text)


class RedundantResource(Rule):
    """A `Resource` or `NotResource` entry is listed twice, or is covered by a wildcard entry of
    the same statement.

    `arn:aws:iam::111122223333:role/jane-admin` next to `arn:aws:iam::111122223333:role/jane*`
    is covered: the wildcard already matches it. ARNs are compared field by field (a wildcard
    never reaches into the next field, except in the resource part), case-sensitively. An entry
    with a policy variable (`${aws:username}`) or a value only known when deployed is covered
    only by the same text, or by `*`. Of two entries that cover each other, the later is
    reported. Redundancy across statements is `redundant-statement`'s (IAM229).

    ## Why is this bad?
    It grants nothing more, but it makes the policy longer (size limits count it) and reads as
    a narrower grant than the wildcard really gives: a reviewer sees `jane-admin` and misses that
    `jane*` in the same list matches every role whose name starts with `jane`.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
                     "Resource": ["arn:aws:iam::111122223333:role/jane-admin",
                                  "arn:aws:iam::111122223333:role/jane-s3only",
                                  "arn:aws:iam::111122223333:role/jane*"]}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
                     "Resource": ["arn:aws:iam::111122223333:role/jane-admin",
                                  "arn:aws:iam::111122223333:role/jane-s3only"]}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Resource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
    - [Access Analyzer policy check reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    """

    code = "IAM228"
    name = "redundant-resource"
    severity = Severity.INFO
    kinds = frozenset({"identity", "resource", "scp", "rcp", "boundary"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for _, _, entries in arns.policy_resources(policy):
            if len(entries) < 2:
                continue
            values = [node.value for node in entries]
            if all(type(v) is str for v in values):  # the usual case: settled quickly when nothing repeats
                joined = "\0".join(values)
                if "*" not in joined and "?" not in joined and len(set(values)) == len(values):
                    continue
            yield from self._redundant(entries)

    def _redundant(self, entries) -> Iterable[Finding]:
        seen: dict[object, object] = {}
        distinct = []
        for node in entries:
            first = seen.setdefault(_same(node), node)
            if first is not node:
                yield Finding(node, f"`{_shown(node)}` is already listed in this statement (line {first.span.line})",
                              related=((f"first `{_shown(first)}`", first),))
            else:
                distinct.append(node)
        # only an entry with a wildcard covers another; one with a variable covers only itself
        wildcards = [_Pattern(index, n) for index, n in enumerate(distinct)
                     if type(n.value) is str and _wild(n.value) and "${" not in n.value]
        if not wildcards:
            return
        everything = next((w for w in wildcards if w.everything), None)
        # the wildcards by the fixed start of their resource part: an entry is compared only with
        # those whose start its own resource part begins with
        by_start: dict[str, list[_Pattern]] = {}
        for wider in wildcards:
            by_start.setdefault(wider.start, []).append(wider)
        lengths = sorted({len(start) for start in by_start})
        for index, node in enumerate(distinct):
            value = node.value
            if type(value) is not str or "${" in value:  # known only as what it is: `*` alone covers it
                wider = everything if everything is not None and everything.node is not node else None
            else:
                wider = self._wider(index, node, value, by_start, lengths, everything)
            if wider is not None:
                yield Finding(node, f"`{_shown(node)}` is already covered by `{wider.node.value}` in this statement",
                              related=((f"`{wider.node.value}`", wider.node),))

    @staticmethod
    def _wider(index: int, node, value: str, by_start: dict, lengths: list[int], everything) -> _Pattern | None:
        arn = arns.parse(value)
        resource = arn.resource.text if arn is not None else None
        candidates = [] if everything is None else [everything]
        if resource is not None:
            candidates += [w for length in lengths if length <= len(resource)
                           for w in by_start.get(resource[:length], ())]
        if len(candidates) > 1:
            candidates.sort(key=lambda w: w.index)  # the first in the list that covers it is named
        for wider in candidates:
            if wider.node is node:
                continue
            if not wider.everything:
                if not resource.endswith(wider.end) or not arns.coverer(wider.node.value)(value):
                    continue
            # of two entries that cover each other, the first stays
            if wider.index > index and arns.coverer(value)(wider.node.value):
                continue
            return wider
        return None


class _Pattern:
    """A wildcard entry: its place in the list, and its resource part's fixed start and end."""

    __slots__ = ("index", "node", "everything", "start", "end")

    def __init__(self, index: int, node) -> None:
        self.index, self.node = index, node
        self.everything, self.start, self.end = _outline(node.value)


@lru_cache(maxsize=8192)
def _outline(value: str) -> tuple[bool, str, str]:
    """Whether a pattern matches everything, and its resource part's text before the first
    wildcard and after the last."""
    arn = arns.parse(value)
    resource = arn.resource.text if arn is not None else ""
    first = min((i for i in (resource.find("*"), resource.find("?")) if i >= 0), default=len(resource))
    last = max(resource.rfind("*"), resource.rfind("?"))
    return _everything(value), resource[:first], resource[last + 1:] if last >= 0 else resource


def _shown(node) -> str:
    value = node.value
    return value if type(value) is str else value.spelled()
