"""Shared test set-up: Qt runs headless, and small org builders."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
