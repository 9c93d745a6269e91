# The bed's process runner: one on the host (it starts nsenter for namespace instances' hooks, and
# the agent's tar, unzip and mv) and one as the shared namespace's init (pid 1: it starts that
# namespace's hooks and reaps the orphans of services they started). The emulator sends one JSON
# job per line on stdin and reads JSON lines back on stdout:
#   {"id", "argv", "cwd", "env", ["timeout" seconds], ["out", "err" files]}  run argv in a session
#                                                  of its own; output to the files, else streamed
#   {"signal": id, "sig": n}                       signal the job's process group
#   {"killtree": id}                               SIGKILL the job and every descendant
#   <- {"id", "s": 1|2, "l": line}                 one line of stdout/stderr (bytes as latin-1)
#   <- {"id", "exit": code|null, "sig": n|null, "timedOut": bool, "open": [1|2, ...]}
#                                                  the job ended: its process exited and its
#                                                  output closed, or its timeout ran out
# A timeout is the agent's (hook_executor.rb, thread_joiner.rb: one deadline for the process and
# both of its outputs). When it runs out the runner stops reading the job's output (what is
# already in the pipes is read first; of an output still open, a last line without its newline is
# dropped, as the agent's each_line loses it) and:
#   - the job's process still runs: TERM to its group; the end comes once that process has exited,
#     with "timedOut": true;
#   - the process has exited but something (a background child) holds its stdout or stderr open:
#     no signal (the agent leaves those processes running), the end comes at once with
#     "timedOut": false and "open" naming the outputs still open (1 stdout, 2 stderr).
# "open" is empty otherwise. Output to files closes as a pipe's does: when the last process
# holding it closes it (inotify's IN_CLOSE_WRITE, which the kernel sends once, when the last
# reference to the open file goes, however many processes shared it).
# Why a runner: on this VM a fork from the emulator (a 130 MB Node process) costs ~10 ms of CPU,
# and the shared namespace's old shell chain (subshell, timeout, env) ~5 ms per process more.
# Python spawns with vfork and does the rest in process, so a job costs one exec. Stdlib only;
# run as `python3 -I -S -c`.
import ctypes
import json
import os
import selectors
import signal
import struct
import subprocess
import time

sel = selectors.DefaultSelector()
jobs = {}  # id -> job
by_pid = {}  # pid -> job
streams = {}  # fd -> (job, stream number, pending bytes)
watches = {}  # inotify watch of an output file -> (job, stream number)
libc = ctypes.CDLL(None, use_errno=True)
IN_CLOSE_WRITE, IN_Q_OVERFLOW = 0x8, 0x4000
inotify = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
if inotify < 0:
    raise OSError(ctypes.get_errno(), "inotify_init1")


def send(messages):
    data = "".join(json.dumps(m, separators=(",", ":")) + "\n" for m in messages).encode()
    while data:
        data = data[os.write(1, data) :]


class Job:
    __slots__ = ("id", "pid", "open", "status", "deadline", "timed_out", "left_open")

    def __init__(self, jid, pid):
        self.id, self.pid, self.open = jid, pid, 0
        self.status, self.deadline, self.timed_out = None, None, False
        self.left_open = []  # the outputs still open when the timeout ran out after the exit


def finish_if_done(job, out):
    if job.status is None or job.open > 0:
        return
    st = job.status
    out.append(
        {
            "id": job.id,
            "exit": os.WEXITSTATUS(st) if os.WIFEXITED(st) else None,
            "sig": os.WTERMSIG(st) if os.WIFSIGNALED(st) else None,
            "timedOut": job.timed_out,
            "open": job.left_open,
        }
    )
    del jobs[job.id]


def start(req, out):
    jid, files = req["id"], req.get("out")
    handles = [open(req["out"], "wb"), open(req["err"], "wb")] if files else []
    try:
        p = subprocess.Popen(
            req["argv"],
            cwd=req["cwd"],
            env=req["env"],
            stdin=subprocess.DEVNULL,
            stdout=handles[0] if files else subprocess.PIPE,
            stderr=handles[1] if files else subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as e:
        # What nsenter and env(1) do when the exec fails: a line on stderr, 127 or 126.
        line = f"runner: failed to execute {req['argv'][0]}: {e.strerror}\n"
        if files:
            handles[1].write(line.encode())
        else:
            out.append({"id": jid, "s": 2, "l": line})
        out.append({"id": jid, "exit": 127 if isinstance(e, FileNotFoundError) else 126,
                    "sig": None, "timedOut": False, "open": []})
        for h in handles:
            h.close()
        return
    job = Job(jid, p.pid)
    # This loop reaps every child itself (waitpid(-1)): Popen must never wait for this one.
    p.returncode = 0
    jobs[jid] = job
    by_pid[p.pid] = job
    if "timeout" in req:
        job.deadline = time.monotonic() + req["timeout"]
    if files:
        # Watched while the runner still holds the files itself: no last close goes unseen.
        for number, path in ((1, req["out"]), (2, req["err"])):
            wd = libc.inotify_add_watch(inotify, os.fsencode(path), IN_CLOSE_WRITE)
            if wd < 0:
                raise OSError(ctypes.get_errno(), f"inotify_add_watch {path}")
            watches[wd] = (job, number)
            job.open += 1
        for h in handles:
            h.close()
    else:
        for number, pipe in ((1, p.stdout), (2, p.stderr)):
            fd = os.dup(pipe.fileno())
            pipe.close()
            os.set_blocking(fd, False)
            streams[fd] = [job, number, b""]
            sel.register(fd, selectors.EVENT_READ, "stream")
            job.open += 1


def read_stream(fd, out):
    """One read of the job's output; True when it read data (there may be more)."""
    entry = streams[fd]
    job, number, pending = entry
    try:
        data = os.read(fd, 65536)
    except BlockingIOError:
        return False
    if data:
        pending += data
        *lines, pending = pending.split(b"\n")
        for line in lines:
            out.append({"id": job.id, "s": number, "l": (line + b"\n").decode("latin-1")})
        entry[2] = pending
        return True
    if pending:
        out.append({"id": job.id, "s": number, "l": pending.decode("latin-1")})
    close_stream(fd)
    finish_if_done(job, out)
    return False


def close_stream(fd):
    sel.unregister(fd)
    os.close(fd)
    streams.pop(fd)[0].open -= 1


def unwatch(wd):
    libc.inotify_rm_watch(inotify, wd)
    watches.pop(wd)[0].open -= 1


def read_watches(out):
    """The output files whose last writer has closed them."""
    try:
        data = os.read(inotify, 65536)
    except BlockingIOError:
        return
    offset = 0
    while offset < len(data):
        wd, mask, _cookie, length = struct.unpack_from("iIII", data, offset)
        offset += 16 + length
        if mask & IN_Q_OVERFLOW:
            # Events were lost: which files closed is unknown, so none is waited for any longer.
            closed = list(watches)
        elif mask & IN_CLOSE_WRITE:
            closed = [wd]
        else:
            continue  # IN_IGNORED, which follows an unwatch()
        for wd in closed:
            if wd in watches:  # else unwatched already, at its job's timeout
                job = watches[wd][0]
                unwatch(wd)
                finish_if_done(job, out)


def expire(job, out):
    """The job's timeout ran out: see the protocol above."""
    job.deadline = None
    mine = [fd for fd, entry in streams.items() if entry[0] is job]
    for fd in mine:
        # What the pipe already holds (64 KiB by default), as the agent's reader threads would
        # have read it: a few reads, so that a writer that never stops cannot hold the runner.
        for _ in range(4):
            if fd not in streams or not read_stream(fd, out):
                break
    if jobs.get(job.id) is not job:
        return  # its output closed meanwhile: it has ended
    files = [wd for wd, entry in watches.items() if entry[0] is job]
    if job.status is None:
        job.timed_out = True
        try:
            os.killpg(job.pid, signal.SIGTERM)
        except OSError:
            pass
    else:
        open_pipes = [streams[fd][1] for fd in mine if fd in streams]
        job.left_open = sorted(open_pipes + [watches[wd][1] for wd in files])
    for fd in mine:
        if fd in streams:
            close_stream(fd)
    for wd in files:
        unwatch(wd)
    finish_if_done(job, out)


def reap(out):
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        job = by_pid.pop(pid, None)
        if job is not None:  # else an orphan a hook left, now gone
            job.status = status
            finish_if_done(job, out)


def descendants(root):
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(name))
    tree = [root]
    for pid in tree:
        tree.extend(children.get(pid, []))
    return tree


def command(req, out):
    if "argv" in req:
        start(req, out)
        return
    job = jobs.get(req.get("signal", req.get("killtree")))
    if job is None:
        return  # ended meanwhile
    if "killtree" in req:
        if job.status is not None:
            return  # exited: its pid may be another process's now
        targets = descendants(job.pid)
    else:
        # Also after the job's own process has exited while a process it left in its group
        # still holds its output open (the group's id stays taken while it has a member).
        targets = [-job.pid]
    for pid in targets:
        try:
            os.kill(pid, signal.SIGKILL) if pid > 0 else os.killpg(-pid, req["sig"])
        except OSError:
            pass


def main():
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    os.set_blocking(0, False)
    sel.register(0, selectors.EVENT_READ, "stdin")
    sel.register(wake_r, selectors.EVENT_READ, "wake")
    sel.register(inotify, selectors.EVENT_READ, "files")
    pending = b""
    while True:
        deadlines = [j.deadline for j in jobs.values() if j.deadline is not None]
        wait = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        out = []
        for key, _ in sel.select(wait):
            if key.data == "wake":
                try:
                    while os.read(wake_r, 4096):
                        pass
                except BlockingIOError:
                    pass
                reap(out)
            elif key.data == "files":
                read_watches(out)
            elif key.data == "stdin":
                try:
                    data = os.read(0, 65536)
                except BlockingIOError:
                    continue
                if not data:
                    os._exit(0)  # the emulator is gone: pid 1 exits and the namespace with it
                pending += data
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    if line.strip():
                        command(json.loads(line), out)
            else:
                read_stream(key.fd, out)
        # Reaped, and closes read, first: a job whose process has exited and whose output has
        # closed by its deadline did not time out.
        reap(out)
        if watches:
            read_watches(out)
        now = time.monotonic()
        for job in list(jobs.values()):
            if job.deadline is not None and job.deadline <= now:
                expire(job, out)
        if out:
            send(out)


main()
