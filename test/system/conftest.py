# SPDX-License-Identifier: MIT
"""pytest setup for the qvmloader system tests (see docs/testing.md).

- Runs the suite on $QVM_JOBS pytest-xdist workers (default 2) unless -n is given.
- Gives fixtures with the paths of the build products; a test that needs a missing one fails
  with the command that builds it.
- Keeps the QEMU logs of failed tests in out/test-logs/<test>/ and deletes those of passing tests.
"""

import os
import shutil
from types import SimpleNamespace

import pytest

import qemu


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """Default to $QVM_JOBS (2) xdist workers when xdist is installed and -n was not given."""
    if hasattr(config, "workerinput") or not config.pluginmanager.hasplugin("xdist"):
        return
    if config.getoption("numprocesses", None) is not None or config.getoption("usepdb", False):
        return
    jobs = int(os.environ.get("QVM_JOBS", "2"))
    if jobs > 1:
        config.option.numprocesses = jobs


def pytest_configure(config):
    """Register the marker of tests too slow for `make check` (`make check-long` runs them)."""
    config.addinivalue_line("markers", "long: too slow for make check; run by make check-long")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the item, for the log-keeping fixture."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "qvm_rep_" + rep.when, rep)


@pytest.fixture(autouse=True)
def qvm_test_logs(request):
    """Start each test with an empty log directory; delete it again if the test passed."""
    logdir = qemu.LOG_ROOT / qemu.sanitize(request.node.nodeid)
    shutil.rmtree(logdir, ignore_errors=True)
    yield logdir
    reports = [getattr(request.node, "qvm_rep_" + w, None) for w in ("setup", "call")]
    if all(r is not None and r.passed for r in reports):
        shutil.rmtree(logdir, ignore_errors=True)


def _need(path):
    """`path` if it exists, else fail the test with how to build it."""
    try:
        return qemu.require(path)
    except qemu.MissingArtifact as e:
        pytest.fail(str(e), pytrace=False)


@pytest.fixture
def stock_seabios():
    """Debian's QEMU-mode SeaBIOS (the reference firmware)."""
    return _need(qemu.STOCK_SEABIOS)


@pytest.fixture
def qvmloader_rom():
    """out/qvmloader.bin: the loader with SeaBIOS embedded."""
    return _need(qemu.QVMLOADER_ROM)


@pytest.fixture
def qvmloader_nopayload_rom():
    """out/qvmloader-nopayload.bin: the loader alone (payload from fw_cfg)."""
    return _need(qemu.QVMLOADER_NOPAYLOAD_ROM)


@pytest.fixture
def linux_rom():
    """out/qvmloader-linux.bin: the loader built to boot -kernel directly."""
    return _need(qemu.LINUX_ROM)


@pytest.fixture
def linuxboot_rom():
    """out/qvmloader-linuxboot.bin: the loader with Linux and its initramfs embedded."""
    return _need(qemu.LINUXBOOT_ROM)


@pytest.fixture
def uefi_rom():
    """out/qvmloader-uefi.bin: the loader with the EDK2 payload embedded."""
    return _need(qemu.UEFI_ROM)


@pytest.fixture
def uefi_flash():
    """(code, vars template): out/qvmloader-uefi-code.fd and the empty variable store."""
    return _need(qemu.UEFI_CODE), _need(qemu.UEFI_VARS)


@pytest.fixture
def seabios_elf():
    """out/seabios/bios.bin.elf: SeaBIOS built as a coreboot payload."""
    return _need(qemu.SEABIOS_ELF)


@pytest.fixture
def guest():
    """The test guest: .kernel, .initrd and .canary_sha256 (what initrd_sha256 must equal)."""
    return SimpleNamespace(
        kernel=_need(qemu.GUEST_KERNEL),
        initrd=_need(qemu.GUEST_INITRD),
        canary_sha256=_need(qemu.GUEST_CANARY_SHA256).read_text().strip(),
    )


@pytest.fixture(scope="session")
def boot_disk():
    """A 1 MiB raw disk image whose boot sector is test/system/mbr.S (built into out/)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return qemu.build_boot_disk(qemu.OUT / "system-build" / worker)
