"""`AWS` principals read as accounts: which account a principal names as a whole.

A stand-in for the shared reader of CloudFormation values as principals: it knows the literal
forms and the ways templates spell this stack's own account (``AWS::AccountId``), and nothing
else. Replace ``account_root`` by that reader when it lands; its callers need no change.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Collection

    from iamlint.nodes import Node

THIS_ACCOUNT = "${AWS::AccountId}"  # the account a template is deployed in, whatever its number
SOME_ACCOUNT = "${?}"  # an account only known at deployment (a parameter, a variable): not guessed
_UNKNOWN = "\x00"  # an unknown piece of a principal's text
_ROOT = re.compile(r"^(?:(\d{12}|\$\{AWS::AccountId\})"
                   r"|arn:(?:aws[a-z-]*|\x00):iam::(\d{12}|\$\{AWS::AccountId\}|\x00):root)$")


def account_root(node: Node) -> str | None:
    """The account an `AWS` principal names as a whole: ``111122223333`` for ``111122223333``
    and ``arn:aws:iam::111122223333:root``; ``THIS_ACCOUNT`` for the template's own account as
    CloudFormation spells it (``{"Ref": "AWS::AccountId"}``, ``!Sub
    arn:${AWS::Partition}:iam::${AWS::AccountId}:root``, ``Fn::Join`` of ``arn:``,
    ``{"Ref": "AWS::Partition"}``, ``:iam::``, ``{"Ref": "AWS::AccountId"}``, ``:root``); None
    for anything else (a role, a user, ``*``, a value only known at deployment). A root ARN whose
    account is only known at deployment (``arn:aws:iam::${Partner}:root``, Terraform's
    ``arn:aws:iam::${var.account}:root``) is ``SOME_ACCOUNT``: an account, but not which one."""
    text = _text(node)
    if text is None:
        return None
    match = _ROOT.match(text.strip())
    if match is None:
        return None
    account = match.group(1) or match.group(2)
    return SOME_ACCOUNT if account == _UNKNOWN else account


def is_own_account(node: Node, own_accounts: Collection[str]) -> bool:
    """True when the principal is an account root known to be ours: the template's own account, or
    a literal account listed in ``own_accounts`` (a literal number alone says nothing of whose it is)."""
    account = account_root(node)
    return account is not None and (account == THIS_ACCOUNT or account in own_accounts)


def _text(node: Node) -> str | None:
    """The principal as text, pseudo parameters written ``${AWS::...}``; None when it has parts
    that are not known (a parameter, an attribute, a lookup)."""
    value = node.value
    if type(value) is str:
        return value
    if type(value) in (int, float) and not isinstance(value, bool):
        return str(value)  # an account id that YAML read as a number
    parts = getattr(value, "parts", None)  # a reader's opaque value: known text and unknown pieces
    if parts is not None:
        return "".join(part if type(part) is str else _pseudo(part.name) or _UNKNOWN for part in parts)
    text = getattr(value, "text", None)  # an opaque `Ref X`, which builds no string of pieces
    if type(text) is str and text.startswith("Ref "):
        return _pseudo(text[4:])
    if type(value) is not dict or len(value) != 1:
        return None
    (name, argument), = value.items()
    if name == "Ref":
        return _pseudo(argument.value)  # a parameter alone may be an account or an ARN: not guessed
    if name == "Fn::Sub":  # `!Sub text` or `!Sub [text, {variables}]`: only pseudo parameters are known
        template = argument.value[0] if type(argument.value) is list and argument.value else argument
        if type(template.value) is not str:
            return None
        return re.sub(r"\$\{(?!!)([^}]*)\}", lambda m: _pseudo(m.group(1)) or _UNKNOWN, template.value)
    if name == "Fn::Join":
        parts = argument.value
        if type(parts) is not list or len(parts) != 2 or type(parts[0].value) is not str or not parts[1].is_sequence:
            return None
        texts = [part.value if type(part.value) is str else _text(part) if part.is_mapping else None
                 for part in parts[1].value]
        return parts[0].value.join(_UNKNOWN if text is None else text for text in texts)
    return None


def _pseudo(name) -> str | None:
    if name == "AWS::AccountId":
        return THIS_ACCOUNT
    if name == "AWS::Partition":
        return "aws"
    return None
