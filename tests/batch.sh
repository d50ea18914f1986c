#!/usr/bin/env bash
# Batch, merge, resume and nightly, end to end.
#   tests/batch.sh STANCE_BINARY REPO_ROOT        (exit 77: skipped)
# A corpus of 2,000 generated news documents, 20 of them bad, is scored with one and two
# workers, in two merged shards, and through a kill and a resume; every way must give the
# same bytes. Then the nightly script, the spreadsheet side of the CSV files, and write errors.
set -u
stance=${1:?usage: tests/batch.sh STANCE_BINARY REPO_ROOT}
repo=${2:?usage: tests/batch.sh STANCE_BINARY REPO_ROOT}
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 is missing"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/stance-batch.XXXXXX")
background=""
cleanup() {
	for pid in $background; do kill -9 "$pid" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cd "$work" || exit 1

passed=0 failed=0 skipped=0
check() { # description, then a command that must succeed
	local what=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
		echo "ok $((passed + failed + skipped)) - $what"
	else
		failed=$((failed + 1))
		echo "not ok $((passed + failed + skipped)) - $what"
	fi
}
skip() {
	skipped=$((skipped + 1))
	echo "ok $((passed + failed + skipped)) - # SKIP $*"
}

FILES=(documents.csv pairs.csv actors.csv errors.jsonl state.jsonl summary.json)
same_files() { # dir, dir, files...: byte for byte
	local a=$1 b=$2 f
	shift 2
	for f in "$@"; do
		cmp -s "$a/$f" "$b/$f" || { echo "# $a/$f and $b/$f differ"; return 1; }
	done
}
exits_with() { # code, then a command
	local want=$1 got=0
	shift
	"$@" 2>>stderr.log || got=$?
	[ "$got" -eq "$want" ] || { echo "# exit $got, not $want: $*"; return 1; }
}
batch() { "$stance" batch --max-bytes 200000 "$@" 2>>stderr.log; }
merge() { "$stance" merge "$@" 2>>stderr.log; }

# --- one batch, many ways -------------------------------------------------------------------
"$repo/scripts/gen-corpus" --count 2000 --bad 20 --seed 11 --out corpus.jsonl || exit 1

start=$(date +%s.%N)
check "batch with one worker succeeds" batch --input corpus.jsonl --out one --jobs 1
mid=$(date +%s.%N)
check "batch with two workers succeeds" batch --input corpus.jsonl --out two --jobs 2
end=$(date +%s.%N)
python3 -c "import sys; a, b, c = map(float, sys.argv[1:]); print('# documents/s: %.0f with --jobs 1, %.0f with --jobs 2' % (2000 / (b - a), 2000 / (c - b)))" "$start" "$mid" "$end"

accounts_for_every_record() { # run dir: each input line is one document row or one error
	python3 - corpus.jsonl "$1" <<'PY'
import csv, json, sys
corpus, run = sys.argv[1:]
ids = {}
with open(corpus, "rb") as f:
    for n, raw in enumerate(f, 1):
        try:
            ids[n] = json.loads(raw)["id"]
        except (ValueError, KeyError, TypeError):
            ids[n] = None
with open(f"{run}/documents.csv", newline="", encoding="utf-8") as f:
    docs = [row["id"] for row in csv.DictReader(f)]
with open(f"{run}/errors.jsonl", encoding="utf-8") as f:
    errors = [json.loads(line) for line in f]
summary = json.load(open(f"{run}/summary.json"))
assert len(docs) == 1980, f"{len(docs)} document rows, not 1980"
assert len(errors) == 20, f"{len(errors)} errors, not 20"
assert all(e["error"] for e in errors), "an error without its reason"
bad = {e["line"] for e in errors}
expected = [ids[n] for n in sorted(ids) if n not in bad]
assert docs == expected, "document rows are not the good records in input order"
assert (summary["documents"], summary["scored"], summary["errors"]) == (2000, 1980, 20), summary
PY
}
check "1,980 documents and 20 errors, none lost, in input order" accounts_for_every_record one
check "one and two workers write the same files" same_files one two "${FILES[@]}"

# --- shards merged equal one run ------------------------------------------------------------
head -n 1000 corpus.jsonl >first.jsonl
tail -n +1001 corpus.jsonl >second.jsonl
batch --input first.jsonl --out shard1 --jobs 2 && batch --input second.jsonl --out shard2 --jobs 1
check "merge of two shards succeeds" merge --out merged shard1 shard2
check "two shards merged equal one run" same_files one merged actors.csv summary.json documents.csv pairs.csv
merge --out merged1 shard1
check "a merge of merges equals one run" merge --out merged2 merged1 shard2
check "  and equals one run" same_files one merged2 actors.csv summary.json
check "merging a directory that is not a batch fails with 66" exits_with 66 "$stance" merge --out m3 shard1 corpus.jsonl

# --- kill and resume ------------------------------------------------------------------------
wait_for() { # pattern, file, seconds
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -q "$1" "$2" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
STANCE_TEST_PAUSE_AFTER=700 "$stance" batch --max-bytes 200000 --input corpus.jsonl --out killed --jobs 2 2>killed.err &
pid=$!
background="$background $pid"
check "the batch reaches 700 documents" wait_for paused killed.err 300
{ kill -9 "$pid" && wait "$pid"; } 2>/dev/null # no "Killed" note from the shell
check "a killed batch leaves no final file" test ! -e killed/documents.csv -a ! -e killed/summary.json
check "its journal holds the 700 documents" test "$(wc -l <killed/.partial/journal.jsonl)" -eq 701
printf '{"id":"doc-0007' >>killed/.partial/journal.jsonl # a line torn by the kill
check "resume completes the killed batch" batch --input corpus.jsonl --out killed --jobs 2 --resume
check "resumed files equal an uninterrupted run" same_files one killed "${FILES[@]}"
check "resume leaves no journal behind" test ! -e killed/.partial

# A kill at whatever moment it lands: half way through the time a whole run took.
delay=$(python3 -c "import sys; print(round((float(sys.argv[2]) - float(sys.argv[1])) / 2, 2))" "$mid" "$end")
"$stance" batch --max-bytes 200000 --input corpus.jsonl --out random --jobs 2 2>>stderr.log &
pid=$!
background="$background $pid"
sleep "$delay"
{ kill -9 "$pid" && wait "$pid"; } 2>/dev/null # no "Killed" note from the shell
batch --input corpus.jsonl --out random --jobs 1 --resume
check "killed after ${delay}s, resumed: equal to an uninterrupted run" same_files one random "${FILES[@]}"

cp -r one again
check "resuming a finished batch scores nothing again" batch --input corpus.jsonl --out again --resume
check "  and keeps its files" same_files one again "${FILES[@]}"
check "  and says so" grep -q "2000 from an earlier run" stderr.log

# --- a directory of .txt files --------------------------------------------------------------
"$repo/scripts/gen-corpus" --count 120 --bad 6 --seed 21 --format dir --out inbox || exit 1
batch --input inbox --out dir1 --jobs 1 && batch --input inbox --out dir2 --jobs 2
check "a directory's bad files are errors, the others scored" python3 - dir1 <<'PY'
import csv, json, sys
run = sys.argv[1]
docs = list(csv.DictReader(open(f"{run}/documents.csv", newline="", encoding="utf-8")))
errors = [json.loads(line) for line in open(f"{run}/errors.jsonl", encoding="utf-8")]
assert (len(docs), len(errors)) == (114, 6), (len(docs), len(errors))
assert [d["id"] for d in docs] == sorted(d["id"] for d in docs), "not in name order"
assert any(e["id"].endswith("-\\xE9t\\xE9") for e in errors), "the bad file name is not shown"
PY
check "  the same with one and two workers" same_files dir1 dir2 "${FILES[@]}"

# --- the spreadsheet side -------------------------------------------------------------------
check "CSV files parse back with their columns and consistent numbers" python3 - one <<'PY'
import csv, math, sys
run = sys.argv[1]
def rows(name, columns):
    with open(f"{run}/{name}", newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        assert header == columns.split(","), f"{name}: columns {header}"
        body = list(reader)
        assert all(len(r) == len(header) for r in body), f"{name}: a row of another width"
        return [dict(zip(header, r)) for r in body]
summary = "n,lexicon,svm,tone,sd,ci_low,ci_high,share_negative,share_positive,label"
docs = rows("documents.csv", "id,date,source,title,url,bytes,sentences,words,positive,negative,tone,pairs,scores")
pairs = rows("pairs.csv", "doc_id,speaker,speaker_party,target," + summary + ",sentence")
actors = rows("actors.csv", "level,speaker,speaker_party,target," + summary)
for d in docs:
    w, p, n = int(d["words"]), int(d["positive"]), int(d["negative"])
    assert d["tone"] == "%.4f" % (100 * (p - n) / w if w else 0) or float(d["tone"]) == 0, d
assert docs[1]["title"].startswith("'="), f"formula not neutralised: {docs[1]['title']}"
by_target = {}
for p in pairs:
    by_target[p["target"]] = by_target.get(p["target"], 0) + int(p["n"])
targets = {a["target"]: int(a["n"]) for a in actors if a["level"] == "target"}
assert targets == by_target, "target-level counts are not the sums of the pairs"
assert {a["level"] for a in actors} <= {"speaker", "party", "target"}
for a in actors:
    for k in summary.split(",")[1:-1]:
        assert a[k] == "" or math.isfinite(float(a[k])), (k, a)
PY
if [ -z "$(sed -n 2p one/pairs.csv)" ]; then
	echo "# note: the stages found no pair in the corpus; the pair checks ran on empty tables"
fi

merge --excel --out excel one
check "--excel writes a BOM, CRLF line ends and the same cells" python3 - one excel <<'PY'
import csv, sys
plain, excel = sys.argv[1:]
for name in ("documents.csv", "pairs.csv", "actors.csv"):
    raw = open(f"{excel}/{name}", "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{name}: no BOM"
    assert raw.count(b"\r\n") == raw.count(b"\n"), f"{name}: a line end that is not CRLF"
    a = list(csv.reader(open(f"{plain}/{name}", newline="", encoding="utf-8")))
    b = list(csv.reader(open(f"{excel}/{name}", newline="", encoding="utf-8-sig")))
    assert a == b, f"{name}: cells differ"
PY

if locale -a 2>/dev/null | grep -qi '^de_DE.utf-\?8$'; then
	LC_ALL=de_DE.UTF-8 batch --input first.jsonl --out german --jobs 2
	check "a German locale changes no number" same_files shard1 german "${FILES[@]}"
else
	skip "no de_DE.UTF-8 locale to check that numbers keep their '.'"
fi

office=$(command -v soffice || command -v libreoffice || true)
if [ -n "$office" ]; then
	mkdir -p ods back
	"$office" --headless --convert-to ods --outdir ods one/actors.csv >/dev/null 2>&1
	"$office" --headless --convert-to csv --outdir back ods/actors.ods >/dev/null 2>&1
	check "actors.csv survives a round trip through LibreOffice" python3 - one/actors.csv back/actors.csv <<'PY'
import csv, sys
a = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
b = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
assert len(a) == len(b), "rows lost"
for ra, rb in zip(a, b):
    for x, y in zip(ra, rb):
        try:
            assert abs(float(x) - float(y)) < 1e-9, (x, y)
        except ValueError:
            assert x == y, (x, y)
PY
else
	skip "LibreOffice is not installed: no .ods round trip"
fi

# --- the progress line ----------------------------------------------------------------------
if command -v script >/dev/null; then
	script -qec "'$stance' batch --input first.jsonl --out progress --jobs 2" typescript >/dev/null 2>&1
	check "a terminal shows documents done, rate and ETA" grep -q "1000/1000 documents, [0-9]*/s" typescript
else
	skip "no script(1) to give the batch a terminal"
fi

# --- errors of the run itself ---------------------------------------------------------------
check "--out /dev/full fails with 74" exits_with 74 "$stance" batch --input first.jsonl --out /dev/full
check "merge --out /dev/full fails with 74" exits_with 74 "$stance" merge --out /dev/full one
full_disk() { (ulimit -f 200 && trap '' XFSZ && exec "$stance" batch --input corpus.jsonl --out full --jobs 2); }
check "a write error mid-run fails with 74, not a crash" exits_with 74 full_disk
check "  and leaves no final or temporary file" test -z "$(ls full)"
check "a missing input fails with 66" exits_with 66 "$stance" batch --input no-such.jsonl --out x
check "no --out is a usage error (64)" exits_with 64 "$stance" batch --input corpus.jsonl
check "--jobs 0 is a usage error (64)" exits_with 64 "$stance" batch --input corpus.jsonl --out x --jobs 0

# --- the nightly run ------------------------------------------------------------------------
nightly() { STANCE_BIN=$stance "$repo/scripts/nightly" --data data --jobs 2 "$@" 2>>stderr.log; }
"$repo/scripts/gen-corpus" --count 150 --seed 31 --format dir --out night1 &&
	"$repo/scripts/gen-corpus" --count 150 --seed 32 --format dir --out night2 || exit 1
check "nightly scores a night" nightly --inbox night1 --date 2024-05-01
cp data/tone_daily.csv once.csv
check "nightly again for the same night succeeds" nightly --inbox night1 --date 2024-05-01
check "  and gives the same tone_daily.csv as once" cmp -s once.csv data/tone_daily.csv
nightly --inbox night2 --date 2024-05-02
cp data/tone_daily.csv two-nights.csv
check "rerunning an earlier night replaces its rows" nightly --inbox night1 --date 2024-05-01
check "  without duplicating any" cmp -s two-nights.csv data/tone_daily.csv
check "tone_daily.csv holds both nights, target and party rows" python3 - data/tone_daily.csv <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
assert {r["date"] for r in rows} <= {"2024-05-01", "2024-05-02"}
assert {r["level"] for r in rows} <= {"target", "party"}
keys = [(r["date"], r["level"], r["speaker_party"], r["target"]) for r in rows]
assert len(keys) == len(set(keys)), "a row twice"
PY
check "tone_daily.svg is a well-formed SVG" python3 -c "
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag.endswith('svg'), root.tag" data/tone_daily.svg
check "the night is logged" grep -q "2024-05-01: done:" data/nightly.log
(exec 8>>data/.nightly.lock && flock 8 && touch held && exec sleep 30) &
locker=$!
background="$background $locker"
for ((i = 0; i < 100; i++)); do [ -e held ] && break; sleep 0.1; done
check "a second nightly while one runs exits with 75" exits_with 75 nightly --inbox night1 --date 2024-05-01
kill "$locker" 2>/dev/null
check "a failing stance makes nightly fail" bash -c "! STANCE_BIN=/bin/false '$repo/scripts/nightly' --inbox night1 --data data --date 2024-05-03 2>/dev/null"

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
