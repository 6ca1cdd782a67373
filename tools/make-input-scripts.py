#!/usr/bin/env python3
"""Writes tests/e2e/input-<form>-<method>.script: every demo form completed to the review
screen by touch, by a keyboard only, by the numeric keypad only and by two switches (Tab and
Enter). The focus order it relies on is the controller's (docs/script.md): the question's
controls, then the keyboard's keys, then back / read aloud / next, then the settings row.
Run it again after changing a demo form or that order:
    python3 tools/make-input-scripts.py
"""
import pathlib

DIGITS = list("1234567890")
LETTERS = list("abcdefghijklmnopqrstuvwxyz")
KEYS = {  # the on-screen keys after the answer field, in focus order
    "keypad": DIGITS + ["backspace"],
    "money": DIGITS + [","] + ["backspace"],
    "phone": DIGITS + ["+"] + ["backspace"],
    "caps": DIGITS + LETTERS + ["backspace"],
    "text": DIGITS + LETTERS + ["-", "'", ".", ","] + ["shift", "accents", "space", "backspace"],
    "email": DIGITS + LETTERS + ["@", ".", "-", "_"] + ["shift", "accents", "backspace"],
}
FORM_ORDER = ["bijzondere-bijstand", "kwijtschelding", "verhuizing"]  # file-name order

# (page id, action, argument). Actions: type (keyboard kind, text), choice (index),
# multi (indexes), yes, no, consent, today, skip (nothing to answer).
PLANS = {
    "verhuizing": [
        ("postcode", "type", ("caps", "3511AB")),
        ("huisnummer", "type", ("keypad", "12")),
        ("toevoeging", "skip", None),
        ("straat", "type", ("text", "oudegracht")),
        ("datum", "today", None),
        ("wie", "choice", 0),
        ("bsn", "type", ("keypad", "111222333")),
        ("telefoon", "type", ("phone", "0612345678")),
        ("email", "skip", None),
        ("akkoord", "consent", None),
    ],
    "kwijtschelding": [
        ("belastingen", "multi", [0, 3]),
        ("honden", "type", ("keypad", "1")),
        ("situatie", "choice", 0),
        ("geboortedatum", "today", None),
        ("inkomen", "type", ("money", "900")),
        ("spaargeld", "no", None),
        ("iban", "type", ("caps", "NL91ABNA0417164300")),
        ("bsn", "type", ("keypad", "123456782")),
        ("email", "skip", None),
        ("wat_nu", "skip", None),
        ("akkoord", "consent", None),
    ],
    "bijzondere-bijstand": [
        ("waarvoor", "choice", 0),
        ("bedrag", "type", ("money", "450")),
        ("al_gekocht", "yes", None),
        ("gekocht_op", "today", None),
        ("bsn", "type", ("keypad", "111222333")),
        ("partner", "no", None),
        ("iban", "type", ("caps", "NL02ABNA0123456789")),
        ("email", "skip", None),
        ("akkoord", "consent", None),
    ],
}
# How many options each choice page has (for the two-switch route to "next").
OPTIONS = {"wie": 4, "situatie": 4, "belastingen": 4, "waarvoor": 6}
# Pages whose only answer is an optional field of a keyboard kind (skip: Tab past the keys).
SKIP_KIND = {"toevoeging": "text", "email": "email"}


def key_index(kind, ch):
    name = ch.lower() if kind in ("caps",) else ch
    return KEYS[kind].index(name) + 1  # 0 is the answer field


def page(form, step, method):
    page_id, action, arg = step
    out = [f"expect screen page:{page_id}"]
    if method == "touch":
        if action == "type":
            out.append(f"type {arg[1]}")
        elif action == "choice":
            out.append(f"tap option:{option_value(form, page_id, arg)}")
        elif action == "multi":
            out += [f"tap option:{option_value(form, page_id, i)}" for i in arg]
        elif action in ("yes", "no"):
            out.append(f"tap {action}")
        elif action == "consent":
            out.append(f"tap field:{page_id}")
        elif action == "today":
            out.append("tap date:day-up")
        out.append("tap next")
    elif method == "keyboard":
        if action == "type":
            out += [f"key {'Space' if c == ' ' else c}" for c in arg[1]]
            out.append("key Return")
            return out
        if action == "choice":
            out += ["key Down"] * arg + ["key Return"]
        elif action == "multi":
            cur = 0
            for i in arg:
                out += ["key Down"] * (i - cur) + ["key Return"]
                cur = i
        elif action == "yes":
            out.append("key Return")
        elif action == "no":
            out += ["key Down", "key Return"]
        elif action == "consent":
            out.append("key Return")
        elif action == "today":
            out += ["key Tab", "key Tab", "key Return"]
        out.append("key PageDown")
    elif method == "keypad":
        if action == "type":
            kind, text = arg
            cur = 0
            for c in text:
                target = key_index(kind, c)
                out += ["key Keypad 2"] * (target - cur) if target > cur else ["key Keypad 8"] * (cur - target)
                out.append("key Keypad 5")
                cur = target
        elif action == "choice":
            out += ["key Keypad 2"] * arg + ["key Keypad 5"]
        elif action == "multi":
            cur = 0
            for i in arg:
                out += ["key Keypad 2"] * (i - cur) + ["key Keypad 5"]
                cur = i
        elif action == "yes":
            out.append("key Keypad 5")
        elif action == "no":
            out += ["key Keypad 2", "key Keypad 5"]
        elif action == "consent":
            out.append("key Keypad 5")
        elif action == "today":
            out += ["key Keypad 2", "key Keypad 2", "key Keypad 5"]
        out.append("key Keypad 6")
    elif method == "switch":
        # Only Tab (move on, round) and Return (select).
        if action == "type":
            kind, text = arg
            cur = 0
            # Every control of the page, for going round: field, keys, three buttons at the
            # bottom, five settings, help and stop.
            total = 1 + len(KEYS[kind]) + 3 + 7
            for c in text:
                target = key_index(kind, c)
                steps = target - cur if target >= cur else total - cur + target
                out += ["key Tab"] * steps + ["key Return"]
                cur = target
            next_at = len(KEYS[kind]) + 1 + 2  # field, keys, back, read aloud, next
            out += ["key Tab"] * (next_at - cur) + ["key Return"]
            return out
        if action == "skip" and page_id in SKIP_KIND:
            next_at = len(KEYS[SKIP_KIND[page_id]]) + 1 + 2
            out += ["key Tab"] * next_at + ["key Return"]
            return out
        if action == "skip":
            out.append("key Return")  # nothing to answer: the focus is on next
            return out
        if action in ("choice", "multi"):
            picks = [arg] if action == "choice" else arg
            cur = 0
            for i in picks:
                out += ["key Tab"] * (i - cur) + ["key Return"]
                cur = i
            next_at = OPTIONS[page_id] + 2
        elif action in ("yes", "no"):
            cur = 0 if action == "yes" else 1
            out += ["key Tab"] * cur + ["key Return"]
            next_at = 2 + 2
        elif action == "consent":
            out.append("key Return")
            cur, next_at = 0, 1 + 2
        elif action == "today":
            out += ["key Tab", "key Tab", "key Return"]
            cur, next_at = 2, 7 + 2
        out += ["key Tab"] * (next_at - cur) + ["key Return"]
        return out
    if action == "skip" and method in ("touch",):
        pass
    return out


def option_value(form, page_id, index):
    values = {
        "wie": ["alleen_ik", "ik_en_partner", "heel_gezin", "anders"],
        "situatie": ["alleen", "met_kinderen", "met_partner", "met_partner_en_kinderen"],
        "belastingen": ["afval", "riool", "ozb", "hond"],
        "waarvoor": ["wasmachine", "koelkast", "bed", "bril", "zorg", "anders"],
    }
    return values[page_id][index]


def opening(form, method):
    index = FORM_ORDER.index(form)
    if method == "touch":
        return ["tap start", "tap lang:nl", f"tap form:{form}", "expect screen intro", "tap next"]
    if method == "keyboard":
        return ["key Return", "key Return"] + ["key Down"] * index + ["key Return", "expect screen intro", "key Return"]
    if method == "keypad":
        return ["key Keypad 5", "key Keypad 5"] + ["key Keypad 2"] * index + ["key Keypad 5", "expect screen intro", "key Keypad 6"]
    return ["key Return", "key Return"] + ["key Tab"] * index + ["key Return", "expect screen intro", "key Return"]


def main():
    root = pathlib.Path(__file__).resolve().parent.parent / "tests/e2e"
    names = {"touch": "touch only", "keyboard": "a keyboard only", "keypad": "the numeric keypad only",
             "switch": "two switches (Tab and Enter) only"}
    for form, plan in PLANS.items():
        for method, words in names.items():
            lines = [f"# The demo form '{form}' from the welcome screen to the review screen, by {words}.",
                     "# Generated by tools/make-input-scripts.py; edit that, not this file.",
                     "expect screen welcome"]
            lines += opening(form, method)
            for step in plan:
                lines += page(form, step, method)
            lines += ["expect screen review", "expect layout"]
            (root / f"input-{form}-{method}.script").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
