#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run the cmocka unit-test binaries given as arguments and total their results."""
import re
import subprocess
import sys


def main(bins):
    passed = failed = 0
    for b in bins:
        r = subprocess.run([b], capture_output=True, text=True)
        out = r.stdout + r.stderr
        p = sum(int(n) for n in re.findall(r"\[  PASSED  \] (\d+) test", out))
        f = sum(int(n) for n in re.findall(r"\[  FAILED  \] (\d+) test", out))
        if r.returncode != 0 and f == 0:
            f = 1  # crashed or sanitizer abort before cmocka could count
        if r.returncode != 0 or f:
            sys.stdout.write(out)
        print(f"{b}: {p} passed, {f} failed")
        passed += p
        failed += f
    print(f"unit: {passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
