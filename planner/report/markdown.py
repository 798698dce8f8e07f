"""The gap report as Markdown that renders on GitHub, for wikis, pull requests and chat. No Qt here, no wording.

Every text of the document goes through :func:`md_text`, which escapes
Markdown and HTML syntax so that a name can neither break a table nor inject
markup. Callouts become block quotes, collapsible detail a ``<details>``
block (GitHub renders it), and a figure its caption and alternative text:
GitHub does not show inline SVG.
"""

from __future__ import annotations

from planner.report import model

_SPECIAL = "\\`*_[]<>|~&#"


def md_text(text: object) -> str:
    """Escape text for Markdown prose and table cells (markup characters, pipes and line breaks)."""
    escaped = "".join("\\" + char if char in _SPECIAL else char for char in str(text))
    return escaped.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _inline(text: model.Inline) -> str:
    parts = []
    for run in text:
        escaped = md_text(run.text)
        if run.strong and run.text.strip():
            lead = escaped[: len(escaped) - len(escaped.lstrip())]
            trail = escaped[len(escaped.rstrip()) :]
            escaped = f"{lead}**{escaped.strip()}**{trail}"
        parts.append(escaped)
    return "".join(parts)


def _cell(cell: str | int) -> str:
    return md_text(model.cell_text(cell))


def _block(block: model.Block, level: int) -> list[str]:
    if isinstance(block, model.Section):
        lines = ["#" * min(level + 1, 6) + " " + md_text(block.title), ""]
        for child in block.blocks:
            lines += _block(child, level + 1)
        return lines
    if isinstance(block, model.Paragraph):
        text = _inline(block.text)
        return [f"*{text}*" if block.style == "note" and text else text, ""]
    if isinstance(block, model.BulletList):
        lines = []
        for number, item in enumerate(block.items, 1):
            lines.append(f"{number}. {_inline(item)}" if block.ordered else f"- {_inline(item)}")
        return lines + [""]
    if isinstance(block, model.Table):
        lines = [md_text(block.caption), ""] if block.caption else []
        lines.append("| " + " | ".join(md_text(c.title) for c in block.columns) + " |")
        lines.append("|" + "".join("---:|" if c.kind == "number" else "---|" for c in block.columns))
        lines += ["| " + " | ".join(_cell(cell) for cell in row.cells) + " |" for row in block.rows]
        return lines + [""]
    if isinstance(block, model.KeyFigures):
        return [
            "| " + " | ".join(md_text(i.label) for i in block.items) + " |",
            "|" + "---:|" * len(block.items),
            "| " + " | ".join(f"**{md_text(i.value)}**" for i in block.items) + " |",
            "",
        ]
    if isinstance(block, model.Callout):
        inner = [f"**{md_text(block.title)}**", ""]
        for child in block.blocks:
            inner += _block(child, level + 1)
        while inner and not inner[-1]:
            inner.pop()
        return [("> " + line) if line else ">" for line in inner] + [""]
    if isinstance(block, model.Figure):
        return [f"*{md_text(block.caption)}* {md_text(block.alt)}", ""]
    if isinstance(block, model.Details):
        lines = ["<details>", f"<summary>{md_text(block.summary)}</summary>", ""]
        for child in block.blocks:
            lines += _block(child, level + 1)
        return lines + ["</details>", ""]
    raise TypeError(f"unknown block {type(block).__name__}")


def render_markdown(document: model.Document) -> str:
    """The whole document as one Markdown text."""
    lines = [f"# {md_text(document.title)}", "", md_text(document.subtitle), ""]
    for child in document.brief.blocks:
        lines += _block(child, 1)
    for section in document.sections:
        lines += _block(section, 1)
    return "\n".join(lines).rstrip() + "\n"
