"""Shared test set-up: Qt runs headless, and no test touches the user's own settings or recovery files."""

import atexit
import os
import shutil
import tempfile

import pytest

from tests.privileges import bound_user

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# QSettings and QStandardPaths follow the XDG folders on Linux: point them at a
# throw-away place before Qt reads them, so that window geometry, recent files
# and autosaves written by tests never reach the real desktop session.
_sandbox = tempfile.mkdtemp(prefix="planner-tests-")
atexit.register(shutil.rmtree, _sandbox, ignore_errors=True)
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_name] = os.path.join(_sandbox, _name.lower())


@pytest.fixture
def unprivileged(tmp_path):
    """A user whom file permissions stop, to run the steps that must hit a permission error, and its scratch folder.

    As root that is a child process that gave up root's power over file modes (see tests/privileges.py); the
    test skips, saying why, only when no such child can be made.
    """
    user, why_not = bound_user()
    if user is None:
        pytest.skip(why_not)
    user = user.with_scratch(tmp_path)
    yield user
    if user.folder != tmp_path:
        shutil.rmtree(user.folder, ignore_errors=True)
