#!/bin/sh
# Does `swaggate lint` (the apig profile: schema, swagger and apig checkers)
# scale linearly on APIG specs? Generates specs of 300 and 5000 operations
# (bench/gen-apig.py, clean apart from quotas, which --limit lifts) and
# times the whole lint, best of REPEAT runs, with `swaggate convert` (read
# and write, no checks) and the lint without the apig checker (--profile
# swagger) beside it; apig_ms is the difference. Linear checking keeps ms/MB
# and us/op flat from one size to the other; a quadratic rule would multiply
# them by about 17 (5000 / 300).
# Usage: bench/apig-scale.sh [REPEAT] [SIZES...]   (SWAGGATE=path/to/swaggate)
here=$(cd "$(dirname "$0")" && pwd)
sg=${SWAGGATE:-./swaggate}
repeat=${1:-5}
[ $# -gt 0 ] && shift
sizes=${*:-300 5000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/apig-scale.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

best() { # best wall time in milliseconds of REPEAT runs of "$@"
    b=
    i=0
    while [ "$i" -lt "$repeat" ]; do
        s=$(date +%s%N)
        "$@" >/dev/null 2>&1
        e=$(date +%s%N)
        b=$(awk -v s="$s" -v e="$e" -v b="$b" 'BEGIN { t = (e - s) / 1e6; print (b == "" || t < b) ? t : b }')
        i=$((i + 1))
    done
    echo "$b"
}

printf '%-6s %10s %10s %10s %10s %10s %10s %10s %10s\n' ops bytes convert_ms swagger_ms lint_ms \
    lint_ms/MB lint_us/op apig_ms findings
for n in $sizes; do
    f="$tmp/apig-$n.json"
    python3 "$here/gen-apig.py" "$n" >"$f" || exit 2
    bytes=$(wc -c <"$f")
    lim="--limit apig-apis=$n --limit file-size=1000000000"
    # The spec must be clean: a finding would time reporting, not checking.
    found=$("$sg" lint --format json $lim "$f" | python3 -c \
        'import json,sys; s=json.load(sys.stdin)["summary"]; print(s["errors"]+s["warnings"])')
    c=$(best "$sg" convert --compact $lim "$f")
    w=$(best "$sg" lint --profile swagger --format json $lim "$f")
    l=$(best "$sg" lint --format json $lim "$f")
    awk -v n="$n" -v b="$bytes" -v c="$c" -v w="$w" -v l="$l" -v f="$found" 'BEGIN {
        printf "%-6d %10d %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f %10d\n", n, b, c, w, l,
            l / (b / 1048576), l * 1000 / n, l - w, f }'
done
