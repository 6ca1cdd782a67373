#!/usr/bin/env python3
"""Writes a soak test script (docs/script.md): many varied citizen sessions, one after the
other, in one kiosk process, across the three demo forms and both languages of the soak
config (tests/e2e/soak_check.sh). Seeded, so a failing run can be replayed exactly.

    python3 tools/make-soak-script.py --sessions 10000 --seed 7 > soak.script

Each session is one of:
  submit    filled in and sent (the outbox keeps it; no backend needs to run), then `done`
            or left on the confirmation screen until it returns to the welcome screen;
  stop      stopped midway (stop, stop-yes);
  abandon   left alone midway: the idle warning, its countdown, and the wipe (`advance`);
  staying   left alone until the idle warning, then "still here", then stopped.
Any session may also change settings (text size, contrast, speed), go back and forth, open
help, have the screen read again, or change an answer from the review screen.

After session 100 the script marks the resident memory (`memory mark`); at the end it
expects less than --growth-kib KiB of growth (`expect memory-growth`), unless --no-memory
(for sanitizer builds, whose quarantine and shadow memory make RSS meaningless).
"""
import argparse
import random
import sys

LANGUAGES = ["nl", "en"]
FORMS = ["verhuizing", "kwijtschelding", "bijzondere-bijstand"]
STREETS = ["oudegracht", "Kerkstraat", "lange Nieuwstraat", "Dorpsweg", "Van Goghlaan", "'t Zand"]
NAMES = ["Jan Jansen", "Fatma Yilmaz", "Piet de Vries", "Anna", "Mo El Amrani"]
WORDS = ["een kast", "schoolspullen", "een fiets", "verhuiskosten", "spaargeld", "hulp van familie"]


def bsn(rng):
    """A random number that passes the BSN eleven test (9 digits, first not 0)."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1))) - digits[8]
        if total % 11 == 0:
            return "".join(map(str, digits))


def iban(rng):
    """A random Dutch IBAN with valid check digits (ISO 13616, mod 97)."""
    bank = rng.choice(["ABNA", "INGB", "RABO", "SNSB", "TRIO"])
    account = "".join(str(rng.randint(0, 9)) for _ in range(10))
    numeric = "".join(str(int(c, 36)) for c in bank + account + "NL00")
    check = 98 - int(numeric) % 97
    return f"NL{check:02d}{bank}{account}"


def postcode(rng):
    letters = "ABCEGHJKLMNPRTVWXZ"  # no SA, SD, SS by construction
    return f"{rng.randint(1000, 9999)}{rng.choice(letters)}{rng.choice(letters)}"


def phone(rng):
    return "06" + "".join(str(rng.randint(0, 9)) for _ in range(8))


def email(rng):
    return rng.choice(["jan", "fatma.y", "piet-de-vries", "a_b"]) + "@" + rng.choice(["example.nl", "mail.nl"])


class Page:
    """One question screen: its id and the script lines that answer it."""

    def __init__(self, page_id, lines, field=None):
        self.id = page_id
        self.lines = lines
        self.field = field or page_id  # the field an answer typed here goes to


def verhuizing(rng):
    pages = [Page("postcode", [f"type {postcode(rng)}"]),
             Page("huisnummer", [f"type {rng.randint(1, 999)}"]),
             Page("toevoeging", [f"type {rng.choice(['A', '2', 'bis'])}"] if rng.random() < 0.3 else []),
             Page("straat", [f"type {rng.choice(STREETS)}"])]
    dates = ["tap date:day-up"] + ["tap date:day-up"] * rng.randint(0, 3)
    if rng.random() < 0.4:
        dates = ["tap date:day-down"] * rng.randint(1, 3)  # the first press sets today
    pages.append(Page("datum", dates))
    who = rng.choice(["alleen_ik", "ik_en_partner", "heel_gezin", "anders"])
    pages.append(Page("wie", [f"tap option:{who}"]))
    if who != "alleen_ik":
        pages.append(Page("meeverhuizers", [f"type {rng.choice(NAMES)}"]))
    if who in ("heel_gezin", "anders"):
        children = rng.random() < 0.5
        pages.append(Page("kinderen", ["tap yes" if children else "tap no"]))
        if children:
            pages.append(Page("aantal_kinderen", [f"type {rng.randint(1, 5)}"]))
    pages.append(Page("bsn", [f"type {bsn(rng)}"]))
    pages.append(Page("telefoon", [f"type {phone(rng)}"] if rng.random() < 0.5 else []))
    pages.append(Page("email", [f"type {email(rng)}"] if rng.random() < 0.3 else []))
    pages.append(Page("akkoord", ["tap field:akkoord"]))
    return pages


def kwijtschelding(rng):
    taxes = rng.sample(["afval", "riool", "ozb", "hond"], rng.randint(1, 3))
    pages = [Page("belastingen", [f"tap option:{t}" for t in taxes])]
    if "hond" in taxes:
        pages.append(Page("honden", [f"type {rng.randint(1, 3)}"], "aantal_honden"))
    situation = rng.choice(["alleen", "met_kinderen", "met_partner", "met_partner_en_kinderen"])
    pages.append(Page("situatie", [f"tap option:{situation}"]))
    pages.append(Page("geboortedatum", ["tap date:day-up"] + ["tap date:year-down"] * rng.randint(1, 4)))
    income = rng.choice([0, rng.randint(300, 1400), rng.randint(1600, 3000)])
    pages.append(Page("inkomen", [f"type {income}" + (",50" if income and rng.random() < 0.3 else "")]))
    if income < 1:
        pages.append(Page("geen_inkomen", [f"type {rng.choice(WORDS)}"], "leeft_van"))
    alone = situation in ("alleen", "met_kinderen")
    if (alone and income > 1500) or (not alone and income > 2100):
        pages.append(Page("inkomen_hoog", []))
    pages.append(Page("spaargeld", ["tap yes" if rng.random() < 0.3 else "tap no"]))
    pages.append(Page("iban", [f"type {iban(rng)}"]))
    pages.append(Page("bsn", [f"type {bsn(rng)}"]))
    pages.append(Page("email", [f"type {email(rng)}"] if rng.random() < 0.3 else []))
    pages.append(Page("wat_nu", []))
    pages.append(Page("akkoord", ["tap field:akkoord"]))
    return pages


def bijzondere_bijstand(rng):
    what = rng.choice(["wasmachine", "koelkast", "bed", "bril", "zorg", "anders"])
    pages = [Page("waarvoor", [f"tap option:{what}"])]
    if what == "anders":
        pages.append(Page("omschrijving", [f"type {rng.choice(WORDS)}"]))
    amount = rng.choice([rng.randint(20, 1000), rng.randint(1001, 5000)])
    pages.append(Page("bedrag", [f"type {amount}"]))
    if amount > 1000:
        pages.append(Page("offerte", ["tap yes" if rng.random() < 0.5 else "tap no"]))
    bought = rng.random() < 0.5
    pages.append(Page("al_gekocht", ["tap yes" if bought else "tap no"]))
    if bought:
        pages.append(Page("gekocht_op", ["tap date:day-up"] + ["tap date:day-down"] * rng.randint(0, 5)))
    else:
        pages.append(Page("nog_niet_kopen", []))
    pages.append(Page("bsn", [f"type {bsn(rng)}"]))
    partner = rng.random() < 0.4
    pages.append(Page("partner", ["tap yes" if partner else "tap no"]))
    if partner:
        pages.append(Page("partner_bsn", [f"type {bsn(rng)}"]))
    pages.append(Page("iban", [f"type {iban(rng)}"]))
    pages.append(Page("email", [f"type {email(rng)}"] if rng.random() < 0.3 else []))
    pages.append(Page("akkoord", ["tap field:akkoord"]))
    return pages


PLANS = {"verhuizing": verhuizing, "kwijtschelding": kwijtschelding, "bijzondere-bijstand": bijzondere_bijstand}


def extras(rng, out):
    """What a citizen may do on any question besides answering it."""
    if rng.random() < 0.08:
        out.append(f"tap setting:{rng.choice(['text-size', 'contrast', 'speed'])}")
    if rng.random() < 0.03:
        out += ["tap help", "tap help-close"]
    if rng.random() < 0.03:
        out.append("tap repeat")


def session(rng, number):
    form = rng.choice(FORMS)
    language = rng.choice(LANGUAGES)
    kind = rng.choices(["submit", "stop", "abandon", "staying"], weights=[50, 25, 15, 10])[0]
    out = [f"# session {number}: {form}, {language}, {kind}", "expect screen welcome", "tap start",
           f"tap lang:{language}"]
    if number <= 2:
        # Warm-up: every text size, theme, speed and volume once in the first sessions, so
        # that what the kiosk builds once per setting (a font atlas per text size) exists
        # before the memory mark: growth after it is then what sessions leave behind.
        for setting, steps in (("text-size", 4), ("contrast", 4), ("speed", 7), ("volume", 7)):
            out += [f"tap setting:{setting}"] * steps
    elif rng.random() < 0.15:
        # Settings chosen before the form: one to three presses each, the way people try them.
        for setting in rng.sample(["text-size", "contrast", "speed"], rng.randint(1, 3)):
            out += [f"tap setting:{setting}"] * rng.randint(1, 3)
    out += [f"tap form:{form}", "expect screen intro", "tap next"]
    pages = PLANS[form](rng)
    # Where a stopped or abandoned session ends: somewhere on the way, review included.
    end = rng.randint(0, len(pages)) if kind != "submit" else len(pages)
    for index, page in enumerate(pages[:end]):
        out.append(f"expect screen page:{page.id}")
        extras(rng, out)
        out += page.lines
        if index > 0 and rng.random() < 0.06:
            out += ["tap back", f"expect screen page:{pages[index - 1].id}", "tap next",
                    f"expect screen page:{page.id}"]
        out.append("tap next")
    if end == len(pages):
        out.append("expect screen review")
    if kind == "submit":
        if rng.random() < 0.15:
            # Change an answer from the review screen, and back to the review.
            page = rng.choice([p for p in pages if p.lines and p.lines[0].startswith("type ")])
            out += [f"tap change:{page.field}", f"expect screen page:{page.id}", "tap next",
                    "expect screen review"]
        out += ["tap submit", "expect screen confirmation"]
        if rng.random() < 0.8:
            out.append("tap done")
        else:
            out += ["advance 61", "settle"]
    elif kind == "stop":
        out += ["tap stop", "tap stop-yes"]
    elif kind == "abandon":
        out += ["advance 121", "settle", "expect screen idle-warning", "advance 46", "settle"]
    else:
        out += ["advance 121", "settle", "expect screen idle-warning", "tap still-here", "tap stop", "tap stop-yes"]
    out.append("expect screen welcome")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mark-after", type=int, default=100, help="sessions before `memory mark`")
    parser.add_argument("--growth-kib", type=int, default=1024)
    parser.add_argument("--no-memory", action="store_true", help="no memory mark and no growth check")
    parser.add_argument("--check-every", type=int, default=0,
                        help="after the mark, also check the growth every this many sessions (0: only at the end);"
                             " a figure taken while a delivery is in flight includes its buffers")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    lines = [f"# Soak: {args.sessions} sessions, seed {args.seed}; made by tools/make-soak-script.py"]
    for number in range(1, args.sessions + 1):
        lines += session(rng, number)
        if number == args.mark_after and not args.no_memory:
            lines.append("memory mark")
        elif (not args.no_memory and number > args.mark_after and number < args.sessions
              and args.check_every > 0 and (number - args.mark_after) % args.check_every == 0):
            lines.append(f"expect memory-growth {args.growth_kib}   # after session {number}")
    if not args.no_memory and args.sessions > args.mark_after:
        # Let the last deliveries finish first: their TLS and HTTP buffers are not growth.
        lines += ["settle", "wait 2000", f"expect memory-growth {args.growth_kib}"]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
