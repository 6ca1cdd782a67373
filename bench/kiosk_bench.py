#!/usr/bin/env python3
"""Runtime figures of the real kiosk binary under a private Xvfb (1920x1080), from fixed
sessions: idle CPU on the welcome screen and on a question screen, proportional memory
(PSS) after start and after 100 scripted sessions, key-to-frame and focus-to-first-audio
latency (from the kiosk's KIOSK_TRACE file), and CPU instructions per frame of a question
screen (valgrind's callgrind). See docs/performance.md. Run through bench/kiosk_bench.sh.

    kiosk_bench.py BUILD_DIR SOURCE_DIR [--short] [--keep DIR]
"""
import argparse
import glob
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HZ = os.sysconf("SC_CLK_TCK")
FRAME_60HZ_MS = 1000 / 60


def log(message):
    print(f"kiosk_bench: {message}", file=sys.stderr, flush=True)


# -- /proc ------------------------------------------------------------------------------------

def process_cpu_ticks(pid):
    """utime + stime of the whole process (every thread, dead ones included), in ticks."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def threads(pid):
    """{tid: (name, cpu ns, context switches)} from /proc/PID/task."""
    out = {}
    for task in glob.glob(f"/proc/{pid}/task/*"):
        try:
            with open(f"{task}/comm") as f:
                name = f.read().strip()
            with open(f"{task}/schedstat") as f:
                ns = int(f.read().split()[0])
            switches = 0
            with open(f"{task}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        switches += int(line.split()[1])
            out[os.path.basename(task)] = (name, ns, switches)
        except (FileNotFoundError, ProcessLookupError):
            pass
    return out


def pss_kib(pid):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return -1


def measure_cpu(pid, seconds):
    """CPU used by the process over `seconds` of wall time: total ms, and per thread."""
    ticks0, threads0, t0 = process_cpu_ticks(pid), threads(pid), time.monotonic()
    time.sleep(seconds)
    ticks1, threads1, t1 = process_cpu_ticks(pid), threads(pid), time.monotonic()
    per = []
    for tid, (name, ns, sw) in threads1.items():
        ns0, sw0 = threads0.get(tid, (name, 0, 0))[1:]
        if ns - ns0 > 0 or sw - sw0 > 0:
            per.append((name, (ns - ns0) / 1e6, sw - sw0))
    per.sort(key=lambda p: -p[1])
    return {"wall": t1 - t0, "cpu_ms": (ticks1 - ticks0) * 1000 / HZ,
            "sched_ms": sum(p[1] for p in per), "threads": per}


def cpu_text(m):
    share = 100 * m["cpu_ms"] / 1000 / m["wall"]
    parts = ", ".join(f"{name} {ms:.1f} ms/{sw} wakeups" for name, ms, sw in m["threads"][:5]) or "no thread ran"
    return f"{m['cpu_ms']:.0f} ms CPU in {m['wall']:.1f} s ({share:.2f} %; scheduler: {m['sched_ms']:.1f} ms) [{parts}]"


# -- the trace (KIOSK_TRACE) ------------------------------------------------------------------

def read_trace(path):
    events = []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and parts[1].isdigit():
                    events.append((parts[0], int(parts[1]), parts[2] if len(parts) > 2 else ""))
    except FileNotFoundError:
        pass
    return events


def wait_for(predicate, timeout, step=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def now_ns():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def wait_quiet(trace, quiet_s, timeout):
    """Waits until the trace has had no frame or audio event for `quiet_s` seconds, and the
    audio device, if the kiosk traces its opening, was closed after the last words (the
    speaker closes it after 2.5 s of silence)."""
    def quiet():
        all_events = read_trace(trace)
        events = [e for e in all_events if e[0] in ("frame", "audio", "audio-close")]
        last = events[-1][1] if events else 0
        device = [e[0] for e in all_events if e[0] in ("audio-open", "audio-close")]
        return now_ns() - last >= quiet_s * 1e9 and (not device or device[-1] == "audio-close")
    return wait_for(quiet, timeout, 0.1) is not None


def stats(values):
    if not values:
        return "none measured"
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return (f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, max {values[-1]:.1f} ms "
            f"(n={len(values)})")


def latencies(events, start_name, end_name, since_ns):
    """For each `start_name` event after since_ns, the time to the next `end_name` event
    before the next `start_name` (ms)."""
    out = []
    pending = None
    for name, ns, _ in events:
        if ns < since_ns:
            continue
        if name == start_name:
            pending = ns
        elif name == end_name and pending is not None:
            out.append((ns - pending) / 1e6)
            pending = None
    return out


# -- runs -------------------------------------------------------------------------------------

class Xvfb:
    def __init__(self):
        read, write = os.pipe()
        self.proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24",
                                      "-nolisten", "tcp"], pass_fds=(write,), stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as f:
            self.display = ":" + f.readline().strip()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def kiosk_env(display, trace=None, **extra):
    env = dict(os.environ, DISPLAY=display, SDL_AUDIODRIVER=os.environ.get("SDL_AUDIODRIVER", "dummy"))
    env.pop("KIOSK_TRACE", None)
    if trace:
        env["KIOSK_TRACE"] = trace
    env.update(extra)
    return env


def stop_process(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def xdotool(display, *keys, gap=0.0):
    for key in keys:
        subprocess.run(["xdotool", "key", key], env=dict(os.environ, DISPLAY=display), check=True)
        if gap:
            time.sleep(gap)


def soak_config(src, out):
    """The soak test's config (tests/e2e/soak_check.sh): a sealed outbox, no backend."""
    subprocess.run(["bash", f"{src}/tests/peers/make_certs.sh", f"{out}/certs"], check=True, stdout=subprocess.DEVNULL)
    # An empty outbox: submissions left by an earlier run in a --keep folder would be retried
    # (no backend), and those retries would show as work on the idle screens.
    shutil.rmtree(f"{out}/outbox", ignore_errors=True)
    config = f"{out}/kiosk.yaml"
    with open(config, "w") as f:
        f.write(f"""# Made by bench/kiosk_bench.py.
kiosk_id: bench-kiosk
forms: {src}/assets/forms
languages: [nl, en]
submit:
  allowed_hosts: [localhost]
  ca_file: certs/ca.crt
  client_cert: certs/client.crt
  client_key: certs/client.key
outbox:
  dir: outbox
  mode: sealed
  recipient_key: certs/sealing.pub.pem
""")
    return config


def live_run(kiosk, display, out, config, idle_s, tabs, results):
    """The kiosk as in a hall (no script): welcome idle, then by keyboard (xdotool) to a
    question screen, its idle, then Tab presses for key-to-frame and focus-to-audio."""
    trace = f"{out}/live.trace"
    proc = subprocess.Popen([kiosk, "run", "--config", config], cwd=out, env=kiosk_env(display, trace),
                            stdout=open(f"{out}/live.log", "w"), stderr=subprocess.STDOUT)
    try:
        if not wait_for(lambda: any(e[0] == "frame" for e in read_trace(trace)), 60):
            log("live: no first frame within 60 s (see live.log)")
            return
        # The welcome invitation is said right away; its highlight draws frames while it is heard.
        results[f"welcome, {idle_s:g} s from the first frame (the invitation spoken)"] = cpu_text(measure_cpu(proc.pid, idle_s))
        if not wait_quiet(trace, 1.0, 30):
            log("live: the welcome screen did not settle")
        # The invitation is said again 20 s after it began: if the window would reach that,
        # wait for the repeat and its end.
        audio = [e[1] for e in read_trace(trace) if e[0] == "audio"]
        if audio and now_ns() + (idle_s + 0.5) * 1e9 > audio[-1] + 19.5e9:
            wait_for(lambda: [e for e in read_trace(trace) if e[0] == "audio"][-1][1] > audio[-1], 25)
            wait_quiet(trace, 1.0, 30)
        results["PSS after start (welcome, settled)"] = f"{pss_kib(proc.pid) / 1024:.1f} MiB"
        start = now_ns()
        m = measure_cpu(proc.pid, idle_s)
        frames = sum(1 for e in read_trace(trace) if e[0] == "frame" and e[1] >= start)
        results["welcome idle, settled (aim: 0)"] = f"{cpu_text(m)}; {frames} frames drawn"

        if shutil.which("xdotool") is None:
            log("xdotool not installed: the question screen and the latencies are skipped")
            return
        # Keyboard only (docs/keys.md): Enter on the welcome screen starts, the first
        # language (Nederlands) and the first form (bijzondere bijstand) have the focus,
        # Enter on the intro begins: page:waarvoor, a choice of six.
        for key in ("Return", "Return", "Return", "Return"):
            xdotool(display, key)
            time.sleep(1.0)
        screen = [e[2] for e in read_trace(trace) if e[0] == "screen"]
        if not screen or not screen[-1].startswith("page:"):
            log(f"live: keyboard navigation ended on {screen[-1] if screen else '?'}, not a question")
            return
        results["question screen"] = screen[-1]
        if not wait_quiet(trace, 1.0, 30):
            log("live: the question screen did not settle")
        start = now_ns()
        m = measure_cpu(proc.pid, idle_s)
        frames = sum(1 for e in read_trace(trace) if e[0] == "frame" and e[1] >= start)
        results["question idle, settled (aim: 0)"] = f"{cpu_text(m)}; {frames} frames drawn"

        # Tab: the focus moves, a frame shows it, the control is said (each Tab interrupts).
        start = now_ns()
        xdotool(display, *(["Tab"] * tabs), gap=0.8)
        time.sleep(1.5)
        events = read_trace(trace)
        results["key to next frame (aim < 16.7 ms)"] = stats(latencies(events, "input", "frame", start))
        to_audio = latencies(events, "focus", "audio", start)
        results["focus to first audible sample queued (aim < 30 ms)"] = stats(to_audio)
        # When that sample leaves SDL's queue: what is queued before it (the "audio" detail).
        heard = []
        pending = None
        for name, ns, detail in events:
            if ns < start:
                continue
            if name == "focus":
                pending = ns
            elif name == "audio" and pending is not None:
                heard.append((ns - pending) / 1e6 + int(detail or 0) / 1000)
                pending = None
        results["focus to first audible sample played by SDL"] = (
            stats(heard) + "; plus the device buffer (256 samples, 11.6 ms) on real hardware")
    finally:
        stop_process(proc)


def sessions_run(kiosk, display, src, out, config, sessions, results):
    """PSS after `sessions` scripted sessions in one process (tools/make-soak-script.py)."""
    script = f"{out}/sessions.script"
    made = subprocess.run([sys.executable, f"{src}/tools/make-soak-script.py", "--sessions", str(sessions),
                           "--seed", "1", "--no-memory"], check=True, capture_output=True, text=True).stdout
    with open(script, "w") as f:
        # The last sample is taken while the kiosk waits on the welcome screen.
        f.write(made + "settle\nwait 4000\n")
    began = time.monotonic()
    proc = subprocess.Popen([kiosk, "run", "--config", config, "--script", script], cwd=out, env=kiosk_env(display),
                            stdout=open(f"{out}/sessions.log", "w"), stderr=subprocess.STDOUT)
    samples = []
    while proc.poll() is None:
        try:
            samples.append(pss_kib(proc.pid))
        except (FileNotFoundError, ProcessLookupError):
            break
        time.sleep(0.25)
    took = time.monotonic() - began
    samples = [s for s in samples if s > 0]
    if proc.returncode != 0 or len(samples) < 4:
        log(f"sessions: the kiosk exited with {proc.returncode} (see {out}/sessions.log)")
    if samples:
        results[f"PSS after {sessions} sessions (one process, {took:.0f} s)"] = (
            f"{samples[-2] / 1024:.1f} MiB (highest on the way {max(samples) / 1024:.1f} MiB)")


def callgrind_run(kiosk, display, out, config, frames, results):
    """Instructions per frame of a question screen: callgrind counts what App::render runs
    (our layout and drawing, ImGui, Mesa's llvmpipe in this thread) and dumps after each."""
    if shutil.which("valgrind") is None:
        log("valgrind not installed: instructions per frame skipped")
        return
    script = f"{out}/callgrind.script"
    with open(script, "w") as f:
        f.write("tap start\ntap lang:nl\ntap form:bijzondere-bijstand\ntap next\nexpect screen page:waarvoor\nwait 300\n")
        f.write("key Tab\nwait 150\n" * frames)
    outdir = f"{out}/callgrind"
    os.makedirs(outdir, exist_ok=True)
    env = kiosk_env(display, LP_NUM_THREADS="0")
    proc = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={outdir}/callgrind.out",
                           "--toggle-collect=*App::render*", kiosk, "run", "--config", config, "--script", script],
                          cwd=out, env=env, stdout=open(f"{out}/callgrind.log", "w"), stderr=subprocess.STDOUT)
    # Collected: only what runs inside App::render. Frames: the calls of App::render().
    total, calls, render_id = 0, 0, None
    with open(f"{outdir}/callgrind.out") as f:
        previous = ""
        for line in f:
            if line.startswith("summary:"):
                total = int(line.split()[1])
            match = re.match(r"c?fn=\((\d+)\)( .*)?", line)
            if match and match.group(2) and match.group(2).strip().endswith("App::render()"):
                render_id = match.group(1)
            if line.startswith("calls=") and render_id and re.match(rf"cfn=\({render_id}\)", previous):
                calls += int(line.split()[0].split("=")[1])
            previous = line
    if proc.returncode != 0 or calls == 0:
        log(f"callgrind: exit {proc.returncode}, {calls} frames (see {out}/callgrind.log)")
    if calls:
        results["instructions per frame (callgrind, LP_NUM_THREADS=0)"] = (
            f"{total / calls / 1e6:.0f} M on average over {calls} frames (the start, 4 screens to page:waarvoor, "
            f"then {frames} Tabs there); {total / 1e9:.2f} G in all")


def floor_run(build, display, idle_s, results):
    floor = f"{build}/bench/floor_kiosk"
    if not os.path.exists(floor):
        return
    proc = subprocess.Popen([floor], env=kiosk_env(display), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(2)
        if proc.poll() is None:
            results["floor (bare SDL2 + ImGui + GL), idle"] = cpu_text(measure_cpu(proc.pid, idle_s))
            results["floor PSS"] = f"{pss_kib(proc.pid) / 1024:.1f} MiB"
    finally:
        stop_process(proc)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("source")
    parser.add_argument("--short", action="store_true")
    parser.add_argument("--keep", help="keep traces, logs and callgrind files here")
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    src = os.path.abspath(args.source)
    kiosk = f"{build}/kiosk/kiosk"
    if not os.path.exists(kiosk):
        log(f"{kiosk} not built")
        return 2
    if shutil.which("Xvfb") is None:
        log("Xvfb not installed; skipped")
        return 0
    out = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="kiosk-bench-")
    os.makedirs(out, exist_ok=True)
    idle_s = 3 if args.short else 10
    results = {"load average at start": " ".join(open("/proc/loadavg").read().split()[:3]) + f" ({os.cpu_count()} CPUs)"}
    xvfb = Xvfb()
    try:
        config = soak_config(src, out)
        floor_run(build, xvfb.display, idle_s, results)
        live_run(kiosk, xvfb.display, out, config, idle_s, 8 if args.short else 40, results)
        sessions_run(kiosk, xvfb.display, src, out, config, 5 if args.short else 100, results)
        if not args.short:
            callgrind_run(kiosk, xvfb.display, out, config, 12, results)
    finally:
        xvfb.stop()
    results["load average at end"] = " ".join(open("/proc/loadavg").read().split()[:3])
    print(f"== kiosk runtime figures ({'short' if args.short else 'full'} mode, 1920x1080 Xvfb, llvmpipe, "
          f"SDL_AUDIODRIVER={os.environ.get('SDL_AUDIODRIVER', 'dummy')}) ==")
    for key, value in results.items():
        print(f"{key}: {value}")
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
