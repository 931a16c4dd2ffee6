"""YAML to positioned nodes, on PyYAML's C-accelerated composer.

The composer keeps a start and end mark on every node and leaves tags alone, so CloudFormation's
short-form tags (``!Sub``, ``!GetAtt``, ...) need no constructor: they become the long form
(``{"Fn::Sub": ...}``) with the tagged node's span, exactly as a JSON template would spell them.
Unknown tags are ignored. Aliases share one composed node; expanding them into the tree is
counted, so a "billion laughs" file stops at a limit instead of filling the memory.
"""

from __future__ import annotations

from iamlint.nodes import LineIndex, Node, Span
from iamlint.parsers.json_parser import MAX_DEPTH, ParsedJSON, ParseError

# Short-form tags and the long form they stand for.
INTRINSIC_TAGS = {
    "!Ref": "Ref", "!Condition": "Condition",
    **{f"!{name}": f"Fn::{name}" for name in (
        "Sub", "GetAtt", "Join", "If", "Select", "Split", "FindInMap", "ImportValue", "Base64", "Cidr",
        "GetAZs", "Equals", "And", "Or", "Not", "Transform", "Length", "ToJsonString", "ForEach")},
}
# The most nodes alias expansion may produce, whatever the file's size.
MAX_NODES = 1_000_000

_STR, _INT, _FLOAT, _BOOL, _NULL = (f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null"))


def parse_yaml(text: str) -> ParsedJSON:
    """Parse one YAML document into nodes. Raises ParseError (IAM001, or IAM003 for expansion
    and nesting beyond the limits)."""
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        composed = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(p) for p in (error.context, error.problem) if p) or "invalid YAML"
        raise ParseError(f"invalid YAML: {message}", _offset(text, mark)) from None
    except yaml.YAMLError as error:
        raise ParseError(f"invalid YAML: {error}", 0) from None
    except RecursionError:
        raise ParseError(f"nesting deeper than {MAX_DEPTH} levels", 0, code="IAM003") from None
    finally:
        loader.dispose()
    lines = LineIndex(text)
    if composed is None:
        raise ParseError("the file is empty; expected a YAML mapping", 0)
    return _Builder(text, lines, yaml).build(composed)


def _offset(text: str, mark) -> int:
    return 0 if mark is None else max(0, min(mark.index, len(text)))


class _Builder:
    def __init__(self, text: str, lines: LineIndex, yaml) -> None:
        self.text = text
        self.lines = lines
        self.duplicates: list[tuple[Node, Node]] = []
        self.count = 0  # nodes in the tree with every alias expanded
        self.built: dict[int, tuple[Node, int]] = {}  # composed node -> (its node, its expanded size)
        self.aliases = "&" in text  # without an anchor there is no alias: no composed node is reached twice
        self.yaml = yaml
        from yaml.constructor import SafeConstructor

        self.constructor = SafeConstructor()

    def build(self, composed) -> ParsedJSON:
        return ParsedJSON(self.node(composed, 0, set()), self.lines, self.duplicates, self.text)

    def span(self, composed) -> Span:
        start, end = composed.start_mark, composed.end_mark
        return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    def node(self, composed, depth: int, active: set[int]) -> Node:
        """The node of ``composed``. An alias reuses the node built for its anchor (sharing, not
        copying), and only its expanded size is counted, so a bomb is caught before it explodes."""
        seen = self.built.get(id(composed)) if self.aliases else None
        if seen is not None:
            shared, size = seen
            self.count += size
            if self.count > MAX_NODES:
                raise ParseError(f"aliases expand to more than {MAX_NODES:,} nodes (a \"billion laughs\" file?)",
                                 composed.start_mark.index, code="IAM003")
            return Node(shared.value, shared.span)  # its own key, shared contents
        before = self.count
        self.count += 1
        node = self._build(composed, depth, active)
        if self.aliases:
            self.built[id(composed)] = (node, self.count - before)
        return node

    def _build(self, composed, depth: int, active: set[int]) -> Node:
        if depth > MAX_DEPTH:
            raise ParseError(f"nesting deeper than {MAX_DEPTH} levels", composed.start_mark.index, code="IAM003")
        span = self.span(composed)
        yaml = self.yaml
        if isinstance(composed, yaml.ScalarNode):
            node = Node(self.scalar(composed), span)
        else:
            if id(composed) in active:
                raise ParseError("an alias refers to the collection that contains it", composed.start_mark.index,
                                 code="IAM003")
            active.add(id(composed))
            if isinstance(composed, yaml.SequenceNode):
                node = Node([self.node(item, depth + 1, active) for item in composed.value], span)
            else:
                node = Node(self.mapping(composed, depth, active), span)
            active.discard(id(composed))
        long_form = INTRINSIC_TAGS.get(composed.tag)
        if long_form is None:
            return node
        # the tagged node's marks include the tag; its value starts after the tag and white space
        text, start = self.text, composed.start_mark.index + len(composed.tag)
        while start < composed.end_mark.index and text[start] in " \t\r\n":
            start += 1
        line, column = self.lines.position(start)
        node.span = Span(line, column, span.end_line, span.end_column)
        if long_form == "Fn::GetAtt" and type(node.value) is str:  # !GetAtt Resource.Attribute
            resource, _, attribute = node.value.partition(".")
            node = Node([Node(resource, node.span), Node(attribute, node.span)], node.span)
        key = Node(long_form, Span(span.line, span.column, span.line, span.column + len(composed.tag)))
        node.key = key
        return Node({long_form: node}, span)

    def mapping(self, composed, depth: int, active: set[int]) -> dict[str, Node]:
        value: dict[str, Node] = {}
        for key_node, value_node in composed.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *defaults`
                merged = self.node(value_node, depth + 1, active)
                for source in (merged.value if type(merged.value) is list else [merged]):
                    if type(source.value) is dict:
                        for name, item in source.value.items():
                            value.setdefault(name, item)
                continue
            if key_node.tag == _STR and type(key_node.value) is str:  # the usual key: no need for the full path
                self.count += 1
                start, end = key_node.start_mark, key_node.end_mark
                key = Node(key_node.value, Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1))
                name = key_node.value
            else:
                key = self.node(key_node, depth + 1, active)
                name = key.value if type(key.value) is str else str(key.value)
                key.value = name
            item = self.node(value_node, depth + 1, active)
            item.key = key
            previous = value.get(name)
            if previous is not None:
                self.duplicates.append((previous.key, key))
                del value[name]
            value[name] = item
        return value

    def scalar(self, composed):
        tag = composed.tag
        text = composed.value
        if tag == _STR or tag.startswith("!"):
            return text
        if tag in (_INT, _FLOAT, _BOOL, _NULL):
            try:
                return self.constructor.construct_object(composed)
            except (self.yaml.YAMLError, ValueError, OverflowError):
                return text
        return text  # timestamps (`Version: 2012-10-17`), binary and the rest: as written
