# SPDX-License-Identifier: MIT
"""Run QEMU with a firmware image and collect what the guest and the firmware reported.

run_qemu() boots either the test guest (out/guest/vmlinuz + initramfs, whose /init prints
"QVMFACT key=value" lines, the kernel log between QVMDMESG-BEGIN/END and finally QVMDONE on
the serial port) or anything given through `extra` (e.g. a boot disk), and returns a
QemuResult. Every run keeps its files (command line, serial.log, debug.log) in a directory
under out/test-logs/; conftest.py deletes the directories of passing tests.
"""

import ctypes
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PR_SET_PDEATHSIG = 1
OUT = Path(os.environ.get("QVM_OUT", ROOT / "out"))
LOG_ROOT = OUT / "test-logs"
QEMU = os.environ.get("QVM_QEMU", "qemu-system-x86_64")

STOCK_SEABIOS = Path("/usr/share/seabios/bios-256k.bin")
QVMLOADER_ROM = OUT / "qvmloader.bin"
QVMLOADER_NOPAYLOAD_ROM = OUT / "qvmloader-nopayload.bin"
LINUX_ROM = OUT / "qvmloader-linux.bin"
LINUXBOOT_ROM = OUT / "qvmloader-linuxboot.bin"
UEFI_ROM = OUT / "qvmloader-uefi.bin"
UEFI_CODE = OUT / "qvmloader-uefi-code.fd"
UEFI_VARS = OUT / "qvmloader-uefi-vars.fd"
UEFI_VARS_SECURE = OUT / "qvmloader-uefi-vars-secure-enrolled.fd"
SEABIOS_ELF = OUT / "seabios" / "bios.bin.elf"
GUEST_KERNEL = OUT / "guest" / "vmlinuz"
GUEST_INITRD = OUT / "guest" / "initramfs.cpio.gz"
GUEST_CANARY_SHA256 = OUT / "guest" / "canary.sha256"

# How each artifact is produced, for the "missing" message.
HOW_TO_BUILD = {
    QVMLOADER_ROM: "make all",
    QVMLOADER_NOPAYLOAD_ROM: f"make {OUT.name}/qvmloader-nopayload.bin",
    LINUX_ROM: f"make {OUT.name}/qvmloader-linux.bin",
    LINUXBOOT_ROM: "make linuxboot",
    UEFI_ROM: f"make {OUT.name}/qvmloader-uefi.bin",
    UEFI_CODE: "make uefi",
    UEFI_VARS: "make uefi",
    UEFI_VARS_SECURE: "make uefi",
    SEABIOS_ELF: "make seabios",
    GUEST_KERNEL: "make guest",
    GUEST_INITRD: "make guest",
    GUEST_CANARY_SHA256: "make guest",
    STOCK_SEABIOS: "make setup (Debian package seabios)",
}

# The UEFI variable store: pflash unit 1, OVMF's 528 KiB layout, right below the code flash
# (UEFI_CODE as unit 0). SECURE_PFLASH makes both answer SMM only (QEMU's secure=on).
UEFI_VARS_SIZE = 0x84000
UEFI_VARS_BASE = 0xff9bc000
SECURE_PFLASH = ["-global", "driver=cfi.pflash01,property=secure,value=on"]


def pflash(code, vars_file):
    """QEMU arguments for a libvirt-style split flash: read-only code, writable vars."""
    return ["-drive", f"if=pflash,unit=0,format=raw,readonly=on,file={code}",
            "-drive", f"if=pflash,unit=1,format=raw,file={vars_file}"]

# Kernel command line every guest boot starts with. "quiet" keeps the serial log short (the
# init prints the whole kernel log explicitly); panic=-1 turns a panic into a reboot, which
# -no-reboot turns into a QEMU exit.
BASE_APPEND = "console=ttyS0 quiet panic=-1"

DEBUGCON_PORT = 0x402
DEBUG_EXIT_PORT = 0xF4


class MissingArtifact(FileNotFoundError):
    """A build product a test needs does not exist."""



def _die_with_parent():
    """In the child before exec: get SIGKILL when the test process dies, so an interrupted
    run (a killed pytest worker, Ctrl-C) leaves no QEMU behind."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def spawn(cmd, **kw):
    """subprocess.Popen for QEMU: its own session (killpg stops it with its children) and
    killed with the test process."""
    return subprocess.Popen(cmd, start_new_session=True, preexec_fn=_die_with_parent, **kw)


def require(path):
    """Return `path` as a Path, or raise MissingArtifact saying how to build it."""
    path = Path(path)
    if not path.is_file():
        how = HOW_TO_BUILD.get(path, "the build")
        raise MissingArtifact(f"{path} is missing: build it first with '{how}'")
    return path


def accel_from_env():
    """The accelerator to use: $QVM_ACCEL (tcg or kvm), default tcg."""
    accel = os.environ.get("QVM_ACCEL", "tcg")
    if accel not in ("tcg", "kvm"):
        raise ValueError(f"QVM_ACCEL={accel!r}: expected 'tcg' or 'kvm'")
    return accel


def current_test_logdir():
    """out/test-logs/<current pytest test>, or out/test-logs/adhoc outside pytest."""
    name = os.environ.get("PYTEST_CURRENT_TEST", "")
    name = name.rsplit(" ", 1)[0] if name else "adhoc"
    return LOG_ROOT / sanitize(name)


def sanitize(name):
    """A file-name-safe form of a pytest node id."""
    name = name.replace("::", ".").replace("/", "_")
    return re.sub(r"[^A-Za-z0-9_.=+-]", "_", name)[:180]


def _new_rundir(logdir):
    """Create and return the next free run-N directory under logdir."""
    logdir = Path(logdir)
    logdir.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        d = logdir / f"run-{n}"
        try:
            d.mkdir()
            return d
        except FileExistsError:
            n += 1


def _read_text(path):
    """File text with CRLF normalised; empty when the file does not exist."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return ""
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def parse_serial(serial):
    """Split guest serial output into (facts, dmesg, done).

    facts: dict key -> list of values, in order, from "QVMFACT key=value" lines outside the
    dmesg block; dmesg: the text between QVMDMESG-BEGIN and QVMDMESG-END; done: QVMDONE seen.
    """
    facts = {}
    dmesg_lines = []
    in_dmesg = False
    done = False
    for line in serial.split("\n"):
        if line == "QVMDMESG-BEGIN":
            in_dmesg = True
            continue
        if line == "QVMDMESG-END":
            in_dmesg = False
            continue
        if in_dmesg:
            dmesg_lines.append(line)
            continue
        if line == "QVMDONE":
            done = True
        elif line.startswith("QVMFACT "):
            key, sep, value = line[len("QVMFACT "):].partition("=")
            if sep:
                facts.setdefault(key, []).append(value)
    return facts, "\n".join(dmesg_lines), done


class QemuResult:
    """What one QEMU run produced; see run_qemu()."""

    def __init__(self, cmd, rundir, serial, debug, exitcode, timed_out, elapsed, stderr):
        self.cmd = cmd
        self.rundir = rundir
        self.serial = serial
        self.debug = debug
        self.exitcode = exitcode
        self.timed_out = timed_out
        self.until_seen = False
        self.elapsed = elapsed
        self.stderr = stderr
        self.facts, self.dmesg, self.done = parse_serial(serial)

    def fact(self, key):
        """The single value of fact `key`; AssertionError when absent or repeated."""
        values = self.facts.get(key, [])
        assert len(values) == 1, f"fact {key!r}: expected one value, got {values!r}\n{self.summary()}"
        return values[0]

    def fact_int(self, key):
        """The single value of fact `key` as an integer (decimal or 0x-prefixed)."""
        return int(self.fact(key), 0)

    def e820(self):
        """The firmware memory map as [(start, end_inclusive, type)], in /sys order."""
        out = []
        for v in self.facts.get("e820", []):
            rng, _, kind = v.partition(" ")
            start, _, end = rng.partition("-")
            out.append((int(start, 16), int(end, 16), kind))
        return out

    def pci(self):
        """PCI devices as {bdf: (vendor, device, class)} with integer ids."""
        out = {}
        for v in self.facts.get("pci", []):
            bdf, vendor, device, cls = v.split()
            out[bdf] = (int(vendor, 16), int(device, 16), int(cls, 16))
        return out

    def pci_resources(self):
        """Assigned PCI resources as {bdf: {index: (start, end, flags)}}."""
        out = {}
        for v in self.facts.get("pcires", []):
            bdf, index, start, end, flags = v.split()
            out.setdefault(bdf, {})[int(index)] = (int(start, 16), int(end, 16), int(flags, 16))
        return out

    def msrs(self):
        """MSR values read in the guest as {cpu: {msr: value}}."""
        out = {}
        for v in self.facts.get("msr", []):
            cpu, msr, value = v.split()
            out.setdefault(int(cpu), {})[int(msr, 16)] = int(value, 16)
        return out

    def debug_exit_value(self):
        """The value written to isa-debug-exit, or None if QEMU did not exit through it."""
        if self.exitcode is None or self.exitcode <= 0 or not self.exitcode & 1:
            return None
        return self.exitcode >> 1

    def summary(self, lines=40):
        """A diagnostic text for assertion messages: status plus the tails of both logs."""
        def tail(text):
            return "\n".join(text.rstrip("\n").split("\n")[-lines:])

        return (
            f"--- qemu: exit={self.exitcode} timed_out={self.timed_out} done={self.done} "
            f"elapsed={self.elapsed:.1f}s logs={self.rundir}\n"
            f"--- command: {shlex.join(self.cmd)}\n"
            f"--- stderr:\n{tail(self.stderr)}\n"
            f"--- debug.log (tail):\n{tail(self.debug)}\n"
            f"--- serial.log (tail, without facts):\n"
            f"{tail(chr(10).join(l for l in self.serial.split(chr(10)) if not l.startswith('QVMFACT ')))}"
        )

    def assert_done(self):
        """Fail with the run's diagnostics unless the guest printed QVMDONE."""
        assert self.done, "guest did not reach QVMDONE\n" + self.summary()


def qemu_command(bios, machine="q35", mem="512M", smp=1, kernel=True, append="", extra=(),
                 accel=None, rundir=Path("."), debug_exit=False, reboot=False, qmp=None):
    """The QEMU argument list run_qemu() uses (logs go to rundir). bios=None gives no -bios
    (the firmware then comes from `extra`, e.g. OVMF as pflash).

    reboot: let guest resets restart the machine (default: -no-reboot, a reset ends QEMU).
    qmp: path of a QMP server socket to add.
    """
    accel = accel or accel_from_env()
    cmd = [
        QEMU, "-M", machine, "-accel", accel, "-m", str(mem), "-smp", str(smp),
        *(["-bios", str(require(bios))] if bios is not None else []),
        "-display", "none", "-monitor", "none",
    ]
    if not reboot:
        cmd += ["-no-reboot"]
    if qmp:
        cmd += ["-qmp", f"unix:{qmp},server=on,wait=off"]
    cmd += [
        "-serial", f"file:{rundir / 'serial.log'}",
        "-debugcon", f"file:{rundir / 'debug.log'}",
        "-global", f"isa-debugcon.iobase={DEBUGCON_PORT:#x}",
    ]
    if debug_exit:
        cmd += ["-device", f"isa-debug-exit,iobase={DEBUG_EXIT_PORT:#x},iosize=4"]
    if kernel:
        cmd += [
            "-kernel", str(require(GUEST_KERNEL)),
            "-initrd", str(require(GUEST_INITRD)),
            "-append", f"{BASE_APPEND} {append}".strip(),
        ]
    elif append:
        raise ValueError("append given without kernel=True")
    cmd += [str(a) for a in extra]
    return cmd


def run_qemu(bios, machine="q35", mem="512M", smp=1, kernel=True, append="", extra=(),
             timeout=120, accel=None, debug_exit=False, logdir=None, reboot=False,
             until=None, until_log="serial"):
    """Boot `bios` in QEMU and return a QemuResult.

    bios: firmware image for -bios (None: the firmware comes from `extra`, e.g. pflash).
    machine/mem/smp: -M/-m/-smp. kernel: boot the test guest (out/guest) with `append` added
    to its command line; False boots only what `extra` provides. extra: further QEMU
    arguments. timeout: seconds before QEMU is killed (the result then has timed_out=True).
    accel: tcg or kvm, default $QVM_ACCEL or tcg. debug_exit: add isa-debug-exit at port
    0xf4. logdir: where run-N/ goes (default
    out/test-logs/<current test>/). reboot: let a guest reset restart the machine (no
    -no-reboot; CMOS survives, as on hardware), for tests that count resets.
    until: a regular expression; once the serial output
    (without ANSI escapes) matches it, QEMU is stopped and the result has until_seen=True
    (for guests that never end by themselves, e.g. an installer's first screen).
    until_log: "serial", or "debug" to watch the debug console instead.
    """
    rundir = _new_rundir(logdir or current_test_logdir())
    cmd = qemu_command(bios, machine=machine, mem=mem, smp=smp, kernel=kernel, append=append,
                       extra=extra, accel=accel, rundir=rundir, debug_exit=debug_exit,
                       reboot=reboot)
    (rundir / "cmdline.txt").write_text(shlex.join(cmd) + "\n")
    start = time.monotonic()
    timed_out = False
    with open(rundir / "stderr.log", "wb") as err:
        proc = spawn(cmd, stdin=subprocess.DEVNULL, stdout=err, stderr=err)
        exitcode, timed_out, seen = _wait(proc, timeout, until, rundir / f"{until_log}.log")
    elapsed = time.monotonic() - start
    result = QemuResult(cmd, rundir, _read_text(rundir / "serial.log"),
                        _read_text(rundir / "debug.log"), exitcode, timed_out, elapsed,
                        _read_text(rundir / "stderr.log"))
    result.until_seen = seen
    (rundir / "result.txt").write_text(
        f"exitcode={exitcode}\ntimed_out={timed_out}\ndone={result.done}\n"
        f"elapsed={elapsed:.2f}\n")
    return result


ANSI_ESCAPE = re.compile(r"\x1b(\[[0-9;?=]*[A-Za-z]|[()][0-9A-Za-z])")


def _wait(proc, timeout, until, log_path):
    """Wait for QEMU to exit, for `until` to match the log at log_path, or for the timeout.

    Returns (exitcode or None, timed_out, until_seen); QEMU is stopped in the last two cases.
    """
    if until is None:
        try:
            return proc.wait(timeout=timeout), False, False
        except subprocess.TimeoutExpired:
            _kill(proc)
            return None, True, False
    pattern = re.compile(until)
    deadline = time.monotonic() + timeout
    while True:
        try:
            exitcode = proc.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            exitcode = None
        if pattern.search(ANSI_ESCAPE.sub("", _read_text(log_path))):
            if exitcode is None:
                _kill(proc)
            return exitcode, False, True
        if exitcode is not None:
            return exitcode, False, False
        if time.monotonic() > deadline:
            _kill(proc)
            return None, True, False


class QemuSession:
    """A QEMU run the test drives while it runs: QMP commands, waiting for log text.

    Use as a context manager: `with QemuSession(bios, ...) as s:`; the arguments are those of
    qemu_command() (QMP is always on; reboot=True lets resets restart the machine).
    s.wait_for(text, count, timeout, log="serial"|"debug") waits until the log holds text
    `count` times; s.qmp(command, **arguments) returns QMP's "return" value; s.finish()
    ends QEMU (quit through QMP, then signals) and returns the QemuResult.
    """

    def __init__(self, bios, logdir=None, **kwargs):
        self.rundir = _new_rundir(logdir or current_test_logdir())
        self._sockdir = tempfile.mkdtemp(prefix="qvm-qmp-")
        self._sockpath = os.path.join(self._sockdir, "qmp.sock")
        self.cmd = qemu_command(bios, rundir=self.rundir, qmp=self._sockpath, **kwargs)
        (self.rundir / "cmdline.txt").write_text(shlex.join(self.cmd) + "\n")
        self._err = open(self.rundir / "stderr.log", "wb")
        self._start = time.monotonic()
        self.proc = spawn(self.cmd, stdin=subprocess.DEVNULL, stdout=self._err,
                          stderr=self._err)
        self._sock = None
        self._buf = b""
        self.result = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.finish()
        return False

    def _connect(self, timeout=30):
        """Open the QMP socket and leave capabilities negotiation done."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect(self._sockpath)
                break
            except OSError:
                sock.close()
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"QMP socket never came up\n{self.text('stderr')}")
                time.sleep(0.1)
        sock.settimeout(60)
        self._sock = sock
        self._message()  # greeting
        self.qmp("qmp_capabilities")

    def _message(self):
        """The next QMP message (events included) as a dict."""
        while b"\n" not in self._buf:
            data = self._sock.recv(65536)
            if not data:
                raise RuntimeError("QMP connection closed")
            self._buf += data
        line, _, self._buf = self._buf.partition(b"\n")
        return json.loads(line)

    def qmp(self, command, **arguments):
        """Run a QMP command; its "return" value, RuntimeError on a QMP error."""
        if self._sock is None:
            self._connect()
        msg = {"execute": command}
        if arguments:
            msg["arguments"] = arguments
        self._sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            reply = self._message()
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise RuntimeError(f"QMP {command}: {reply['error']}")

    def status(self):
        """The VM's run state ("running", "suspended", ...)."""
        return self.qmp("query-status")["status"]

    def text(self, log):
        """Current contents of serial.log, debug.log or stderr.log."""
        return _read_text(self.rundir / f"{log}.log")

    def alive(self):
        """True while QEMU runs."""
        return self.proc.poll() is None

    def wait_for(self, text, count=1, timeout=120, log="serial"):
        """Wait until `log` holds `text` at least `count` times; False on timeout or exit."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.text(log).count(text) >= count:
                return True
            if not self.alive():
                return self.text(log).count(text) >= count
            time.sleep(0.1)
        return False

    def wait_status(self, status, timeout=120):
        """Wait until QMP reports the run state `status`; False on timeout or exit."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.alive():
            if self.status() == status:
                return True
            time.sleep(0.1)
        return False

    def finish(self, timeout=10):
        """End QEMU (QMP quit, then signals) and return the QemuResult (once)."""
        if self.result is not None:
            return self.result
        timed_out = False
        if self.alive():
            try:
                self.qmp("quit")
            except (OSError, RuntimeError):
                pass
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                _kill(self.proc)
        if self._sock is not None:
            self._sock.close()
        exitcode = self.proc.wait()
        self._err.close()
        try:
            os.unlink(self._sockpath)
        except FileNotFoundError:
            pass
        os.rmdir(self._sockdir)
        elapsed = time.monotonic() - self._start
        self.result = QemuResult(self.cmd, self.rundir, self.text("serial"), self.text("debug"),
                                 exitcode, timed_out, elapsed, self.text("stderr"))
        (self.rundir / "result.txt").write_text(
            f"exitcode={exitcode}\ntimed_out={timed_out}\ndone={self.result.done}\n"
            f"elapsed={elapsed:.2f}\n")
        return self.result


def _kill(proc):
    """Stop QEMU: SIGTERM, then SIGKILL if it is still there after 5 s."""
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def build_boot_disk(out_dir, source=None, size_mib=1, defines=()):
    """Assemble the test boot sector (mbr.S) and return a raw disk image path.

    The image is `size_mib` MiB with the boot sector in LBA 0. Built with `as`/`ld` into
    out_dir; nothing binary is kept in the repository. defines: "NAME=value" strings for
    the preprocessor (reset.S takes METHOD).
    """
    source = Path(source or Path(__file__).with_name("mbr.S"))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    obj = out_dir / "mbr.o"
    elf = out_dir / "mbr.elf"
    raw = out_dir / "mbr.bin"
    img = out_dir / "disk.img"
    subprocess.run(["gcc", "-c", "-m32", *(f"-D{d}" for d in defines), "-o", obj, source],
                   check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-Ttext=0x7c00", "-e", "start", "-o", elf, obj],
                   check=True)
    subprocess.run(["objcopy", "-O", "binary", "-j", ".text", elf, raw], check=True)
    sector = raw.read_bytes()
    if len(sector) != 512 or sector[510:] != b"\x55\xaa":
        raise RuntimeError(f"{raw}: boot sector is {len(sector)} bytes or lacks 55 AA")
    with open(img, "wb") as f:
        f.write(sector)
        f.truncate(size_mib << 20)
    return img


def parse_mbr_report(debug):
    """Parse the QVMMBR lines mbr.S writes to the debug console.

    Returns {'dl': int or None, 'e820': [(base, length, type)], 'e820count': int or None,
    'done': bool}.
    """
    rep = {"dl": None, "e820": [], "e820count": None, "done": False}
    for line in debug.split("\n"):
        if not line.startswith("QVMMBR "):
            continue
        words = line.split()
        if len(words) == 3 and words[1] == "boot" and words[2].startswith("dl="):
            rep["dl"] = int(words[2][3:], 16)
        elif len(words) == 5 and words[1] == "e820":
            rep["e820"].append((int(words[2], 16), int(words[3], 16), int(words[4], 16)))
        elif len(words) == 2 and words[1].startswith("e820count="):
            rep["e820count"] = int(words[1][len("e820count="):], 16)
        elif words[1:] == ["done"]:
            rep["done"] = True
    return rep
