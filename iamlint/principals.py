"""Principals read as IAM reads them: what each value of ``Principal``/``NotPrincipal`` is.

``principals(statement, element)`` classifies every value once per statement: everyone, an
account, its root, a user, a role, an assumed role, a federated user, a unique id, a service, a
SAML or OIDC provider, an OIDC domain, a canonical user, CloudFront's legacy origin access
identity; ``invalid`` (with the ``problem``) when AWS would reject it; ``unknown`` when it is only
known when deployed and its known pieces do not tell (never ``invalid``). Values built with
functions are read through their known pieces: ``!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root``
is this account's root, ``arn:aws:iam::${var.account}:root`` some account's root.

``account_root`` and ``is_own_account`` answer the narrower question "which account does this
principal name as a whole"; ``account_of`` reads the account of a literal principal.
"""

from __future__ import annotations

import re
from collections import namedtuple

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
        return "".join(part if type(part) is str else _pseudo(part.meaning) or _UNKNOWN for part in parts)
    text = getattr(value, "text", None)  # an opaque `Ref X`, which builds no string of pieces
    if type(text) is str and text.startswith("Ref "):
        return _pseudo(text[4:])
    if type(text) is str and re.match(_TERRAFORM_ACCOUNT, text):
        return THIS_ACCOUNT  # `identifiers = [data.aws_caller_identity.current.account_id]`
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
    if name == "AWS::AccountId" or (name and re.match(_TERRAFORM_ACCOUNT, name)):
        return THIS_ACCOUNT  # Terraform's aws_caller_identity is the account it deploys to
    if name == "AWS::Partition" or (name and re.match(_TERRAFORM_PARTITION, name)):
        return "aws"
    return None


# Terraform's data sources for the account and partition it deploys to (compiled on first use)
_TERRAFORM_ACCOUNT = r"^data\.aws_caller_identity\.[\w-]+(?:\[\d+\])?\.account_id$"
_TERRAFORM_PARTITION = r"^data\.aws_partition\.[\w-]+(?:\[\d+\])?\.partition$"


# --- the principal classifier -------------------------------------------------------------

# OIDC identity providers a trust policy names by domain, not by a provider ARN
OIDC_DOMAINS = frozenset({"cognito-identity.amazonaws.com", "www.amazon.com", "graph.facebook.com",
                          "accounts.google.com"})
PRINCIPAL_KEYS = ("AWS", "Service", "Federated", "CanonicalUser")

_THIS = "\x02"  # this template's account (`AWS::AccountId`) while a value is matched
_PART = r"(?:aws[a-z-]*|\x00)"  # a partition; an unknown piece stands for any
_ACCT = r"(\d{12}|\x00|\x02)"  # an account: 12 digits, unknown, or this template's


class _Patterns:
    """The principal formats, compiled when first needed (not at import: most runs never ask)."""

    def __init__(self) -> None:
        self.aws_forms = tuple((kind, re.compile(pattern, re.S)) for kind, pattern in (
            ("root", rf"arn:{_PART}:iam::{_ACCT}:root"),
            ("user", rf"arn:{_PART}:iam::{_ACCT}:user/.+"),
            ("role", rf"arn:{_PART}:iam::{_ACCT}:role/.+"),
            ("assumed-role", rf"arn:{_PART}:sts::{_ACCT}:assumed-role/[^/]+/.+"),
            ("federated-user", rf"arn:{_PART}:sts::{_ACCT}:federated-user/.+"),
        ))
        self.account_id = re.compile(r"\d{12}|\x02")
        self.unique_id = re.compile(r"A(ID|RO)A[A-Z0-9]{12,}")
        self.cloudfront_oai = re.compile(rf"arn:{_PART}:iam::cloudfront:user/CloudFront Origin Access Identity \S+")
        self.iam_arn = re.compile(rf"arn:{_PART}:(iam|sts):([^:]*):([^:]*):([^/]*)/?.*", re.S)
        self.service = re.compile(r"[a-z0-9\x00][a-z0-9.\x00-]*\.(amazonaws\.com(\.cn)?|amazon\.com)")
        self.saml = re.compile(rf"arn:{_PART}:iam::{_ACCT}:saml-provider/(.+)", re.S)
        self.oidc = re.compile(rf"arn:{_PART}:iam::{_ACCT}:oidc-provider/(.+)", re.S)
        self.canonical = re.compile(r"[0-9a-fA-F]{64}")


_compiled: _Patterns | None = None


def _patterns() -> _Patterns:
    global _compiled
    if _compiled is None:
        _compiled = _Patterns()
    return _compiled


class Principal(namedtuple("Principal", "node key kind account provider problem")):
    """One principal value: its ``node``, the ``key`` it is listed under (``AWS``, ``Service``,
    ``Federated``, ``CanonicalUser``; ``*`` for ``"Principal": "*"``) and its ``kind``:
    ``everyone``, ``account``, ``root``, ``user``, ``role``, ``assumed-role``, ``federated-user``,
    ``unique-id``, ``cloudfront-oai``, ``service``, ``saml-provider``, ``oidc-provider``,
    ``oidc-domain``, ``canonical-user``, ``invalid`` or ``unknown`` (only known when deployed).
    ``account``: the 12 digits of the account it belongs to, ``THIS_ACCOUNT`` for the template's
    own account, None when not known or none. ``provider``: an OIDC provider's host and path
    (``token.actions.githubusercontent.com``, ``oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE``), a
    SAML provider's name, or an OIDC domain. ``problem``: why an ``invalid`` one is invalid."""

    __slots__ = ()


def principals(statement, element: str = "Principal") -> list[Principal]:
    """Every value of a statement's ``Principal`` (or ``NotPrincipal``), classified; built once
    per statement and element. Left out: keys that are not principal types (``Account``) and
    values of a type IAM never accepts (numbers aside: YAML reads account ids as numbers), which
    are the schema's business, and a whole ``Principal`` that is a string other than ``*``."""
    cache = statement._principals
    if cache is None:
        cache = statement._principals = {}
    found = cache.get(element)
    if found is None:
        found = cache[element] = _classify_element(statement.get(element))
    return found


def _classify_element(node: Node | None) -> list[Principal]:
    if node is None:
        return []
    value = node.value
    if type(value) is str:
        return [Principal(node, "*", "everyone", None, None, None)] if value.strip() == "*" else []
    if type(value) is not dict:
        if _is_opaque(node):  # `Principal: !Ref Principals`
            return [Principal(node, "", "unknown", None, None, None)]
        return []
    if _is_intrinsic(value):  # a template's function not turned into an opaque value
        return [Principal(node, "", "unknown", None, None, None)]
    found = []
    for key, values in value.items():
        if key not in PRINCIPAL_KEYS:
            continue
        for item in values.elements():
            principal = classify(item, key)
            if principal is not None:
                found.append(principal)
    return found


def classify(node: Node, key: str) -> Principal | None:
    """One value listed under ``key`` (``AWS``, ``Service``, ``Federated``, ``CanonicalUser``);
    None for a value of a type IAM never accepts (a list inside a list, a boolean, null)."""
    value = node.value
    if type(value) is bool or value is None or type(value) is list or (
            type(value) is dict and not _is_intrinsic(value)):
        return None
    text = _text(node)
    if text is None:
        return Principal(node, key, "unknown", None, None, None)
    text = text.strip().replace(THIS_ACCOUNT, _THIS)
    kind, account, provider, problem = _CLASSIFIERS[key](text)
    if kind == "invalid" and "\x00" in text and not _invalid_whatever_unknown(key, text):
        kind, problem = "unknown", None  # a piece known only when deployed may make it valid
    if account == _THIS:
        account = THIS_ACCOUNT
    elif account == "\x00":
        account = None
    return Principal(node, key, kind, account, provider, problem)


def _aws(text: str) -> tuple:
    if text == "*":
        return "everyone", None, None, None
    patterns = _patterns()
    if patterns.account_id.fullmatch(text):
        return "account", text, None, None
    for kind, pattern in patterns.aws_forms:
        match = pattern.fullmatch(text)
        if match is not None and "*" not in text and "?" not in text:
            return kind, match.group(1), None, None
    if patterns.unique_id.fullmatch(text):
        return "unique-id", None, None, None
    if patterns.cloudfront_oai.fullmatch(text):
        return "cloudfront-oai", None, None, None
    if "*" in text or "?" in text:
        return "invalid", None, None, "a principal cannot contain a wildcard (`*` or `?`): `*` alone means everyone"
    match = patterns.iam_arn.fullmatch(text)
    if match is not None:
        service, region, account, resource = match.groups()
        if region:
            return "invalid", None, None, "IAM and STS principal ARNs have no Region"
        if resource in ("group", "instance-profile", "policy", "saml-provider", "oidc-provider", "mfa",
                        "server-certificate"):
            article = "an" if resource[0] in "aeiou" else "a"
            return "invalid", None, None, f"{article} {resource.replace('-', ' ')} cannot be a principal"
        if resource in ("root", "user", "role", "assumed-role", "federated-user") \
                and "\x00" not in account and "\x02" not in account and not re.fullmatch(r"\d{12}", account):
            return "invalid", None, None, f"`{account}` is no account id (12 digits)"
    if text.isdigit():
        return "invalid", None, None, "an account id has 12 digits"
    return "invalid", None, None, "not an account id (12 digits), nor an IAM role, user, root or STS session ARN"


def _service(text: str) -> tuple:
    if _patterns().service.fullmatch(text):
        return "service", None, None, None
    if text == "*":
        return "invalid", None, None, "`*` means everyone only as `\"Principal\": \"*\"` or `{\"AWS\": \"*\"}`"
    return "invalid", None, None, "a service principal is a service's domain name (`sns.amazonaws.com`)"


def _federated(text: str) -> tuple:
    match = _patterns().saml.fullmatch(text)
    if match is not None:
        return "saml-provider", match.group(1), match.group(2), None
    match = _patterns().oidc.fullmatch(text)
    if match is not None:
        return "oidc-provider", match.group(1), match.group(2), None
    if text in OIDC_DOMAINS:
        return "oidc-domain", None, text, None
    if text == "*":
        return "invalid", None, None, "`*` means everyone only as `\"Principal\": \"*\"` or `{\"AWS\": \"*\"}`"
    return "invalid", None, None, ("a federated principal is a SAML or OIDC provider's ARN, or one of "
                                   + ", ".join(f"`{d}`" for d in sorted(OIDC_DOMAINS)))


def _canonical_user(text: str) -> tuple:
    if _patterns().canonical.fullmatch(text):
        return "canonical-user", None, None, None
    return "invalid", None, None, "a canonical user id has 64 hexadecimal digits"


def _invalid_whatever_unknown(key: str, text: str) -> bool:
    """Whether an AWS principal is invalid in its known pieces alone: a wildcard, or an IAM or
    STS ARN whose Region or resource type is wrong, the unknown pieces only its partition,
    account or name (`arn:${AWS::Partition}:iam::${Partner}:group/admins`)."""
    if key != "AWS":
        return False
    if "*" in text or "?" in text:
        return True
    match = _patterns().iam_arn.fullmatch(text)
    return match is not None and "\x00" not in match.group(2) and "\x00" not in match.group(4)


_CLASSIFIERS = {"AWS": _aws, "Service": _service, "Federated": _federated, "CanonicalUser": _canonical_user}


def _is_intrinsic(value: dict) -> bool:
    return len(value) == 1 and next(iter(value)) in ("Ref", "Fn::Sub", "Fn::Join", "Fn::GetAtt", "Fn::If",
                                                      "Fn::ImportValue", "Fn::Select", "Fn::FindInMap")


def _is_opaque(node: Node) -> bool:
    from iamlint.values import is_opaque

    return is_opaque(node)


_ACCOUNT_OF = re.compile(r"^(?:(\d{12})|arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):.+)$")


def account_of(value: str) -> str | None:
    """The account of a literal principal: ``111122223333`` for an account id and for an IAM or
    STS ARN in it (root, role, user, session); None for anything else."""
    match = _ACCOUNT_OF.match(value.strip())
    return (match.group(1) or match.group(2)) if match else None
