#!/usr/bin/python3
"""Check the texts of form files for plain language.

What it reads:
    Form files (YAML, see the form format contract), by default every
    assets/forms/*.yaml in this repository, or the files given as arguments.

What it checks, in every text (title, intro, label, hint, why, speak, option
labels), in every language:
    - every sentence has at most --max-words words (default 10);
      a sentence ends at '.', '?' or '!' followed by a space or the end;
    - no officialese words from the list below (Dutch and English).

What it writes:
    A report on stdout: each problem as "file: path.to.text [lang]: ...",
    then the longest sentence found. Exit status 1 if there is a problem.

How to re-run (needs python3-yaml):
    /usr/bin/python3 tools/check-plain-language.py [FORM.yaml ...]
"""

import argparse
import glob
import os
import re
import sys

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEXT_KEYS = {"title", "intro", "label", "hint", "why", "speak"}
# Words that make a text harder than it needs to be (matched as word starts).
OFFICIALESE = [
    "indien", "verstrek", "conform", "inzake", "middels", "desgewenst",
    "derhalve", "teneinde", "ingevolge", "onverwijld", "alsmede", "welke u",
    "dienen te", "dient u", "terzake", "ten behoeve", "aanvang", "gelieve",
    "hereby", "pursuant", "aforementioned", "notwithstanding", "henceforth",
    "herein", "whereas",
]
SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def texts(node, path=""):
    """Yield (path, language, string) for every text in a parsed form."""
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}" if path else str(key)
            if key in TEXT_KEYS and isinstance(value, dict):
                for lang, text in value.items():
                    if isinstance(text, str):
                        yield sub, lang, text
            elif key in TEXT_KEYS and isinstance(value, str):
                yield sub, "", value
            else:
                yield from texts(value, sub)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            name = item.get("id") or item.get("value") if isinstance(item, dict) else None
            yield from texts(item, f"{path}[{name if name else i}]")


def sentences(text):
    return [s.strip() for s in SENTENCE_END.split(text.strip()) if s.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--max-words", type=int, default=10)
    args = parser.parse_args()
    files = args.files or sorted(glob.glob(os.path.join(REPO_ROOT, "assets", "forms", "*.yaml")))

    problems = 0
    longest = (0, "", "")
    for path in files:
        with open(path, encoding="utf-8") as f:
            form = yaml.safe_load(f)
        name = os.path.relpath(path)
        for where, lang, text in texts(form):
            for sentence in sentences(text):
                words = len(sentence.split())
                if words > longest[0]:
                    longest = (words, f"{name}: {where} [{lang}]", sentence)
                if words > args.max_words:
                    problems += 1
                    print(f"{name}: {where} [{lang}]: {words} words: {sentence}")
            lower = text.lower()
            for bad in OFFICIALESE:
                if re.search(r"\b" + re.escape(bad), lower):
                    problems += 1
                    print(f"{name}: {where} [{lang}]: officialese '{bad}': {text}")
    print(f"longest sentence: {longest[0]} words, {longest[1]}: {longest[2]}")
    print(f"{problems} problem(s) in {len(files)} file(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
