#!/usr/bin/env python3
"""Rewrite a JSON document (stdin) as block-style YAML (stdout), the way a
person writes a Swagger file: plain scalars where YAML reads them back as
the same string, double quotes elsewhere, "- " for sequence items. Used by
bench/run.sh to give the generated APIG specs a YAML twin of the same
content. Standard library only.
Usage: json2yaml.py < spec.json > spec.yaml"""
import json
import re
import sys

PLAIN = re.compile(r"^[A-Za-z_/$][A-Za-z0-9_ ./{}$-]*$")
# words some YAML reader (1.1 or 1.2) types as something else than a string
SPECIAL = re.compile(r"^(y|n|yes|no|on|off|true|false|null|~|\.nan|\.inf)$", re.I)


def scalar(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    if PLAIN.match(v) and not SPECIAL.match(v) and not v.endswith(" ") and ": " not in v \
            and " #" not in v:
        return v
    return json.dumps(v, ensure_ascii=False)


def emit(out, v, indent):
    """Append the lines of V, a non-empty container, written as a block at
    INDENT spaces."""
    pad = " " * indent
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                out.append(pad + scalar(k) + ":")
                emit(out, x, indent + 2 if isinstance(x, dict) else indent)
            else:
                out.append(pad + scalar(k) + ": " + inline(x))
    else:
        for x in v:
            if isinstance(x, (dict, list)) and x:
                first = len(out)
                emit(out, x, indent + 2)
                # the item's first line goes on the dash
                out[first] = pad + "- " + out[first][indent + 2:]
            else:
                out.append(pad + "- " + inline(x))


def inline(x):
    if isinstance(x, dict):
        return "{}"
    if isinstance(x, list):
        return "[]"
    return scalar(x)


def main():
    doc = json.load(sys.stdin)
    out = []
    emit(out, doc, 0)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
