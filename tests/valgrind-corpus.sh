#!/bin/sh
# valgrind memcheck of the CLI over every input of the project's corpus:
# no invalid access, no leak, and an exit status the manual gives for
# lint and convert (0, 1 or 2: findings and unusable inputs are fine; 3, a
# signal or a run past the time bound are not).
top_srcdir=${1:-.}
top_builddir=${2:-.}
if ! command -v valgrind >/dev/null 2>&1; then
    echo "FAIL: valgrind not found (apt-get install valgrind): memcheck cannot run"
    exit 1
fi
command -v timeout >/dev/null 2>&1 || { echo "FAIL: timeout (coreutils) is needed"; exit 1; }
bin="$top_builddir/swaggate"
[ -x "$top_builddir/.libs/swaggate" ] && bin="$top_builddir/.libs/swaggate"
export LD_LIBRARY_PATH="$top_builddir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
log=$(mktemp "${TMPDIR:-/tmp}/sg-valgrind.XXXXXX") || exit 99
trap 'rm -f "$log"' EXIT
pass=0 fail=0
for f in $(find "$top_srcdir/corpus" -type f -name 'input*' | sort); do
    opts=""
    [ -f "$(dirname "$f")/options" ] && opts=$(sed -n 's/^limit /--limit /p' "$(dirname "$f")/options" | tr '\n' ' ')
    for cmd in lint convert; do
        # shellcheck disable=SC2086
        timeout 300 valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect "$bin" $cmd $opts "$f" >/dev/null 2>"$log"
        rc=$?
        case $rc in
        0 | 1 | 2) pass=$((pass + 1)) ;;
        *)
            case $rc in
            99) why="valgrind found errors" ;;
            124) why="ran over 300 s" ;;
            3) why="exit status 3 (internal error)" ;;
            *) why="exit status $rc (a signal above 128)" ;;
            esac
            echo "FAIL: $cmd $f: $why"
            head -n 40 "$log"
            fail=$((fail + 1))
            ;;
        esac
    done
done
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
