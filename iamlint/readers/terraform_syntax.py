"""What the Terraform reader asks of HCL beyond values: the references an expression makes,
literal strings, the files ``file()`` and ``templatefile()`` read, and suppression comments.

Nothing here decides what a policy is (``terraform_module``, ``terraform``); it reads syntax.
"""

from __future__ import annotations

import os
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator

    from iamlint.parsers.hcl import Block, Body, Comment
    from iamlint.parsers.hcl_values import Expr

from iamlint.nodes import Span
from iamlint.suppressions import Suppression

# `# iamlint: ignore[...]`, `// iamlint: ignore-file[...]`, `/* iamlint: ignore[...] */`: the words of a comment
SUPPRESSION = re.compile(r"^iamlint\s*:\s*(?P<scope>ignore-file|ignore)\b(?:\[(?P<rules>[^\]]*)\])?")
# a `#`/`//` suppression comment somewhere on a line (quick fixes add a code to one)
LINE_SUPPRESSION = re.compile(r"(?:#|//)\s*iamlint\s*:\s*(?P<scope>ignore-file|ignore)\b(?:\[(?P<rules>[^\]]*)\])?")
_REFERENCE_PARTS = ("get_attr", "index", "splat")


def references(expr: Expr) -> list[tuple[str, ...]]:
    """Every reference an expression makes, anywhere in it (inside calls, conditionals, ``for``
    and string interpolations), as the names of its path: ``data.aws_iam_policy_document.x[0].json``
    -> ``("data", "aws_iam_policy_document", "x", "json")``; indexes and splats are left out."""
    own = getattr(expr, "references", None)
    if own is not None:  # not HCL native syntax (a .tf.json expression)
        return own()
    file = expr.file
    found = []
    stack = [expr.ts]
    while stack:
        ts = stack.pop()
        children = ts.children
        for index, child in enumerate(children):
            if child.type == "variable_expr":
                path = [file.source(child)]
                for part in children[index + 1:]:
                    if part.type not in _REFERENCE_PARTS:
                        break
                    if part.type == "get_attr":
                        path.append(file.source(part.named_children[-1]))
                    elif part.type == "splat":  # `.*.json`, `[*].json`: the names after it
                        splat = part.child(0)
                        path += [file.source(c.named_children[-1]) for c in splat.children if c.type == "get_attr"]
                found.append(tuple(path))
        stack.extend(reversed([c for c in children if c.child_count]))
    return found


def string_of(expr: Expr | None) -> str | None:
    """The value of a literal string expression (``"x"``, ``"${"x"}"`` is not one), else None."""
    if expr is None:
        return None
    expr = expr.unwrapped()
    return expr.string() if expr.kind == "string" else None


def read_path(expr: Expr, folder: str, boundary: str | None = None) -> str | None:
    """The file a ``file()`` / ``templatefile()`` path argument names, when it is literal up to
    ``path.module`` (a relative path counts from the module's folder, where Terraform runs),
    stays inside the module's folder as written, and, symlinks followed, inside ``boundary`` (a
    real path: the run's root); None otherwise: such a file is never read."""
    folder = folder or "."  # what Terraform calls the current folder
    # Terraform runs in the root module's folder: `path.module` is `.` there, and a relative
    # path counts from it (`${path.module}/p.json` of `infra/main.tf` is `infra/p.json`)
    text = expr.render({("path", "module"): "."})
    if text is None:
        return None
    if not os.path.isabs(text):
        text = os.path.join(folder, text)
    text = os.path.normpath(text)
    inside, base = os.path.abspath(text), os.path.abspath(folder)
    if not inside.startswith(base.rstrip(os.sep) + os.sep):
        return None  # outside the module
    if boundary is not None:
        real = os.path.realpath(text)
        if real != boundary and not real.startswith(boundary.rstrip(os.sep) + os.sep):
            return None  # a symlink that leads out of the root
    return text


# --- suppressions -------------------------------------------------------------------------


def comment_suppressions(comments: list[Comment], body: Body, text: str, path: str,
                         problems: list[tuple[Span, str]], origins_of: Any = None) -> list[Suppression]:
    """The suppressions written in comments: on the line of a finding (``ignore``), for the
    file (``ignore-file``), and, written alone on the line above a block or an attribute, for
    all of that block or attribute. Above a ``resource``/``data`` block it also covers what is
    reported for the block elsewhere (``origins_of(block)``: its places, e.g. in the template
    file it reads)."""
    found = []
    following = None
    for comment in comments:
        content = comment.content
        if "iamlint" not in content:
            continue
        match = SUPPRESSION.match(content)
        if match is None:
            continue
        span = comment.span
        scope = match.group("scope")
        selectors = [s.strip() for s in (match.group("rules") or "").split(",") if s.strip()]
        if not selectors:
            problems.append((span, (f"`# iamlint: {scope}` must name the rules it silences, "
                                    f"e.g. `# iamlint: {scope}[IAM401] reason`")))
            continue
        if scope == "ignore-file":
            found.append(Suppression(selectors, span, file_wide=True, lines=(span.line, span.line), path=path))
            continue
        target = None
        if comment.alone and span.line == span.end_line:
            if following is None:
                following = _items_by_line(body)
            target = _next_item(following, comments, comment, text)
        if target is None:
            found.append(Suppression(selectors, span, lines=(span.line, span.end_line), path=path))
            continue
        item, is_block = target
        item_span = item.span
        origins = tuple(origins_of(item)) if is_block and origins_of is not None else ()
        what = f"this `{item.type}` block" if is_block else f"`{item.name}`"
        found.append(Suppression(selectors, span, lines=(item_span.line, item_span.end_line), path=path,
                                 origins=origins, where=what))
    return found


def _items_by_line(body: Body) -> dict[int, list[tuple[Any, bool]]]:
    """Blocks and attributes at every depth, by the line they start on."""
    found: dict[int, list] = {}
    pending = [body]
    while pending:
        current = pending.pop()
        for attribute in current.attributes.values():
            found.setdefault(attribute.span.line, []).append((attribute, False))
        for block in current.blocks:
            found.setdefault(block.span.line, []).append((block, True))
            pending.append(block.body)
    return found


def _next_item(items: dict[int, list], comments: list[Comment], comment: Comment, text: str):
    """The block or attribute on the first line after ``comment`` that is not a comment line,
    if nothing but comments and blank lines separate them."""
    line = comment.span.line + 1
    comment_lines = {c.span.line for c in comments if c.alone}
    lines = text.split("\n")
    while line <= len(lines):
        if line in items:
            # the outermost item starting on that line (a block before the attribute it opens with)
            return min(items[line], key=lambda pair: (pair[0].start, -pair[0].end))
        if line in comment_lines or not lines[line - 1].strip():
            line += 1
            continue
        return None
    return None


def block_address(block: Block) -> str | None:
    """``aws_iam_role.ci`` for ``resource "aws_iam_role" "ci"``, ``data.aws_iam_policy_document.x``
    for a data source, ``module.x``; None for other blocks."""
    labels = block.label_values
    if block.type == "resource" and len(labels) == 2:
        return f"{labels[0]}.{labels[1]}"
    if block.type == "data" and len(labels) == 2:
        return f"data.{labels[0]}.{labels[1]}"
    if block.type == "module" and len(labels) == 1:
        return f"module.{labels[0]}"
    return None


TOP_LEVEL = frozenset({"resource", "data", "locals", "variable", "module", "provider", "output", "terraform"})


def top_level_blocks(body: Body) -> Iterator[Block]:
    """The file's blocks; for one the parser could not close (a syntax error inside it), the
    blocks of top-level types it swallowed, which are whole and valid."""
    pending = list(reversed(body.blocks))
    while pending:
        block = pending.pop()
        if not block.has_error:
            yield block
            continue
        yield block  # the caller decides what to do with a broken block
        pending.extend(reversed([b for b in block.body.blocks if b.type in TOP_LEVEL]))


def walk_blocks(body: Body) -> Iterator[Block]:
    """Every block at every depth, outer ones first."""
    pending = list(reversed(body.blocks))
    while pending:
        block = pending.pop()
        yield block
        pending.extend(reversed(block.body.blocks))
