"""Re-check the org shortly after it changes, on a worker thread, and hand the result to whoever shows it.

Edits often come in bursts (a multi-delete emits one ``changed`` per node and
link), so the org's ``changed`` signal only restarts a single-shot timer. When
it fires, an :class:`~planner.model.mirror.OrgMirror` (a private copy of the
org that has written down every change since it last caught up) catches up on
the window's thread, which costs in proportion to the edits, not to the org;
then :func:`planner.analysis.analyze` runs on a worker thread over that copy,
while the window goes on. Its result comes back through the window's event
loop and ``updated`` carries it to the gaps panel, the card badges and the
status bar, unless the org changed meanwhile: a stale result is dropped and
the check runs again. One check runs at a time. The worker keeps its check
from one run to the next (:class:`planner.analysis.incremental.LiveCheck`):
after the first, each run brings it up to date with the edits since the last,
rerunning each rule only for the cards those edits can change, and after
renames and moves only writing again the messages that name a renamed card.
A change of profile or of its settings checks the org again in full.
"""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from planner.analysis import AnalysisResult, analyze
from planner.analysis.changes import ResultChanges, changes_between
from planner.analysis.incremental import LiveCheck
from planner.model.mirror import Changes, OrgMirror
from planner.model.org import Org

DEBOUNCE_MS = 150
#: While a check runs, Python hands its lock to the window's thread after at most this long (the default, 5 ms,
#: let a busy check hold the window back for tens of milliseconds at a time).
SWITCH_INTERVAL = 0.001
#: Orgs up to this many cards are checked on the spot when opened (a few milliseconds): the panel is never empty.
CHECK_AT_ONCE_BELOW = 5000


class LiveAnalysis(QObject):
    """Follows one org and publishes its analysis, at most once per burst of edits, without blocking."""

    updated = Signal(object)
    #: (generation, result or exception) from the worker thread, delivered on the window's thread.
    _finished = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.org: Org | None = None
        self.result: AnalysisResult | None = None
        #: What changed from the result shown before to :attr:`result`, when the worker thread worked it out.
        self.changes: ResultChanges | None = None
        self._mirror: OrgMirror | None = None
        #: The check kept on the mirror's copy (its last result stale or not): what the next check starts from.
        self._base: LiveCheck | None = None
        #: Bumped by every change of org and every synchronous run: a worker's result of an older one is stale.
        self._generation = 0
        self._running = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.start)
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    def set_org(self, org: Org | None) -> None:
        """Follow ``org`` (or nothing) and analyse it: at once when small, else on the worker thread.

        A large org's copy is made, and its check started, a moment later
        (:data:`DEBOUNCE_MS`): by then the chart of the org just opened is on
        screen, where before it waited for the copy (0.6 s at 100,000 cards).
        """
        if self.org is not None:
            self.org.changed.disconnect(self.schedule)
        if self._mirror is not None:
            self._mirror.close()
            self._mirror = None
        self.org = org
        self._base = None
        if org is not None:
            org.changed.connect(self.schedule)
        if org is None or len(org) < CHECK_AT_ONCE_BELOW:
            self._mirror = None if org is None else OrgMirror(org)
            self.run_now()
        else:
            self.result = None
            self.updated.emit(None)
            self.schedule()

    def schedule(self) -> None:
        self._timer.start()

    def is_pending(self) -> bool:
        """Whether a check is waiting for the edits to pause, or running."""
        return self._timer.isActive() or self._running

    def run_now(self) -> None:
        """Analyse at once, on this thread, and publish the result (a running background check is dropped)."""
        self._timer.stop()
        self._generation += 1
        self.result = analyze(self.org) if self.org is not None else None
        self.changes = None
        self.updated.emit(self.result)

    def start(self) -> None:
        """Catch the org's copy up and analyse it on a worker thread (what the timer calls)."""
        if self._mirror is None:
            if self.org is None:
                return
            self._mirror = OrgMirror(self.org)  # a large org's, made once its chart is shown
        if self._running:
            # The copy is being read: check again once the running check is over.
            self._timer.start()
            return
        copy = self._mirror.catch_up()
        edits = self._mirror.take_changes()
        base = None if edits.settings else self._base
        self._base = None  # handed to the worker; it comes back with the result
        self._generation += 1
        self._running = True
        _checks_running(+1)
        threading.Thread(
            target=self._work, args=(self._generation, copy, base, edits), name="analysis", daemon=True
        ).start()

    def _work(self, generation: int, copy: Org, base: LiveCheck | None, edits: Changes) -> None:
        # The result the window shows: only the window's thread replaces it, and a result published while this
        # check runs makes this one stale.
        shown = self.result
        try:
            told = None
            if base is None:
                base = LiveCheck(copy)
                outcome: object = base.result
            else:
                outcome = base.update(edits)
                told = base.changes
            # Findings per card, badges and counts, and what changed since the result shown, worked out here
            # rather than on the window's thread: by the update itself when it started from the result shown.
            outcome.badges()
            outcome.counts  # noqa: B018
            if told is not None and told.previous is shown and told.current is outcome:
                changes = told
            else:
                changes = changes_between(shown, outcome) if shown is not None else None
        except Exception as exc:  # noqa: BLE001 (handed to the window's thread, which raises it)
            outcome, changes, base = exc, None, None
        outcome = (outcome, changes, base)
        try:
            self._finished.emit(generation, outcome)
        except RuntimeError:  # the window closed while the check ran: nobody waits for it
            _checks_running(-1)

    def _on_finished(self, generation: int, outcome: object) -> None:
        self._running = False
        _checks_running(-1)
        outcome, changes, base = outcome
        if isinstance(outcome, Exception):
            self._base = None
            raise outcome
        if self._mirror is not None and generation == self._generation:
            self._base = base  # the copy's state when this check started: the next check's starting point
        if generation != self._generation or (self._mirror is not None and self._mirror.pending):
            # Stale: the org changed while the check ran (the timer that change started checks it again), or the
            # result was superseded by run_now() or another org.
            return
        self.result = outcome
        self.changes = changes
        self.updated.emit(self.result)

    def changes_to(self, result: AnalysisResult | None) -> ResultChanges | None:
        """What changed from the result shown before to ``result``, if known (else the view compares them itself)."""
        changes = self.changes
        return changes if changes is not None and changes.current is result else None


_running_checks = [0, sys.getswitchinterval()]


def _checks_running(change: int) -> None:
    """Count the checks running; shorten Python's thread switch interval while there is one."""
    if change > 0 and _running_checks[0] == 0:
        _running_checks[1] = sys.getswitchinterval()
        sys.setswitchinterval(min(SWITCH_INTERVAL, _running_checks[1]))
    _running_checks[0] += change
    if _running_checks[0] == 0:
        sys.setswitchinterval(_running_checks[1])
