# The bed's process runner: one on the host (it starts nsenter for namespace instances' hooks, and
# the agent's tar, unzip and mv) and one as the shared namespace's init (pid 1: it starts that
# namespace's hooks and reaps the orphans of services they started). The emulator sends one JSON
# job per line on stdin and reads JSON lines back on stdout:
#   {"id", "argv", "cwd", "env", ["timeout" seconds], ["out", "err" files]}  run argv in a session
#                                                  of its own; output to the files, else streamed
#   {"signal": id, "sig": n}                       signal the job's process group
#   {"killtree": id}                               SIGKILL the job and every descendant
#   <- {"id", "s": 1|2, "l": line}                 one line of stdout/stderr (bytes as latin-1)
#   <- {"id", "exit": code|null, "sig": n|null, "timedOut": bool}   the job exited, output closed
# Why a runner: on this VM a fork from the emulator (a 130 MB Node process) costs ~10 ms of CPU,
# and the shared namespace's old shell chain (subshell, timeout, env) ~5 ms per process more.
# Python spawns with vfork and does the rest in process, so a job costs one exec. Stdlib only;
# run as `python3 -I -S -c`.
import json
import os
import selectors
import signal
import subprocess
import time

sel = selectors.DefaultSelector()
jobs = {}  # id -> job
by_pid = {}  # pid -> job
streams = {}  # fd -> (job, stream number, pending bytes)


def send(messages):
    data = "".join(json.dumps(m, separators=(",", ":")) + "\n" for m in messages).encode()
    while data:
        data = data[os.write(1, data) :]


class Job:
    __slots__ = ("id", "pid", "open", "status", "deadline", "timed_out")

    def __init__(self, jid, pid):
        self.id, self.pid, self.open = jid, pid, 0
        self.status, self.deadline, self.timed_out = None, None, False


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
                    "sig": None, "timedOut": False})
        return
    finally:
        for h in handles:
            h.close()
    job = Job(jid, p.pid)
    # This loop reaps every child itself (waitpid(-1)): Popen must never wait for this one.
    p.returncode = 0
    jobs[jid] = job
    by_pid[p.pid] = job
    if "timeout" in req:
        job.deadline = time.monotonic() + req["timeout"]
    if not files:
        for number, pipe in ((1, p.stdout), (2, p.stderr)):
            fd = os.dup(pipe.fileno())
            pipe.close()
            os.set_blocking(fd, False)
            streams[fd] = [job, number, b""]
            sel.register(fd, selectors.EVENT_READ, "stream")
            job.open += 1


def read_stream(fd, out):
    entry = streams[fd]
    job, number, pending = entry
    try:
        data = os.read(fd, 65536)
    except BlockingIOError:
        return
    if data:
        pending += data
        *lines, pending = pending.split(b"\n")
        for line in lines:
            out.append({"id": job.id, "s": number, "l": (line + b"\n").decode("latin-1")})
        entry[2] = pending
        return
    if pending:
        out.append({"id": job.id, "s": number, "l": pending.decode("latin-1")})
    sel.unregister(fd)
    os.close(fd)
    del streams[fd]
    job.open -= 1
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
        now = time.monotonic()
        for job in list(jobs.values()):
            if job.deadline is not None and job.deadline <= now and job.status is None:
                # timeout(1)'s behaviour: TERM to the job's group, then wait for it.
                job.deadline, job.timed_out = None, True
                try:
                    os.killpg(job.pid, signal.SIGTERM)
                except OSError:
                    pass
        reap(out)
        if out:
            send(out)


main()
