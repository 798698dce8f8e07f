"""The chart as Qt draws it: theme, cards, links and a scene that shows an org and follows it.

Everything here paints; nothing takes input. :class:`~planner.chart.scene.ChartScene`
is what the exports in :mod:`planner.render` render offscreen, and what the
editor's :class:`~planner.ui.canvas.scene.EditorScene` adds its mouse and
keyboard to. This package imports the model, the layout-free geometry and Qt,
never the editor (:mod:`planner.ui`) nor the exports.
"""
