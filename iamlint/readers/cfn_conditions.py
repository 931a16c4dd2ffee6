"""A template's ``Conditions``: which combinations of condition values can happen.

``IsProd: !Equals [!Ref Env, prod]`` and ``IsDev: !Equals [!Ref Env, dev]`` are never both true,
and ``NotProd: !Not [Condition: IsProd]`` is never equal to ``IsProd``. A world of a policy's
alternatives that breaks such a rule is impossible, and a finding that would hold only there is
not a finding. What cannot be evaluated (a parameter's value, ``Fn::FindInMap``, a pseudo
parameter) is an unknown that may take any value; a parameter takes one of the values it is
compared with, one of its ``AllowedValues``, or something else.
"""

from __future__ import annotations

from itertools import product

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

from iamlint.intrinsics import intrinsic_name
from iamlint.nodes import Node

_MAX_VALUATIONS = 4096  # beyond this many combinations of unknowns, every world counts as possible
_OTHER = object()  # a parameter value none of the compared values is


class Conditions:
    """The evaluator of a template's ``Conditions`` section."""

    def __init__(self, root: Node) -> None:
        section = root.get("Conditions")
        self.definitions = dict(section.items()) if section is not None and section.is_mapping else {}
        parameters = root.get("Parameters")
        self.parameters = dict(parameters.items()) if parameters is not None and parameters.is_mapping else {}
        self._compiled: dict[str, Callable] = {}
        self._domains: dict[str, list] = {}  # unknown -> the values worth trying
        self._compiling: set[str] = set()

    def possible(self, world: dict[str, bool]) -> bool:
        """Whether some values of the unknowns give every condition of ``world`` its truth value."""
        tests = [(self._condition(name), truth) for name, truth in world.items() if name in self.definitions]
        if not tests:
            return True
        unknowns = sorted(self._domains)
        domains = [self._domains[u] for u in unknowns]
        count = 1
        for domain in domains:
            count *= len(domain)
        if count > _MAX_VALUATIONS:
            return True
        for values in product(*domains):
            env = dict(zip(unknowns, values, strict=True))
            env.update(("condition:" + name, truth) for name, truth in world.items())
            if all(test(env) is truth for test, truth in tests):
                return True
        return False

    # --- compiling definitions into functions of the unknowns ---

    def _condition(self, name: str) -> Callable:
        compiled = self._compiled.get(name)
        if compiled is None:
            if name in self._compiling or name not in self.definitions:  # a loop, or undefined: unknown
                compiled = self._unknown("condition:" + name, [True, False])
            else:
                self._compiling.add(name)
                compiled = self._expression(self.definitions[name])
                self._compiling.discard(name)
            self._compiled[name] = compiled
        return compiled

    def _expression(self, node: Node) -> Callable:
        name = intrinsic_name(node)
        if name is None and node.is_mapping and set(node.value) == {"Condition"} and node.get("Condition").is_string:
            other = node.get("Condition").value
            condition = self._condition(other)
            key = "condition:" + other
            return lambda env: env[key] if key in env else condition(env)
        argument = node.value[name] if name is not None else None
        items = argument.value if argument is not None and type(argument.value) is list else None
        if name == "Fn::Not" and items is not None and len(items) == 1:
            inner = self._expression(items[0])
            return lambda env: None if inner(env) is None else not inner(env)
        if name in ("Fn::And", "Fn::Or") and items:
            parts = [self._expression(item) for item in items]
            combine = all if name == "Fn::And" else any
            return lambda env: _combine(combine, [part(env) for part in parts])
        if name == "Fn::Equals" and items is not None and len(items) == 2:
            left, right = (self._operand(item) for item in items)
            for side, other in ((left, right), (right, left)):
                # a parameter, or a value only known when deployed (`!Select ...`, a Serverless
                # `${sls:stage}`), may be any literal it is compared with
                domain = self._domains[side[1]] if side[0] != "literal" else None
                if domain is not None and _OTHER in domain and other[0] == "literal" and other[1] not in domain:
                    domain.append(other[1])
            return lambda env: _value(left, env) == _value(right, env)
        return self._unknown(f"expression@{node.span.line}:{node.span.column}", [True, False])

    def _operand(self, node: Node) -> tuple[str, Any]:
        """("literal", text) or ("parameter", its unknown) or ("unknown", its unknown)."""
        if type(node.value) in (str, int, float, bool):
            return "literal", str(node.value).lower() if type(node.value) is bool else str(node.value)
        if intrinsic_name(node) == "Ref" and type(node.value["Ref"].value) is str:
            parameter = node.value["Ref"].value
            key = "parameter:" + parameter
            if key not in self._domains:  # one of its AllowedValues, or any value: one compared or not
                allowed = self._allowed(parameter)
                self._domains[key] = allowed if allowed else [_OTHER]
            return "parameter", key
        key = f"value@{node.span.line}:{node.span.column}"
        self._domains.setdefault(key, [_OTHER])
        return "unknown", key

    def _allowed(self, parameter: str) -> list[str]:
        node = self.parameters.get(parameter)
        allowed = node.get("AllowedValues") if node is not None and node.is_mapping else None
        return [str(n.value) for n in allowed.elements() if type(n.value) in (str, int, float)] if allowed else []

    def _unknown(self, key: str, domain: list) -> Callable:
        self._domains.setdefault(key, domain)
        return lambda env: env.get(key)


def _value(operand: tuple[str, Any], env: dict) -> Any:
    kind, value = operand
    return value if kind == "literal" else env.get(value, _OTHER)


def _combine(combine, values: list) -> bool | None:
    if None in values:
        return None
    return combine(values)
