#!/bin/sh
# The wrapper of `meson test --setup valgrind` (tests/meson.build): runs a test under valgrind.
#   tests/valgrind.sh VALGRIND [VALGRIND_OPTION...] TEST [ARG...]
# A test program runs under valgrind itself. A test script (tests/*.sh, whose first argument is
# the stance binary) runs as it is, given instead a stand-in that runs the binary under
# valgrind, logging each process apart; the test then fails when any log counts an error or a
# leak, whatever the script made of that run's exit code. STANCE_WRAPPER tells the script that
# its binary runs wrapped, and slowly.
set -u
valgrind=$1
shift
options=""
while [ $# -gt 0 ]; do
	case $1 in
	-*) options="$options $1" ;;
	*) break ;;
	esac
	shift
done
[ $# -gt 0 ] || { echo "usage: tests/valgrind.sh VALGRIND [OPTION...] TEST [ARG...]" >&2; exit 64; }
test_program=$1
shift

if [ "$(head -c 2 "$test_program")" != "#!" ]; then
	# shellcheck disable=SC2086
	exec "$valgrind" $options "$test_program" "$@"
fi

[ $# -gt 0 ] || { echo "valgrind.sh: $test_program: no binary to wrap" >&2; exit 64; }
case $1 in
/*) binary=$1 ;;
*) binary=$PWD/$1 ;;
esac
shift
logs=$(mktemp -d "${TMPDIR:-/tmp}/stance-valgrind.XXXXXX")
trap 'rm -rf "$logs"' EXIT
trap 'exit 1' INT TERM
export STANCE_WRAPPER="$valgrind$options --log-file=$logs/%p.log"
printf '#!/bin/sh\nexec %s %s "$@"\n' "$STANCE_WRAPPER" "$binary" >"$logs/stance"
chmod +x "$logs/stance"

"$test_program" "$logs/stance" "$@"
status=$?

# A process killed on purpose (the batch tests kill some) leaves a log without its summary.
bad=$(grep -l "ERROR SUMMARY: [1-9]" "$logs"/*.log 2>/dev/null)
[ -z "$bad" ] && exit "$status"
for log in $(echo "$bad" | head -n 3); do
	echo "valgrind: errors in a run of $binary:"
	head -n 80 "$log"
done
echo "valgrind: $(echo "$bad" | wc -l) runs of $binary with errors"
exit 1
