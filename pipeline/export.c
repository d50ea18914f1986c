/* Stage 7, export: the pairs of a document as a table for people, a JSON object for
 * dashboards, or CSV rows for spreadsheets. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "internal.h"

#define CSV_COLUMNS "doc_id,speaker,speaker_party,target,n,lexicon,svm,tone,sd,ci_low,ci_high,label"

/* The input bytes of a sentence, so that output quotes the text exactly as given. */
static const char *original_sentence(const stance_doc *doc, uint32_t i, size_t *len)
{
	const stance_sentence *s = &doc->sentences[i];
	size_t from = stance_doc_original_offset(doc, s->start);
	*len = stance_doc_original_offset(doc, s->end) - from;
	return doc->original + from;
}

static int pair_selected(const stance_pair *p, const stance_models *m,
			 const stance_export_options *opts)
{
	if (opts->actor == STANCE_NONE)
		return 1;
	const char *name = stance_models_actor_name(m, opts->actor);
	return strcmp(p->target, name) == 0 || strcmp(p->party, name) == 0;
}

/* --- CSV --- */

void stance_csv_field(FILE *out, const char *s)
{
	int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
		      s[0] == '\r';
	int quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (!quote) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	if (formula)
		fputc('\'', out); /* what spreadsheets themselves use to mark text */
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

size_t stance_format_fixed4(char *buf, double x)
{
	double scaled = fabs(x) * 1e4;
	/* Below 1e9 the product errs by far less than 1e-6, so that it rounds as x's exact value
	 * does unless it lies that close to a half: printf then decides, as it would. */
	if (!(scaled < 1e9) || fabs(scaled - floor(scaled) - 0.5) < 1e-6)
		return (size_t)snprintf(buf, STANCE_FIXED4_MAX, "%.4f", x);
	uint64_t units = (uint64_t)nearbyint(scaled);
	char digits[24];
	size_t n = 0;
	for (uint64_t v = units; n < 5 || v; v /= 10)
		digits[n++] = (char)('0' + v % 10);
	char *p = buf;
	if (signbit(x))
		*p++ = '-';
	while (n > 4)
		*p++ = digits[--n];
	*p++ = '.';
	while (n)
		*p++ = digits[--n];
	*p = '\0';
	return (size_t)(p - buf);
}

static void csv_number(FILE *out, double x)
{
	char buf[STANCE_FIXED4_MAX];
	if (!isnan(x))
		fwrite(buf, 1, stance_format_fixed4(buf, x), out);
}

static void csv_end_row(FILE *out, const stance_export_options *opts)
{
	fputs(opts->excel ? "\r\n" : "\n", out);
}

static void export_csv(FILE *out, const stance_doc *doc, const stance_models *m,
		       const stance_export_options *opts)
{
	const stance_agg *agg = doc->agg;
	for (size_t i = 0; i < stance_agg_count(agg); i++) {
		const stance_pair *p = stance_agg_pair(agg, i);
		if (!pair_selected(p, m, opts))
			continue;
		stance_summary s;
		stance_stats_summarise(&p->stats, &s);
		const char *text[] = {doc->id, p->speaker, p->party, p->target};
		for (size_t k = 0; k < STANCE_ARRAY_LEN(text); k++) {
			stance_csv_field(out, text[k]);
			fputc(',', out);
		}
		fprintf(out, "%llu", (unsigned long long)p->stats.n);
		const double numbers[] = {s.lexicon, s.svm, s.tone, s.sd, s.ci_low, s.ci_high};
		for (size_t k = 0; k < STANCE_ARRAY_LEN(numbers); k++) {
			fputc(',', out);
			csv_number(out, numbers[k]);
		}
		fprintf(out, ",%s", s.label);
		csv_end_row(out, opts);
	}
}

/* --- JSON --- */

static json_t *json_number(double x)
{
	return isnan(x) ? json_null() : json_real(round(x * 1e4) / 1e4);
}

static json_t *json_name(const char *s)
{
	return *s ? json_string(s) : json_null();
}

/* Members are set without json_pack, whose format costs more than the member: the keys are
 * literals, valid and distinct. */
static int set(json_t *object, const char *key, json_t *value)
{
	return json_object_set_new_nocheck(object, key, value);
}

static json_t *json_interval(double low, double high)
{
	if (isnan(low))
		return json_null();
	json_t *ci = json_array();
	json_array_append_new(ci, json_number(low));
	json_array_append_new(ci, json_number(high));
	return ci;
}

static json_t *json_pair(const stance_pair *p)
{
	stance_summary s;
	stance_stats_summarise(&p->stats, &s);
	json_t *o = json_object();
	set(o, "speaker", json_name(p->speaker));
	set(o, "speaker_party", json_name(p->party));
	set(o, "target", json_string(p->target));
	set(o, "n", json_integer((json_int_t)p->stats.n));
	set(o, "lexicon", json_number(s.lexicon));
	set(o, "svm", json_number(s.svm));
	set(o, "tone", json_number(s.tone));
	set(o, "sd", json_number(s.sd));
	set(o, "ci95", json_interval(s.ci_low, s.ci_high));
	set(o, "label", json_string_nocheck(s.label));
	set(o, "sentence", json_integer((json_int_t)p->best_sentence));
	return o;
}

static json_t *json_sentence_targets(const stance_doc *doc, const stance_models *m, size_t i,
				     size_t *next_score)
{
	json_t *targets = json_array();
	for (; *next_score < doc->nscores && doc->scores[*next_score].sentence == i; (*next_score)++) {
		const stance_sentence_score *s = &doc->scores[*next_score];
		const char *speaker = s->speaker == STANCE_NONE ? "" : doc->entities[s->speaker].name;
		json_t *o = json_object();
		set(o, "target", json_string(stance_models_actor_name(m, s->target)));
		set(o, "speaker", json_name(speaker));
		set(o, "lexicon", json_number(s->lexicon));
		set(o, "svm", json_number(s->svm));
		set(o, "tone", json_number(s->tone));
		json_array_append_new(targets, o);
	}
	return targets;
}

static json_t *json_sentences(const stance_doc *doc, const stance_models *m)
{
	json_t *list = json_array();
	size_t next_score = 0;
	for (uint32_t i = 0; i < doc->nsentences; i++) {
		size_t len;
		const char *text = original_sentence(doc, i, &len);
		const stance_sentence *s = &doc->sentences[i];
		json_t *o = json_object();
		set(o, "index", json_integer((json_int_t)i));
		set(o, "start", json_integer((json_int_t)stance_doc_original_offset(doc, s->start)));
		set(o, "end", json_integer((json_int_t)stance_doc_original_offset(doc, s->end)));
		set(o, "text", json_stringn(text, len));
		set(o, "heading", json_boolean(s->heading));
		set(o, "targets", json_sentence_targets(doc, m, i, &next_score));
		json_array_append_new(list, o);
	}
	return list;
}

/* json_dumpf writes every token through stdio; a buffer of our own costs a memcpy. */
typedef struct dump_sink {
	FILE *out;
	size_t len;
	char buf[8192];
} dump_sink;

static int sink_write(const char *bytes, size_t n, void *data)
{
	dump_sink *k = data;
	if (k->len + n > sizeof(k->buf)) {
		fwrite(k->buf, 1, k->len, k->out);
		k->len = 0;
	}
	if (n > sizeof(k->buf)) {
		fwrite(bytes, 1, n, k->out);
		return 0;
	}
	memcpy(k->buf + k->len, bytes, n);
	k->len += n;
	return 0;
}

static json_t *json_document(const stance_doc *doc)
{
	size_t words, pos, neg;
	stance_doc_word_counts(doc, &words, &pos, &neg);
	double tone = words ? 100.0 * ((double)pos - (double)neg) / (double)words : 0;
	json_t *d = json_object();
	set(d, "id", json_string(doc->id));
	set(d, "bytes", json_integer((json_int_t)doc->original_len));
	set(d, "sentences", json_integer((json_int_t)doc->nsentences));
	set(d, "words", json_integer((json_int_t)words));
	set(d, "tone", json_number(tone));
	return d;
}

static int export_json(FILE *out, const stance_doc *doc, const stance_models *m,
		       const stance_export_options *opts, stance_error *err)
{
	json_t *pairs = json_array();
	for (size_t i = 0; i < stance_agg_count(doc->agg); i++) {
		const stance_pair *p = stance_agg_pair(doc->agg, i);
		if (pair_selected(p, m, opts))
			json_array_append_new(pairs, json_pair(p));
	}
	json_t *root = json_object(), *document = json_document(doc);
	int failed = set(root, "schema", json_string_nocheck("stance/1")) != 0 ||
		     set(root, "document", document) != 0 || json_object_size(document) != 5 ||
		     set(root, "pairs", pairs) != 0 ||
		     (opts->sentences && set(root, "sentences", json_sentences(doc, m)) != 0);
	if (failed) {
		json_decref(root);
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory building JSON", doc->id);
	}
	/* A failed write shows in ferror(out), which the caller checks once for the stream. */
	dump_sink sink; /* its 8 KB are not cleared: only the first len bytes are read */
	sink.out = out;
	sink.len = 0;
	json_dump_callback(root, sink_write, &sink, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(root);
	sink_write("\n", 1, &sink);
	fwrite(sink.buf, 1, sink.len, out);
	return STANCE_OK;
}

/* --- table --- */

/* Writes at most columns code points of s (newlines as spaces), marking a cut with "...". */
static void put_clipped(FILE *out, const char *s, size_t len, int columns)
{
	size_t used = 0, i = 0;
	while (i < len && (int)used < columns - 3) {
		size_t n = 1;
		while (i + n < len && ((unsigned char)s[i + n] & 0xC0) == 0x80)
			n++;
		if (s[i] == '\n')
			fputc(' ', out);
		else
			fwrite(s + i, 1, n, out);
		i += n;
		used++;
	}
	if (i < len)
		fputs("...", out);
}

/* Display columns of UTF-8 text: one per code point, which holds for the names news uses. */
static size_t columns_of(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Writes s clipped or padded to exactly width columns, then a space. */
static void put_cell(FILE *out, const char *s, size_t width)
{
	size_t cols = columns_of(s);
	if (cols > width) {
		put_clipped(out, s, strlen(s), (int)width);
		cols = width;
	} else {
		fputs(s, out);
	}
	fprintf(out, "%*s", (int)(width - cols + 1), "");
}

typedef struct table_widths {
	size_t speaker, party, target;
} table_widths;

static const char *shown_speaker(const stance_pair *p)
{
	return *p->speaker ? p->speaker : "(narrator)";
}

/* Columns as wide as their longest cell, within bounds that keep a row on one line. */
static table_widths measure_table(const stance_agg *agg, const stance_models *m,
				  const stance_export_options *opts)
{
	table_widths w = {strlen("SPEAKER"), strlen("PARTY"), strlen("TARGET")};
	for (size_t i = 0; i < stance_agg_count(agg); i++) {
		const stance_pair *p = stance_agg_pair(agg, i);
		if (!pair_selected(p, m, opts))
			continue;
		size_t cols[] = {columns_of(shown_speaker(p)), columns_of(p->party),
				 columns_of(p->target)};
		w.speaker = cols[0] > w.speaker ? cols[0] : w.speaker;
		w.party = cols[1] > w.party ? cols[1] : w.party;
		w.target = cols[2] > w.target ? cols[2] : w.target;
	}
	w.speaker = w.speaker < 30 ? w.speaker : 30;
	w.party = w.party < 24 ? w.party : 24;
	w.target = w.target < 24 ? w.target : 24;
	return w;
}

static void table_row(FILE *out, const stance_doc *doc, const stance_pair *p,
		      const table_widths *w, int width)
{
	stance_summary s;
	stance_stats_summarise(&p->stats, &s);
	char ci[40] = "";
	if (!isnan(s.ci_low))
		snprintf(ci, sizeof(ci), "[%+.2f, %+.2f]", s.ci_low, s.ci_high);
	put_cell(out, shown_speaker(p), w->speaker);
	put_cell(out, p->party, w->party);
	put_cell(out, p->target, w->target);
	fprintf(out, "%4llu %+6.2f %-16s %s\n", (unsigned long long)p->stats.n, s.tone, ci,
		s.label);
	size_t len;
	const char *text = original_sentence(doc, p->best_sentence, &len);
	fputs("    ", out);
	put_clipped(out, text, len, width - 4);
	fputc('\n', out);
}

static void export_table(FILE *out, const stance_doc *doc, const stance_models *m,
			 const stance_export_options *opts)
{
	fprintf(out, "%s: %zu sentences\n", doc->id, doc->nsentences);
	table_widths w = measure_table(doc->agg, m, opts);
	put_cell(out, "SPEAKER", w.speaker);
	put_cell(out, "PARTY", w.party);
	put_cell(out, "TARGET", w.target);
	fprintf(out, "%4s %6s %-16s %s\n", "N", "TONE", "95% CI", "LABEL");
	size_t shown = 0;
	for (size_t i = 0; i < stance_agg_count(doc->agg); i++) {
		const stance_pair *p = stance_agg_pair(doc->agg, i);
		if (pair_selected(p, m, opts)) {
			table_row(out, doc, p, &w, opts->width > 40 ? opts->width : 100);
			shown++;
		}
	}
	if (!shown)
		fputs("(no speaker speaks of this party)\n", out);
	fputc('\n', out);
}

void stance_export_begin(FILE *out, const stance_export_options *opts)
{
	if (opts->format == STANCE_FORMAT_CSV) {
		if (opts->excel)
			fputs("\xEF\xBB\xBF", out);
		fputs(CSV_COLUMNS, out);
		csv_end_row(out, opts);
	}
}

int stance_export(FILE *out, const stance_doc *doc, const stance_models *models,
		  const stance_export_options *opts, stance_error *err)
{
	switch (opts->format) {
	case STANCE_FORMAT_CSV:
		export_csv(out, doc, models, opts);
		return STANCE_OK;
	case STANCE_FORMAT_JSON:
		return export_json(out, doc, models, opts, err);
	default:
		export_table(out, doc, models, opts);
		return STANCE_OK;
	}
}
