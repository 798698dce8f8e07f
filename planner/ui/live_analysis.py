"""Re-run the gap analysis shortly after the org changes, and hand the result to whoever shows it.

Edits often come in bursts (a multi-delete emits one ``changed`` per node and
link), so the org's ``changed`` signal only restarts a single-shot timer; when
it fires, :func:`planner.analysis.analyze` runs once and ``updated`` carries the
:class:`~planner.analysis.AnalysisResult` to the gaps panel, the card badges
and the status bar.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from planner.analysis import AnalysisResult, analyze
from planner.model.org import Org

DEBOUNCE_MS = 150


class LiveAnalysis(QObject):
    """Follows one org and publishes its analysis, at most once per burst of edits."""

    updated = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.org: Org | None = None
        self.result: AnalysisResult | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_now)

    def set_org(self, org: Org | None) -> None:
        if self.org is not None:
            self.org.changed.disconnect(self.schedule)
        self.org = org
        if org is not None:
            org.changed.connect(self.schedule)
        self.run_now()

    def schedule(self) -> None:
        self._timer.start()

    def is_pending(self) -> bool:
        return self._timer.isActive()

    def run_now(self) -> None:
        """Analyse at once (also what the timer calls)."""
        self._timer.stop()
        self.result = analyze(self.org) if self.org is not None else None
        self.updated.emit(self.result)
