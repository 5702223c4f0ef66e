#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# shell-test.py: `make shell` driven the way a person uses it, through a
# terminal.  vmxlab-machine --interactive runs on a pseudo-terminal (the
# test plays the person at the keyboard, expect-style): wait for the
# machine's shell prompt, start `vmxlab step` on a guest, type step,
# regs, vmcs GUEST_RIP, continue, quit, and check each answer; then
# Ctrl-C on a spinning guest must stop the guest (status 130) and not
# the emulator; `exit` must power the machine off.
#
# Usage: shell-test.py [--timeout SEC] [--log FILE]; prints TAP, one
# "ok"/"not ok" line per check.
import argparse
import os
import pty
import re
import select
import signal
import sys
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MACHINE = os.path.join(TOP, "selftests", "machine", "vmxlab-machine")
PROMPT = "vmxlab:"
ANSI = re.compile(r"\x1b(\[[0-9;?]*[a-zA-Z]|[a-zA-Z])|\r")


class Terminal:
    """A program on a pseudo-terminal, read and typed at like expect."""

    def __init__(self, argv, log):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(argv[0], argv)
        self.buf = ""
        self.log = log

    def read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 4096)
        except OSError:
            data = b""
        if not data:
            raise EOFError
        text = data.decode("utf-8", "replace")
        self.log.write(text)
        self.log.flush()
        self.buf += ANSI.sub("", text)
        return True

    def expect(self, pattern, timeout):
        """Wait for regex @pattern; return the text up to and with it."""
        deadline = time.time() + timeout
        rx = re.compile(pattern)
        while True:
            m = rx.search(self.buf)
            if m:
                out = self.buf[:m.end()]
                self.buf = self.buf[m.end():]
                return out
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError(pattern)
            self.read(min(left, 1.0))

    def type(self, text):
        # One byte at a time, as a person types: the emulated UART
        # has a 16-byte FIFO.
        for ch in text.encode():
            os.write(self.fd, bytes([ch]))
            time.sleep(0.02)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--log", default=os.devnull)
    args = ap.parse_args()

    n = 0
    failed = 0

    def result(ok, name, detail=""):
        nonlocal n, failed
        n += 1
        if not ok:
            failed += 1
        print("%s %d - %s%s" % ("ok" if ok else "not ok", n, name,
                                " # " + detail if detail and not ok else ""))
        sys.stdout.flush()

    log = open(args.log, "w")
    t = Terminal([MACHINE, "--interactive", "--timeout", str(args.timeout)],
                 log)
    steps = [
        # (name, keys to type, regex the answer must match, seconds)
        ("the machine boots to a shell prompt with vmxlab.ko loaded",
         None, r"vmxlab\.ko is loaded(.|\n)*" + PROMPT + r"\S*# ", 600),
        ("vmxlab step stops before the first instruction",
         "vmxlab step guest-images/hello-real.bin\n",
         r"\(vmxlab\) ", 60),
        ("step: one instruction, then the stepper shows where it is",
         "step\n", r"rip[ =:]*0x0*1[0-9a-f]{3}(.|\n)*\(vmxlab\) ", 60),
        ("regs: the general registers",
         "regs\n", r"rax(.|\n)*rip(.|\n)*rflags(.|\n)*\(vmxlab\) ", 60),
        ("vmcs GUEST_RIP: the field read from the VMCS",
         "vmcs GUEST_RIP\n", r"GUEST_RIP(.|\n)*0x[0-9a-f]+(.|\n)*\(vmxlab\) ",
         60),
        ("continue: the guest runs to its next exit (the guest's exits stop)",
         "continue\n", r"stop: exit(.|\n)*\(vmxlab\) ", 60),
        ("quit: back at the shell",
         "quit\n", PROMPT + r"\S*# ", 60),
        ("a spinning guest starts",
         "vmxlab run guest-images/loop.bin\n", r"loop: spinning forever",
         60),
        ("Ctrl-C stops the guest, not the machine (status 130)",
         "\x03", r"interrupted(.|\n)*" + PROMPT + r"\S*# ", 60),
        ("the shell saw the loader's status",
         "echo status=$?\n", r"status=130", 30),
        ("exit powers the machine off",
         "exit\n", r"powered off", 120),
    ]
    for name, keys, pattern, secs in steps:
        if keys is not None:
            t.type(keys)
        try:
            t.expect(pattern, secs)
            result(True, name)
        except (TimeoutError, EOFError) as e:
            tail = t.buf[-300:].replace("\n", "\\n")
            result(False, name, "%s; screen ends with: %s" %
                   ("timeout" if isinstance(e, TimeoutError) else "EOF",
                    tail))
            break
    # The machine is off (or a step failed): vmxlab-machine ends by
    # itself, or is stopped here.
    deadline = time.time() + (30 if failed == 0 else 0)
    while True:
        pid, status = os.waitpid(t.pid, os.WNOHANG)
        if pid:
            break
        if time.time() >= deadline:
            os.kill(t.pid, signal.SIGTERM)
            _, status = os.waitpid(t.pid, 0)
            break
        try:
            t.read(0.5)
        except EOFError:
            time.sleep(0.5)
    result(os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0,
           "vmxlab-machine --interactive ends by itself, status 0",
           "wait status %d" % status)
    print("%d passed, %d failed" % (n - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
