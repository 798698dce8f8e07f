"""The desktop editor (PySide6 Widgets): canvas, panels, commands and the main window."""
