"""The help window: a guide to the roles, how to use the editor, the shortcuts and every rule.

Topics are listed on the left and shown on the right. The role guide and the
editor guide are HTML files in ``resources/help``; the rule pages are built
from the catalog (:func:`planner.analysis.all_rules`), so they always match the
checks that run; the shortcut table is built from the window's action registry,
so it shows the keys of the platform it runs on, by their readable names.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QListWidget, QListWidgetItem, QSplitter, QTextBrowser, QWidget

from planner.analysis import PROFILE_TABLE, Rule, all_rules, get_rule
from planner.model.duties import DUTY_LIST
from planner.model.vocabulary import NODE_LABELS
from planner.resources import resource_path

TOPIC_ROLE = Qt.ItemDataRole.UserRole + 1

GUIDES = {
    "roles": ("Roles: who does what", "roles.html"),
    "editor": ("Using the editor", "editor.html"),
}


def read_guide(file_name: str) -> str:
    try:
        return resource_path("help", file_name).read_text(encoding="utf-8")
    except OSError:
        return f"<p>The help file <tt>{html.escape(file_name)}</tt> is missing from this installation.</p>"


def rule_html(rule: Rule) -> str:
    """A rule's explanation page: what it detects, why it matters, how to fix it, severity per profile, sources."""
    rows = "".join(
        f"<tr><td>{html.escape(profile.title)}</td><td>{html.escape(rule.severity_for(name))}</td></tr>"
        for name, profile in PROFILE_TABLE.items()
    )
    return (
        f"<h1>{html.escape(rule.code)} · {html.escape(rule.title)}</h1>"
        f"<p><tt>{html.escape(rule.name)}</tt></p>"
        f"<h3>What it detects</h3><p>{html.escape(rule.detects)}</p>"
        f"<h3>Why it matters</h3><p>{html.escape(rule.why)}</p>"
        f"<h3>How to fix</h3><p>{html.escape(rule.fix)}</p>"
        f"<h3>Severity by profile</h3><table cellpadding='3'>{rows}</table>"
        + (f"<p>{html.escape(rule.severity_note)}</p>" if rule.severity_note else "")
        + (
            "<h3>Sources</h3><ul>" + "".join(f"<li>{html.escape(source)}</li>" for source in rule.sources) + "</ul>"
            if rule.sources
            else ""
        )
        + "<p><i>To accept a finding as a known risk, right-click it in the gaps panel, or add the code to the "
        "card's “Accepted” field in the inspector.</i></p>"
    )


def duties_html() -> str:
    """The duties page: what a duty and a responsibility matrix are, the catalog and each profile's convention."""
    profiles = list(PROFILE_TABLE.values())
    head = "".join(f"<th>{html.escape(p.title)}</th>" for p in profiles)
    rows = "".join(
        f"<tr><td><b>{html.escape(duty.label)}</b> <tt>{duty.id}</tt><br>{html.escape(duty.description)}</td>"
        f"<td>{duty.horizon}</td>"
        + "".join(f"<td>{html.escape(_roles(p.holders(duty.id)))}</td>" for p in profiles)
        + "</tr>"
        for duty in DUTY_LIST
    )
    return (
        "<h1>Duties: who answers for what</h1>"
        "<p>An ownership link is a bundle. Owning a product's strategy stands for its vision, its roadmap, its "
        "pricing and more; owning a team's backlog for ordering it, setting sprint goals, accepting the work. Orgs "
        "split these bundles differently, and most reorg arguments are about exactly who keeps which piece. The "
        "planner names each piece a <i>duty</i> and keeps, per product, a responsibility matrix: for every duty, "
        "who is <b>R</b>esponsible (does the work), <b>A</b>ccountable (answers for it and decides; one person), "
        "<b>C</b>onsulted (asked first) and <b>I</b>nformed (told after).</p>"
        "<p>Until you change anything, a product's matrix follows the chart: whoever owns its strategy is "
        "accountable for the strategy duties, and whoever owns the backlogs of the teams building it for the "
        "execution duties. Select a product (or one of its teams) and open the <b>Responsibilities</b> tab beside "
        "the inspector to see it. Double-click a cell, or type R, A, C or I, to change it: the product then keeps a "
        "matrix of its own, saved with the file, and <b>Follow the chart</b> gives it up again. On a person's card, "
        "<b>Assign Duty</b> makes them accountable for one duty of one of their products.</p>"
        "<p>The DUT rules check the matrices you write: a duty with nobody accountable (DUT001) or several "
        "(DUT002), a duty held by a role your profile does not give it (DUT003), a matrix that says something the "
        "links do not (DUT004) and someone accountable for too many duties (DUT005).</p>"
        "<h3>The duties, and who holds each under each profile</h3>"
        f"<table cellpadding='3' border='1' cellspacing='0'><tr><th>Duty</th><th>Horizon</th>{head}</tr>{rows}</table>"
        "<p>A profile file changes the convention duty by duty in a <tt>[duties]</tt> table, for example "
        '<tt>vision = "product_owner"</tt> for an org whose product owners own the whole life cycle, and the '
        "duty limit with <tt>max_accountable_duties</tt> under <tt>[limits]</tt>.</p>"
    )


def _roles(kinds) -> str:
    return " or ".join(NODE_LABELS[kind].lower() for kind in kinds)


def shortcuts_html(shortcuts: Iterable[tuple[str, str]]) -> str:
    """The shortcut table from (action name, readable keys) rows, plus the mouse gestures."""
    rows = [f"<tr><td>{html.escape(name)}</td><td><b>{html.escape(keys)}</b></td></tr>" for name, keys in shortcuts]
    rows.append("<tr><td>Zoom</td><td><b>Ctrl + mouse wheel</b></td></tr>")
    rows.append("<tr><td>Pan</td><td><b>Middle-drag, or Space + drag</b></td></tr>")
    rows.append("<tr><td>Nudge selected cards</td><td><b>Arrow keys (Shift: bigger steps)</b></td></tr>")
    rows.append("<tr><td>Add to the selection</td><td><b>Ctrl + click</b></td></tr>")
    return "<h1>Keyboard shortcuts</h1><table cellpadding='4'>" + "".join(rows) + "</table>"


class HelpDialog(QDialog):
    """A non-modal help browser with a topic list."""

    def __init__(
        self, shortcuts: Callable[[], Iterable[tuple[str, str]]] = tuple, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        # Qt adds " — Team Structure Planner" (the application's display name) to the title bar itself.
        self.setWindowTitle("Help")
        self.resize(QSize(920, 640))
        self._shortcuts = shortcuts
        self.topics = QListWidget(self)
        self.topics.setObjectName("help_topics")
        self.topics.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.topics.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.topics.setSpacing(1)
        self.topics.setUniformItemSizes(True)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("help_browser")
        self.browser.setOpenExternalLinks(True)
        self.browser.document().setDocumentMargin(18)
        for key, (title, _) in GUIDES.items():
            self._add_topic(title, key)
        self._add_topic("Duties and responsibilities", "duties")
        self._add_topic("Keyboard shortcuts", "shortcuts")
        header = self._add_topic("Rules", None)
        header.setFlags(Qt.ItemFlag.NoItemFlags)
        font = header.font()
        font.setBold(True)
        header.setFont(font)
        for rule in all_rules():
            self._add_topic(f"   {rule.code}  {rule.title}", f"rule:{rule.code}")
        self.topics.currentItemChanged.connect(self._on_topic)
        splitter = QSplitter(self)
        splitter.addWidget(self.topics)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 590])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.show_topic("roles")

    def _add_topic(self, title: str, key: str | None) -> QListWidgetItem:
        item = QListWidgetItem(title)
        item.setData(TOPIC_ROLE, key)
        item.setToolTip(title.strip())
        self.topics.addItem(item)
        return item

    def show_topic(self, key: str) -> None:
        for row in range(self.topics.count()):
            if self.topics.item(row).data(TOPIC_ROLE) == key:
                self.topics.setCurrentRow(row)
                self.topics.scrollToItem(self.topics.item(row))
                return

    def show_rule(self, code: str) -> None:
        rule = get_rule(code)
        if rule is not None:
            self.show_topic(f"rule:{rule.code}")

    def _on_topic(self, current: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        key = current.data(TOPIC_ROLE) if current is not None else None
        if key is None:
            return
        if key in GUIDES:
            self.browser.setHtml(read_guide(GUIDES[key][1]))
        elif key == "shortcuts":
            self.browser.setHtml(shortcuts_html(self._shortcuts()))
        elif key == "duties":
            self.browser.setHtml(duties_html())
        elif key.startswith("rule:"):
            rule = get_rule(key[5:])
            if rule is not None:
                self.browser.setHtml(rule_html(rule))
