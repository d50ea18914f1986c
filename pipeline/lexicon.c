/* The sentiment lexicon: loading models/lexicon.tsv and models/modifiers.tsv into one hash
 * map keyed by the lower-cased term, and the longest-match lookup over tokens.
 *
 * lexicon.tsv:   term<TAB>valence<TAB>source   valence on -4..4
 * modifiers.tsv: term<TAB>kind<TAB>value       kind: booster, dampener, negation, contrast, idiom
 * '#' starts a comment line; blank lines are skipped; anything else malformed fails the load.
 * A term may hold several words ("does not work") or punctuation (":-)"); it then matches
 * consecutive tokens, joined by one space where the text has white space between them. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lexicon.h"

#define KEY_MAX 128 /* longer tokens are never terms */

/* A slot of the lookup index: the matcher hashes a key as it lower-cases it, so a lookup
 * costs a probe, and a comparison only when the hashes agree. */
typedef struct term_slot {
	uint64_t hash;
	const char *key; /* NULL: empty; else the map's copy */
	size_t len;
	const stance_lexeme *lexeme;
} term_slot;

struct stance_lexicon {
	stance_strmap *terms; /* lower-cased term -> stance_lexeme */
	term_slot *index;     /* the same, for the matcher; capacity a power of two */
	size_t index_cap;
	bool starts[256];     /* bytes that begin a term: most punctuation needs no lookup */
};

typedef struct line_reader {
	const char *path;
	char *data, *pos, *end;
	size_t lineno;
} line_reader;

/* The next line that is neither blank nor a comment, NUL-terminated in place, or NULL. */
static char *next_line(line_reader *r)
{
	while (r->pos < r->end) {
		char *line = r->pos;
		char *nl = memchr(line, '\n', (size_t)(r->end - line));
		char *stop = nl ? nl : r->end;
		r->pos = nl ? nl + 1 : r->end;
		r->lineno++;
		if (stop > line && stop[-1] == '\r')
			stop--;
		*stop = '\0'; /* at worst the NUL that stance_read_file() puts after the data */
		if (*line && *line != '#')
			return line;
	}
	return NULL;
}

/* Splits line into exactly three TAB-separated, non-empty fields. */
static int split3(char *line, char *field[3])
{
	field[0] = line;
	for (int i = 1; i < 3; i++) {
		char *tab = strchr(field[i - 1], '\t');
		if (!tab)
			return -1;
		*tab = '\0';
		field[i] = tab + 1;
	}
	if (strchr(field[2], '\t'))
		return -1;
	for (int i = 0; i < 3; i++)
		if (!*field[i])
			return -1;
	return 0;
}

static int parse_number(const char *s, double lo, double hi, float *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < lo || v > hi)
		return -1;
	*out = (float)v;
	return 0;
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/* Tokens are looked up lower-cased, so terms are stored so. */
static void lower_in_place(char *s)
{
	for (; *s; s++)
		*s = ascii_lower(*s);
}

static stance_lexeme *entry(stance_lexicon *lex, const char *key, size_t len)
{
	bool inserted;
	return stance_strmap_upsert(lex->terms, key, len, sizeof(stance_lexeme), &inserted);
}

static int malformed(line_reader *r, const char *expected, stance_error *err)
{
	return stance_fail(err, STANCE_EMODEL, "%s:%zu: malformed entry: expected %s", r->path,
			   r->lineno, expected);
}

/* Zero-valued AFINN entries ("some kind") carry no sentiment and are not kept. */
static int load_valence(stance_lexicon *lex, line_reader *r, stance_error *err)
{
	static const char expected[] = "term<TAB>valence -4..4<TAB>source";
	for (char *line; (line = next_line(r));) {
		char *f[3];
		float valence;
		if (split3(line, f) || parse_number(f[1], -4, 4, &valence))
			return malformed(r, expected, err);
		if (valence == 0)
			continue;
		lower_in_place(f[0]);
		stance_lexeme *e = entry(lex, f[0], strlen(f[0]));
		if (!e)
			return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", r->path);
		e->valence = valence;
		e->flags |= STANCE_LEX_SENTIMENT;
	}
	return STANCE_OK;
}

static int apply_modifier(stance_lexeme *e, const char *kind, float value)
{
	if (strcmp(kind, "booster") == 0 || strcmp(kind, "dampener") == 0) {
		e->boost = value;
		e->flags |= STANCE_LEX_INTENSIFIER;
	} else if (strcmp(kind, "negation") == 0) {
		e->flags |= STANCE_LEX_NEGATION;
	} else if (strcmp(kind, "contrast") == 0) {
		e->flags |= STANCE_LEX_CONTRAST;
	} else if (strcmp(kind, "idiom") == 0) {
		e->valence = value; /* an idiom overrides what its words would say */
		e->flags |= STANCE_LEX_SENTIMENT;
	} else {
		return -1;
	}
	return 0;
}

static int load_modifiers(stance_lexicon *lex, line_reader *r, stance_error *err)
{
	static const char expected[] =
		"term<TAB>booster|dampener|negation|contrast|idiom<TAB>value -4..4";
	for (char *line; (line = next_line(r));) {
		char *f[3];
		float value;
		if (split3(line, f) || parse_number(f[2], -4, 4, &value))
			return malformed(r, expected, err);
		lower_in_place(f[0]);
		stance_lexeme *e = entry(lex, f[0], strlen(f[0]));
		if (!e)
			return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", r->path);
		if (apply_modifier(e, f[1], value))
			return malformed(r, expected, err);
	}
	return STANCE_OK;
}

typedef int (*line_loader)(stance_lexicon *lex, line_reader *r, stance_error *err);

static int load_file(stance_lexicon *lex, const char *dir, const char *name, line_loader load,
		     stance_error *err)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	line_reader r = {.path = path};
	size_t len;
	int rc = stance_read_file(path, 64u << 20, &r.data, &len, err);
	if (rc == STANCE_ENOINPUT && err)
		err->code = rc = STANCE_EMODEL; /* a missing model file is a model error */
	if (rc)
		return rc;
	r.pos = r.data;
	r.end = r.data + len;
	rc = load(lex, &r, err);
	free(r.data);
	return rc;
}

#define WORDS(list) list, STANCE_ARRAY_LEN(list)

typedef struct rule_words {
	const char *const *words;
	size_t n;
	uint16_t set, clear; /* flags */
} rule_words;

static int mark_words(stance_lexicon *lex, const rule_words *rw)
{
	for (size_t i = 0; i < rw->n; i++) {
		stance_lexeme *e = entry(lex, rw->words[i], strlen(rw->words[i]));
		if (!e)
			return -1;
		e->flags = (uint16_t)((e->flags & ~rw->clear) | rw->set);
	}
	return 0;
}

/* Words that the rules treat on their own, beyond what the model files say:
 * - clause openers, where negation stops and a target's reach drops;
 * - concessive words: their clause weighs less than the main one ("although it was cheap");
 *   "despite" is one of them rather than the negation VADER made it;
 * - "no" negates the word it determines ("no problem") but keeps its own valence alone;
 * - verbs that turn the sentiment of their object around ("reduce the risk", "ease
 *   tensions", "lack of support"); alone they keep their own valence;
 * - "like" is polar as a verb ("we like it") and not as the preposition news uses it for
 *   ("countries like Norway"); it is taken for a verb after a subject pronoun, an auxiliary,
 *   "to" or a negation;
 * - phrases that look negated but are not ("not only ... but"), matched whole to stop it. */
static int add_rule_words(stance_lexicon *lex)
{
	static const char *const clause[] = {"which", "who", "whom", "whose", "while", "because",
					     "when", "whereas", "unless", "if", "after", "before"};
	static const char *const concessive[] = {"although", "though", "whereas", "despite",
						 "while"};
	static const char *const determiner[] = {"no"};
	static const char *const shifters[] = {
		"reduce", "reduces", "reduced", "reducing", "decrease", "decreases", "decreased",
		"decreasing", "lower", "lowers", "lowered", "lowering", "prevent", "prevents",
		"prevented", "preventing", "avoid", "avoids", "avoided", "avoiding", "curb", "curbs",
		"curbed", "curbing", "ease", "eases", "eased", "easing", "eliminate", "eliminates",
		"eliminated", "eliminating", "end", "ends", "ended", "ending", "stop", "stops",
		"stopped", "stopping", "halt", "halts", "halted", "halting", "lack", "lacks",
		"lacked", "lacking", "fight", "fights", "fought", "fighting", "combat", "combats",
		"combating", "combatting"};
	static const char *const verb_sense[] = {"like"};
	static const char *const verb_cues[] = {
		"i", "you", "we", "they", "he", "she", "would", "to", "do", "does", "did", "really",
		"also", "just", "still", "i'd", "we'd", "you'd", "they'd", "might", "will", "u"};
	static const char *const not_negated[] = {"not only", "not just", "not merely",
						  "not simply", "no doubt", "at least"};
	const rule_words rules[] = {
		{WORDS(clause), STANCE_LEX_CLAUSE, 0},
		{WORDS(concessive), STANCE_LEX_CONTRAST | STANCE_LEX_CONCESSIVE, STANCE_LEX_NEGATION},
		{WORDS(determiner), STANCE_LEX_NEGATION, 0},
		{WORDS(shifters), STANCE_LEX_SHIFTER, 0},
		{WORDS(verb_sense), STANCE_LEX_VERB_SENSE, 0},
		{WORDS(verb_cues), STANCE_LEX_VERB_CUE, 0},
		{WORDS(not_negated), STANCE_LEX_NEUTRAL, UINT16_MAX},
	};
	for (size_t i = 0; i < STANCE_ARRAY_LEN(rules); i++)
		if (mark_words(lex, &rules[i]) != 0)
			return -1;
	return 0;
}

static bool is_negation(const stance_lexicon *lex, const char *word, size_t len)
{
	const stance_lexeme *e = stance_strmap_get(lex->terms, word, len);
	return e && (e->flags & STANCE_LEX_NEGATION);
}

static bool has_valence(const stance_lexicon *lex, const char *word, size_t len)
{
	const stance_lexeme *e = stance_strmap_get(lex->terms, word, len);
	return e && (e->flags & STANCE_LEX_SENTIMENT);
}

/* AFINN lists some negated phrases whole ("not good" -1.6, "dont like", "no fun"). Matched as
 * one term they would hide the negation from the rules, and the rules would apply it a second
 * time to a longer "didn't think it was not good". So a phrase with a negation word keeps its
 * valence only when a word after the negation has none of its own ("does not work",
 * "can't stand": idioms the rules cannot derive); otherwise it is dropped and the negation
 * rule scores it. */
static bool derivable_by_rules(const stance_lexicon *lex, const char *term, size_t len)
{
	bool negated = false;
	for (size_t i = 0; i < len;) {
		size_t n = strcspn(term + i, " ");
		if (n > len - i)
			n = len - i;
		if (negated && has_valence(lex, term + i, n))
			return true;
		negated = negated || is_negation(lex, term + i, n);
		i += n + 1;
	}
	return false;
}

/* A term that can span tokens: white space, or punctuation that a tokeniser splits off. */
static bool spans_tokens(const char *term, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)term[i]) && term[i] != '\'' && term[i] != '-')
			return true;
	return false;
}

static void mark_starts(stance_lexicon *lex)
{
	const char *key;
	size_t len;
	void *value;
	for (size_t i = 0; stance_strmap_entry(lex->terms, i, &key, &len, &value); i++)
		if (key && len)
			lex->starts[(unsigned char)key[0]] = true;
}

static term_slot *index_slot(const stance_lexicon *lex, const char *key, size_t len,
			     uint64_t hash)
{
	size_t mask = lex->index_cap - 1;
	term_slot *slot = &lex->index[hash & mask];
	while (slot->key &&
	       (slot->hash != hash || slot->len != len || memcmp(slot->key, key, len) != 0))
		slot = &lex->index[(size_t)(slot - lex->index + 1) & mask];
	return slot;
}

/* Indexes every key of the map, the prefixes included, at most half full. */
static int build_index(stance_lexicon *lex)
{
	lex->index_cap = 64;
	while (lex->index_cap < 2 * stance_strmap_count(lex->terms))
		lex->index_cap *= 2;
	lex->index = calloc(lex->index_cap, sizeof(*lex->index));
	if (!lex->index)
		return -1;
	const char *key;
	size_t len;
	void *value;
	for (size_t i = 0; stance_strmap_entry(lex->terms, i, &key, &len, &value); i++) {
		if (!key)
			continue;
		uint64_t h = stance_key_hash(key, len);
		*index_slot(lex, key, len, h) = (term_slot){h, key, len, value};
	}
	return 0;
}

typedef struct key_list {
	const char **keys;
	size_t *lens;
	size_t n;
} key_list;

/* Drops derivable negated phrases and lists the terms whose prefixes need marking; the
 * marking itself inserts keys, so it cannot run while the map is being walked. */
static int collect_long_terms(stance_lexicon *lex, key_list *out)
{
	size_t cap = stance_strmap_count(lex->terms);
	out->keys = malloc(cap * sizeof(*out->keys));
	out->lens = malloc(cap * sizeof(*out->lens));
	if (!out->keys || !out->lens)
		return -1;
	const char *key;
	size_t len;
	void *value;
	for (size_t i = 0; stance_strmap_entry(lex->terms, i, &key, &len, &value); i++) {
		if (!key || !spans_tokens(key, len))
			continue;
		stance_lexeme *e = value;
		if ((e->flags & STANCE_LEX_SENTIMENT) && derivable_by_rules(lex, key, len))
			e->flags &= (uint16_t)~STANCE_LEX_SENTIMENT;
		out->keys[out->n] = key;
		out->lens[out->n++] = len;
	}
	return 0;
}

/* Every proper prefix of a long term is marked, so the lookup knows when to read one more
 * token; a prefix that is not a term itself is inserted with that mark alone. */
static int mark_prefixes(stance_lexicon *lex)
{
	key_list list = {0};
	int rc = collect_long_terms(lex, &list);
	for (size_t k = 0; !rc && k < list.n; k++)
		for (size_t n = 1; n < list.lens[k]; n++) {
			stance_lexeme *e = entry(lex, list.keys[k], n);
			if (!e) {
				rc = -1;
				break;
			}
			e->flags |= STANCE_LEX_PREFIX;
		}
	free(list.keys);
	free(list.lens);
	return rc;
}

int stance_lexicon_load(stance_lexicon **out, const char *dir, stance_error *err)
{
	stance_lexicon *lex = calloc(1, sizeof(*lex));
	if (!lex || stance_strmap_new(&lex->terms) != 0) {
		free(lex);
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	}
	int rc = load_file(lex, dir, "lexicon.tsv", load_valence, err);
	if (!rc)
		rc = load_file(lex, dir, "modifiers.tsv", load_modifiers, err);
	if (!rc && (add_rule_words(lex) != 0 || mark_prefixes(lex) != 0))
		rc = stance_fail(err, STANCE_EINTERNAL, "%s: out of memory loading the lexicon", dir);
	if (!rc)
		mark_starts(lex);
	if (!rc && build_index(lex) != 0)
		rc = stance_fail(err, STANCE_EINTERNAL, "%s: out of memory loading the lexicon", dir);
	if (rc) {
		stance_lexicon_free(lex);
		return rc;
	}
	*out = lex;
	return STANCE_OK;
}

void stance_lexicon_free(stance_lexicon *lex)
{
	if (!lex)
		return;
	stance_strmap_free(lex->terms);
	free(lex->index);
	free(lex);
}

/* A key as the matcher builds it: lower-cased tokens, and their hash so far. */
typedef struct match_key {
	char bytes[KEY_MAX];
	size_t len;
	uint64_t hash;
} match_key;

/* Appends token t, lower-cased, to key (with a space when white space precedes it);
 * returns false when it does not fit. */
static bool append_token(match_key *key, const char *text, const stance_token *t, bool space)
{
	size_t n = t->end - t->start, at = key->len;
	if (at + n + space >= KEY_MAX)
		return false;
	uint64_t h = key->hash;
	if (space) {
		key->bytes[at++] = ' ';
		h = stance_key_byte(h, ' ');
	}
	const char *s = text + t->start;
	for (size_t i = 0; i < n; i++) {
		char c = ascii_lower(s[i]);
		key->bytes[at + i] = c;
		h = stance_key_byte(h, c);
	}
	key->len = at + n;
	key->hash = h;
	return true;
}

static const stance_lexeme *find_key(const stance_lexicon *lex, const match_key *key)
{
	return index_slot(lex, key->bytes, key->len, stance_mix64(key->hash))->lexeme;
}

static bool is_term(const stance_lexeme *e)
{
	return e->flags & ~STANCE_LEX_PREFIX;
}

/* The longest term at tokens[i] before tokens[end]; *read is how many tokens the lookup
 * read, so the match holds for any end at or after i + *read. */
static const stance_lexeme *longest_term(const stance_lexicon *lex, const char *text,
					 const stance_token *tokens, size_t i, size_t end,
					 size_t *ntok, size_t *read)
{
	match_key key;
	key.len = 0;
	key.hash = STANCE_KEY_SEED;
	const stance_lexeme *best = NULL;
	*ntok = 0;
	*read = 1;
	if (!lex->starts[(unsigned char)ascii_lower(text[tokens[i].start])])
		return NULL;
	for (size_t j = i; j < end; j++) {
		*read = j - i + 1;
		bool space = j > i && tokens[j].start > tokens[j - 1].end;
		if (!append_token(&key, text, &tokens[j], space))
			break;
		const stance_lexeme *e = find_key(lex, &key);
		if (!e)
			break;
		if (is_term(e)) {
			best = e;
			*ntok = j - i + 1;
		}
		if (!(e->flags & STANCE_LEX_PREFIX))
			break;
	}
	return best;
}

const stance_lexeme *stance_lexicon_match(const stance_lexicon *lex, const char *text,
					  const stance_token *tokens, size_t i, size_t end,
					  size_t *ntok)
{
	size_t read;
	return longest_term(lex, text, tokens, i, end, ntok, &read);
}

stance_token_match *stance_lexicon_match_all(const stance_lexicon *lex, const char *text,
					     const stance_token *tokens, size_t n,
					     stance_arena *arena)
{
	stance_token_match *matches = stance_arena_alloc(arena, (n + 1) * sizeof(*matches));
	for (size_t i = 0; matches && i < n; i++) {
		size_t ntok, read;
		const stance_lexeme *e = longest_term(lex, text, tokens, i, n, &ntok, &read);
		matches[i] = (stance_token_match){e, (uint16_t)ntok, (uint16_t)read};
	}
	return matches;
}

bool stance_lexicon_mask_is_inert(const stance_token_run *run, size_t first, size_t last)
{
	const stance_token_match *matches = run->matches;
	if (!matches || first >= last)
		return false;
	for (size_t i = first; i < last; i++)
		if (run->tokens[i].kind != STANCE_TOK_WORD || matches[i].lexeme)
			return false;
	const stance_lexeme *next = last < run->end ? matches[last].lexeme : NULL;
	return !next || !(next->flags & STANCE_LEX_VERB_SENSE);
}

/* --- the rules --- */

#define NEGATE_POSITIVE (-0.74f) /* "not good": VADER's N_SCALAR */
#define NEGATE_NEGATIVE 0.4f     /* "not bad", "not the worst": only mildly positive */
#define NEGATION_WORDS 4         /* a negation reaches this many words ahead */
#define SHIFTER_WORDS 6          /* a shifter its object: "reduce the risk of heart disease" */
#define BOOST_WORDS 3            /* a booster the next few words */
#define CAPS_EMPHASIS 0.733f     /* VADER's C_INCR for an ALL-CAPS word among lower case */
#define EXCLAIM_EMPHASIS 0.292f  /* per "!", as VADER */
#define EXCLAIM_MAX 4
#define BEFORE_CONTRAST 0.5f     /* what comes before "but" weighs half what follows */
#define CONCESSIVE_WEIGHT 0.5f   /* and so does an "although" clause */
#define SUBORDINATE_WEIGHT 0.5f  /* and a "which", "who", "when" clause: background */
#define NEGATIVITY_BIAS 1.3f     /* readers weigh bad news above good: on VADER's NYT ratings
				  * Pearson r rises by 0.007 with it */
#define SQUASH_ALPHA 15.0        /* VADER's normalisation constant, here per sentence */
#define SENTENCE_WORDS 10.0      /* a sentence of this many words keeps its sum as it is */
#define REACH_DECAY 6.0          /* tokens for a term's reach toward a target to fall by e */
#define CLAUSE_PENALTY 0.5       /* per clause boundary between a term and a target */
#define REACH 24                 /* terms this many tokens from a target do not bear on it */

typedef struct rules {
	const stance_lexicon *lex;
	const char *text;
	const stance_token *tokens;
	const stance_token_match *matches;
	size_t begin, end;
	stance_analysis *a;
	const stance_span *masked;
	size_t nmasked, next_mask;
	bool caps_emphasis;    /* ALL CAPS stands out: the run is not shouted throughout */
	int negation_left;     /* words a pending negation still reaches */
	bool negation_spreads; /* turns every term in reach (a shifter), not the first only */
	size_t shifter_term;   /* the shifter's own term, dropped once it turns another */
	uint16_t previous;     /* flags of the word before, for the verb sense of "like" */
	float boost;           /* pending booster or dampener */
	int boost_left;
	float clause_weight;
	size_t clause_words;
	double contrast_scale; /* BEFORE_CONTRAST per "but" so far; see contrast() */
} rules;

static int reserve(stance_analysis *a, stance_arena *arena, size_t ntokens)
{
	if (a->cap > ntokens)
		return 0;
	size_t cap = ntokens + 1;
	a->terms = stance_arena_alloc(arena, cap * sizeof(*a->terms));
	a->clause_begin = stance_arena_alloc(arena, cap * sizeof(*a->clause_begin));
	a->clause_words = stance_arena_alloc(arena, cap * sizeof(*a->clause_words));
	a->clause_length = stance_arena_alloc(arena, cap * sizeof(*a->clause_length));
	a->clause_emphasis = stance_arena_alloc(arena, cap * sizeof(*a->clause_emphasis));
	a->clause_opens_sentence = stance_arena_alloc(arena, cap);
	a->reach = stance_arena_calloc(arena, cap, sizeof(*a->reach));
	if (!a->terms || !a->clause_begin || !a->clause_words || !a->clause_length ||
	    !a->clause_emphasis || !a->reach || !a->clause_opens_sentence)
		return -1;
	a->cap = cap;
	return 0;
}

static bool caps_stand_out(const stance_token *tokens, size_t begin, size_t end)
{
	bool caps = false, lower = false;
	for (size_t i = begin; i < end; i++) {
		if (tokens[i].kind != STANCE_TOK_WORD || tokens[i].end - tokens[i].start < 2)
			continue;
		if (tokens[i].flags & STANCE_TOKF_ALLCAPS)
			caps = true;
		else
			lower = true;
	}
	return caps && lower;
}

static bool is_masked(rules *r, const stance_token *t)
{
	while (r->next_mask < r->nmasked && r->masked[r->next_mask].end <= t->start)
		r->next_mask++;
	return r->next_mask < r->nmasked && r->masked[r->next_mask].start < t->end;
}

#define NO_TERM SIZE_MAX

static void forget_boost(rules *r)
{
	r->boost = 0;
	r->boost_left = 0;
}

static void forget_modifiers(rules *r)
{
	r->negation_left = 0;
	r->shifter_term = NO_TERM;
	forget_boost(r);
}

/* A clause without words yet just moves its start, so "), " is one boundary, not two. */
static void open_clause(rules *r, size_t at)
{
	stance_analysis *a = r->a;
	if (a->nclauses == 0 || r->clause_words > 0) {
		a->clause_emphasis[a->nclauses] = 0;
		a->clause_words[a->nclauses] = 0;
		a->clause_length[a->nclauses] = 0;
		a->clause_opens_sentence[a->nclauses] = a->nclauses == 0;
		a->nclauses++;
	}
	a->clause_begin[a->nclauses - 1] = (uint32_t)at;
	r->clause_words = 0;
	forget_modifiers(r);
}

static void count_word(rules *r)
{
	r->a->words++;
	r->a->clause_words[r->a->nclauses - 1]++;
	r->a->clause_length[r->a->nclauses - 1]++;
	r->clause_words++;
	if (r->negation_left > 0 && --r->negation_left == 0)
		r->shifter_term = NO_TERM;
	if (r->boost_left > 0 && --r->boost_left == 0)
		r->boost = 0;
}

/* Punctuation closes a clause; a full stop or "?" also closes a sentence, but not "!":
 * "Great game! Loved it!" is one burst, and the "!" emphasises it. */
static void punctuation(rules *r, size_t i)
{
	const stance_token *t = &r->tokens[i];
	stance_analysis *a = r->a;
	float *emphasis = &a->clause_emphasis[a->nclauses - 1];
	bool full_stop = false;
	for (uint32_t k = t->start; k < t->end; k++) {
		if (r->text[k] == '!')
			*emphasis = fminf(*emphasis + EXCLAIM_EMPHASIS, EXCLAIM_EMPHASIS * EXCLAIM_MAX);
		full_stop = full_stop || r->text[k] == '.' || r->text[k] == '?';
	}
	open_clause(r, i + 1);
	a->clause_opens_sentence[a->nclauses - 1] |= full_stop;
	r->clause_weight = 1;
}

static bool token_is(const rules *r, size_t i, const char *word)
{
	const stance_token *t = &r->tokens[i];
	size_t n = strlen(word);
	return t->end - t->start == n && strncasecmp(r->text + t->start, word, n) == 0;
}

static bool word_follows(const rules *r, size_t i)
{
	return i < r->end && r->tokens[i].kind == STANCE_TOK_WORD;
}

/* Each "but" weighs what came before it down. Rather than rescale every earlier term at each
 * one, a term is stored divided by the scale of its time and stance_lexicon_analyse()
 * multiplies all by the final scale, which keeps a long run of "but" linear.
 * "yet" contrasts only at the head of a clause ("..., yet it failed"), not in "has yet to". */
static void contrast(rules *r, const stance_lexeme *e, size_t i)
{
	if (e->flags & STANCE_LEX_CONCESSIVE) {
		open_clause(r, i);
		r->clause_weight = CONCESSIVE_WEIGHT;
		return;
	}
	if (token_is(r, i, "yet") && r->clause_words > 0)
		return;
	if (r->contrast_scale > 1e-6)
		r->contrast_scale *= BEFORE_CONTRAST;
	open_clause(r, i);
	r->clause_weight = 1;
}

/* A negation turns the first term in its next few words ("not the worst"); a shifter every
 * term there ("reduce the risk of disease and death"). A second negation in reach undoes the
 * first: "not without merit", "did not reduce the risk". */
static void negation(rules *r, int words)
{
	r->negation_left = r->negation_left > 0 ? 0 : words;
	r->negation_spreads = false;
	r->shifter_term = NO_TERM;
}

static void intensifier(rules *r, const stance_lexeme *e, size_t i)
{
	float boost = e->boost;
	if (r->caps_emphasis && (r->tokens[i].flags & STANCE_TOKF_ALLCAPS))
		boost += copysignf(CAPS_EMPHASIS, boost);
	r->boost += boost;
	r->boost_left = BOOST_WORDS;
}

/* A sentence's length should not depend on how its modifiers are spelled: "very bad" is no
 * longer a sentence than "bad", and "isn't" is as long as "is not". The term's words were
 * counted just before, in the same clause. */
static void modifier_length(rules *r, const stance_lexeme *e, size_t i, size_t n)
{
	uint32_t *length = &r->a->clause_length[r->a->nclauses - 1];
	if (e->flags & STANCE_LEX_INTENSIFIER) {
		*length -= *length < n ? *length : (uint32_t)n;
		return;
	}
	const stance_token *t = &r->tokens[i];
	size_t len = t->end - t->start;
	if (n == 1 && len > 3 && strncasecmp(r->text + t->end - 3, "n't", 3) == 0)
		(*length)++;
}

static float negated(float v)
{
	return v > 0 ? v * NEGATE_POSITIVE : -v * NEGATE_NEGATIVE;
}

static void sentiment(rules *r, const stance_lexeme *e, size_t i, size_t n)
{
	float magnitude = fabsf(e->valence);
	if (r->boost_left > 0)
		magnitude = fmaxf(magnitude + r->boost, 0);
	if (r->caps_emphasis && (r->tokens[i].flags & STANCE_TOKF_ALLCAPS))
		magnitude += CAPS_EMPHASIS;
	float v = copysignf(magnitude, e->valence);
	bool negate = r->negation_left > 0;
	if (negate && r->shifter_term != NO_TERM) {
		r->a->nterms = r->shifter_term; /* the shifter's object speaks instead */
		r->shifter_term = NO_TERM;
	}
	if (negate)
		v = negated(v);
	r->a->terms[r->a->nterms++] = (stance_term){
		.token = (uint32_t)i,
		.end = (uint32_t)(i + n),
		.clause = (uint32_t)(r->a->nclauses - 1),
		.valence = v < 0 ? v * NEGATIVITY_BIAS : v,
		.weight = (float)(r->clause_weight / r->contrast_scale),
		.negated = negate,
	};
	forget_boost(r);
	if (!r->negation_spreads)
		r->negation_left = 0;
}

static void subordinate(rules *r, size_t i)
{
	open_clause(r, i);
	r->clause_weight = SUBORDINATE_WEIGHT;
}

/* "reduce the risk": the shifter negates its object; its own valence ("avoid" -1.2) stands
 * until a term in its reach takes its place. */
static void shifter(rules *r, const stance_lexeme *e, size_t i, size_t n)
{
	size_t own = NO_TERM;
	if (e->flags & STANCE_LEX_SENTIMENT) {
		sentiment(r, e, i, n);
		own = r->a->nterms - 1;
	}
	negation(r, SHIFTER_WORDS);
	if (r->negation_left > 0) {
		r->shifter_term = own;
		r->negation_spreads = true;
	}
}

static bool verb_or_not_needed(const rules *r, const stance_lexeme *e)
{
	return !(e->flags & STANCE_LEX_VERB_SENSE) ||
	       (r->previous & (STANCE_LEX_VERB_CUE | STANCE_LEX_NEGATION));
}

/* Words that modify the next word act as modifiers only when a word follows: "no problem"
 * negates, a lone "No." keeps its own valence. */
static void apply(rules *r, const stance_lexeme *e, size_t i, size_t n)
{
	bool modifies = word_follows(r, i + n);
	if (e->flags & STANCE_LEX_CONTRAST) {
		contrast(r, e, i);
	} else if ((e->flags & STANCE_LEX_SHIFTER) && modifies) {
		shifter(r, e, i, n);
	} else if ((e->flags & STANCE_LEX_NEGATION) &&
		   (modifies || !(e->flags & STANCE_LEX_SENTIMENT))) {
		negation(r, NEGATION_WORDS);
		modifier_length(r, e, i, n);
	} else if ((e->flags & STANCE_LEX_INTENSIFIER) &&
		   (modifies || !(e->flags & STANCE_LEX_SENTIMENT))) {
		intensifier(r, e, i);
		modifier_length(r, e, i, n);
	} else if ((e->flags & STANCE_LEX_SENTIMENT) && verb_or_not_needed(r, e)) {
		sentiment(r, e, i, n);
	} else if (e->flags & STANCE_LEX_CLAUSE) {
		subordinate(r, i);
	}
}

/* An emoticon counts only standing apart from words: ":)" but not the "):" of "(AFP):". */
static bool stands_apart(const rules *r, size_t i, size_t n)
{
	const stance_token *t = r->tokens;
	bool before = i == r->begin || t[i].start > t[i - 1].end;
	bool after = i + n >= r->end || t[i + n].start > t[i + n - 1].end;
	return before && after;
}

static bool is_word_run(const stance_token *t, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (t[k].kind != STANCE_TOK_WORD)
			return false;
	return true;
}

/* Runs usually end where a sentence does, so a match found for the document mostly holds. */
static const stance_lexeme *term_at(const rules *r, size_t i, size_t *n)
{
	const stance_token_match *m = r->matches ? &r->matches[i] : NULL;
	if (m && i + m->read <= r->end) {
		*n = m->ntok;
		return m->lexeme;
	}
	size_t read;
	return longest_term(r->lex, r->text, r->tokens, i, r->end, n, &read);
}

static size_t step(rules *r, size_t i)
{
	const stance_token *t = &r->tokens[i];
	if (is_masked(r, t)) {
		if (t->kind == STANCE_TOK_WORD)
			count_word(r);
		return 1;
	}
	size_t n;
	const stance_lexeme *e = term_at(r, i, &n);
	if (e && !is_word_run(t, n) && !stands_apart(r, i, n))
		e = NULL;
	if (!e) {
		if (t->kind == STANCE_TOK_PUNCT)
			punctuation(r, i);
		else if (t->kind == STANCE_TOK_WORD)
			count_word(r);
		r->previous = 0;
		return 1;
	}
	for (size_t k = 0; k < n; k++)
		if (t[k].kind == STANCE_TOK_WORD)
			count_word(r);
	apply(r, e, i, n);
	r->previous = e->flags;
	return n;
}

int stance_lexicon_analyse(const stance_lexicon *lex, const stance_token_run *run,
			   const stance_span *masked, size_t nmasked, stance_arena *arena,
			   stance_analysis *out)
{
	size_t begin = run->begin, end = run->end;
	if (reserve(out, arena, end - begin) != 0)
		return -1;
	out->nterms = out->nclauses = out->words = 0;
	rules r = {
		.lex = lex,
		.text = run->text,
		.tokens = run->tokens,
		.matches = run->matches,
		.begin = begin,
		.end = end,
		.a = out,
		.masked = masked,
		.nmasked = nmasked,
		.caps_emphasis = caps_stand_out(run->tokens, begin, end),
		.shifter_term = NO_TERM,
		.clause_weight = 1,
		.contrast_scale = 1,
	};
	open_clause(&r, begin);
	for (size_t i = begin; i < end;)
		i += step(&r, i);
	for (size_t k = 0; k < out->nterms; k++)
		out->terms[k].weight = (float)(out->terms[k].weight * r.contrast_scale);
	return 0;
}

/* A weighted sum of valences into [-1, 1], as VADER's compound score. */
static double squash(double sum)
{
	return sum / sqrt(sum * sum + SQUASH_ALPHA);
}

static double emphasised(double sum, float emphasis)
{
	return sum > 0 ? sum + emphasis : sum < 0 ? sum - emphasis : 0;
}

/* A sentence's sum scaled by sqrt(SENTENCE_WORDS / words). The longer the sentence, the more
 * of its tone lies in what no lexicon term catches (framing, facts, irony), the more terms it
 * gathers and the more rules meet on them: on VADER's rated sentences our sign agrees with
 * the raters' in 82% of the NYT ones up to 8 words and 69% beyond 16 (tweets, movies and
 * Amazon alike). So a long sentence's sum, the less reliable, is shrunk toward neutral; the
 * square root as for evidence from that many words. */
static double per_length(double sum, size_t words)
{
	return sum * sqrt(SENTENCE_WORDS / (double)(words ? words : 1));
}

/* The run's own score with no target. Sentences are normalised one by one and averaged: a
 * sum over a whole article would run to +-1 however mild its words. Within a sentence the
 * terms add up, contrast-weighted, and are scaled to its length. */
static double sentence_average(const stance_analysis *a)
{
	double total = 0;
	size_t sentences = 0;
	for (size_t c = 0, k = 0; c < a->nclauses;) {
		double sum = 0, emphasis = 0;
		size_t words = 0;
		bool polar = false;
		do {
			emphasis += a->clause_emphasis[c];
			words += a->clause_length[c];
			for (; k < a->nterms && a->terms[k].clause == c; k++, polar = true)
				sum += a->terms[k].weight * a->terms[k].valence;
			c++;
		} while (c < a->nclauses && !a->clause_opens_sentence[c]);
		if (polar) {
			total += squash(emphasised(per_length(sum, words), (float)emphasis));
			sentences++;
		}
	}
	return sentences ? total / (double)sentences : 0;
}

/* The clause holding token t. */
static size_t clause_of(const stance_analysis *a, size_t t)
{
	size_t lo = 0, hi = a->nclauses;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (a->clause_begin[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The first term that ends after token t. */
static size_t first_term_after(const stance_analysis *a, size_t t)
{
	size_t lo = 0, hi = a->nterms;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a->terms[mid].end <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static double reach(const stance_term *term, size_t t0, size_t t1, size_t clause)
{
	if (term->end > t0 && term->token < t1)
		return 0;
	size_t d = term->end <= t0 ? t0 - term->end : term->token - t1;
	if (d >= REACH)
		return 0;
	size_t boundaries = term->clause > clause ? term->clause - clause : clause - term->clause;
	double r = term->weight * exp(-(double)d / REACH_DECAY);
	for (size_t b = 0; b < boundaries && r > 1e-6; b++)
		r *= CLAUSE_PENALTY;
	return r;
}

/* Terms within reach of the mention [t0, t1): [*first, *last). */
static void window(const stance_analysis *a, size_t t0, size_t t1, size_t *first, size_t *last)
{
	*first = first_term_after(a, t0 > REACH ? t0 - REACH : 0);
	*last = *first;
	while (*last < a->nterms && a->terms[*last].token < t1 + REACH)
		(*last)++;
}

/* The reach-weighted sum of valences toward the mentions, and the same of |valence|. */
static void toward(const stance_analysis *a, const stance_span *mentions, size_t n, double *sum,
		   double *evidence)
{
	*sum = *evidence = 0;
	for (size_t m = 0; m < n; m++) {
		size_t first, last, clause = clause_of(a, mentions[m].start);
		window(a, mentions[m].start, mentions[m].end, &first, &last);
		for (size_t k = first; k < last; k++)
			a->reach[k] = fmaxf(a->reach[k], (float)reach(&a->terms[k], mentions[m].start,
								     mentions[m].end, clause));
	}
	/* The nearest mention decides each term's reach; summing then zeroes the scratch. */
	for (size_t m = 0; m < n; m++) {
		size_t first, last;
		window(a, mentions[m].start, mentions[m].end, &first, &last);
		for (size_t k = first; k < last; k++) {
			*sum += a->reach[k] * a->terms[k].valence;
			*evidence += a->reach[k] * fabsf(a->terms[k].valence);
			a->reach[k] = 0;
		}
	}
}

stance_span stance_tokens_covering(const stance_token *tokens, size_t begin, size_t end,
				   stance_span bytes)
{
	size_t first = begin, last = end;
	while (first < last) {
		size_t mid = first + (last - first) / 2;
		if (tokens[mid].end <= bytes.start)
			first = mid + 1;
		else
			last = mid;
	}
	last = first;
	while (last < end && tokens[last].start < bytes.end)
		last++;
	return (stance_span){(uint32_t)first, (uint32_t)last};
}

static void count_scope(const stance_analysis *a, size_t clause, bool whole,
			stance_lexicon_result *out)
{
	out->words = (uint32_t)(whole ? a->words : a->clause_words[clause]);
	out->positive = out->negative = out->negated = 0;
	for (size_t k = 0; k < a->nterms; k++) {
		const stance_term *t = &a->terms[k];
		if (!whole && t->clause != clause)
			continue;
		out->positive += t->valence > 0;
		out->negative += t->valence < 0;
		out->negated += t->negated;
	}
}

void stance_analysis_target(const stance_analysis *a, const stance_span *mentions, size_t n,
			    double bias, stance_lexicon_result *out)
{
	double sum;
	toward(a, mentions, n, &sum, &out->evidence);
	out->lexicon = squash(sum + bias);
	out->evidence += fabs(bias);
	count_scope(a, clause_of(a, mentions[0].start), false, out);
}

void stance_analysis_whole(const stance_analysis *a, stance_lexicon_result *out)
{
	out->lexicon = sentence_average(a);
	out->evidence = 0;
	for (size_t k = 0; k < a->nterms; k++)
		out->evidence += a->terms[k].weight * fabsf(a->terms[k].valence);
	count_scope(a, 0, true, out);
}

int stance_lexicon_score_span(const stance_lexicon *lex, const char *text,
			      const stance_token *tokens, size_t begin, size_t end,
			      stance_span target, stance_arena *scratch,
			      stance_lexicon_result *out, stance_error *err)
{
	stance_span mention = stance_tokens_covering(tokens, begin, end, target);
	bool has_target = target.end > target.start && mention.start < mention.end;
	stance_analysis a = {0};
	const stance_token_run run = {text, tokens, NULL, begin, end};
	if (stance_lexicon_analyse(lex, &run, &target, has_target, scratch, &a) != 0)
		return stance_fail(err, STANCE_EINTERNAL, "out of memory scoring a sentence");
	if (has_target)
		stance_analysis_target(&a, &mention, 1, 0, out);
	else
		stance_analysis_whole(&a, out);
	return STANCE_OK;
}
