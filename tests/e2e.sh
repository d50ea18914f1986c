#!/bin/sh
# End-to-end tests of the CLI contracts: formats, JSON Lines commands, errors and exit codes.
# Usage: e2e.sh STANCE_BINARY FIXTURES_DIR
set -u
stance=$1
fixtures=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# expect_exit CODE DESCRIPTION -- COMMAND...: runs COMMAND, checks its exit code and that
# stderr is one line starting with "stance:" when CODE is not 0 (one line per bad record for
# the JSON Lines commands).
expect_exit() {
	code=$1 what=$2
	shift 3
	checks=$((checks + 1))
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$code" ] || { fail "$what: exit $got, expected $code ($(head -c 300 "$tmp/err"))"; return; }
	if [ "$code" -ne 0 ] && [ "$code" -ne 64 ]; then
		lines=$(wc -l <"$tmp/err")
		[ "$lines" -ge 1 ] && ! grep -qv '^stance: ' "$tmp/err" ||
			fail "$what: expected 'stance: ...' lines on stderr, got: $(cat "$tmp/err")"
		case $what in
		segment*) ;;
		*) [ "$lines" -eq 1 ] || fail "$what: expected one line on stderr, got $lines" ;;
		esac
	fi
}

# check DESCRIPTION PYTHON-EXPRESSION-SCRIPT: runs python on $tmp/out; the script asserts.
check() {
	checks=$((checks + 1))
	python3 -c "$2" "$tmp/out" 2>"$tmp/py" || fail "$1: $(tail -3 "$tmp/py")"
}

article=$fixtures/example_article.txt

expect_exit 0 "--help" -- "$stance" --help
grep -q "usage: stance" "$tmp/out" || fail "--help prints the usage"
expect_exit 0 "--version" -- "$stance" --version
grep -q "^stance [0-9]" "$tmp/out" || fail "--version prints the version"

# Scoring: JSON is the default off a terminal.
expect_exit 0 "score JSON" -- "$stance" "$article"
check "JSON document" '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
d = json.loads(lines[0])
assert d["schema"] == "stance/1"
assert d["document"]["sentences"] > 10
assert d["pairs"], "no pairs"
for p in d["pairs"]:
    for k in ("speaker", "speaker_party", "target", "n", "lexicon", "tone", "ci95", "label"):
        assert k in p, k
    assert p["label"] in ("negative", "neutral", "positive")
    assert -1 <= p["tone"] <= 1
    assert p["ci95"] is None or (p["ci95"][0] <= p["tone"] <= p["ci95"][1])
    assert p["n"] >= 2 or p["ci95"] is None
assert any(p["speaker"] is None and p["speaker_party"] is None for p in d["pairs"]), "narrator"
assert any(p["speaker"] is not None for p in d["pairs"]), "no quoted speaker"
'

# --actor takes an alias and keeps pairs whose target or speaker party is the actor.
expect_exit 0 "--actor alias" -- "$stance" --format json --actor Moscow "$article"
check "--actor Moscow is Russia" '
import json, sys
d = json.loads(open(sys.argv[1]).read())
assert d["pairs"]
assert all("Russia" in (p["target"], p["speaker_party"]) for p in d["pairs"]), d["pairs"]
'
expect_exit 64 "unknown actor" -- "$stance" --actor Atlantis "$article"

expect_exit 0 "--sentences" -- "$stance" --format json --sentences "$article"
check "sentences layer" '
import json, sys
d = json.loads(open(sys.argv[1]).read())
s = d["sentences"]
assert len(s) == d["document"]["sentences"]
assert all(set(x) >= {"index", "start", "end", "text", "targets"} for x in s)
assert any(x["targets"] for x in s)
'

expect_exit 0 "CSV" -- "$stance" --format csv "$article" "$article"
check "CSV parses back" '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows[0] == "doc_id,speaker,speaker_party,target,n,lexicon,svm,tone,sd,ci_low,ci_high,label".split(","), rows[0]
body = rows[1:]
assert body and len(body) % 2 == 0, "both documents"
assert all(len(r) == 12 for r in body)
for r in body:
    float(r[7]); int(r[4])
'
expect_exit 0 "CSV for Excel" -- "$stance" --format csv --excel "$article"
head -c 3 "$tmp/out" | od -An -tx1 | grep -q "ef bb bf" || fail "--excel writes a BOM"
grep -q "$(printf '\r')" "$tmp/out" || fail "--excel writes CRLF"

expect_exit 0 "table" -- "$stance" --format table --actor Russia "$article"
grep -q "SPEAKER" "$tmp/out" || fail "table has a header"

expect_exit 0 "stdin" -- sh -c "'$stance' - <'$article'"
expect_exit 0 "--output file" -- "$stance" -o "$tmp/result.json" "$article"
[ -s "$tmp/result.json" ] || fail "--output writes the file"
ls "$tmp" | grep -q '\.tmp\.' && fail "--output leaves no temporary file"

# Errors: one line naming the input, and a distinct sysexits code.
printf 'abc\377def' >"$tmp/bad.txt"
expect_exit 65 "invalid UTF-8" -- "$stance" "$tmp/bad.txt"
grep -q "bad.txt: invalid UTF-8 at byte 3" "$tmp/err" || fail "names the byte offset: $(cat "$tmp/err")"
: >"$tmp/empty.txt"
expect_exit 65 "empty file" -- "$stance" "$tmp/empty.txt"
printf '  \n\t\n' >"$tmp/blank.txt"
expect_exit 65 "white space only" -- "$stance" "$tmp/blank.txt"
printf 'a\000b' >"$tmp/nul.txt"
expect_exit 65 "NUL byte" -- "$stance" "$tmp/nul.txt"
expect_exit 66 "missing file" -- "$stance" "$tmp/nonexistent.txt"
grep -q "nonexistent.txt" "$tmp/err" || fail "names the missing file"
expect_exit 66 "a directory" -- "$stance" "$tmp"
expect_exit 65 "over --max-bytes" -- "$stance" --max-bytes 100 "$article"
expect_exit 64 "bad option" -- "$stance" --no-such-option "$article"
expect_exit 64 "bad format" -- "$stance" --format xml "$article"
expect_exit 78 "no models" -- "$stance" --models "$tmp" "$article"
printf '{"actors": [' >"$tmp/actors.json"
expect_exit 78 "malformed actors file" -- "$stance" --actors "$tmp/actors.json" "$article"
grep -q "actors.json:1:" "$tmp/err" || fail "names the actors file and line"
if [ -w /dev/full ]; then
	expect_exit 74 "full disk" -- sh -c "'$stance' '$article' >/dev/full"
fi

# One bad file among good ones: the good ones are still scored.
checks=$((checks + 1))
"$stance" --format csv "$article" "$tmp/bad.txt" "$article" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 65 ] || fail "a bad file among good ones exits 65"
[ "$(grep -c "example_article.txt" "$tmp/out")" -ge 2 ] || fail "the good files are still scored"

# The user's actors file: people and parties of their own.
cat >"$tmp/mine.json" <<'JSON'
{"actors": [{"actor": "Freedonia", "kind": "country", "names": ["Freedonia"], "demonyms": ["Freedonian"]}],
 "people": {"Rufus Firefly": "Freedonia"}}
JSON
printf 'Freedonia signed a wonderful treaty with its Freedonian neighbours.\n' >"$tmp/f.txt"
expect_exit 0 "--actors" -- "$stance" --format json --actors "$tmp/mine.json" --actor Freedonia "$tmp/f.txt"
check "user actor found" '
import json, sys
d = json.loads(open(sys.argv[1]).read())
assert any(p["target"] == "Freedonia" for p in d["pairs"]), d
'

# stance segment: one line per input, sentences exactly as in the text; a bad line costs
# only itself.
printf '%s\n' '{"id": "a", "text": "Dr. Smith arrived at 5 p.m. on Monday. He left."}' \
	'this is not json' '{"id": 7, "text": "\u201cYes,\u201d she said. Done!"}' \
	'{"id": "no-text"}' >"$tmp/in.jsonl"
expect_exit 65 "segment with bad lines" -- sh -c "'$stance' segment <'$tmp/in.jsonl'"
check "segment output" '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 4, lines
assert lines[0] == {"id": "a", "sentences": ["Dr. Smith arrived at 5 p.m. on Monday.", "He left."]}, lines[0]
assert "error" in lines[1] and lines[1]["line"] == 2
assert lines[2]["id"] == 7 and lines[2]["sentences"] == ["\u201cYes,\u201d she said.", "Done!"], lines[2]
assert lines[3]["id"] == "no-text" and "error" in lines[3]
'

# stance quotes: code point offsets into the input text.
printf '%s\n' '{"id": "q", "text": "\u201cWe will not yield,\u201d the minister said."}' >"$tmp/q.jsonl"
expect_exit 0 "quotes" -- sh -c "'$stance' quotes <'$tmp/q.jsonl'"
check "quotes output" '
import json, sys
text = "\u201cWe will not yield,\u201d the minister said."
d = json.loads(open(sys.argv[1]).read())
assert d["id"] == "q"
a = d["attributions"]
assert len(a) == 1, a
for role in ("source", "cue", "content"):
    span = a[0][role]
    assert text[span["from"]:span["to"]] == span["text"], (role, span)
assert a[0]["cue"]["text"] == "said"
assert "We will not yield" in a[0]["content"]["text"]
'

echo "e2e: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
