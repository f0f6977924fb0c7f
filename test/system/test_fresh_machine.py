# SPDX-License-Identifier: MIT
"""Every documented make target must work as the first command on a fresh machine: nothing
may ask a tool (gcc's include path, libgcc) before build/setup.sh has installed it. The test
runs make with a PATH that has no compiler; a stand-in set-up step then "installs" gcc (a
wrapper that logs each call), and the log must show set-up before every gcc call."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED = ["all", "run", "check", "bench", "acpi-dump", "unit", "lint", "system", "uefi",
              "install", "uninstall", "deb",
              "linuxboot", "fallback", "linuxboot-check", "check-long"]


def fresh_path(tmp_path):
    """A bin directory with the basics but no compiler, and a set-up stub that adds gcc."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for tool in ("make", "bash", "sh", "cat", "mkdir", "dirname", "env", "python3"):
        os.symlink(shutil.which(tool), bindir / tool)
    log = tmp_path / "calls.log"
    setup = tmp_path / "setup.sh"
    setup.write_text(
        "#!/bin/bash\n"
        f"echo setup >>{log}\n"
        f"printf '#!/bin/bash\\necho gcc >>{log}\\nexec /usr/bin/gcc \"$@\"\\n' >{bindir}/gcc\n"
        f"/bin/chmod +x {bindir}/gcc\n")
    return bindir, log, setup


@pytest.mark.parametrize("goal", DOCUMENTED)
def test_target_asks_no_tool_before_setup(tmp_path, goal):
    bindir, log, setup = fresh_path(tmp_path)
    env = {"PATH": str(bindir), "HOME": str(tmp_path)}
    res = subprocess.run(["make", "-n", f"QVM_SETUP=bash {setup}", f"OUT={tmp_path}/out", goal],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    calls = log.read_text().split() if log.exists() else []
    assert calls and calls[0] == "setup", \
        f"make {goal}: gcc asked before set-up ran: {calls}\n{res.stderr[-2000:]}"
    assert "command not found" not in res.stderr and "No such file" not in res.stderr, \
        res.stderr[-2000:]
