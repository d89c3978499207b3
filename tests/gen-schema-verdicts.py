#!/usr/bin/env python3
"""Write tests/data/schema-verdicts.tsv: the verdict of another draft-04
implementation (python-jsonschema, Draft4Validator) on every real spec of
SWAGGATE_CORPUS and every complete example of SWAGGATE_TESTDATA/oai-v2,
against schemas/swagger-2.0.json. tests/schema-diff.test compares
`swaggate schema` with it and fails on any disagreement.

YAML files are read through `swaggate convert --force` (YAML 1.2, as swaggate
reads them), so the two sides validate the same JSON and only the validators
are compared. Formats: python-jsonschema's own checkers (date-time, email,
ipv4, ipv6) plus RFC 3986 / RFC 1123 regexes below for uri and hostname.

Run from the top of the tree, after building:
  SWAGGATE_CORPUS=../shared/corpus-real SWAGGATE_TESTDATA=../shared/testdata \\
      python3 tests/gen-schema-verdicts.py > tests/data/schema-verdicts.tsv
"""
import json
import os
import re
import subprocess
import sys

import jsonschema
from referencing import Registry, Resource

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
swagger = json.load(open(os.path.join(top, "schemas/swagger-2.0.json")))
draft04 = json.load(open(os.path.join(top, "schemas/draft-04.json")))
registry = Registry().with_resource("http://json-schema.org/draft-04/schema",
                                    Resource.from_contents(draft04))

# RFC 3986 section 3, absolute URI (scheme required), with percent-encodings.
_unres = r"A-Za-z0-9\-._~"
_sub = r"!$&'()*+,;="
_pct = r"%[0-9A-Fa-f]{2}"
_pchar = rf"(?:[{_unres}{_sub}:@]|{_pct})"
URI = re.compile(
    rf"^[A-Za-z][A-Za-z0-9+\-.]*:"
    rf"(?://(?:(?:[{_unres}{_sub}:]|{_pct})*@)?"
    rf"(?:\[[0-9A-Fa-f:.]+\]|(?:[{_unres}{_sub}]|{_pct})*)(?::[0-9]*)?"
    rf"(?:/{_pchar}*)*"
    rf"|/?(?:{_pchar}+(?:/{_pchar}*)*)?)"
    rf"(?:\?(?:{_pchar}|[/?])*)?(?:#(?:{_pchar}|[/?])*)?$")
HOST = re.compile(r"^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                  r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")

checker = jsonschema.Draft4Validator.FORMAT_CHECKER


@checker.checks("uri")
def is_uri(value):
    return not isinstance(value, str) or bool(URI.match(value))


@checker.checks("hostname")
def is_host(value):
    return not isinstance(value, str) or bool(HOST.match(value))


validator = jsonschema.Draft4Validator(swagger, registry=registry, format_checker=checker)


def load(path):
    if path.endswith(".json"):
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8-sig"))
    out = subprocess.run([os.path.join(top, "swaggate"), "convert", "--force", path],
                         capture_output=True, check=False)
    if out.returncode not in (0, 1) or not out.stdout:
        return None
    return json.loads(out.stdout)


def files():
    corpus = os.environ.get("SWAGGATE_CORPUS")
    testdata = os.environ.get("SWAGGATE_TESTDATA")
    if corpus:
        for name in sorted(os.listdir(corpus)):
            if name.endswith((".yaml", ".yml", ".json")):
                yield "corpus", name
    if testdata:
        ex = os.path.join(testdata, "oai-v2/examples/v2.0")
        for root, _, names in sorted(os.walk(ex)):
            for name in sorted(names):
                rel = os.path.relpath(os.path.join(root, name), testdata)
                # the petstore-separate fragments are $ref targets, not documents
                if "petstore-separate" in rel and not name.startswith("swagger."):
                    continue
                yield "testdata", rel


def main():
    print("# where\tfile\tverdict\tfirst error (python-jsonschema, Draft4Validator)")
    for where, rel in files():
        base = os.environ["SWAGGATE_CORPUS" if where == "corpus" else "SWAGGATE_TESTDATA"]
        doc = load(os.path.join(base, rel))
        if doc is None:
            print(f"{where}\t{rel}\tunusable\t")
            continue
        err = next(iter(sorted(validator.iter_errors(doc), key=lambda e: list(e.path))), None)
        if err is None:
            print(f"{where}\t{rel}\tvalid\t")
        else:
            where_at = "/" + "/".join(str(p) for p in err.path)
            msg = err.message.replace("\t", " ").replace("\n", " ")[:120]
            print(f"{where}\t{rel}\tinvalid\t{where_at}: {msg}")


if __name__ == "__main__":
    main()
