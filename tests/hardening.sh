#!/usr/bin/env bash
# Bad input of every kind, end to end: each gets its one-line error ("stance: ...") and the exit
# code README.md lists, and nothing crashes, hangs or grows its memory with the input's count.
#   tests/hardening.sh STANCE_BINARY REPO_ROOT        (exit 77: skipped)
# The 200 MB line and the million documents are made in a temporary directory and removed at
# the end. Under AddressSanitizer (scripts/test's second build) they shrink tenfold, time
# limits grow fivefold and peak memory is not checked: the sanitizer's shadow memory is not
# the program's. Under valgrind (meson test --setup valgrind, which sets STANCE_WRAPPER) they
# shrink further and neither time nor memory is checked; the time limits only stop a hang.
set -u
stance=${1:?usage: tests/hardening.sh STANCE_BINARY REPO_ROOT}
repo=${2:?usage: tests/hardening.sh STANCE_BINARY REPO_ROOT}
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 is missing"; exit 77; }
command -v timeout >/dev/null || { echo "1..0 # SKIP timeout is missing"; exit 77; }
export STANCE_MODELS=$repo/models

big_mb=200 scored_mb=200 docs=1000000 slow=1 patience=1 sanitized=0 timed=1
if [ -n "${STANCE_WRAPPER:-}" ]; then
	big_mb=20 scored_mb=2 docs=10000 patience=20 sanitized=1 timed=0
elif ASAN_OPTIONS=help=1 "$stance" --version 2>&1 | grep -q AddressSanitizer; then
	big_mb=20 scored_mb=20 docs=100000 slow=5 sanitized=1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/stance-hardening.XXXXXX")
shm=""
trap 'rm -rf "$work" $shm' EXIT
cd "$work" || exit 1

passed=0 failed=0 skipped=0
ok() {
	passed=$((passed + 1))
	echo "ok $((passed + failed + skipped)) - $1"
}
not_ok() {
	failed=$((failed + 1))
	echo "not ok $((passed + failed + skipped)) - $1"
	[ $# -lt 2 ] || echo "#   $2"
}
skip() {
	skipped=$((skipped + 1))
	echo "ok $((passed + failed + skipped)) - # SKIP $1"
}

# run SECONDS COMMAND...: runs COMMAND under a time limit (times $patience), standard output to
# out, standard error to err; sets $code, $seconds and $rss_mb (the peak resident set of what
# it ran).
run() {
	local limit=$(($1 * patience))
	shift
	python3 - "$limit" "$@" >stats <<'EOF'
import resource, subprocess, sys, time
start = time.monotonic()
with open("out", "wb") as out, open("err", "wb") as err:
    try:
        code = subprocess.call(sys.argv[2:], stdout=out, stderr=err, timeout=float(sys.argv[1]))
    except subprocess.TimeoutExpired:
        code = "timeout"
print(code, f"{time.monotonic() - start:.2f}",
      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
EOF
	read -r code seconds rss_mb <stats
}

# expect CODE DESCRIPTION [PATTERN]: the last run exited CODE, and when CODE is not 0, standard
# error is one line starting "stance: " that matches PATTERN (an extended regex).
expect() {
	local want=$1 what=$2 pattern=${3:-}
	local err
	err=$(head -c 400 err)
	if [ "$code" != "$want" ]; then
		not_ok "$what" "exit $code, expected $want; stderr: $err"
	elif [ "$want" != 0 ] && { [ "$(wc -l <err)" != 1 ] || ! grep -q '^stance: ' err; }; then
		not_ok "$what" "expected one 'stance: ...' line on stderr, got: $err"
	elif [ -n "$pattern" ] && ! grep -Eq "$pattern" err; then
		not_ok "$what" "stderr does not match /$pattern/: $err"
	else
		ok "$what ($seconds s, $rss_mb MB)"
	fi
}

# within LIMIT_S LIMIT_MB DESCRIPTION: the last run took at most LIMIT_S (times $slow) and
# LIMIT_MB (not checked under a sanitizer).
within() {
	local limit=$(($1 * slow))
	if [ "$timed" = 0 ]; then
		skip "$3: not timed, the binary runs wrapped (STANCE_WRAPPER)"
	elif awk -v s="$seconds" -v l="$limit" 'BEGIN {exit !(s <= l)}' &&
		{ [ "$sanitized" = 1 ] || [ "$rss_mb" -le "$2" ]; }; then
		ok "$3: $seconds s <= $limit s, $rss_mb MB"
	else
		not_ok "$3: $seconds s (limit $limit s), $rss_mb MB (limit $2 MB)"
	fi
}

sentence='Moscow said on Tuesday that the talks with Kyiv had "failed", and Berlin accused it of stalling. '

# --- bad bytes, as a file and on standard input ---
cp /bin/ls binary
run 20 "$stance" --format json binary
expect 65 "a binary file is refused" "^stance: binary: (invalid UTF-8|binary data)"
run 20 sh -c "'$stance' --format json - < binary"
expect 65 "binary data on standard input is refused" "invalid UTF-8|binary data"
printf 'Paris said \xc3\x28 and left.' >bad-utf8.txt
run 20 "$stance" --format csv bad-utf8.txt
expect 65 "invalid UTF-8 names its byte offset" "bad-utf8.txt: invalid UTF-8 at byte 11"
printf 'London\0said' >nul.txt
run 20 "$stance" --format table nul.txt
expect 65 "a NUL byte names its offset" "nul.txt: .*byte 6"
: >empty.txt
printf ' \n\t\r\n\n   ' >blank.txt
run 20 sh -c "'$stance' --format json - < empty.txt"
expect 65 "empty standard input is refused"
run 20 "$stance" --format json blank.txt
expect 65 "a file of white space is refused" "blank.txt"
printf '%s\n' "$sentence" >good.txt
run 20 "$stance" --format json good.txt binary good.txt
if [ "$code" = 65 ] && [ "$(wc -l <out)" = 2 ] && [ "$(wc -l <err)" = 1 ]; then
	ok "a bad file among good ones is reported and skipped; the good ones are scored"
else
	not_ok "a bad file among good ones" "exit $code, $(wc -l <out) documents out, stderr: $(cat err)"
fi

# --- paths that cannot be read (tests run as root: permissions do not stop a read) ---
run 20 "$stance" --format json /etc/passwd/article.txt
expect 66 "a path under a file is reported" "/etc/passwd/article.txt"
ln -s "$work/nowhere.txt" dangling.txt
run 20 "$stance" --format json dangling.txt
expect 66 "a dangling symbolic link is reported" "dangling.txt"
run 20 "$stance" --format json "$work"
expect 66 "a directory is reported" "is a directory"

# --- a full disk ---
run 20 sh -c "'$stance' --format json good.txt > /dev/full"
expect 74 "score: a full disk is an I/O error"
printf '{"id": 1, "text": "Rome said yes."}\n' >one.jsonl
for command in segment quotes; do
	run 20 sh -c "'$stance' $command < one.jsonl > /dev/full"
	expect 74 "$command: a full disk is an I/O error"
done

# --- 200 MB on one line (20 MB under a sanitizer): refused at once by default, and cleanly
# with a larger limit ---
python3 -c "
import sys
size = int(sys.argv[2]) * 10**6
s = sys.argv[1].encode() * (size // len(sys.argv[1].encode()) + 1)
open('huge.txt', 'wb').write(s[:size])" "$sentence" "$big_mb"
run 20 "$stance" --format json huge.txt
expect 65 "a $big_mb MB file is refused under the default limit" "huge.txt: .*limit"
within 2 64 "refusing $big_mb MB from a file reads none of it"
run 20 sh -c "'$stance' --format json - < huge.txt"
expect 65 "$big_mb MB on standard input is refused under the default limit" "limit"
within 2 64 "refusing $big_mb MB on standard input stops at the limit"
truncate -s $((scored_mb * 1000000)) huge.txt
run $((300 * slow)) "$stance" --format json --max-bytes 300000000 huge.txt
if [ "$code" = 0 ] || [ "$code" = 65 ]; then
	ok "$scored_mb MB with --max-bytes 300000000: exit $code in $seconds s, peak RSS $rss_mb MB"
else
	not_ok "$scored_mb MB with --max-bytes 300000000" "exit $code in $seconds s, $rss_mb MB: $(head -c 300 err)"
fi
rm -f huge.txt

# --- a million one-word documents (10^5 under a sanitizer): memory stays flat ---
python3 -c "
import sys
with open('million.jsonl', 'w') as f:
    for i in range(int(sys.argv[1])):
        f.write('{\"id\": %d, \"text\": \"Word%d\"}\n' % (i, i % 97))" "$docs"
run $((300 * slow)) sh -c "'$stance' segment < million.jsonl"
expect 0 "$docs one-word documents through stance segment"
[ "$(wc -l <out)" = "$docs" ] && ok "one output line per document" ||
	not_ok "one output line per document" "$(wc -l <out) lines"
within 120 64 "$docs documents through stance segment"

# --- a bad record costs only its own line ---
printf '%s\n' '{"id": "a", "text": "Oslo said yes."}' 'not json' '{"id": "b", "text": ""}' \
	'{"id": "c"}' '{"id": "d", "text": "bad \u0000 nul"}' '[1]' '{"id": "e", "text": "Lima said no."}' >mixed.jsonl
for command in segment quotes; do
	run 20 sh -c "'$stance' $command < mixed.jsonl"
	if [ "$code" = 65 ] && [ "$(wc -l <out)" = 7 ] && [ "$(grep -c '"error"' out)" = 5 ] &&
		[ "$(wc -l <err)" = 5 ] && [ "$(grep -c '^stance: <stdin>:[0-9]*: ' err)" = 5 ]; then
		ok "$command: five bad lines get five error lines, the two good ones their result"
	else
		not_ok "$command with bad lines" "exit $code; out: $(head -c 600 out); err: $(head -c 400 err)"
	fi
done

# --- pathological text: quadratic work would show here ---
python3 -c "
import sys
open('quotes.txt', 'w').write(''.join('Ankara said \"we refuse. ' if i % 3 else 'He added\" no. ' for i in range(10**4)))"
run 60 "$stance" --format json quotes.txt
expect 0 "10^4 unbalanced quotes in one document"
within 5 64 "10^4 unbalanced quotes"
python3 -c "open('one-sentence.txt', 'w').write('Seoul ' + 'and Tokyo ' * 100000 + 'said it was a \"good deal.')"
run 60 "$stance" --format json one-sentence.txt
expect 0 "a sentence of 200,000 words"
within 10 256 "a sentence of 200,000 words"
python3 -c "open('long-word.txt', 'w').write('A' * 5000 + ' said Russia was wrong.')"
run 20 "$stance" --format json long-word.txt
expect 0 "a 5,000-letter name before a speech verb"

# --- findings of the fuzzers, kept as regressions ---
printf ':) :) :) great' >emoticons.txt
run 20 "$stance" --format json emoticons.txt
expect 0 "emoticons without words"
python3 -c "
import json, sys
tone = json.load(open('out'))['document']['tone']
sys.exit(not -100 <= tone <= 100)" && ok "the document tone of emoticons stays in [-100, 100]" ||
	not_ok "the document tone of emoticons stays in [-100, 100]" "$(head -c 300 out)"
printf '{"id": "cut", "text": "\\u20\xc8\x91"}\n' >cut.jsonl
run 20 sh -c "'$stance' segment < cut.jsonl"
python3 -c "
import json
assert 'error' in json.loads(open('out').readline())" 2>/dev/null &&
	ok "a JSON error quoting part of a UTF-8 character still gets its error line" ||
	not_ok "a JSON error quoting part of a UTF-8 character still gets its error line" \
		"stdout: $(head -c 200 out | od -c | head -3)"
ln -s "$work/written.json" out-link.json
run 20 "$stance" --format json -o out-link.json good.txt
if [ "$code" = 0 ] && [ -L out-link.json ] && [ -s written.json ]; then
	ok "-o through a symbolic link writes the file it names and keeps the link"
else
	not_ok "-o through a symbolic link writes the file it names and keeps the link" \
		"exit $code; $(ls -l out-link.json written.json 2>&1 | tr '\n' ' ')"
fi

# --- -o onto what is not a regular file: written through, never replaced ---
if [ -d /dev/shm ] && [ "$(stat -c %d /dev/shm)" != "$(stat -c %d "$work")" ]; then
	shm=$(mktemp -d /dev/shm/stance-hardening.XXXXXX)
	ln -s "$shm/out.json" shm-link.json
	run 20 "$stance" --format json -o shm-link.json good.txt
	expect 0 "-o through a link to another file system"
fi
mkfifo out.fifo
timeout $((20 * patience)) cat out.fifo >fifo-got &
reader=$!
run 20 "$stance" --format json -o out.fifo good.txt
[ -p out.fifo ] && wait "$reader" || kill "$reader" 2>/dev/null
if [ "$code" = 0 ] && [ -p out.fifo ] && [ -s fifo-got ]; then
	ok "-o onto a FIFO writes into the FIFO"
else
	not_ok "-o onto a FIFO writes into the FIFO" "exit $code; $(ls -l out.fifo) $(wc -c <fifo-got) bytes read"
fi
if mknod null-device c 1 3 2>/dev/null; then
	run 20 "$stance" --format json -o null-device good.txt
	[ "$code" = 0 ] && [ -c null-device ] && ok "-o onto a device writes to the device" ||
		not_ok "-o onto a device writes to the device (as root, -o /dev/null would replace it)" \
			"exit $code; $(ls -l null-device)"
fi

# --- models: truncated or corrupted files fail with 78, naming the file ---
corrupt_model() { # description, file, python statement that changes the bytes b
	rm -rf models
	cp -r "$repo/models" models
	python3 -c "
p = 'models/$2'
b = open(p, 'rb').read()
$3
open(p, 'wb').write(b)"
	run 30 "$stance" --models models --format json good.txt
	expect 78 "$1" "$2"
}
corrupt_model "a truncated actors.json" actors.json "b = b[:len(b) // 2]"
corrupt_model "an actors.json that is not JSON" actors.json "b = b.replace(b'\"actors\"', b'actors', 1)"
corrupt_model "an actor without a name" actors.json "b = b.replace(b'\"actor\":', b'\"actr\":', 1)"
corrupt_model "a lexicon.tsv cut inside a line" lexicon.tsv "b = b[:b.index(b'\t', len(b) // 2) + 1]"
corrupt_model "a lexicon.tsv line without its tabs" lexicon.tsv "
lines = b.split(b'\n'); i = len(lines) // 2; lines[i] = lines[i].replace(b'\t', b' '); b = b'\n'.join(lines)"
corrupt_model "a lexicon.tsv valence out of range" lexicon.tsv "
lines = b.split(b'\n'); i = len(lines) // 2; f = lines[i].split(b'\t'); f[1] = b'12'; lines[i] = b'\t'.join(f); b = b'\n'.join(lines)"
corrupt_model "a modifiers.tsv line of unknown kind" modifiers.tsv "
lines = b.split(b'\n'); i = len(lines) - 3; f = lines[i].split(b'\t'); f[1] = b'shouting'; lines[i] = b'\t'.join(f); b = b'\n'.join(lines)"
corrupt_model "a cues.tsv cut inside a line" cues.tsv "b = b[:b.index(b'\t', len(b) // 2) + 1]"
corrupt_model "a cues.tsv polarity that is not -1, 0 or +1" cues.tsv "
lines = b.split(b'\n'); i = max(k for k, l in enumerate(lines) if l.count(b'\t') == 3); f = lines[i].split(b'\t'); f[2] = b'7'; lines[i] = b'\t'.join(f); b = b'\n'.join(lines)"
if [ -f "$repo/models/svm.model" ]; then
	corrupt_model "a truncated svm.model" svm.model "b = b[:len(b) // 2]"
	corrupt_model "an svm.features without its header" svm.features "b = b[b.index(b'\n') + 1:]"
fi
if [ -f "$repo/models/embeddings.bin" ]; then
	corrupt_model "a truncated embeddings.bin" embeddings.bin "b = b[:len(b) // 2]"
	corrupt_model "an embeddings.bin announcing more words" embeddings.bin "
b = b.replace(b'stance-embeddings 1 ', b'stance-embeddings 1 9', 1)"
	if grep -q '^el:' "$repo/models/svm.features" 2>/dev/null; then
		rm -rf models
		cp -r "$repo/models" models
		rm models/embeddings.bin
		run 30 "$stance" --models models --format json good.txt
		expect 78 "an SVM model whose word vectors are missing" "embeddings.bin"
	fi
fi
rm -rf models
mkdir models
run 20 "$stance" --models models --format json good.txt
expect 78 "an empty models directory" "models"
printf '{"actors": [{"actor": "Freedonia", "parent": "Sylvania"}]}' >actors.json
run 20 "$stance" --actors actors.json --format json good.txt
expect 78 "an actors file naming an unknown parent" "actors.json"

# --- stance batch: every good record is kept, every bad one reported (docs-batch.md) ---
if "$stance" batch --help 2>&1 | grep -qi placeholder; then
	skip "stance batch is not written yet"
else
	python3 -c "
import json
with open('batch.jsonl', 'w') as f:
    for i in range(300):
        f.write(json.dumps({'id': 'doc-%03d' % i, 'text': 'Madrid said offer %d was \"fair\".' % i}) + '\n')
        if i % 100 == 50:
            f.write('not json\n')
            f.write(json.dumps({'id': 'empty-%d' % i, 'text': ' '}) + '\n')
            f.write(json.dumps({'id': 'nul-%d' % i, 'text': 'a\u0000b'}) + '\n')"
	run 120 "$stance" batch --input batch.jsonl --out batch-out --jobs 2
	expect 0 "batch: a run with bad records completes" "batch-out"
	kept=$(grep -o '^doc-[0-9]*' batch-out/documents.csv 2>/dev/null | sort -u | wc -l)
	[ "$kept" = 300 ] && ok "batch: all 300 good records are in documents.csv" ||
		not_ok "batch keeps every good record" "$kept of 300 in batch-out/documents.csv"
	bad=$(wc -l <batch-out/errors.jsonl 2>/dev/null)
	[ "$bad" = 9 ] && ok "batch: the 9 bad records are in errors.jsonl" ||
		not_ok "batch reports every bad record" "${bad:-no} lines in batch-out/errors.jsonl"
	mkdir -p dir-in && cp binary dir-in/binary.txt && cp good.txt dir-in/good.txt &&
		printf 'Lima\0said' >dir-in/nul.txt && : >dir-in/empty.txt
	run 60 "$stance" batch --input dir-in --out dir-out --jobs 2
	expect 0 "batch: a directory with a binary, a NUL and an empty file completes"
	[ "$(wc -l <dir-out/errors.jsonl 2>/dev/null)" = 3 ] && ok "batch: three bad files reported" ||
		not_ok "batch: three bad files reported" "$(cat dir-out/errors.jsonl 2>/dev/null)"
	# An id met first and again $docs records later: past a fixed budget the ids met go to
	# disk, and memory stays that of a small batch (the models' 17 MB and that budget).
	dup='{"id": "twice", "text": "Oslo said yes."}'
	run $((300 * slow)) sh -c "{ echo '$dup'; cat million.jsonl; echo '$dup'; } |
		'$stance' batch --input - --out million-out --jobs 2"
	expect 0 "batch: $docs one-word documents"
	last=$(tail -n 1 million-out/errors.jsonl 2>/dev/null)
	[ "$last" = "{\"id\":\"twice\",\"line\":$((docs + 2)),\"error\":\"duplicate id\"}" ] &&
		ok "batch: an id that comes again $docs records later is a duplicate" ||
		not_ok "batch: an id that comes again $docs records later is a duplicate" "$last"
	within 200 64 "batch: $docs one-word documents"
	run $((300 * slow)) sh -c "cat million.jsonl million.jsonl million.jsonl |
		'$stance' batch --input - --out million-out --jobs 2"
	expect 0 "batch: $((3 * docs)) one-word documents"
	within 300 64 "batch: $((3 * docs)) one-word documents take no more memory"
	run 20 "$stance" batch --input "$work/nowhere.jsonl" --out none-out
	expect 66 "batch: a missing input is reported" "nowhere.jsonl"
	run 20 "$stance" batch --input batch.jsonl --out good.txt
	expect 74 "batch: --out that is a file is an I/O error" "good.txt"
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
