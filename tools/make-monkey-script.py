#!/usr/bin/env python3
"""Writes a seeded monkey test script for `kiosk run --script` (docs/script.md, "Monkey test").

    tools/make-monkey-script.py --seed 7 --steps 10000 > monkey.script

The same seed and options always give the same script. The script is a mix of random
touches anywhere, swipes (short and long, in any direction), taps on controls that are on the
screen (`tap-any`), key presses (Tab, arrows, Enter, Escape, letters, digits, the numeric
keypad, F1-F12, Alt+F4, Ctrl+Q, Ctrl+Alt+S, ...), now and then a jump of the kiosk's clock
(idle warning, countdown) and a short wait.

Every --recover-every random steps comes a fixed recovery, followed by
`expect screen welcome`; the two kinds take turns:
  - idle: the citizen walks away: the clock jumps past the idle warning, then past its
    countdown (2 steps);
  - touch: in this order, each tapped only when it is on the screen: "still here", close
    help, the staff screens' cancel and back, stop, "yes, stop". Each is tapped twice, since
    with "hear first" (touch to explore) the first touch only says what it is (12 steps).
So the welcome screen is reached from wherever the monkey left the kiosk within 12 steps.
After the first --mark-after random steps (at a recovery) the script presses every text
size, theme, speed and volume once (the kiosk keeps a font atlas per text size) and marks
the resident memory; at the end it expects it grew by less than --memory-kib.

Random answers almost never pass a form's checks (a postcode, a BSN), so on its own the
monkey stays on the first page of each form. With --walk FILE (a touch script from the
welcome screen through a form, such as tests/e2e/input-*-touch.script), every other recovery
is followed by that walk cut off at a random page or the review screen (its taps, typing and
`expect screen` lines): the random steps then start deep inside a form.
"""

import argparse
import random
import sys

KEYS = (
    ["Tab"] * 6 + ["Return"] * 4 + ["Escape"] * 2
    + ["Up", "Down", "Left", "Right"] * 2
    + ["PageUp", "PageDown", "Backspace", "Space", "Home", "End", "Delete", "Insert"]
    + [chr(c) for c in range(ord("a"), ord("z") + 1)]
    + [str(d) for d in range(10)]
    + ["Keypad " + str(d) for d in range(10)] * 2
    + ["Keypad Enter", "Keypad *", "Keypad /", "Keypad .", "Keypad +", "Keypad -"]
    + ["F" + str(n) for n in range(1, 13)]
    + ["@", "-", ",", "."]
)

MODIFIED_KEYS = [
    ("Shift", "Tab"), ("Shift", "Tab"), ("Alt", "F4"), ("Ctrl", "Q"), ("Ctrl", "W"),
    ("Alt", "Tab"), ("Gui", "Tab"), ("Ctrl+Alt", "S"), ("Shift", "a"), ("Ctrl", "c"),
]

TOUCH_RECOVERY = ["still-here", "help-close", "staff-cancel", "staff-back", "stop", "stop-yes"]


def fraction(rng: random.Random) -> str:
    return f"{rng.random():.3f}"


def swipe(rng: random.Random) -> str:
    x1, y1 = rng.random(), rng.random()
    if rng.random() < 0.5:
        # Short: a shaky finger or a small slide (up to about 4 % of the window).
        x2 = min(1.0, max(0.0, x1 + rng.uniform(-0.04, 0.04)))
        y2 = min(1.0, max(0.0, y1 + rng.uniform(-0.04, 0.04)))
    else:
        x2, y2 = rng.random(), rng.random()
    return f"swipe {x1:.3f} {y1:.3f} {x2:.3f} {y2:.3f}"


def random_step(rng: random.Random, warn_after: int, countdown: int) -> str:
    roll = rng.random()
    if roll < 0.40:
        return f"tap-any {fraction(rng)}"
    if roll < 0.58:
        return f"touch {fraction(rng)} {fraction(rng)}"
    if roll < 0.68:
        return swipe(rng)
    if roll < 0.92:
        return f"key {rng.choice(KEYS)}"
    if roll < 0.96:
        modifier, key = rng.choice(MODIFIED_KEYS)
        return f"key+ {modifier} {key}"
    if roll < 0.985:
        # The clock: a few seconds, the screen's repeat, the idle warning, into its countdown.
        return f"advance {rng.choice([1, 5, 25, 45, warn_after + 1, countdown // 2])}"
    return f"wait {rng.choice([5, 20, 50])}"


def recovery(kind: str, warn_after: int, countdown: int) -> list[str]:
    if kind == "idle":
        steps = [f"advance {warn_after + 1}", f"advance {countdown + 1}"]
    else:
        steps = [f"tap-if-shown {control}" for control in TOUCH_RECOVERY for _ in range(2)]
    return steps + ["expect screen welcome"]


def warm_up() -> list[str]:
    """Every text size, theme, speed and volume once, just before the memory mark.

    What the kiosk builds once per setting and keeps (a font atlas per text size, a few MiB
    each) then exists before the mark, whatever the random steps happened to press: growth
    after the mark is what the monkey leaves behind, not a cache filling up."""
    steps = ["tap start", "tap-if-shown lang:nl", "expect screen forms"]
    for setting, presses in (("text-size", 4), ("contrast", 4), ("speed", 7), ("volume", 7)):
        steps += [f"tap setting:{setting}"] * presses
    return steps + recovery("touch", 0, 0)


def read_walk(path: str) -> list[str]:
    """The acting lines of a touch script, and its `expect screen` checks."""
    walk = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if line.startswith(("tap ", "type ", "expect screen ")):
                walk.append(line)
    if not walk or walk[0] != "tap start":
        walk = [line for line in walk if line != "expect screen welcome"]
    return walk


def walk_prefix(rng: random.Random, walk: list[str]) -> list[str]:
    """The walk up to a random page or the review screen (after its `expect screen`)."""
    cuts = [i for i, line in enumerate(walk) if line.startswith(("expect screen page:", "expect screen review"))]
    if not cuts:
        return walk
    return walk[: rng.choice(cuts) + 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--steps", type=int, default=10000, help="random steps (recoveries come on top)")
    parser.add_argument("--recover-every", type=int, default=200)
    parser.add_argument("--mark-after", type=int, default=1000, help="random steps before `memory mark`")
    parser.add_argument("--memory-kib", type=int, default=2048)
    parser.add_argument("--warn-after", type=int, default=120, help="the config's idle.warn_after_s")
    parser.add_argument("--countdown", type=int, default=45, help="the config's idle.countdown_s")
    parser.add_argument("--walk", action="append", default=[], metavar="FILE",
                        help="a touch script through a form (repeatable); see above")
    args = parser.parse_args()
    if args.steps < 1 or args.recover_every < 1:
        parser.error("--steps and --recover-every must be at least 1")

    rng = random.Random(args.seed)
    walks = [read_walk(path) for path in args.walk]
    out = [
        f"# Monkey test: seed {args.seed}, {args.steps} random steps, made by tools/make-monkey-script.py",
        f"# (--seed {args.seed} --steps {args.steps} --recover-every {args.recover_every} "
        f"--mark-after {args.mark_after} --memory-kib {args.memory_kib} "
        f"--warn-after {args.warn_after} --countdown {args.countdown}"
        + "".join(f" --walk {path}" for path in args.walk) + "). Do not edit; make it again.",
    ]
    kinds = ["idle", "touch"]
    recoveries = 0
    marked = args.mark_after >= args.steps
    for step in range(1, args.steps + 1):
        out.append(random_step(rng, args.warn_after, args.countdown))
        if step % args.recover_every == 0 or step == args.steps:
            out.append(f"# recovery {recoveries + 1} after step {step}")
            out.extend(recovery(kinds[recoveries % 2], args.warn_after, args.countdown))
            recoveries += 1
            if not marked and step >= args.mark_after:
                out.extend(warm_up())
                out.append("memory mark")
                marked = True
            if walks and recoveries % 2 == 0 and step < args.steps:
                walk = rng.choice(walks)
                out.append("# a walk into a form")
                out.extend(walk_prefix(rng, walk))
    if args.mark_after < args.steps:
        out.append(f"expect memory-growth {args.memory_kib}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
