"""The dock panels around the chart: the palette of kinds, the inspector and the gaps list."""


def install_tab_panels(window) -> None:
    """Add the panels that open as tabs beside another: the Plan beside Gaps, Responsibilities beside the Inspector."""
    from planner.ui.docks.duties import install_duties_dock
    from planner.ui.docks.plan import install_plan_dock

    window.plan_panel = install_plan_dock(window)
    window.duties_panel = install_duties_dock(window)
