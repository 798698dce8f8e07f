"""Start the desktop editor: application set-up, :func:`run` for the command line, :func:`screenshot`.

:func:`run` opens the main window on a file, or on the built-in scale-up sample
when none is given, offers to restore changes a crashed session left, and
returns the exit code. :func:`screenshot` builds the
same window on a file and saves a picture of it, for the README.
With ``PLANNER_EXIT_WHEN_SHOWN=1`` in the environment, :func:`run` quits as soon
as the chart has been painted once (the benchmark's cold-start measurement).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QCoreApplication, QEvent, QIODevice, QObject, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QStyleFactory

from planner import __version__
from planner.chart.theme import make_palette
from planner.io import LoadError, load_org
from planner.io.atomic import write_atomically
from planner.render.fonts import register_shipped_fonts
from planner.resources import resource_path
from planner.ui.dialogs import APP_NAME
from planner.ui.mainwindow import MainWindow

ORGANIZATION = "TeamStructurePlanner"
APPLICATION = "planner"


def application_icon() -> QIcon:
    try:
        return QIcon(str(resource_path("icons", "planner.svg")))
    except FileNotFoundError:
        return QIcon()


def system_prefers_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def ensure_application(dark: bool | None = None) -> QApplication:
    """The running QApplication, created and styled if there is none yet."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    register_shipped_fonts()  # text never shows as empty boxes, even on a machine without fonts
    app.setWindowIcon(application_icon())
    if "Fusion" in QStyleFactory.keys():
        app.setStyle("Fusion")
    app.setPalette(make_palette(system_prefers_dark() if dark is None else dark))
    if dark is None:
        # Follow the desktop when the user switches between light and dark while the editor runs.
        QGuiApplication.styleHints().colorSchemeChanged.connect(_follow_color_scheme)
    return app


def _follow_color_scheme(scheme: Qt.ColorScheme) -> None:
    QApplication.setPalette(make_palette(scheme == Qt.ColorScheme.Dark))


def _open_initial(window: MainWindow, path: str | None) -> None:
    if path is not None:
        window.open_path(path)
        return
    try:
        org = load_org(resource_path("samples", "scaleup.json"))
    except (LoadError, FileNotFoundError):
        window.show_status("The built-in sample is missing; starting with a blank org")
        return
    window.document.replace(org, None)
    window.show_status("This is a built-in sample org: explore it, change it, or start afresh with File › New")


def run(path: str | None = None) -> int:
    """Open the editor on ``path`` (or the built-in sample) and run until the window closes."""
    app = ensure_application()
    window = MainWindow(QSettings())
    window.show()
    _open_initial(window, path)
    # Changes a crashed session left behind are offered over the file or sample asked for.
    window.offer_recovery()
    QTimer.singleShot(0, window.view.fit_all)
    if os.environ.get("PLANNER_EXIT_WHEN_SHOWN"):
        _quit_when_painted(window, app)
    return app.exec()


class _QuitOnFirstPaint(QObject):
    """For the cold-start benchmark: leave as soon as the chart has been painted once."""

    def __init__(self, app: QApplication, parent: QObject) -> None:
        super().__init__(parent)
        self._app = app

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._app.quit)
        return False


def _quit_when_painted(window: MainWindow, app: QApplication) -> None:
    window.view.viewport().installEventFilter(_QuitOnFirstPaint(app, window))


def screenshot(
    path_in: str | os.PathLike,
    png_out: str | os.PathLike,
    size: tuple[int, int] = (1440, 900),
    dark: bool = False,
    finding: str = "",
    fold_legend: bool = False,
) -> Path:
    """Save a picture of the editor showing ``path_in`` (fitted to the window) to ``png_out``.

    With ``finding`` (a rule code) the first finding of that rule is clicked in
    the Gaps panel, so its cards show selected; ``fold_legend`` folds the
    legend, as a click on it does. On a real display the window shows on screen
    while the picture is taken; offscreen it is drawn without showing.
    """
    app = ensure_application(dark=dark)
    with tempfile.TemporaryDirectory() as scratch:
        # Throw-away settings: a picture must not depend on, or change, the user's window layout.
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        if QGuiApplication.platformName() == "offscreen":
            window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        window.resize(QSize(*size))
        window.show()
        window.size_docks()
        try:
            org = load_org(path_in)
        except LoadError as exc:
            window.close()
            raise ValueError(exc.summary()) from None
        window.document.replace(org, str(path_in))
        window.analysis.run_now()
        if fold_legend:
            window.view.legend.choose_collapsed(True)
        for _ in range(3):
            app.processEvents()
        _click_finding(window, finding)
        window.view.fit_all()
        app.processEvents()
        out = Path(png_out)
        picture = QBuffer()
        picture.open(QIODevice.OpenModeFlag.WriteOnly)
        window.grab().save(picture, "PNG")
        window.close()
        window.deleteLater()
        app.processEvents()
        del settings
    write_atomically(out, bytes(picture.data()))
    return out


def _click_finding(window: MainWindow, code: str) -> None:
    """Select the first finding of rule ``code`` in the Gaps panel, as a click does (nothing if there is none)."""
    proxy = window.gaps.proxy
    for row in range(proxy.rowCount()):
        if code and proxy.index(row, 1).data() == code:
            window.gaps.select_row(row)
            return
