#!/usr/bin/python3
"""The JSON Schemas for form files and the config (assets/schema/, docs/schema.md).

Checks, with Debian's python3-jsonschema and python3-yaml:
- both schemas are valid draft-07 schemas (Draft7Validator.check_schema);
- the form schema accepts every demo form (assets/forms/*.yaml) and every good test form
  (tests/data/good, tests/data/custom-icons), and refuses every file of the loader's
  refusal corpus (tests/data/refusals) except those listed in OUT_OF_REACH, each with the
  reason a schema cannot see it; a listed file must really be out of reach (the schema
  accepts it, or it is not YAML text at all), so the list cannot go stale;
- the config schema accepts the example configs (deploy/config.yaml.example,
  tests/data/configs/good) and refuses tests/data/configs/bad the same way.

YAML is read as editors read it (the yaml-language-server uses YAML 1.2): only true/false
are booleans (not yes/no/on/off), 2026-01-31 is a string, not a date, and a key given twice
is an error.  Usage: check_schemas.py SOURCE_DIR
"""
import json
import pathlib
import re
import sys

import jsonschema
import yaml

# Refusals of the loader that a JSON Schema cannot express, and why.
FORM_OUT_OF_REACH = {
    "duplicate-field-id.yaml": "unique ids: draft-07 cannot require one property to differ between list items",
    "duplicate-page-id.yaml": "unique ids: draft-07 cannot require one property to differ between list items",
    "duplicate-option-value.yaml": "unique values: draft-07 cannot require one property to differ between list items",
    "show-if-later-field.yaml": "show_if is an expression in a string; which fields come earlier is beyond a schema",
    "show-if-unknown-field.yaml": "show_if is an expression in a string; which fields exist is beyond a schema",
    "show-if-type-mismatch.yaml": "show_if is an expression in a string; the types of the fields it names are beyond a schema",
    "show-if-syntax.yaml": "show_if's grammar is not a regular language (brackets nest)",
    "contains-on-choice.yaml": "show_if is an expression in a string; the types of the fields it names are beyond a schema",
    "choice-unknown-option-literal.yaml": "show_if is an expression in a string; the options of the field it names are beyond a schema",
    "unknown-icon.yaml": "icons are the kiosk's list and the files in the folder's icons/, not in the file",
    "not-utf8.yaml": "the encoding lies below the schema: the editor's reader (and the kiosk) refuse it",
    "missing-language.yaml": "every text must have every language of the form's languages list: a schema cannot relate two places",
    "plain-text-two-languages.yaml": "a plain text is allowed only when languages has one entry: a schema cannot relate two places",
    "language-typo.yaml": "a text's languages must be those of the form's languages list: a schema cannot relate two places",
    "min-above-max.yaml": "draft-07 cannot compare two values (min and max)",
    "date-min-above-max.yaml": "draft-07 cannot compare two values (min and max)",
    "multichoice-max-above-options.yaml": "draft-07 cannot compare a value with the length of a list",
}
CONFIG_OUT_OF_REACH = {
    "signature-key-is-private.yaml": "what the key file holds is read by the kiosk, not by a schema",
    "signature-key-missing.yaml": "whether the key file exists is checked by the kiosk, not by a schema",
}


class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core scalars and duplicate keys refused."""


Yaml12Loader.yaml_implicit_resolvers = {
    k: [(tag, regexp) for tag, regexp in v
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                       "tag:yaml.org,2002:timestamp")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))


def _bool12(loader, node):
    return loader.construct_scalar(node).lower() == "true"


def _int12(loader, node):
    text = loader.construct_scalar(node)
    return int(text, 0) if text.startswith(("0o", "0x")) else int(text)


def _mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"the key {key!r} appears twice", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


Yaml12Loader.add_constructor("tag:yaml.org,2002:bool", _bool12)
Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _int12)
Yaml12Loader.construct_mapping = _mapping


def read(path):
    """(document, None) or (None, why it is not YAML text)."""
    try:
        return yaml.load(path.read_bytes().decode("utf-8"), Loader=Yaml12Loader), None
    except UnicodeDecodeError as error:
        return None, f"not UTF-8 ({error.reason})"
    except yaml.YAMLError as error:
        return None, "not valid YAML: " + str(error).replace("\n", " ")


def first_error(validator, document):
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    e = errors[0]
    return "/".join(str(p) for p in e.absolute_path) + ": " + e.message


def check(name, validator, good, refused, out_of_reach):
    failures = []
    for path in good:
        document, not_yaml = read(path)
        problem = not_yaml or first_error(validator, document)
        if problem:
            failures.append(f"{path}: a good file is refused by the {name} schema: {problem}")
        else:
            print(f"ok  accepted  {path.name}")
    listed = set(out_of_reach)
    for path in refused:
        document, not_yaml = read(path)
        problem = not_yaml or first_error(validator, document)
        if path.name in out_of_reach:
            listed.discard(path.name)
            if problem and not not_yaml:
                failures.append(f"{path}: listed as out of the schema's reach ({out_of_reach[path.name]}), "
                                f"but the schema refuses it ({problem}): take it off the list")
            else:
                print(f"ok  out of reach  {path.name}: {out_of_reach[path.name]}")
            continue
        if problem:
            print(f"ok  refused  {path.name}: {'(YAML) ' if not_yaml else ''}{problem}")
        else:
            failures.append(f"{path}: the {name} schema accepts a file the kiosk refuses")
    for name_left in sorted(listed):
        failures.append(f"{name_left}: listed as out of reach, but no such file in the corpus")
    return failures


def main():
    src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    schemas = {}
    for name in ("form", "config"):
        schema = json.loads((src / "assets/schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        jsonschema.Draft7Validator.check_schema(schema)
        schemas[name] = jsonschema.Draft7Validator(schema)
        print(f"ok  {name}.schema.json is a valid draft-07 schema")
    data = src / "tests/data"
    good_forms = sorted((src / "assets/forms").glob("*.yaml")) + sorted((data / "good").glob("*.yaml")) + \
        sorted((data / "custom-icons").glob("*.yaml"))
    refusals = sorted((data / "refusals").glob("*.yaml"))
    good_configs = [src / "deploy/config.yaml.example"] + sorted((data / "configs/good").glob("*.yaml"))
    bad_configs = sorted((data / "configs/bad").glob("*.yaml"))
    if len(good_forms) < 4 or len(refusals) < 30 or len(good_configs) < 4 or len(bad_configs) < 15:
        print("check_schemas: the corpus is smaller than expected (wrong SOURCE_DIR?)", file=sys.stderr)
        return 1
    failures = check("form", schemas["form"], good_forms, refusals, FORM_OUT_OF_REACH)
    failures += check("config", schemas["config"], good_configs, bad_configs, CONFIG_OUT_OF_REACH)
    for failure in failures:
        print("FAIL " + failure, file=sys.stderr)
    print(f"check_schemas: {len(good_forms)} good forms, {len(refusals)} refusals "
          f"({len(FORM_OUT_OF_REACH)} out of reach), {len(good_configs)} good configs, "
          f"{len(bad_configs)} bad configs ({len(CONFIG_OUT_OF_REACH)} out of reach): "
          f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
