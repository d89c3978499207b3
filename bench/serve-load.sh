#!/bin/sh
# swaggate serve under load (issue 10; not part of make check): a server on a
# free loopback port with a fresh store, then bench/serve_load's N concurrent
# async imports. Run from the build directory:
#   make bench/serve_load && sh $SRCDIR/bench/serve-load.sh [N] [WORKERS] [FILE]
# FILE (default: the corpus's apig-http example) has its info.title replaced.
n=${1:-200}
workers=${2:-2}
src=$(cd "$(dirname "$0")/.." && pwd)
file=${3:-$src/corpus/valid/apig-http/input.yaml}
SG=${SWAGGATE:-./swaggate}
LOAD=${SERVE_LOAD:-./bench/serve_load}
[ -x "$SG" ] && [ -x "$LOAD" ] || { echo "serve-load: build swaggate and bench/serve_load first" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/swaggate-load.XXXXXX") || exit 2
trap 'kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
# The first info.title, YAML ("  title: ...") or JSON ("title": "..."), becomes TITLE.
sed -e '0,/^  title:/s/^\(  title:\).*/\1 TITLE/' -e '0,/"title": *"[^"]*"/s//"title": "TITLE"/' \
    "$file" >"$tmp/api.yaml"
"$SG" serve --listen 127.0.0.1:0 --data "$tmp/data" --workers "$workers" --quiet >"$tmp/out" &
pid=$!
i=0
while [ $i -lt 100 ] && [ "$(wc -l <"$tmp/out")" -lt 2 ]; do sleep 0.1; i=$((i + 1)); done
url=$(sed -n 1p "$tmp/out")
token=$(sed -n 's/^X-Auth-Token: //p' "$tmp/out")
echo "server: $url, $workers workers, store on $(df -P "$tmp" | awk 'NR == 2 {print $1}')"
"$LOAD" "$url" "$token" "$tmp/api.yaml" -n "$n" -c "$n" -p "$pid"
