# SPDX-License-Identifier: MIT
"""A private libvirtd for tests: Debian's system daemon (qemu:///system), started by the test
in a mount namespace of its own, so that nothing it does reaches the host.

In that namespace /etc/libvirt, /var/lib/libvirt, /var/log/libvirt and /var/cache/libvirt are
scratch directories, /run is an empty tmpfs, and /usr/share can be overlaid with a `make
install DESTDIR=<dir> PREFIX=/usr` tree: libvirt 9.0 reads firmware descriptors only from the
fixed /usr/share/qemu/firmware and /etc/qemu/firmware (the per-user directory only in session
mode), and the overlay puts ours there for this daemon and its QEMUs alone. The daemon's
socket is in the scratch directory, so virsh runs outside the namespace. stop() destroys
every domain and ends the daemon; when it exits, the namespace and its mounts are gone.
"""

import os
import signal
import subprocess
import time
from pathlib import Path

STATE_DIRS = ("/etc/libvirt", "/var/lib/libvirt", "/var/log/libvirt", "/var/cache/libvirt")

QEMU_CONF = """\
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
stdio_handler = "file"
namespaces = [ ]
cgroup_controllers = [ ]
"""


class LibvirtdError(RuntimeError):
    """The private daemon did not start, or a virsh command failed."""


class Libvirtd:
    """One private libvirtd; see the module docstring."""

    def __init__(self, workdir, usr_share_overlay=None):
        self.work = Path(workdir)
        self.overlay = Path(usr_share_overlay) if usr_share_overlay else None
        self.sock = self.work / "sock" / "libvirt-sock"
        self.uri = f"qemu+unix:///system?socket={self.sock}"
        self.log = self.work / "libvirtd.log"
        self.proc = None

    def _dir(self, system_dir):
        """The scratch directory standing in for system_dir."""
        return self.work / "state" / system_dir.strip("/").replace("/", "_")

    def _write_config(self):
        """Scratch state directories, libvirtd.conf and qemu.conf."""
        for d in STATE_DIRS:
            if not os.path.isdir(d):
                raise LibvirtdError(f"{d} is missing: is libvirt-daemon-system installed?")
            self._dir(d).mkdir(parents=True, exist_ok=True)
        (self.work / "sock").mkdir(parents=True, exist_ok=True)
        etc = self._dir("/etc/libvirt")
        (etc / "libvirtd.conf").write_text(
            f'unix_sock_dir = "{self.sock.parent}"\n'
            'unix_sock_rw_perms = "0700"\n'
            'auth_unix_rw = "none"\nauth_unix_ro = "none"\n'
            'log_filters = "1:qemu.qemu_firmware"\n'
            f'log_outputs = "1:file:{self.log}"\nlog_level = 3\n')
        (etc / "qemu.conf").write_text(QEMU_CONF)

    def _namespace_script(self):
        """Shell commands run inside the new mount namespace before libvirtd takes over."""
        cmds = ["set -e"]
        if self.overlay:
            cmds.append(f"mount -t overlay qvm-share -o lowerdir={self.overlay}:/usr/share "
                        "/usr/share")
        cmds.append("mount -t tmpfs qvm-run /run")
        cmds += [f"mount --bind {self._dir(d)} {d}" for d in STATE_DIRS]
        cmds.append("exec libvirtd -p /run/libvirtd.pid")
        return "\n".join(cmds)

    def start(self, timeout=180):
        """Start the daemon and wait until virsh can talk to it."""
        self._write_config()
        out = open(self.work / "libvirtd.out", "wb")
        self.proc = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c",
             self._namespace_script()],
            stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise LibvirtdError(f"libvirtd exited with {self.proc.returncode}:\n"
                                    + self.diagnostics())
            if self.sock.exists() and self.virsh("version", check=False).returncode == 0:
                return self
            time.sleep(0.2)
        raise LibvirtdError(f"libvirtd not answering after {timeout}s:\n" + self.diagnostics())

    def virsh(self, *args, check=True, timeout=120):
        """Run `virsh -c <this daemon> args...`; raise LibvirtdError on failure if check."""
        res = subprocess.run(["virsh", "-q", "-c", self.uri, *args], capture_output=True,
                             text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        if check and res.returncode != 0:
            raise LibvirtdError(f"virsh {' '.join(args)}: exit {res.returncode}\n"
                                f"{res.stdout}{res.stderr}\n" + self.diagnostics())
        return res

    def qemu_log(self, domain):
        """The daemon's log of one domain's QEMU (its command line and stderr)."""
        path = self._dir("/var/log/libvirt") / "qemu" / f"{domain}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def diagnostics(self):
        """Tails of the daemon's own output and log, for assertion messages."""
        text = ""
        for p in (self.work / "libvirtd.out", self.log):
            if p.exists():
                text += f"--- {p} (tail)\n" + "\n".join(
                    p.read_text(errors="replace").splitlines()[-30:]) + "\n"
        return text

    def _qemu_pids(self):
        """PIDs of the QEMUs this daemon runs, from its pid files in its private /run."""
        run = Path(f"/proc/{self.proc.pid}/root/run/libvirt/qemu")
        pids = []
        for f in run.glob("*.pid") if run.is_dir() else ():
            try:
                pids.append(int(f.read_text().strip()))
            except (OSError, ValueError):
                pass
        return pids

    def stop(self):
        """Destroy every domain, then end the daemon (SIGTERM, SIGKILL after 15 s)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            for name in self.virsh("list", "--name", check=False, timeout=30).stdout.split():
                self.virsh("destroy", name, check=False, timeout=30)
        except subprocess.TimeoutExpired:
            pass
        for pid in self._qemu_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)
