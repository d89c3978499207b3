#!/bin/sh
# Assemble the seed folders of the fuzz harnesses in OUT (default ./seeds):
# OUT/HARNESS/, each file one input (its first byte the harness's option
# byte; see fuzz/fuzz_*.c). Taken at run time, never committed: the
# committed seeds of fuzz/corpus/, the project's corpus/, and, when the
# environment names them, the outside suites (SWAGGATE_TESTDATA:
# yaml-test-suite, JSONTestSuite, JSON-Schema-Test-Suite, oai-v2) and real
# specifications (SWAGGATE_CORPUS, files up to 64 KiB).
# Usage: fuzz/seed.sh [OUT]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=${1:-seeds}
td=${SWAGGATE_TESTDATA:-}
real=${SWAGGATE_CORPUS:-}
n=0

# put HARNESS OPTION-BYTE(octal) FILE...: each file prefixed with the byte
put() {
    h=$1 b=$2
    shift 2
    mkdir -p "$out/$h"
    for f in "$@"; do
        [ -f "$f" ] || continue
        n=$((n + 1))
        { printf "\\$b"; cat "$f"; } >"$out/$h/s$n"
    done
}

for h in yaml json lint schema normalize plan; do
    [ -d "$here/corpus/$h" ] && mkdir -p "$out/$h" && cp "$here/corpus/$h"/* "$out/$h/"
done

# the project's corpus: YAML and JSON inputs for the readers and lint
for f in $(find "$top/corpus" -name 'input.yaml' -o -name 'input.yml' | sort); do
    put yaml 000 "$f"
    put lint 000 "$f"
    put normalize 000 "$f"
done
for f in $(find "$top/corpus" -name 'input.json' | sort); do
    put json 000 "$f"
    put yaml 001 "$f"
    put lint 001 "$f"
    put normalize 001 "$f"
done

# lint and normalize: single-character mutants of valid format values,
# regex patterns, numbers and ACL addresses, and the property names, control
# characters and count keywords the checkers branch on. Each family has many
# small branches (a hex digit's case, a date field's range, an address
# part) that the fuzzers otherwise find one at a time, late in a run.
if command -v python3 >/dev/null 2>&1; then
    python3 - "$out/lint" "$out/normalize" <<'PY'
import os, sys
FORMATS = [
    ('date-time', ['2016-12-31T23:59:60Z', '2016-12-31T18:59:60.123-05:00',
                   '2000-02-29t00:00:00+05:30']),
    ('date', ['2000-02-29', '2001-04-30']),
    ('ipv4', ['192.0.2.255', '0.10.100.1']),
    ('ipv6', ['1:2:3:4:5:6:7:8', 'fe80::a:B:c', '::ffff:192.0.2.1', '::']),
    ('email', ['"a\\"b"@example.com', 'x.y+z@a-b.example', 'a@[192.0.2.1]',
               'a@[IPv6:2001:db8::1]']),
    ('hostname', ['a-b.example.com']),
    ('uri', ['http://u:p@[v1.x:y]:80/p?q#f', 'http://[::1]:8080/a%20b?x=%41#y', 'urn:a:b']),
]
PATTERNS = ['\\uD83D\\uDE00', '\\udbff\\udfff', '[\\s-z\\S]', '[[:alpha:][.a.][=b=]]',
            '\\p{gc=Lu}\\P{General_Category=Letter}', '\\p{Uppercase Letter}',
            '\\cA\\Q.*\\E(?#c).\\v', '(?<n>a)(?:b)(?=c)(?!d)(?<=e)(?<!f)', 'a{1,2}+b*?c??',
            '\\x{41}\\o{1}\\K']
NUMBERS = ['1.5e-3', '-0.25', '123456789012345678901234567890', '1E+400', '0.1']
ACLS = ['10.0.0.0/8', '::1/128', '10.0.0.1-10.0.0.9', 'fe80::1-fe80::9']
GC = ('Letter:L Cased_Letter:LC Uppercase_Letter:Lu Lowercase_Letter:Ll Titlecase_Letter:Lt '
      'Modifier_Letter:Lm Other_Letter:Lo Mark:M Combining_Mark:M Nonspacing_Mark:Mn '
      'Spacing_Mark:Mc Enclosing_Mark:Me Number:N Decimal_Number:Nd digit:Nd Letter_Number:Nl '
      'Other_Number:No Punctuation:P punct:P Connector_Punctuation:Pc Dash_Punctuation:Pd '
      'Open_Punctuation:Ps Close_Punctuation:Pe Initial_Punctuation:Pi Final_Punctuation:Pf '
      'Other_Punctuation:Po Symbol:S Math_Symbol:Sm Currency_Symbol:Sc Modifier_Symbol:Sk '
      'Other_Symbol:So Separator:Z Space_Separator:Zs Line_Separator:Zl Paragraph_Separator:Zp '
      'Other:C Control:Cc cntrl:Cc Format:Cf Surrogate:Cs Private_Use:Co Unassigned:Cn').split()


def mutants(base, chars):
    out = {base}
    for i in range(len(base)):
        out.update((base[:i], base[:i] + base[i + 1:]))
        out.update(base[:i] + c + base[i + 1:] for c in chars)
    return sorted(out)


def q(v):
    return "'" + v.replace("'", "''") + "'"


props = []
for fmt, bases in FORMATS:
    for b in bases:
        props += ['{type: string, format: %s, example: %s}' % (fmt, q(v))
                  for v in mutants(b, '09afAFGz:.-+/@[]%tT')]
for b in PATTERNS:
    props += ['{type: string, pattern: %s, example: a}' % q(v)
              for v in mutants(b, '09afAFGz\\{}[]^(?*:=<.-pu')]
for b in NUMBERS:
    for v in mutants(b, '0915.eE+-x'):
        props.append('{type: number, multipleOf: 0.01, maximum: 1e300, example: %s}' % v)
        props.append('{type: integer, multipleOf: %s, example: 30}' % v)
for g in GC:
    name, short = g.split(':')
    for body in (name, name.lower().replace('_', ' '), name.upper().replace('_', '-'),
                 'gc=' + short, 'General_Category=' + name, 'general category = ' + short,
                 'gc=' + name + 'x', 'Script=' + name):
        props.append('{type: string, pattern: %s, example: a}' % q('[\\p{%s}]\\P{%s}' % (body, body)))
for c in list(range(0x20)) + [0x7f]:
    props.append('{type: string, maxLength: 1, example: "a\\x%02x\\u2028\\U0001F600/\\\\\\""}' % c)
for kw in ('minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'):
    for v in ('-1', '0', '1', '1.5', '"2"', '9223372036854775807', '1e3', 'null'):
        props.append('{type: [string, array, object], %s: %s, example: ab}' % (kw, v))
acls = [v for b in ACLS for v in mutants(b, '09afAF:./-, ')]

head = 'swagger: "2.0"\ninfo: {title: mutants, version: "1"}\npaths: {}\n'
docs = [head + 'definitions:\n  T:\n    type: object\n    properties:\n' +
        ''.join('      p%d: %s\n' % (i, p) for i, p in enumerate(props[s:s + 80]))
        for s in range(0, len(props), 80)]
docs += [head + 'x-apigateway-access-controls:\n' +
         ''.join('  acl_%03d: {acl-type: PERMIT, entity-type: IP, value: %s}\n' % (i, q(v))
                 for i, v in enumerate(acls[s:s + 40]))
         for s in range(0, len(acls), 40)]
for d in sys.argv[1:]:
    os.makedirs(d, exist_ok=True)
    for k, doc in enumerate(docs):
        with open(os.path.join(d, 'mutants%d' % k), 'wb') as f:
            f.write(b'\0' + doc.encode())
PY
fi

if [ -n "$td" ] && [ -d "$td" ]; then
    put yaml 000 "$td"/yaml-test-suite/*/in.yaml "$td"/yaml-test-suite/*/*/in.yaml
    put json 000 "$td"/json-test-suite/test_parsing/*.json
    put json 000 "$td"/yaml-test-suite/*/in.json
    put lint 001 "$td"/oai-v2/examples/v2.0/json/*.json
    put lint 000 "$td"/oai-v2/examples/v2.0/yaml/*.yaml
    # schema: each JSON-Schema-Test-Suite group as schema NUL instance
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$td/json-schema-test-suite/tests/draft4" "$out/schema" <<'PY'
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
k = 0
for root, _, files in os.walk(src):
    for name in sorted(files):
        if not name.endswith('.json'):
            continue
        for group in json.load(open(os.path.join(root, name))):
            for case in group.get('tests', [])[:2]:
                k += 1
                body = json.dumps(group['schema']) + '\0' + json.dumps(case['data'])
                with open(os.path.join(dst, 'jsts%d' % k), 'wb') as f:
                    f.write(b'\x03' + body.encode())
PY
    fi
fi

if [ -n "$real" ] && [ -d "$real" ]; then
    for f in $(find "$real" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.json' \) -size -64k | sort); do
        case $f in
        *.json) b=001 ;;
        *) b=000 ;;
        esac
        put lint $b "$f"
        put normalize $b "$f"
        [ $b = 001 ] && put plan 100 "$f" || put plan 000 "$f"
        [ $b = 001 ] && put json 000 "$f" || put yaml 000 "$f"
    done
fi
for h in yaml json lint schema normalize plan; do
    [ -d "$out/$h" ] && echo "$h: $(ls "$out/$h" | wc -l) seeds in $out/$h"
done
