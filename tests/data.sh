#!/bin/sh
# Measurements on ../shared/data, held to floors just under what the method reaches, so that
# a change that costs accuracy fails here. Skipped (exit 77) where the data is absent.
# Usage: data.sh STANCE_BINARY REPO_ROOT
set -u
stance=$1
root=$2
data=$root/../shared/data
seeds=$root/../shared/seeds
if [ ! -d "$data" ]; then
	echo "1..0 # SKIP ../shared/data is absent"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failures=0

report() { # ok-or-not description
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failures=$((failures + 1))
	fi
}

# at_least VALUE FLOOR: true when VALUE >= FLOOR
at_least() { python3 -c "import sys; sys.exit(not float('$1') >= float('$2'))"; }

# The seed article: 40 sentences (its two subheads may stand alone).
for article in "$seeds"/*.txt; do
	[ -f "$article" ] || continue
	python3 -c "import json,sys; print(json.dumps({'id': 'seed', 'text': open(sys.argv[1], encoding='utf-8').read()}))" \
		"$article" | "$stance" segment >"$tmp/seed.jsonl"
	count=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['sentences']))" "$tmp/seed.jsonl")
	[ "$count" = 40 ] && report ok "the seed article splits into 40 sentences" ||
		report fail "the seed article splits into 40 sentences (got $count)"
done

# Attribution on PolNeAR dev: exact-match F1 of source spans (measured 65.7).
"$root/scripts/eval-attribution" --binary "$stance" --data "$data/polnear/dev.jsonl" >"$tmp/attr.txt" 2>&1
f1=$(awk '$1 == "source" {print $4}' "$tmp/attr.txt")
at_least "${f1:-0}" 62 && report ok "PolNeAR dev source F1 $f1 >= 62" ||
	report fail "PolNeAR dev source F1 ${f1:-?} >= 62: $(tail -3 "$tmp/attr.txt")"

# The lexicon on VADER's rated sentences (measured nyt 0.562, tweets 0.866).
"$root/scripts/eval-lexicon" --classify "$stance classify" --data "$data" --json >"$tmp/lex.json" 2>"$tmp/lex.err"
nyt=$(python3 -c "import json; print(json.load(open('$tmp/lex.json'))['vader']['nyt']['pearson'])" 2>/dev/null)
tweets=$(python3 -c "import json; print(json.load(open('$tmp/lex.json'))['vader']['tweets']['pearson'])" 2>/dev/null)
at_least "${nyt:-0}" 0.55 && report ok "lexicon r on VADER nyt dev $nyt >= 0.55" ||
	report fail "lexicon r on VADER nyt dev ${nyt:-?} >= 0.55 $(tail -2 "$tmp/lex.err")"
at_least "${tweets:-0}" 0.85 && report ok "lexicon r on VADER tweets dev $tweets >= 0.85" ||
	report fail "lexicon r on VADER tweets dev ${tweets:-?} >= 0.85"

# Stance toward a target on NewsMTSC dev: macro-F1 of classify's label (the shipped model
# measured 71.4 on dev_rw and 66.7 on dev_mt; the issue's bars on the held-out test sets are
# 66 and 62).
if [ -f "$root/models/svm.model" ]; then
	python3 "$root/scripts/eval-stance" --stance "$stance" --models "$root/models" \
		--json "$tmp/stance.json" >"$tmp/stance.txt" 2>&1
	for split in dev_rw:66 dev_mt:62; do
		f1=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]['combined']['macro_f1'])" \
			"$tmp/stance.json" "${split%:*}" 2>/dev/null)
		at_least "${f1:-0}" "${split#*:}" &&
			report ok "NewsMTSC ${split%:*} macro-F1 $f1 >= ${split#*:}" ||
			report fail "NewsMTSC ${split%:*} macro-F1 ${f1:-?} >= ${split#*:}: $(tail -3 "$tmp/stance.txt")"
	done
fi

echo "data: $n checks, $failures failed"
[ "$failures" -eq 0 ]
