"""The inspector: edit what is selected — a card's fields, a link's kind, or the org itself.

It shows one page at a time: the org (name, profile) when nothing is selected,
a node's name, title, notes and the attributes its kind has (team size,
stakeholder scope, vacancy, accepted rule codes), a link's kind, or a count
when several things are selected. Every change goes through the
:class:`~planner.ui.document.Document` as an undoable command; typing in one
field is one editing session, which undoes in a single step. When the model
changes (undo, another panel), the fields follow it without disturbing the
field being typed in.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIntValidator, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from planner.analysis import all_rules, get_profile, get_rule, profile_for
from planner.chart.theme import current_theme, kind_icon
from planner.model.org import LinkKey, Node, Org
from planner.model.vocabulary import (
    DEV_TEAM,
    LINK_KINDS,
    NODE_DESCRIPTIONS,
    NODE_KINDS,
    NODE_LABELS,
    PERSON_KINDS,
    PRODUCT,
    PROFILES,
    STAKEHOLDER,
)
from planner.ui.document import Document, EditRefused
from planner.wording import plural

_CODE_SPLIT = re.compile(r"[\s,;]+")
#: What the line under a card's name holds, by kind: a job title for people, a short description otherwise.
TITLE_HINTS = {
    DEV_TEAM: "What the team works on",
    PRODUCT: "What the product is (optional)",
    STAKEHOLDER: "Organisation or role",
}


def _set_text(widget: QLineEdit, text: str) -> None:
    if widget.text() != text:
        widget.blockSignals(True)
        widget.setText(text)
        widget.blockSignals(False)
        if not widget.hasFocus():
            widget.setCursorPosition(0)  # show a long value from its start, not its end


def _set_combo(widget: QComboBox, data) -> None:
    index = widget.findData(data)
    if index != widget.currentIndex():
        widget.blockSignals(True)
        widget.setCurrentIndex(index)
        widget.blockSignals(False)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # names come from files: show tags as typed, never as markup
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def _hint(text: str = "") -> QLabel:
    """A wrapped, quieter label for explanations (the placeholder colour, in light and dark palettes)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class InspectorWidget(QWidget):
    """Edits the selection through the document; ``message`` reports refused edits."""

    message = Signal(str)
    #: A link was replaced by an edit here (kind changed, reversed): select the new one.
    link_selection_requested = Signal(object)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.org: Org | None = None
        self.node_id: str | None = None
        self.link_key: LinkKey | None = None
        self._session: int | None = None
        #: The card whose name field has the focus, and its name when the field got it (put back if left empty).
        self._naming: tuple[str, str] | None = None
        # Counting links walks the whole graph; during a burst of edits it is done once, afterwards.
        #: How many links the org has, while no link came or went (None: count them).
        self._links: int | None = None
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(100)
        self._summary_timer.timeout.connect(self._refresh_summary)
        self._stack = QStackedWidget(self)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self._stack)
        self._build_org_page()
        self._build_node_page()
        self._build_link_page()
        self._build_many_page()
        document.org_replaced.connect(self._follow)
        self._follow(document.org)

    # -- pages ------------------------------------------------------------------------

    def _form(self) -> tuple[QWidget, QVBoxLayout, QFormLayout]:
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        return page, outer, form

    @staticmethod
    def _compact(combo: QComboBox) -> QComboBox:
        """Let a combo box with long entries shrink with the dock (its popup still shows them whole)."""
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        return combo

    def _build_org_page(self) -> None:
        page, outer, form = self._form()
        outer.addWidget(_heading("Organisation"))
        self.org_name = QLineEdit()
        self.org_name.setObjectName("org_name")
        self.org_name.setPlaceholderText("Name of the org")
        self.org_name.textEdited.connect(lambda text: self.document.rename_org(text, self._session))
        self.org_name.installEventFilter(self)
        form.addRow("Name", self.org_name)
        self.org_profile = self._compact(QComboBox())
        for name in PROFILES:
            self.org_profile.addItem(get_profile(name).title, name)
        self.org_profile.activated.connect(lambda: self.document.set_profile(self.org_profile.currentData()))
        form.addRow("Profile", self.org_profile)
        outer.addLayout(form)
        self.org_profile_note = _hint()
        outer.addWidget(self.org_profile_note)
        self.org_summary = _hint()
        outer.addWidget(self.org_summary)
        outer.addWidget(_hint("Select a card or a link to edit it. Double-click a card to jump to its name."))
        outer.addStretch(1)
        self.org_page = page
        self._stack.addWidget(page)

    def _build_node_page(self) -> None:
        page, outer, form = self._form()
        header = QHBoxLayout()
        self.node_icon = QLabel()
        self.node_icon.setFixedSize(32, 32)
        header.addWidget(self.node_icon)
        self.node_heading = _heading("")
        header.addWidget(self.node_heading, 1)
        outer.addLayout(header)
        self.node_description = _hint()
        outer.addWidget(self.node_description)

        self.kind = self._compact(QComboBox())
        for kind in NODE_KINDS:
            self.kind.addItem(NODE_LABELS[kind], kind)
        self.kind.activated.connect(lambda: self._edit(kind=self.kind.currentData()))
        form.addRow("Kind", self.kind)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setPlaceholderText("Person, team or product name")
        self.name.textEdited.connect(lambda text: self._edit(name=text))
        self.name.editingFinished.connect(self._name_finished)
        form.addRow("Name", self.name)
        self.title = QLineEdit()
        self.title.setObjectName("title")
        self.title.textEdited.connect(lambda text: self._edit(title=text))
        self.title_label = QLabel("Title")
        form.addRow(self.title_label, self.title)
        self.vacant = QCheckBox("Vacant — still to hire")
        self.vacant.toggled.connect(lambda checked: self._edit(vacant=checked))
        form.addRow("", self.vacant)
        # A plain number field: emptying it means "not known", which a spin box cannot say (it gives 0).
        self.size = QLineEdit()
        self.size.setObjectName("size")
        self.size.setValidator(QIntValidator(0, 9999, self.size))
        self.size.setPlaceholderText("Unknown")
        self.size.setToolTip("How many people work in the team; leave it empty when you do not know")
        self.size.textEdited.connect(lambda text: self._edit(size=int(text) if text.strip() else None))
        self.size_label = QLabel("Team size")
        form.addRow(self.size_label, self.size)
        self.scope = self._compact(QComboBox())
        self.scope.addItem("Not set", None)
        self.scope.addItem("Internal (sales, legal, executives…)", "internal")
        self.scope.addItem("External (customers, partners…)", "external")
        self.scope.activated.connect(lambda: self._edit(scope=self.scope.currentData()))
        self.scope_label = QLabel("Scope")
        form.addRow(self.scope_label, self.scope)
        self.ignore = QLineEdit()
        self.ignore.setObjectName("ignore")
        self.ignore.setPlaceholderText("e.g. RSK002")
        self.ignore.setToolTip(
            "Rule codes whose findings about this card you accept as known risks, "
            "separated by commas. Accepted findings leave the gaps list."
        )
        self.ignore.editingFinished.connect(self._edit_ignore)
        completer = QCompleter([f"{rule.code} {rule.name}" for rule in all_rules()], self.ignore)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.ignore.setCompleter(completer)
        form.addRow("Accepted", self.ignore)
        outer.addLayout(form)
        notes_label = QLabel("Notes")
        outer.addWidget(notes_label)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setPlaceholderText("Anything worth remembering: scope, plans, hiring status…")
        self.notes.textChanged.connect(lambda: self._edit(notes=self.notes.toPlainText()))
        outer.addWidget(self.notes, 1)
        for widget in (self.name, self.title, self.size, self.notes, self.ignore):
            widget.installEventFilter(self)
        self.node_page = page
        self._stack.addWidget(page)

    def _build_link_page(self) -> None:
        page, outer, form = self._form()
        outer.addWidget(_heading("Link"))
        self.link_source = QLabel()
        self.link_source.setTextFormat(Qt.TextFormat.PlainText)
        self.link_source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("From", self.link_source)
        self.link_target = QLabel()
        self.link_target.setTextFormat(Qt.TextFormat.PlainText)
        self.link_target.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("To", self.link_target)
        self.link_kind = self._compact(QComboBox())
        self.link_kind.activated.connect(self._edit_link_kind)
        form.addRow("Kind", self.link_kind)
        outer.addLayout(form)
        self.link_meaning = _hint()
        outer.addWidget(self.link_meaning)
        self.link_reverse = QPushButton("Reverse direction")
        self.link_reverse.clicked.connect(self._reverse_link)
        row = QHBoxLayout()
        row.addWidget(self.link_reverse)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.link_page = page
        self._stack.addWidget(page)

    def _build_many_page(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.many_heading = _heading("")
        layout.addWidget(self.many_heading)
        layout.addWidget(
            _hint(
                "Drag them together, press the arrow keys to nudge them, or Delete to remove them. "
                "With two cards selected, L links them."
            )
        )
        layout.addStretch(1)
        self.many_page = page
        self._stack.addWidget(page)

    # -- following the document ------------------------------------------------------------

    def _follow(self, org: Org) -> None:
        self.detach()
        self.org = org
        org.changed.connect(self.refresh)
        org.link_added.connect(self._links_changed)
        org.link_removed.connect(self._links_changed)
        self.show_selection([], [])
        self._refresh_summary()

    def detach(self) -> None:
        if self.org is not None:
            self.org.changed.disconnect(self.refresh)
            self.org.link_added.disconnect(self._links_changed)
            self.org.link_removed.disconnect(self._links_changed)
            self.org = None
        self._links = None

    def _links_changed(self, _link=None) -> None:
        self._links = None

    def show_selection(self, node_ids, link_keys) -> None:
        node_ids, link_keys = list(node_ids), list(link_keys)
        self.node_id = node_ids[0] if len(node_ids) == 1 and not link_keys else None
        self.link_key = link_keys[0] if len(link_keys) == 1 and not node_ids else None
        self._session = self.document.new_session()
        focus = QApplication.focusWidget()
        if focus is not None and self._stack.currentWidget().isAncestorOf(focus):
            # Park the focus here; hiding the page would otherwise hand it to the next widget in the window.
            self.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.node_id is not None:
            self._stack.setCurrentWidget(self.node_page)
        elif self.link_key is not None:
            self._stack.setCurrentWidget(self.link_page)
        elif node_ids or link_keys:
            parts = []
            if node_ids:
                parts.append(f"{len(node_ids)} card{'s' if len(node_ids) != 1 else ''}")
            if link_keys:
                parts.append(f"{len(link_keys)} link{'s' if len(link_keys) != 1 else ''}")
            self.many_heading.setText(" and ".join(parts) + " selected")
            self._stack.setCurrentWidget(self.many_page)
        else:
            self._stack.setCurrentWidget(self.org_page)
        self.refresh()

    def refresh(self) -> None:
        """Bring the visible page in line with the model."""
        org = self.org
        if org is None:
            return
        page = self._stack.currentWidget()
        if page is self.node_page:
            node = org.get(self.node_id) if self.node_id is not None else None
            if node is None:
                self.show_selection([], [])
                return
            self._refresh_node(node)
        elif page is self.link_page:
            if self.link_key is None or not org.has_link(self.link_key):
                self.show_selection([], [])
                return
            self._refresh_link(self.link_key)
        elif page is self.org_page:
            _set_text(self.org_name, org.name)
            _set_combo(self.org_profile, org.profile)
            profile = profile_for(org)
            self.org_profile_note.setText(
                f"{profile.title} ({profile.file}). {profile.description}" if profile.file else profile.description
            )
            self._summary_timer.start()

    def _refresh_summary(self) -> None:
        org = self.org
        if org is None:
            return
        # Counted again only after links came or went: at 100,000 cards a count takes tens of milliseconds.
        if self._links is None:
            self._links = org.number_of_links()
        self.org_summary.setText(f"{plural(len(org), 'card')} · {plural(self._links, 'link')}")

    def _refresh_node(self, node: Node) -> None:
        self.node_icon.setPixmap(kind_icon(node.kind, current_theme()).pixmap(32, 32))
        self.node_heading.setText(node.label)
        self.node_description.setText(NODE_DESCRIPTIONS[node.kind])
        _set_combo(self.kind, node.kind)
        _set_text(self.name, node.name)
        _set_text(self.title, node.title)
        is_person = node.kind in PERSON_KINDS
        self.title_label.setText("Title" if is_person else "Subtitle")
        self.title.setPlaceholderText(TITLE_HINTS.get(node.kind, "Job title" if is_person else "Optional"))
        # Products and stakeholders are not hired; the box shows for them only to clear an old mark.
        self.vacant.setVisible(node.kind in PERSON_KINDS or node.kind == DEV_TEAM or node.vacant)
        if self.vacant.isChecked() != node.vacant:
            self.vacant.blockSignals(True)
            self.vacant.setChecked(node.vacant)
            self.vacant.blockSignals(False)
        is_team = node.kind == DEV_TEAM
        self.size.setVisible(is_team or node.size is not None)
        self.size_label.setVisible(self.size.isVisible())
        _set_text(self.size, "" if node.size is None else str(node.size))
        is_stakeholder = node.kind == STAKEHOLDER
        self.scope.setVisible(is_stakeholder or node.scope is not None)
        self.scope_label.setVisible(self.scope.isVisible())
        _set_combo(self.scope, node.scope)
        if not self.ignore.hasFocus():
            _set_text(self.ignore, ", ".join(node.ignore))
        if self.notes.toPlainText() != node.notes:
            self.notes.blockSignals(True)
            self.notes.setPlainText(node.notes)
            self.notes.blockSignals(False)

    def _refresh_link(self, key: LinkKey) -> None:
        org = self.org
        source, target = org.node(key.source), org.node(key.target)
        self.link_source.setText(f"{source.label}  ({NODE_LABELS[source.kind]})")
        self.link_target.setText(f"{target.label}  ({NODE_LABELS[target.kind]})")
        allowed = self.document.allowed_kinds(key)
        kinds = allowed if key.kind in allowed else [key.kind, *allowed]
        self.link_kind.blockSignals(True)
        self.link_kind.clear()
        for kind in kinds:
            suffix = "" if kind in allowed else "  (not allowed here)"
            self.link_kind.addItem(LINK_KINDS[kind].label + suffix, kind)
        self.link_kind.setCurrentIndex(kinds.index(key.kind))
        self.link_kind.blockSignals(False)
        meaning = LINK_KINDS[key.kind].meaning
        if key.kind not in allowed:
            meaning += (
                "\n\nThis kind of link is not allowed from a "
                f"{NODE_LABELS[source.kind].lower()} to a {NODE_LABELS[target.kind].lower()}; "
                "pick another kind or delete it."
            )
        self.link_meaning.setText(meaning)

    # -- edits ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            # Each visit to a field is its own editing session: its keystrokes undo together.
            self._session = self.document.new_session()
            if watched is self.name and self.node_id is not None and self.org is not None:
                self._naming = (self.node_id, self.org.node(self.node_id).name)
        return super().eventFilter(watched, event)

    def _name_finished(self) -> None:
        """Leaving the name field: put back a name left empty, and warn about a name another card has."""
        naming, self._naming = self._naming, None
        if naming is None or self.org is None or self.org.get(naming[0]) is None:
            return
        node_id, before = naming
        node = self.org.node(node_id)
        if not node.name.strip():
            restored = before if before.strip() else node_id
            self.document.edit_node(node_id, self._session, name=restored)
            self.message.emit(f"A card needs a name: “{restored}” was put back")
            self.refresh()
            return
        key = node.name.strip().casefold()
        twins = [other.id for other in self.org.nodes() if other.id != node_id and other.name.strip().casefold() == key]
        if twins:
            self.message.emit(
                f"Another card is also called “{node.name.strip()}” ({', '.join(twins[:3])}): "
                "findings and the report will not tell them apart"
            )

    def _edit(self, **changes) -> None:
        if self.node_id is None:
            return
        try:
            self.document.edit_node(self.node_id, self._session, **changes)
        except EditRefused as exc:
            self.message.emit(str(exc))
            self.refresh()

    def _edit_ignore(self) -> None:
        if self.node_id is None or self.org is None or self.org.get(self.node_id) is None:
            return
        codes = []
        for raw in _CODE_SPLIT.split(self.ignore.text().strip()):
            if not raw:
                continue
            rule = get_rule(raw)
            if rule is None:
                self.message.emit(f"{raw} is not a rule code (see Help › Rules for the list)")
                _set_text(self.ignore, ", ".join(self.org.node(self.node_id).ignore))
                return
            codes.append(rule.code)
        self._edit(ignore=tuple(dict.fromkeys(codes)))
        _set_text(self.ignore, ", ".join(self.org.node(self.node_id).ignore))

    def _edit_link_kind(self) -> None:
        if self.link_key is None:
            return
        kind = self.link_kind.currentData()
        key = self.link_key
        try:
            self.document.change_link_kind(key, kind)
        except EditRefused as exc:
            self.message.emit(str(exc))
            self.refresh()
            return
        self.link_selection_requested.emit(LinkKey(key.source, key.target, kind))

    def _reverse_link(self) -> None:
        if self.link_key is None:
            return
        key = self.link_key
        try:
            self.document.reverse_link(key)
        except EditRefused as exc:
            self.message.emit(str(exc))
            return
        self.link_selection_requested.emit(LinkKey(key.target, key.source, key.kind))

    def focus_name(self) -> None:
        """Put the cursor in the name field (after a double-click on a card)."""
        if self._stack.currentWidget() is self.node_page:
            self.name.setFocus(Qt.FocusReason.OtherFocusReason)
            self.name.selectAll()
