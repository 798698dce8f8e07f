"""The chart canvas: the scene that mirrors an org, its card and link items, and the view."""
