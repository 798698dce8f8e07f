"""A save killed at any moment leaves the old file or the new one, never a truncated or empty one."""

import os
import random
import signal
import sys
import time

import pytest

from planner.io import load_org, native
from planner.synthetic import synthetic_org

KILLS = 200


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")
def test_killing_a_saving_process_never_corrupts_the_file(tmp_path):
    target = tmp_path / "org.json"
    old = synthetic_org(2000, seed=1)
    new = synthetic_org(2000, seed=2)
    old_text, new_text = native.dumps(old), native.dumps(new)
    native.save(old, target)
    rng = random.Random(42)
    outcomes = {"old": 0, "new": 0}
    for _ in range(KILLS):
        pid = os.fork()
        if pid == 0:  # child: save the two versions in turn until killed
            try:
                while True:
                    native.write_atomically(target, new_text)
                    native.write_atomically(target, old_text)
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0, 0.05))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        text = target.read_text(encoding="utf-8")
        assert text in (old_text, new_text), f"file corrupted: {len(text)} bytes"
        outcomes["old" if text == old_text else "new"] += 1
    # The kills landed at different moments: both versions were seen on disk.
    assert outcomes["old"] and outcomes["new"]
    # Temporary files of killed saves are left beside the target, never in its place.
    assert load_org(target)
