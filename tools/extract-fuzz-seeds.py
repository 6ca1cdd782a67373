#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (fuzz/corpus/<target>/) from the tests.

  show_if: every condition literal the tests of forms/condition.cpp parse, check or evaluate
  config:  every config text the tests of kiosk/core/config.cpp parse, plus the demo config
           that deploy/demo-backend.sh writes
The form loader's seeds are the test and demo form folders themselves (tests/ci/fuzz.sh
reads them in place); the backend answers are written by hand in fuzz/corpus/backend_answer/.
Run from the repository root; files are named by content hash, so a rerun only adds.
"""
import hashlib
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
STRING = r'"((?:[^"\\]|\\.)*)"'


def unescape(literal: str) -> bytes:
    # C++ escapes the tests use: \n \t \\ \" \' and \uXXXX.
    out = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), literal)
    out = out.replace("\\n", "\n").replace("\\t", "\t").replace('\\"', '"').replace("\\'", "'")
    return out.replace("\\\\", "\\").encode("utf-8")


def write(target: str, seeds: set) -> None:
    folder = ROOT / "fuzz" / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    for seed in sorted(seeds):
        (folder / hashlib.sha1(seed).hexdigest()[:16]).write_bytes(seed)
    print(f"{target}: {len(seeds)} seeds in {folder.relative_to(ROOT)}")


def conditions() -> set:
    text = (ROOT / "tests/unit/forms/condition_test.cpp").read_text()
    calls = r"(?:parseOk|expectParseError|expectSound|expectRefused|eval|checkText|cond::parse)\((?:form,\s*)?"
    return {unescape(m.group(1)) for m in re.finditer(calls + STRING, text)}


def configs() -> set:
    text = (ROOT / "tests/unit/core/config_test.cpp").read_text()
    seeds = {m.group(1).encode() for m in re.finditer(r'R"\((.*?)\)"', text, re.S)}
    seeds |= {unescape(m.group(1)) for m in re.finditer(r"parseConfig\(" + STRING, text)}
    seeds |= {unescape(m.group(1)) for m in re.finditer(r"\{" + STRING + r",\s*\"k\.yaml:", text)}
    demo = (ROOT / "deploy/demo-backend.sh").read_text()
    block = re.search(r"# Kiosk config for the local demo backend.*?\n(.*?)\nCONFIG", demo, re.S)
    if block:
        seeds.add(block.group(1).replace("\\$", "$").encode() + b"\n")
    return seeds


write("show_if", conditions())
write("config", configs())
