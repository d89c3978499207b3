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
