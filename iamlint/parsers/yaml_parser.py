"""YAML to positioned nodes, built straight from the events of PyYAML's C parser.

Events carry a start and end mark and leave tags alone, so CloudFormation's short-form tags
(``!Sub``, ``!GetAtt``, ...) need no constructor: they become the long form (``{"Fn::Sub": ...}``)
with the tagged node's span, exactly as a JSON template would spell them. Unknown tags are
ignored. Building from events rather than from PyYAML's composed nodes halves the time of a
parse (one tree built, not two), which is what an editor waits for on every save.
Aliases share one node; expanding them into the tree is counted, so a "billion laughs" file
stops at a limit instead of filling the memory. Nesting is kept on an explicit stack: no
recursion, whatever the depth.
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

_PREFIX = "tag:yaml.org,2002:"
_MERGE = _PREFIX + "merge"
_CONSTRUCTED = {_PREFIX + t for t in ("int", "float", "bool", "null")}
_FLOAT_MAX = 1.7976931348623157e308
_new_span = tuple.__new__  # Span(...) without the namedtuple's Python-level constructor


def parse_yaml(text: str) -> ParsedJSON:
    """Parse one YAML document into nodes. Raises ParseError (IAM001, or IAM003 for expansion
    and nesting beyond the limits)."""
    builder = build_yaml(text)
    return ParsedJSON(builder.root, builder.lines, builder.duplicates, text, builder.huge_numbers)


def build_yaml(text: str, first_line: int = 1, depth: int = 0) -> _Builder:
    """The builder after reading ``text``, whose first line is line ``first_line`` of its file
    and whose root is ``depth`` levels down in it (a part of a template re-read on its own, see
    yaml_incremental)."""
    import yaml

    try:
        from yaml._yaml import CParser as parser_class
    except ImportError:  # PyYAML without its C extension: the same events, slower
        from yaml import SafeLoader as parser_class
    parser = parser_class(text)
    builder = _Builder(text, LineIndex(text), yaml, first_line, depth)
    try:
        builder.build(parser)
        return builder
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(p) for p in (error.context, error.problem) if p) or "invalid YAML"
        raise ParseError(f"invalid YAML: {message}", _offset(text, mark)) from None
    except yaml.YAMLError as error:
        raise ParseError(f"invalid YAML: {error}", 0) from None
    finally:
        if hasattr(parser, "dispose"):
            parser.dispose()


def _offset(text: str, mark) -> int:
    return 0 if mark is None else max(0, min(mark.index, len(text)))


class _Collection:
    """A mapping or sequence whose end event has not come yet."""

    __slots__ = ("event", "value", "key", "merged", "counted")

    def __init__(self, event, value, counted: int) -> None:
        self.event = event  # its start event: marks, tag, anchor
        self.value = value  # dict or list, filled as its children end
        self.key: Node | None = None  # a mapping's key waiting for its value
        self.merged: set[str] | None = None  # names that came from `<<:` (explicit keys override them)
        self.counted = counted  # nodes counted before it began (its expanded size, for an anchor)


class _Builder:
    def __init__(self, text: str, lines: LineIndex, yaml, first_line: int = 1, depth: int = 0) -> None:
        self.text = text
        self.lines = lines
        self.yaml = yaml
        self.line_base = first_line  # marks count lines from 0
        self.depth_limit = MAX_DEPTH - depth
        self.root: Node | None = None
        self.at_end: list[Node] = []  # collections that end where the text ends
        self.duplicates: list[tuple[Node, Node]] = []
        self.huge_numbers: list[tuple[Node, str]] = []  # numbers that read as infinity or NaN
        self.count = 0  # nodes in the tree with every alias expanded
        self.anchors: dict[str, tuple[Node, int]] = {}  # anchor -> (its node, its expanded size)
        self.resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
        self.constructed: dict[tuple[str, str], object] = {}  # (tag, text) -> int, float, bool or None
        self.merge_key: Node | None = None  # the last plain `<<` read

    def build(self, parser) -> None:
        from yaml import events

        scalar_event, alias_event = events.ScalarEvent, events.AliasEvent
        mapping_start, sequence_start = events.MappingStartEvent, events.SequenceStartEvent
        collection_end = (events.MappingEndEvent, events.SequenceEndEvent)
        document_start, stream_end = events.DocumentStartEvent, events.StreamEndEvent
        get_event = parser.get_event

        stack: list[_Collection] = []
        root: Node | None = None
        documents = 0
        while True:
            event = get_event()
            kind = event.__class__
            if kind is scalar_event:
                node = self.scalar(event)
            elif kind is mapping_start or kind is sequence_start:
                if len(stack) >= self.depth_limit:
                    raise ParseError(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark.index,
                                     code="IAM003")
                if event.anchor is not None:
                    self.anchors[event.anchor] = (None, 0)  # open: an alias to it now is a cycle
                self.count += 1
                stack.append(_Collection(event, {} if kind is mapping_start else [], self.count - 1))
                continue
            elif kind in collection_end:
                node = self.finish(stack.pop(), event)
            elif kind is alias_event:
                node = self.alias(event)
            elif kind is document_start:
                documents += 1
                if documents > 1:
                    raise ParseError("invalid YAML: expected a single document in the stream, but found another "
                                     "document", event.start_mark.index)
                continue
            elif kind is stream_end:
                break
            else:  # stream start, document end
                continue
            if stack:
                self.add(stack[-1], node)
            else:
                root = node
        if root is None:
            raise ParseError("the file is empty; expected a YAML mapping", 0)
        self.root = root

    # --- nodes ---

    def scalar(self, event) -> Node:
        start, end = event.start_mark, event.end_mark
        self.count += 1
        tag, text = event.tag, event.value
        if tag is None and event.implicit[0]:  # a plain scalar: `true`, `12`, `~` are not strings
            tag = self.resolve(text)
        if tag not in _CONSTRUCTED:
            value = text  # strings, short-form tags, timestamps (`Version: 2012-10-17`): as written
        else:
            value = self.construct(tag, text)
        base = self.line_base
        node = Node(value, _new_span(Span, (start.line + base, start.column + 1, end.line + base, end.column + 1)))
        if (type(value) is float and value - value != 0.0) or (type(value) is int and not
                                                                  -_FLOAT_MAX <= value <= _FLOAT_MAX):
            self.huge_numbers.append((node, text))  # `.inf`, `.nan`, `1e999`, 400 digits
        if tag is not None and tag in INTRINSIC_TAGS:
            node = self.intrinsic(event, node)
        elif tag == _MERGE:
            self.merge_key = node
        if event.anchor is not None:
            self.anchors[event.anchor] = (node, 1)
        return node

    def finish(self, collection: _Collection, end_event) -> Node:
        start, end, base = collection.event.start_mark, end_event.end_mark, self.line_base
        node = Node(collection.value, _new_span(Span, (start.line + base, start.column + 1, end.line + base,
                                                       end.column + 1)))
        if end.index >= len(self.text):
            self.at_end.append(node)
        event = collection.event
        if event.tag is not None and event.tag in INTRINSIC_TAGS:
            node = self.intrinsic(event, node)
            if end.index >= len(self.text):
                self.at_end.append(node)
        if event.anchor is not None:
            self.anchors[event.anchor] = (node, self.count - collection.counted)
        return node

    def alias(self, event) -> Node:
        """The node of the anchor (sharing, not copying); only its expanded size is counted, so a
        bomb is caught before it explodes."""
        anchored = self.anchors.get(event.anchor)
        if anchored is None:
            raise ParseError(f"invalid YAML: found undefined alias {event.anchor!r}", event.start_mark.index)
        if anchored[0] is None:
            raise ParseError("an alias refers to the collection that contains it", event.start_mark.index,
                             code="IAM003")
        shared, size = anchored
        self.count += size
        if self.count > MAX_NODES:
            raise ParseError(f"aliases expand to more than {MAX_NODES:,} nodes (a \"billion laughs\" file?)",
                             event.start_mark.index, code="IAM003")
        return Node(shared.value, shared.span)  # its own key, shared contents

    def intrinsic(self, event, node: Node) -> Node:
        """``!Sub x`` as ``{"Fn::Sub": x}``: the value starts after the tag, the key is the tag."""
        tag, span = event.tag, node.span
        text, start, end = self.text, event.start_mark.index + len(tag), event.end_mark.index
        while start < end and text[start] in " \t\r\n":
            start += 1
        line, column = self.lines.position(start)
        node.span = Span(line + self.line_base - 1, column, span.end_line, span.end_column)
        long_form = INTRINSIC_TAGS[tag]
        if long_form == "Fn::GetAtt" and type(node.value) is str:  # !GetAtt Resource.Attribute
            resource, _, attribute = node.value.partition(".")
            node = Node([Node(resource, node.span), Node(attribute, node.span)], node.span)
        node.key = Node(long_form, Span(span.line, span.column, span.line, span.column + len(tag)))
        return Node({long_form: node}, span)

    # --- collections ---

    def add(self, collection: _Collection, node: Node) -> None:
        value = collection.value
        if type(value) is list:
            value.append(node)
            return
        key = collection.key
        if key is None:  # this node is a key; its value comes next
            if type(node.value) is not str:
                node.value = str(node.to_python() if type(node.value) in (dict, list) else node.value)
            collection.key = node
            return
        collection.key = None
        name = key.value
        if key is self.merge_key:  # `<<: *defaults`
            self.merge(collection, node)
            return
        node.key = key
        previous = value.get(name)
        if previous is not None:
            if collection.merged is not None and name in collection.merged:
                collection.merged.discard(name)  # an explicit key overrides a merged one
            else:
                self.duplicates.append((previous.key, key))
            del value[name]
        value[name] = node

    def merge(self, collection: _Collection, merged: Node) -> None:
        if collection.merged is None:
            collection.merged = set()
        for source in (merged.value if type(merged.value) is list else [merged]):
            if type(source.value) is dict:
                for name, item in source.value.items():
                    if name not in collection.value:
                        collection.value[name] = item
                        collection.merged.add(name)

    # --- scalars ---

    def resolve(self, text: str) -> str | None:
        """The tag YAML's implicit rules give a plain scalar (PyYAML's own resolver table)."""
        resolvers = self.resolvers.get(text[0] if text else "")
        if resolvers:
            for tag, pattern in resolvers:
                if pattern.match(text):
                    return tag
        for tag, pattern in self.resolvers.get(None, ()):
            if pattern.match(text):
                return tag
        return None

    def construct(self, tag: str, text: str):
        key = (tag, text)
        try:
            return self.constructed[key]
        except KeyError:
            pass
        from yaml.constructor import SafeConstructor
        from yaml.nodes import ScalarNode

        try:
            value = SafeConstructor().construct_object(ScalarNode(tag, text))
        except Exception:  # noqa: BLE001 - `!!bool "2010-09-09"`, `!!int ""`: PyYAML's constructors raise anything
            value = text
            if tag == _PREFIX + "int" and text.lstrip("+-").isdigit():  # more digits than Python converts
                value = float(text)  # beyond every float: infinity

        self.constructed[key] = value
        return value
