/* Stage 3, attribute: quotations and reported speech, their speakers, and the speakers'
 * parties.
 *
 * Every cue verb outside a quotation ("said", "accused", "according to") looks for its
 * speaker: the noun phrase before it ("Trump said"), after it ("said Trump", "according to
 * the ministry"), or the subject of the clause for "..., adding that". What was said is the
 * quotation or clause on the other side: before the speaker for a tag ('"...," he said', 'The
 * talks failed, she said') and after the cue otherwise ("X warned that ..."). Speakers are
 * gathered into entities across the article (a surname keys a person, a pronoun or a
 * description takes the most recent fitting person) and linked to gazetteer parties.
 *
 * Spans follow the PolNeAR conventions: the source is the whole noun phrase with its
 * appositions ("Mr. Kasich, a Republican,"), content includes "that" and the quotation marks,
 * not the final full stop outside them. */
#include <string.h>
#include <strings.h>

#include "cues.h"
#include "internal.h"

#define NONE_TOK UINT32_MAX
#define MAX_CANDIDATES 16 /* cues per sentence; more are run-ons we do not attribute */
#define MAX_NP_TOKENS 24  /* a speaker phrase longer than this is a parsing accident */
#define RECENT_PEOPLE 256 /* how far back a surname or pronoun looks for its person */
#define WORD_MAX 32
#define NAME_MAX_BYTES 160 /* a longer "name" is a parsing accident or garbage input */

typedef struct quote_span {
	uint32_t open, close; /* token indices, inclusive */
} quote_span;

enum { GENDER_UNKNOWN, GENDER_MALE, GENDER_FEMALE };

/* A person, body or unnamed source met in the article; becomes a doc entity when it speaks. */
typedef struct person {
	stance_span name;  /* the longest name seen: "Donald Trump" */
	stance_span key;   /* the surname, or the whole name of a body */
	stance_span title; /* what introduced it: "Russian Foreign Minister" */
	int32_t party;
	int32_t entity;    /* doc entity index, or STANCE_NONE until it speaks */
	uint8_t kind;      /* stance_entity_kind */
	uint8_t gender;
	uint32_t seen;     /* when last met as a subject or speaker (0: never), for pronouns */
} person;

typedef struct candidate {
	const stance_cue *cue;
	uint32_t cue_first, cue_last; /* tokens, inclusive */
	uint32_t src_first, src_last; /* NONE_TOK when the speaker is not written */
	int32_t speaker;              /* person index, or STANCE_NONE */
	bool source_after;            /* "said Trump", "according to X" */
	bool tag;                     /* the content comes before the speaker and cue */
	bool object_first;            /* "China abstained, a move Trump praised" */
} candidate;

typedef struct attr_ctx {
	stance_doc *doc;
	const stance_models *models;
	const stance_token *tok;
	uint32_t ntok;
	const stance_cue_word **word; /* per token, NULL for punctuation and open-class words */
	int32_t *quote_of;            /* per token: index of the quotation holding it, or -1 */
	uint32_t *sentence_of;        /* per token */
	quote_span *quotes;
	size_t nquotes, quotes_cap;
	bool *quote_used;
	person *people;
	size_t npeople, people_cap;
	uint32_t clock;       /* counts subjects and speakers met, for person.seen */
	const stance_cue *say; /* the cue of headline colons and signed quotations */
	uint32_t *cue_tokens;  /* the tokens that may be cues (may_be_cue), in text order */
	size_t ncue_tokens;
	size_t next_cue;       /* the first of them not before the sentence being read */
} attr_ctx;

/* --- tokens --- */

static const char *tok_text(const attr_ctx *c, uint32_t i, size_t *n)
{
	*n = c->tok[i].end - c->tok[i].start;
	return c->doc->text + c->tok[i].start;
}

/* Compares in place and stops at the first difference, which for most tokens is the first
 * byte; the text holds no NUL, so a shorter s differs at its end. */
static bool tok_is(const attr_ctx *c, uint32_t i, const char *s)
{
	if (i >= c->ntok)
		return false;
	size_t n;
	const char *t = tok_text(c, i, &n);
	for (size_t k = 0; k < n; k++)
		if (t[k] != s[k])
			return false;
	return s[n] == '\0';
}

/* Whether token i is one of the n words of list, as written. */
static bool tok_in(const attr_ctx *c, uint32_t i, const char *const *list, size_t n)
{
	for (size_t w = 0; w < n; w++)
		if (tok_is(c, i, list[w]))
			return true;
	return false;
}

static bool has_class(const attr_ctx *c, uint32_t i, uint32_t classes)
{
	return i < c->ntok && c->word[i] && (c->word[i]->classes & classes);
}

static bool is_kind(const attr_ctx *c, uint32_t i, stance_token_kind kind)
{
	return i < c->ntok && c->tok[i].kind == kind;
}

static bool capitalised(const attr_ctx *c, uint32_t i)
{
	return i < c->ntok && (c->tok[i].flags & (STANCE_TOKF_CAPITALISED | STANCE_TOKF_ALLCAPS));
}

/* "Jan de Vries", "Ursula von der Leyen": lower-case words inside a name. */
static bool is_name_particle(const attr_ctx *c, uint32_t i)
{
	static const char *const particles[] = {"de", "van", "von", "der", "den", "al", "bin",
						"da", "di", "du", "la", "le", "dos", "del"};
	/* most words are longer than any particle */
	return i < c->ntok && c->tok[i].end - c->tok[i].start <= 3 &&
	       tok_in(c, i, particles, STANCE_ARRAY_LEN(particles));
}

/* "al-Masri", "el-Sayed": a surname led by its particle. */
static bool particle_surname(const attr_ctx *c, uint32_t i)
{
	size_t n;
	const char *t = i < c->ntok ? tok_text(c, i, &n) : NULL;
	return t && n > 3 && (t[0] == 'a' || t[0] == 'e') && t[1] == 'l' && t[2] == '-' &&
	       t[3] >= 'A' && t[3] <= 'Z';
}

/* A word that may stand inside a person's name: "Anna", "de" in "Anna de Wit", "al-Masri". */
static bool name_word(const attr_ctx *c, uint32_t i)
{
	return capitalised(c, i) || particle_surname(c, i) ||
	       (i > 0 && is_name_particle(c, i) && capitalised(c, i - 1) &&
		(capitalised(c, i + 1) || is_name_particle(c, i + 1)));
}

static bool glued(const attr_ctx *c, uint32_t i)
{
	return !(c->tok[i].flags & STANCE_TOKF_SPACE_BEFORE);
}

static bool is_comma_like(const attr_ctx *c, uint32_t i)
{
	return tok_is(c, i, ",") || tok_is(c, i, "--");
}

static bool is_quote_open(const attr_ctx *c, uint32_t i)
{
	return i < c->ntok && c->quote_of[i] >= 0 && c->quotes[c->quote_of[i]].open == i;
}

static bool is_quote_close(const attr_ctx *c, uint32_t i)
{
	return i < c->ntok && c->quote_of[i] >= 0 && c->quotes[c->quote_of[i]].close == i;
}

static bool ends_sentence(const attr_ctx *c, uint32_t i)
{
	return tok_is(c, i, ".") || tok_is(c, i, "!") || tok_is(c, i, "?") || tok_is(c, i, "...");
}

/* The bytes of token i without a final full stop ("Mr." -> "Mr"); 0 when too long. */
static size_t word_length(const attr_ctx *c, uint32_t i)
{
	if (i >= c->ntok)
		return 0;
	size_t n;
	const char *t = tok_text(c, i, &n);
	if (n > 2 && t[n - 1] == '.') /* but the "A." of "Jill A. Martin" is no article */
		n--;
	return n < WORD_MAX ? n : 0;
}

/* Whether the n bytes at t, ASCII capitals taken as lower case, are those of lower. */
static bool equals_folded(const char *t, const char *lower, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		char b = (t[k] >= 'A' && t[k] <= 'Z') ? (char)(t[k] + 32) : t[k];
		if (b != lower[k])
			return false;
	}
	return true;
}

/* Whether token i, less a final full stop and in any case, is longer than suffix by two
 * bytes or more and ends with it. */
static bool ends_with(const attr_ctx *c, uint32_t i, const char *suffix)
{
	size_t n = word_length(c, i), k = strlen(suffix);
	return n > k + 1 && equals_folded(c->doc->text + c->tok[i].start + n - k, suffix, k);
}

static bool is_possessive(const attr_ctx *c, uint32_t i)
{
	return ends_with(c, i, "'s") || (i + 1 < c->ntok && tok_is(c, i + 1, "'s") && glued(c, i + 1));
}

/* A -ly word after a subject is part of the cue: "repeatedly said". */
static bool is_cue_adverb(const attr_ctx *c, uint32_t i)
{
	return is_kind(c, i, STANCE_TOK_WORD) && !capitalised(c, i) &&
	       (has_class(c, i, STANCE_WC_AUXILIARY) || ends_with(c, i, "ly"));
}

/* A word that can stand inside a speaker's noun phrase. */
static bool np_word(const attr_ctx *c, uint32_t i)
{
	if (i >= c->ntok || c->quote_of[i] >= 0)
		return false;
	if ((!is_kind(c, i, STANCE_TOK_WORD) && !is_kind(c, i, STANCE_TOK_NUMBER)) ||
	    has_class(c, i, STANCE_WC_ASIDE))
		return false;
	if (capitalised(c, i)) /* mid-sentence, "May" and "Will" are names */
		return !has_class(c, i, STANCE_WC_STOP) || c->tok[i].flags & STANCE_TOKF_ALLCAPS ||
		       (i > 0 && c->sentence_of[i - 1] == c->sentence_of[i] &&
			!has_class(c, i, STANCE_WC_PRONOUN) && !ends_sentence(c, i - 1));
	return !has_class(c, i, STANCE_WC_STOP | STANCE_WC_PASSIVE) &&
	       !(c->word[i] && c->word[i]->is_cue && !(c->word[i]->classes & STANCE_WC_NOUN));
}

static bool is_number(const attr_ctx *c, uint32_t i)
{
	static const char *const words[] = {"one", "two", "three", "four", "five", "six",
					    "seven", "eight", "nine", "ten"};
	if (is_kind(c, i, STANCE_TOK_NUMBER))
		return true;
	size_t n = is_kind(c, i, STANCE_TOK_WORD) ? word_length(c, i) : 0;
	for (size_t w = 0; n && w < STANCE_ARRAY_LEN(words); w++)
		if (n == strlen(words[w]) && equals_folded(c->doc->text + c->tok[i].start, words[w], n))
			return true;
	return false;
}

/* Punctuation glued inside a name: the "." of "Mr .", the "-" of "Jean - Claude", "'s". */
static bool np_glue(const attr_ctx *c, uint32_t i)
{
	if (i == 0 || i + 1 >= c->ntok || !glued(c, i))
		return false;
	return tok_is(c, i, ".") || tok_is(c, i, "-") || tok_is(c, i, "'s") || tok_is(c, i, "&") ||
	       tok_is(c, i, "/");
}

/* The cue list's entry for word token i, in any case and without a final full stop. */
static const stance_cue_word *cue_word(const attr_ctx *c, uint32_t i)
{
	size_t n = word_length(c, i);
	return n ? stance_cues_word_any_case(c->models->cues, c->doc->text + c->tok[i].start, n)
		 : NULL;
}

/* Whether token i can be a candidate's cue at all: a cue word, or the dash of a signed
 * quotation. Most tokens are neither, and the sentences never look at them. */
static bool may_be_cue(const attr_ctx *c, uint32_t i)
{
	return (c->word[i] && c->word[i]->is_cue) ||
	       (c->tok[i].kind == STANCE_TOK_PUNCT && tok_is(c, i, "--"));
}

static void classify_tokens(attr_ctx *c)
{
	for (uint32_t i = 0; i < c->ntok; i++) {
		c->word[i] = c->tok[i].kind == STANCE_TOK_WORD ? cue_word(c, i) : NULL;
		c->quote_of[i] = -1;
		if (may_be_cue(c, i))
			c->cue_tokens[c->ncue_tokens++] = i;
	}
	for (uint32_t s = 0; s < c->doc->nsentences; s++) {
		const stance_sentence *sent = &c->doc->sentences[s];
		for (uint32_t i = sent->tok_begin; i < sent->tok_end && i < c->ntok; i++)
			c->sentence_of[i] = s;
	}
}

/* --- quotations --- */

static int add_quote(attr_ctx *c, uint32_t open, uint32_t close)
{
	quote_span *q = stance_arena_push(c->doc->arena, (void **)&c->quotes, &c->nquotes,
					  &c->quotes_cap, sizeof(*q));
	if (!q)
		return -1;
	q->open = open;
	q->close = close;
	for (uint32_t i = open; i <= close; i++)
		c->quote_of[i] = (int32_t)(c->nquotes - 1);
	return 0;
}

/* The mark at quote token i: '"', or '\'' for a single quote; two glued single quotes (the
 * '' of some newspapers) are one double mark, and *width tells how many tokens it takes. */
static char quote_mark(const attr_ctx *c, uint32_t i, uint32_t *width)
{
	char q = c->doc->text[c->tok[i].start];
	*width = 1;
	if (q == '\'' && i + 1 < c->ntok && is_kind(c, i + 1, STANCE_TOK_QUOTE) && glued(c, i + 1) &&
	    c->doc->text[c->tok[i + 1].start] == '\'') {
		*width = 2;
		return '"';
	}
	return q;
}

static bool opens(const attr_ctx *c, uint32_t i)
{
	uint8_t f = c->tok[i].flags;
	return (f & STANCE_TOKF_QUOTE_OPEN) || !(f & STANCE_TOKF_QUOTE_CLOSE);
}

/* Pairs quotation marks. Double quotes nest single ones, which are ignored inside them; a
 * quotation left open at a paragraph's end goes on when the next paragraph opens with the
 * same mark (the news convention for long quotations) and otherwise ends with its paragraph,
 * so an unbalanced mark never swallows the rest of the article. */
static int pair_quotes(attr_ctx *c)
{
	uint32_t open = NONE_TOK, last = 0, width = 1;
	char mark = 0;
	for (uint32_t i = 0; i < c->ntok; i++) {
		bool quote = is_kind(c, i, STANCE_TOK_QUOTE);
		char q = quote ? quote_mark(c, i, &width) : 0;
		if (open != NONE_TOK && i > 0 && (c->tok[i].flags & STANCE_TOKF_PARAGRAPH_BEFORE)) {
			if (q == mark && (c->tok[i].flags & STANCE_TOKF_QUOTE_OPEN)) {
				i += width - 1;
				continue;
			}
			if (add_quote(c, open, last) != 0)
				return -1;
			open = NONE_TOK;
		}
		last = i;
		if (!quote)
			continue;
		if (open == NONE_TOK) {
			if (opens(c, i)) {
				open = i;
				mark = q;
			}
		} else if (q == mark) {
			/* An opening mark while one is open: the earlier quotation lost its close. */
			uint8_t f = c->tok[i].flags;
			bool reopens = (f & STANCE_TOKF_QUOTE_OPEN) && !(f & STANCE_TOKF_QUOTE_CLOSE) &&
				       !glued(c, i);
			if (add_quote(c, open, reopens ? i - 1 : i + width - 1) != 0)
				return -1;
			open = reopens ? i : NONE_TOK;
		}
		i += width - 1;
		last = i;
	}
	if (open != NONE_TOK && add_quote(c, open, c->ntok - 1) != 0)
		return -1;
	return 0;
}

/* --- noun phrases --- */

static uint32_t matching_paren(const attr_ctx *c, uint32_t close, uint32_t first)
{
	for (uint32_t j = close; j > first && close - j < MAX_NP_TOKENS; j--)
		if (tok_is(c, j - 1, "("))
			return j - 1;
	return NONE_TOK;
}

static bool is_approximation(const attr_ctx *c, uint32_t i)
{
	static const char *const words[] = {"about", "nearly", "roughly", "almost", "around",
					    "About", "Nearly", "Roughly", "Almost", "Around"};
	return tok_in(c, i, words, STANCE_ARRAY_LEN(words));
}

/* The first token of the noun phrase that ends at e, not before first; NONE_TOK when e ends
 * no noun phrase. "of" and "for" stay inside ("a spokesman for the ministry"); a determiner
 * opens the phrase unless it follows them. */
static uint32_t np_left(const attr_ctx *c, uint32_t e, uint32_t first)
{
	if (e == NONE_TOK || e < first)
		return NONE_TOK;
	if (tok_is(c, e, ")")) {
		uint32_t open = matching_paren(c, e, first);
		if (open == NONE_TOK || open == first)
			return NONE_TOK;
		e = open - 1;
	}
	if (has_class(c, e, STANCE_WC_PRONOUN | STANCE_WC_RELATIVE) && c->quote_of[e] < 0)
		return e;
	if (!np_word(c, e) || is_possessive(c, e))
		return NONE_TOK;
	uint32_t k = e;
	while (k > first && e - k < MAX_NP_TOKENS) {
		uint32_t j = k - 1;
		/* "a spokesman for the ministry", "the US ambassador to the UN" */
		bool linking = has_class(c, j, STANCE_WC_NP_PREPOSITION) ||
			       (tok_is(c, j, "to") && has_class(c, j - 1, STANCE_WC_TITLE));
		bool through_preposition = linking && j > first && np_word(c, j - 1) &&
					   !has_class(c, j - 1, STANCE_WC_PRONOUN);
		if (has_class(c, k, STANCE_WC_DETERMINER)) {
			if (has_class(c, j, STANCE_WC_DETERMINER) && !has_class(c, j, STANCE_WC_STOP)) {
				k = j; /* "all three candidates" */
				continue;
			}
			if (!through_preposition)
				break;
			k = j - 1;
		} else if (through_preposition) {
			k = j - 1;
		} else if ((np_word(c, j) && !has_class(c, j, STANCE_WC_PRONOUN)) || np_glue(c, j)) {
			k = j;
		} else if (tok_is(c, j, "and") && j > first && np_word(c, j - 1) &&
			   !has_class(c, j - 1, STANCE_WC_PRONOUN)) {
			k = j - 1; /* "Mr. Grassley and Mr. Leahy say" */
		} else if (tok_is(c, j, "in") && j > first && is_number(c, j - 1) && is_number(c, k)) {
			k = j - 1; /* "Six in 10 say" */
		} else if (is_approximation(c, j) && (is_number(c, k) || tok_is(c, k, "half"))) {
			k = j; /* "about half of the voters" */
		} else {
			break;
		}
	}
	while (k < e && (has_class(c, k, STANCE_WC_NP_PREPOSITION) || np_glue(c, k)))
		k++;
	return k;
}

static bool is_participle(const attr_ctx *c, uint32_t i)
{
	return is_kind(c, i, STANCE_TOK_WORD) && !capitalised(c, i) &&
	       (ends_with(c, i, "ing") || ends_with(c, i, "ed"));
}

/* Whether an aside after the speaker's name describes the speaker ("a Republican", "who
 * ran") rather than the speaking ("speaking on radio", "at a press gaggle"). */
static bool names_speaker(const attr_ctx *c, uint32_t i)
{
	if (has_class(c, i, STANCE_WC_RELATIVE)) /* but not "X, who said": a speaker of its own */
		return !(i + 1 < c->ntok && c->word[i + 1] && c->word[i + 1]->is_cue);
	if (tok_is(c, i, "including"))
		return true;
	if (is_participle(c, i)) /* "speaking on radio", but "managing director" */
		return has_class(c, i + 1, STANCE_WC_TITLE);
	return !(has_class(c, i, STANCE_WC_STOP) && !capitalised(c, i));
}

/* "for example", "however": an aside that says nothing of anyone. */
static bool is_filler_aside(const attr_ctx *c, uint32_t i)
{
	return ((tok_is(c, i, "for") || tok_is(c, i, "For")) &&
		(tok_is(c, i + 1, "example") || tok_is(c, i + 1, "instance"))) ||
	       (has_class(c, i, STANCE_WC_ASIDE) && tok_is(c, i + 1, ","));
}

/* "by The Associated Press", "in Politico": who stands behind a poll or an article. */
static bool names_publisher(const attr_ctx *c, uint32_t k)
{
	if (!tok_is(c, k, "by") && !tok_is(c, k, "in") && !tok_is(c, k, "from"))
		return false;
	uint32_t next = has_class(c, k + 1, STANCE_WC_DETERMINER) ? k + 2 : k + 1;
	return capitalised(c, next) && np_word(c, next);
}

/* The last token of the noun phrase that starts at b, not after last; NONE_TOK when none.
 * With appositions, ", the director of X" and whatever follows it to the clause's end
 * belong to the phrase, as PolNeAR marks it. */
static uint32_t np_right(const attr_ctx *c, uint32_t b, uint32_t last, bool appositions)
{
	if (b > last || !np_word(c, b))
		return NONE_TOK;
	if (has_class(c, b, STANCE_WC_PRONOUN))
		return b;
	uint32_t end = b;
	bool loose = false;
	for (uint32_t k = b + 1; k <= last && k - b < 2 * MAX_NP_TOKENS; k++) {
		if (c->quote_of[k] >= 0 || ends_sentence(c, k) || tok_is(c, k, ";") || tok_is(c, k, ":"))
			break;
		if (tok_is(c, k, ",")) {
			bool next_word = is_kind(c, k + 1, STANCE_TOK_WORD) ||
					 is_kind(c, k + 1, STANCE_TOK_NUMBER); /* "X, 32, a former aide" */
			if (!appositions || k + 1 > last || !next_word || !names_speaker(c, k + 1) ||
			    is_filler_aside(c, k + 1))
				break;
			loose = true;
			continue;
		}
		bool word = is_kind(c, k, STANCE_TOK_WORD) || is_kind(c, k, STANCE_TOK_NUMBER) ||
			    tok_is(c, k, "&");
		bool modifier = is_participle(c, k) && !has_class(c, k - 1, STANCE_WC_DETERMINER);
		if (loose ? (word || np_glue(c, k) || tok_is(c, k, "(") || tok_is(c, k, ")"))
			  : (np_word(c, k) && !modifier) || np_glue(c, k) || tok_is(c, k, "/")) {
			end = k;
		} else if (!loose && np_word(c, k + 1) &&
			   (has_class(c, k, STANCE_WC_NP_PREPOSITION) ||
			    (tok_is(c, k, "to") && has_class(c, k - 1, STANCE_WC_TITLE)))) {
			continue; /* "the former top aide to President Bush" */
		} else if (!appositions && names_publisher(c, k)) {
			continue; /* "according to a count by The Associated Press" */
		} else if (!loose && tok_is(c, k, "(")) {
			continue;
		} else {
			break;
		}
	}
	return end;
}

/* --- cues and their speakers --- */

static const stance_sentence *sentence_at(const attr_ctx *c, uint32_t i)
{
	return &c->doc->sentences[c->sentence_of[i]];
}

/* The comma of "from Sumter, South Carolina," : a capitalised word of at most two before the
 * aside's closing comma p. */
static bool is_place_comma(const attr_ctx *c, uint32_t k, uint32_t p)
{
	if (k < 2 || !tok_is(c, k, ",") || !capitalised(c, k - 1) || p - k > 3 || p - k < 2)
		return false;
	uint32_t before = k > 2 && capitalised(c, k - 2) ? k - 3 : k - 2;
	if (!(tok_is(c, before, "from") || tok_is(c, before, "of") || tok_is(c, before, "in")))
		return false;
	for (uint32_t t = k + 1; t < p; t++)
		if (!capitalised(c, t) || has_class(c, t, STANCE_WC_DETERMINER))
			return false;
	return true;
}

/* The previous comma or dash of an apposition before token p: "X, a Republican, said". */
static uint32_t apposition_start(const attr_ctx *c, uint32_t p, uint32_t first)
{
	for (uint32_t j = p; j > first && p - j < 2 * MAX_NP_TOKENS; j--) {
		uint32_t k = j - 1;
		if (c->quote_of[k] >= 0 || tok_is(c, k, ";") || tok_is(c, k, ":"))
			return NONE_TOK;
		if (is_comma_like(c, k) && !is_place_comma(c, k, p))
			return k;
	}
	return NONE_TOK;
}

static uint32_t skip_addressee(const attr_ctx *c, uint32_t a, uint32_t limit)
{
	uint32_t j = a;
	while (j < limit && j - a < 6 && !has_class(c, j, STANCE_WC_PRONOUN) && !tok_is(c, j, "that") &&
	       (np_word(c, j) || has_class(c, j, STANCE_WC_OBJECT) || np_glue(c, j)))
		j++;
	return j;
}

/* What may follow a cue whose content came before it: the sentence's end, a comma, or an
 * adverbial ("on Tuesday", "in a statement", "told reporters"). */
static bool ends_tag(const attr_ctx *c, const candidate *k)
{
	uint32_t i = k->cue_last + 1;
	if (i >= c->ntok || c->sentence_of[i] != c->sentence_of[k->cue_last])
		return true;
	if (has_class(c, k->cue_last, STANCE_WC_ADDRESSEE)) /* "told a news conference." */
		i = skip_addressee(c, i, sentence_at(c, k->cue_last)->tok_end);
	if (i >= c->ntok || c->sentence_of[i] != c->sentence_of[k->cue_last] || ends_sentence(c, i) ||
	    tok_is(c, i, ",") || is_quote_open(c, i))
		return true;
	if (tok_is(c, i, "that") || has_class(c, i, STANCE_WC_PRONOUN) || tok_is(c, i, ":"))
		return false;
	for (uint32_t t = i; t < c->ntok && t - i < 2 * MAX_NP_TOKENS &&
			     c->sentence_of[t] == c->sentence_of[i] && !tok_is(c, t, ",");
	     t++)
		if (tok_is(c, t, "that") || is_quote_open(c, t))
			return false; /* "Earlier, Trump boasted in an interview that ..." */
	return has_class(c, i, STANCE_WC_STOP | STANCE_WC_OBJECT | STANCE_WC_ASIDE);
}

/* Whether the speaker phrase at first is a tag after its content: it follows a comma or a
 * quotation in the same sentence, or opens a sentence right after a closed quotation. */
static bool follows_content(const attr_ctx *c, uint32_t first)
{
	const stance_sentence *s = sentence_at(c, first);
	if (first == s->tok_begin)
		return first > 0 && is_quote_close(c, first - 1) &&
		       !(c->tok[first].flags & STANCE_TOKF_PARAGRAPH_BEFORE);
	return is_comma_like(c, first - 1) || is_quote_close(c, first - 1);
}

static bool inverted_tag(const attr_ctx *c, uint32_t p, uint32_t first)
{
	if (p == NONE_TOK || p < first)
		return false;
	return is_quote_close(c, p) || (tok_is(c, p, ",") && p > first && is_quote_close(c, p - 1));
}

/* "That is not enough, said Ann Lee, an analyst": a tag after reported words, with its
 * speaker after the cue and nothing after the speaker. */
static bool reported_inverted_tag(const attr_ctx *c, const stance_cue_word *w, uint32_t p,
				  uint32_t first)
{
	uint32_t next = p + 2;
	return p != NONE_TOK && p > first && tok_is(c, p, ",") && w->cue.kind == STANCE_CUE_SPEECH &&
	       (w->form == STANCE_FORM_PAST || w->form == STANCE_FORM_THIRD) &&
	       (capitalised(c, next) || has_class(c, next, STANCE_WC_DETERMINER)) &&
	       !has_class(c, next, STANCE_WC_PRONOUN);
}

static bool closes_sentence(const attr_ctx *c, uint32_t i)
{
	return i >= c->ntok || ends_sentence(c, i) || c->sentence_of[i] != c->sentence_of[i - 1];
}

static bool source_after_cue(attr_ctx *c, candidate *k, uint32_t last, bool appositions)
{
	uint32_t b = k->cue_last + 1;
	k->src_first = b;
	k->src_last = np_right(c, b, last, appositions);
	k->source_after = true;
	return k->src_last != NONE_TOK;
}

/* "according to X": X is the source; the content is the rest of the sentence. */
static bool according_to(attr_ctx *c, candidate *k, uint32_t i, uint32_t first, uint32_t last)
{
	if (!tok_is(c, i + 1, "to") || i + 1 > last)
		return false;
	k->cue_last = i + 1;
	k->tag = i > first;
	return source_after_cue(c, k, last, false);
}

/* The token before an aside between subject and verb: "Sanders on Tuesday said", "Some
 * Democrats, however, question". */
static uint32_t before_aside(const attr_ctx *c, uint32_t p, uint32_t first)
{
	if (p > first + 1 && tok_is(c, p, ",") && has_class(c, p - 1, STANCE_WC_ASIDE) &&
	    tok_is(c, p - 2, ","))
		return p - 3 >= first ? p - 3 : p;
	if (p > first && has_class(c, p, STANCE_WC_ASIDE)) {
		p--;
		if (p > first && tok_is(c, p, "on"))
			p--;
	}
	return p;
}

/* Whether a noun phrase at a starts a clause's subject, not the object of "In Paris, ...". */
static bool opens_phrase(const attr_ctx *c, uint32_t a, uint32_t first)
{
	return a == first || is_quote_close(c, a - 1) || tok_is(c, a - 1, ",") ||
	       has_class(c, a - 1, STANCE_WC_CLAUSE);
}

/* "The museum, Mr. Bush said, celebrated": the aside is a tag of its own. */
static bool has_cue_verb(const attr_ctx *c, uint32_t a, uint32_t e)
{
	for (uint32_t t = a; t < e; t++)
		if (c->word[t] && c->word[t]->is_cue && c->word[t]->form == STANCE_FORM_PAST)
			return true;
	return false;
}

/* "..., a move Trump praised": an indefinite noun before a name is the object the name's
 * verb takes, unless the noun is a title ("a Republican strategist John Smith"). */
static uint32_t past_object(const attr_ctx *c, uint32_t head, uint32_t p)
{
	if (!has_class(c, head, STANCE_WC_INDEFINITE) || !capitalised(c, p))
		return head;
	uint32_t name = p;
	while (name > head + 1 && (capitalised(c, name - 1) || np_glue(c, name - 1)))
		name--;
	bool object = !capitalised(c, name - 1) && !has_class(c, name - 1, STANCE_WC_TITLE) &&
		      !has_class(c, name - 1, STANCE_WC_NP_PREPOSITION) && name - 1 > head;
	return object ? name : head;
}

/* Sets the speaker phrase ending right before the cue; false when there is none. */
static bool source_before_cue(attr_ctx *c, candidate *k, uint32_t first)
{
	uint32_t p = before_aside(c, k->cue_first - 1, first);
	if (is_comma_like(c, p)) {
		uint32_t q = apposition_start(c, p, first);
		uint32_t head = q == NONE_TOK ? NONE_TOK : np_left(c, q - 1, first);
		if (head == NONE_TOK)
			return false;
		k->src_first = head;
		k->src_last = p;
		if (head == q - 1 && (ends_with(c, head, "ly") || has_class(c, head, STANCE_WC_ASIDE))) {
			k->src_first = q + 1; /* "Similarly, William Bennett, said": no name before */
		} else if (is_filler_aside(c, q + 1)) {
			k->src_last = q - 1; /* "Humphrey, for example, said" */
		} else if (has_cue_verb(c, q + 1, p)) {
			/* "Barkley, who said ..., said": the aside speaks for itself */
			if (!has_class(c, q + 1, STANCE_WC_RELATIVE))
				return false;
			k->src_last = q - 1;
		} else if (!names_speaker(c, q + 1)) { /* "X, speaking on radio, called" joins the cue */
			k->src_last = q - 1;
			k->cue_first = q + 1;
		} else if (head > first + 1 && is_comma_like(c, head - 1)) {
			/* "X, a Y, which Z, said": the second aside stays out */
			uint32_t outer = np_left(c, head - 2, first);
			if (outer != NONE_TOK && opens_phrase(c, outer, first)) {
				k->src_first = outer;
				k->src_last = q;
			}
		}
		return true;
	}
	uint32_t head = np_left(c, p, first);
	if (head == NONE_TOK)
		return false;
	uint32_t name = past_object(c, head, p);
	k->object_first = name != head;
	head = name;
	if (head > first + 2 && has_class(c, head - 1, STANCE_WC_STOP) && !capitalised(c, head - 1) &&
	    ends_with(c, head - 2, "ing") && !capitalised(c, head - 2)) {
		/* "an official speaking on condition of anonymity said" */
		uint32_t outer = np_left(c, head - 3, first);
		if (outer != NONE_TOK)
			head = outer;
	}
	k->src_first = head;
	k->src_last = p;
	return true;
}

static bool is_verb_form_ok(const attr_ctx *c, uint32_t first_of_cue, uint32_t first)
{
	if (first_of_cue <= first)
		return true;
	uint32_t p = first_of_cue - 1;
	return !has_class(c, p, STANCE_WC_PASSIVE | STANCE_WC_DETERMINER) && !tok_is(c, p, "to") &&
	       !is_possessive(c, p);
}

/* A headline's capitalised cue: "Graham Says Deal Is Dead". In running text a capitalised
 * title or base form between capitals belongs to a name: "the U.S. State Department". */
static bool title_case(const attr_ctx *c, uint32_t i)
{
	if (sentence_at(c, i)->heading)
		return true;
	return i > 0 && capitalised(c, i - 1) && capitalised(c, i + 1) &&
	       c->sentence_of[i - 1] == c->sentence_of[i] && !has_class(c, i, STANCE_WC_TITLE) &&
	       c->word[i]->form != STANCE_FORM_BASE;
}

/* "support", "attacks", "states" are nouns as often as verbs: as verbs they need a subject
 * that is a pronoun, a name or a plural ("critics say"), not "85 percent support". */
static bool subject_fits(const attr_ctx *c, const stance_cue_word *w, const candidate *k)
{
	uint32_t first = k->src_first, last = k->src_last, next = k->cue_last + 1;
	bool object_clause = first > 0 && (tok_is(c, first - 1, "what") ||
					   (has_class(c, first, STANCE_WC_PRONOUN) &&
					    np_word(c, first - 1) && !capitalised(c, first - 1)));
	if (object_clause) /* "what he called", "the impact it said": not a report */
		return false;
	if (!(w->classes & STANCE_WC_NOUN))
		return true;
	while (last > 0 && (is_comma_like(c, last) || tok_is(c, last, ")") || np_glue(c, last)))
		last--;
	if (has_class(c, last, STANCE_WC_PRONOUN | STANCE_WC_RELATIVE))
		return true;
	bool clause_follows = tok_is(c, next, "that") || is_quote_open(c, next) ||
			      (next < c->ntok && c->sentence_of[next] == c->sentence_of[last] &&
			       (capitalised(c, next) ||
				has_class(c, next, STANCE_WC_DETERMINER | STANCE_WC_PRONOUN)));
	if (w->form == STANCE_FORM_THIRD && w->cue.kind != STANCE_CUE_STANCE && clause_follows)
		return true; /* "A Bloomberg poll shows that ...", "the report says Clinton ..." */
	/* "Washington's view of the attack", "the chemical weapons attack" */
	if (is_possessive(c, first) || w->cue.kind == STANCE_CUE_STANCE)
		return capitalised(c, last) && !is_possessive(c, first) &&
		       !has_class(c, first, STANCE_WC_DETERMINER);
	if (capitalised(c, last)) /* but "the Tulsa protest", "in a June report" are nouns */
		return !has_class(c, first, STANCE_WC_DETERMINER) &&
		       !(first > 0 && has_class(c, first - 1, STANCE_WC_STOP) &&
			 !has_class(c, first - 1, STANCE_WC_CLAUSE));
	return ends_with(c, last, "s") && w->form == STANCE_FORM_BASE;
}

/* The subject that opens the sentence, for a cue whose own subject is that of the clause:
 * "Trump lashed out, saying ...". */
static bool clause_subject(const attr_ctx *c, candidate *k, uint32_t first, uint32_t cue)
{
	uint32_t a = first;
	while (a < cue && capitalised(c, a) && has_class(c, a, STANCE_WC_CLAUSE | STANCE_WC_STOP) &&
	       !has_class(c, a, STANCE_WC_PRONOUN))
		a++;
	uint32_t e = a;
	if (capitalised(c, a) && !has_class(c, a, STANCE_WC_DETERMINER)) {
		/* a name ends with its capitals: "Carson | took the stage" */
		while (e + 1 < cue && (capitalised(c, e + 1) || np_glue(c, e + 1)))
			e++;
	} else {
		e = np_right(c, a, cue - 1, false);
	}
	if (e == NONE_TOK || e + 1 >= cue || tok_is(c, e + 1, ",") || ends_with(c, e, "'s"))
		return false;
	k->src_first = a;
	k->src_last = e;
	return true;
}

/* Reads the cue at token i and its speaker into k; prev is the sentence's previous candidate. */
static bool find_candidate(attr_ctx *c, uint32_t i, candidate *k, const candidate *prev)
{
	const stance_cue_word *w = c->word[i];
	if (!w || !w->is_cue || c->quote_of[i] >= 0 ||
	    (capitalised(c, i) && !title_case(c, i) && w->cue.kind != STANCE_CUE_SOURCE))
		return false;
	if (tok_is(c, i + 1, "to") &&
	    (strcmp(w->cue.lemma, "add") == 0 || strcmp(w->cue.lemma, "point") == 0))
		return false; /* "added to", "pointed to": not reporting */
	if (w->cue.kind == STANCE_CUE_STANCE &&
	    (tok_is(c, i + 1, "away") || tok_is(c, i + 1, "off") || tok_is(c, i + 1, "down")))
		return false; /* "backed away from": no stance toward anyone */
	const stance_sentence *s = sentence_at(c, i);
	uint32_t first = s->tok_begin, last = s->tok_end - 1;
	*k = (candidate){.cue = &w->cue, .cue_first = i, .cue_last = i, .src_first = NONE_TOK,
			 .src_last = NONE_TOK, .speaker = STANCE_NONE};
	if (w->cue.kind == STANCE_CUE_SOURCE)
		return according_to(c, k, i, first, last);
	bool coordinated = i > first + 1 && (tok_is(c, i - 1, "and") || tok_is(c, i - 1, "but"));
	if (w->form == STANCE_FORM_GERUND || (coordinated && w->form == STANCE_FORM_PAST)) {
		/* "..., adding that", "agreed ..., but stressed that": the clause's speaker goes on */
		if (i == first || (!tok_is(c, i - 1, ",") && !coordinated))
			return false;
		if (!prev)
			return clause_subject(c, k, first, i);
		k->src_first = prev->src_first;
		k->src_last = prev->src_last;
		k->speaker = prev->speaker;
		return prev->src_first != NONE_TOK;
	}
	while (k->cue_first > first && is_cue_adverb(c, k->cue_first - 1))
		k->cue_first--;
	if (!is_verb_form_ok(c, k->cue_first, first))
		return false;
	uint32_t p = k->cue_first > first ? k->cue_first - 1 : NONE_TOK;
	if (p == NONE_TOK && first > 0 && is_quote_close(c, first - 1))
		p = first - 1; /* the segmenter ended the sentence inside '"Go." said he' */
	if (inverted_tag(c, p, p == first - 1 ? p : first)) {
		k->tag = true;
		return w->cue.kind == STANCE_CUE_SPEECH && source_after_cue(c, k, last, true);
	}
	if (reported_inverted_tag(c, w, p, first) && source_after_cue(c, k, last, true) &&
	    closes_sentence(c, k->src_last + 1)) {
		k->tag = true;
		return true;
	}
	k->source_after = false;
	if (p == NONE_TOK || !source_before_cue(c, k, first) || !subject_fits(c, w, k))
		return false;
	k->tag = k->object_first || (follows_content(c, k->src_first) && ends_tag(c, k));
	return true;
}

/* --- content --- */

/* Drops the sentence's closing punctuation and the "and"/", while" that joins the next
 * clause, but never a mark inside a quotation ('"... ships."'). e is exclusive. */
static uint32_t trim_end(const attr_ctx *c, uint32_t a, uint32_t e)
{
	while (e > a + 1) {
		uint32_t t = e - 1;
		bool joiner = (is_kind(c, t, STANCE_TOK_PUNCT) && !tok_is(c, t, ")")) ||
			      (has_class(c, t, STANCE_WC_CLAUSE) && !capitalised(c, t));
		if (c->quote_of[t] >= 0 || !joiner)
			break;
		e--;
	}
	return e;
}

/* A quotation that opens inside [a, e) and closes after it carries the content to its close. */
static uint32_t extend_to_quote(const attr_ctx *c, uint32_t a, uint32_t e)
{
	for (uint32_t t = a; t < e; t++)
		if (is_quote_open(c, t) && c->quotes[c->quote_of[t]].close >= e)
			return c->quotes[c->quote_of[t]].close + 1;
	return e;
}

static uint32_t skip_colons(const attr_ctx *c, uint32_t a, uint32_t limit)
{
	while (a < limit && (tok_is(c, a, ",") || tok_is(c, a, ":")))
		a++;
	return a;
}

/* "said in a statement that", "boasted in an interview with Fox that": the "that" after a
 * prepositional phrase, or a when there is none. */
static uint32_t circumstance_end(const attr_ctx *c, uint32_t a, uint32_t limit)
{
	bool preposition = tok_is(c, a, "in") || tok_is(c, a, "during") || tok_is(c, a, "at") ||
			   tok_is(c, a, "on") || tok_is(c, a, "with");
	if (!preposition)
		return a;
	for (uint32_t t = a + 1; t < limit && t - a <= 8; t++) {
		if (tok_is(c, t, "that"))
			return t;
		bool inside = np_word(c, t) || has_class(c, t, STANCE_WC_NP_PREPOSITION) ||
			      tok_is(c, t, "with") || tok_is(c, t, "on") || tok_is(c, t, "in");
		if (!inside)
			return a;
	}
	return a;
}

/* "X said [that] ...", "X told reporters ...", "According to X, ...": tokens [*first, *last]. */
static bool content_after(const attr_ctx *c, candidate *k, uint32_t limit, uint32_t *first,
			  uint32_t *last)
{
	uint32_t a = k->source_after ? k->src_last + 1 : k->cue_last + 1;
	a = skip_colons(c, a, limit);
	if (has_class(c, k->cue_last, STANCE_WC_ADDRESSEE)) {
		a = skip_colons(c, skip_addressee(c, a, limit), limit);
	} else if (!k->source_after) {
		uint32_t that = circumstance_end(c, a, limit);
		if (that != a) { /* the circumstance joins the cue, as PolNeAR marks it */
			k->cue_last = that - 1;
			a = that;
		}
	}
	if (a >= limit) { /* "X said:" closing a paragraph, the quotation opening the next */
		if (a == 0 || !tok_is(c, a - 1, ":") || !is_quote_open(c, a))
			return false;
		*first = a;
		*last = c->quotes[c->quote_of[a]].close;
		return true;
	}
	uint32_t e = extend_to_quote(c, a, limit);
	if (e == limit)
		e = trim_end(c, a, e);
	if (e == a + 1 && is_kind(c, a, STANCE_TOK_PUNCT))
		return false; /* "Mr. King agreed." says nothing */
	*first = a;
	*last = e - 1;
	return true;
}

/* '"...," X said', 'The talks failed, X said', '..., according to X'. A second quotation
 * right after the tag ('"A," he said, "B."') belongs to the same content. */
static bool content_before(const attr_ctx *c, const candidate *k, uint32_t *first, uint32_t *last)
{
	uint32_t t = k->source_after ? k->cue_first : k->src_first;
	if (t == 0)
		return false;
	uint32_t b = t - 1;
	if (tok_is(c, b, ",") && b > 0)
		b--;
	if (is_quote_close(c, b)) {
		*first = c->quotes[c->quote_of[b]].open;
	} else {
		const stance_sentence *s = sentence_at(c, t);
		if (b < s->tok_begin || b == NONE_TOK)
			return false;
		*first = s->tok_begin;
		b = trim_end(c, *first, b + 1) - 1;
	}
	*last = b;
	uint32_t end = k->source_after ? k->src_last : k->cue_last;
	uint32_t j = end + 1;
	while (j < c->ntok && j - end < 8 && c->sentence_of[j] == c->sentence_of[end] &&
	       !tok_is(c, j, ",") && !ends_sentence(c, j) && c->quote_of[j] < 0)
		j++;
	if (tok_is(c, j, ",") && is_quote_open(c, j + 1) &&
	    !(c->tok[j + 1].flags & STANCE_TOKF_PARAGRAPH_BEFORE)) {
		*last = c->quotes[c->quote_of[j + 1]].close;
	} else if (tok_is(c, j, ",") && j == end + 1 && !is_quote_close(c, b) &&
		   c->sentence_of[j + 1] == c->sentence_of[j] && !is_participle(c, j + 1)) {
		/* "The test, North Korea said, was its biggest": the tag sits inside */
		const stance_sentence *s = sentence_at(c, j);
		*last = trim_end(c, j + 1, s->tok_end) - 1;
	}
	return true;
}

static uint8_t content_kind(const attr_ctx *c, const candidate *k, uint32_t first, uint32_t last)
{
	if (is_quote_open(c, first) && is_quote_close(c, last))
		return STANCE_ATTR_DIRECT;
	for (uint32_t t = first; t <= last; t++)
		if (c->quote_of[t] >= 0)
			return STANCE_ATTR_PARTIAL; /* 'decrying the "vicious slaughter"' quotes too */
	return k->cue->kind == STANCE_CUE_STANCE ? STANCE_ATTR_STANCE : STANCE_ATTR_REPORTED;
}

/* --- speakers --- */

static stance_span tok_span(const attr_ctx *c, uint32_t first, uint32_t last)
{
	return (stance_span){c->tok[first].start, c->tok[last].end};
}

/* In any case: a sentence may open with "Al-Rashid" or "De Souza". */
static bool span_equal(const attr_ctx *c, stance_span a, stance_span b)
{
	return a.end - a.start == b.end - b.start &&
	       strncasecmp(c->doc->text + a.start, c->doc->text + b.start, a.end - a.start) == 0;
}

typedef struct alias_hit {
	uint32_t first, last;
	const stance_alias *alias;
} alias_hit;

/* The alias written as the bytes [start, end), also without a possessive "'s". */
static const stance_alias *alias_at(const attr_ctx *c, uint32_t start, uint32_t end)
{
	const stance_gazetteer *gz = c->models->gazetteer;
	const char *s = c->doc->text + start;
	size_t n = end - start;
	const stance_alias *a = stance_gazetteer_find(gz, s, n);
	if (!a && n > 2 && memcmp(s + n - 2, "'s", 2) == 0)
		a = stance_gazetteer_find(gz, s, n - 2);
	return a;
}

/* The first, longest gazetteer alias among tokens [a, b]. */
static bool find_alias(const attr_ctx *c, uint32_t a, uint32_t b, alias_hit *hit)
{
	size_t max_words = stance_gazetteer_max_words(c->models->gazetteer);
	for (uint32_t t = a; t <= b; t++) {
		if (!capitalised(c, t))
			continue;
		size_t longest = b - t + 1 < max_words ? b - t + 1 : max_words;
		for (uint32_t e = t + (uint32_t)longest; e-- > t;) {
			const stance_alias *al = alias_at(c, c->tok[t].start, c->tok[e].end);
			if (!al && t > a && tok_is(c, t - 1, "the"))
				al = alias_at(c, c->tok[t - 1].start, c->tok[e].end);
			if (al) {
				*hit = (alias_hit){t, e, al};
				return true;
			}
		}
	}
	return false;
}

static int32_t gazetteer_person_party(const attr_ctx *c, stance_span name)
{
	const stance_alias *a = alias_at(c, name.start, name.end);
	return a && a->kind == STANCE_MENTION_PERSON ? a->actor : STANCE_NONE;
}

static int32_t add_person(attr_ctx *c, const person *p)
{
	person *slot = stance_arena_push(c->doc->arena, (void **)&c->people, &c->npeople,
					 &c->people_cap, sizeof(*slot));
	if (!slot)
		return STANCE_NONE;
	*slot = *p;
	return (int32_t)(c->npeople - 1);
}

static size_t recent_start(const attr_ctx *c)
{
	return c->npeople > RECENT_PEOPLE ? c->npeople - RECENT_PEOPLE : 0;
}

static int32_t find_by_key(const attr_ctx *c, uint8_t kind, stance_span key)
{
	for (size_t i = c->npeople; i-- > recent_start(c);)
		if (c->people[i].kind == kind && span_equal(c, c->people[i].key, key))
			return (int32_t)i;
	return STANCE_NONE;
}

/* The person named by tokens [first, last]: found by surname, else new. */
static int32_t person_named(attr_ctx *c, uint32_t first, uint32_t last, int32_t party,
			    stance_span title)
{
	stance_span name = tok_span(c, first, last), key = tok_span(c, last, last);
	if (name.end - name.start > NAME_MAX_BYTES)
		return STANCE_NONE;
	int32_t i = find_by_key(c, STANCE_ENTITY_PERSON, key);
	if (i != STANCE_NONE) {
		person *p = &c->people[i];
		if (name.end - name.start > p->name.end - p->name.start)
			p->name = name;
		if (p->party == STANCE_NONE)
			p->party = party != STANCE_NONE ? party : gazetteer_person_party(c, name);
		if (p->title.end == p->title.start)
			p->title = title;
		return i;
	}
	if (party == STANCE_NONE)
		party = gazetteer_person_party(c, name);
	if (party == STANCE_NONE)
		party = gazetteer_person_party(c, key);
	/* "Mr." and "Mrs." stand right before the name */
	uint8_t gender = first == 0 || title.end <= title.start ? GENDER_UNKNOWN
			 : has_class(c, first - 1, STANCE_WC_MALE)     ? GENDER_MALE
			 : has_class(c, first - 1, STANCE_WC_FEMALE)   ? GENDER_FEMALE
								       : GENDER_UNKNOWN;
	person p = {.name = name, .key = key, .title = title, .party = party,
		    .entity = STANCE_NONE, .kind = STANCE_ENTITY_PERSON, .gender = gender};
	return add_person(c, &p);
}

/* A body ("Kremlin", "Clinton campaign") or an unnamed source, keyed by its whole name. */
static int32_t body_named(attr_ctx *c, uint8_t kind, stance_span name, int32_t party)
{
	if (name.end - name.start > NAME_MAX_BYTES)
		return STANCE_NONE;
	int32_t i = find_by_key(c, kind, name);
	if (i != STANCE_NONE) {
		if (c->people[i].party == STANCE_NONE)
			c->people[i].party = party;
		return i;
	}
	person p = {.name = name, .key = name, .party = party, .entity = STANCE_NONE, .kind = kind};
	return add_person(c, &p);
}

static bool memmem_icase(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, word, k) == 0)
			return true;
	return false;
}

static bool title_has_word(const attr_ctx *c, stance_span title, uint32_t word)
{
	size_t n;
	const char *w = tok_text(c, word, &n);
	const char *t = c->doc->text + title.start;
	size_t tn = title.end - title.start;
	for (size_t i = 0; i + n <= tn; i++)
		if ((i == 0 || t[i - 1] == ' ') && (i + n == tn || t[i + n] == ' ') &&
		    strncasecmp(t + i, w, n) == 0)
			return true;
	return false;
}

/* Whether a person introduced with title fits the description's head noun: "the
 * president", "the minister"; a "leader" is a head of state or government. */
static bool title_fits(const attr_ctx *c, stance_span title, uint32_t head)
{
	static const char *const leaders[] = {"president", "prime", "premier", "chancellor", "king",
					      "queen", "leader"};
	if (!tok_is(c, head, "leader"))
		return title_has_word(c, title, head);
	const char *t = c->doc->text + title.start;
	size_t n = title.end - title.start;
	for (size_t w = 0; w < STANCE_ARRAY_LEN(leaders); w++)
		if (memmem_icase(t, n, leaders[w]))
			return true;
	return false;
}

/* "the president", "the US leader": the most recent person whose title fits, else the most
 * recent of the party named. */
static int32_t person_described(const attr_ctx *c, uint32_t head, int32_t party)
{
	int32_t of_party = STANCE_NONE;
	for (size_t i = c->npeople; i-- > recent_start(c);) {
		const person *p = &c->people[i];
		if (p->kind != STANCE_ENTITY_PERSON || (party != STANCE_NONE && p->party != party))
			continue;
		if (title_fits(c, p->title, head))
			return (int32_t)i;
		if (of_party == STANCE_NONE && party != STANCE_NONE)
			of_party = (int32_t)i;
	}
	return of_party;
}

/* Whether the name ends with the word of token t, in any case: "Foreign Ministry", "ministry". */
static bool name_ends_with_word(const attr_ctx *c, stance_span name, uint32_t t)
{
	size_t n;
	const char *w = tok_text(c, t, &n);
	size_t len = name.end - name.start;
	const char *end = c->doc->text + name.end - n;
	return len > n && end[-1] == ' ' && strncasecmp(end, w, n) == 0;
}

/* "the ministry", "the agency": the most recent body whose name ends with the head noun
 * ("the Foreign Ministry"), unless it names another party. */
static int32_t institution_described(const attr_ctx *c, uint32_t head, int32_t party)
{
	for (size_t i = c->npeople; i-- > recent_start(c);) {
		const person *p = &c->people[i];
		if (p->kind == STANCE_ENTITY_INSTITUTION && name_ends_with_word(c, p->name, head) &&
		    (party == STANCE_NONE || p->party == party))
			return (int32_t)i;
	}
	return STANCE_NONE;
}

static int32_t resolve_pronoun(attr_ctx *c, uint32_t t)
{
	bool it = tok_is(c, t, "it") || tok_is(c, t, "It");
	uint8_t unwanted = has_class(c, t, STANCE_WC_FEMALE) ? GENDER_MALE
			   : has_class(c, t, STANCE_WC_MALE) ? GENDER_FEMALE
							       : GENDER_UNKNOWN;
	if (!it && unwanted == GENDER_UNKNOWN)
		return STANCE_NONE; /* "they", "I", "we": no single speaker to name */
	int32_t best = STANCE_NONE;
	for (size_t i = c->npeople; i-- > recent_start(c);) {
		const person *p = &c->people[i];
		bool fits = it ? p->kind == STANCE_ENTITY_INSTITUTION
			       : p->kind == STANCE_ENTITY_PERSON && p->gender != unwanted;
		if (fits && p->seen && (best == STANCE_NONE || p->seen > c->people[best].seen))
			best = (int32_t)i;
	}
	if (best != STANCE_NONE && !it)
		c->people[best].gender = unwanted == GENDER_MALE ? GENDER_FEMALE : GENDER_MALE;
	return best;
}

typedef struct part_info {
	uint32_t text_first, head;       /* after the determiner; the head noun */
	uint32_t name_first, name_last;  /* a person's name, NONE_TOK when none */
	int32_t party;                   /* the first actor the part names */
	uint8_t kind;                    /* stance_entity_kind */
	bool definite;
	uint32_t possessor;              /* "X's spokesman": the token of X, or NONE_TOK */
} part_info;

/* The head region ends before the first lower-case function word: "Paul Krugman | of the
 * Times", "the US ambassador | to the UN". A region of titles alone reads through "of":
 * "Secretary of State John Kerry". */
static uint32_t head_end(const attr_ctx *c, uint32_t a, uint32_t b)
{
	uint32_t end = a;
	bool titles_only = true;
	for (uint32_t t = a; t <= b; t++) {
		bool function_word = !capitalised(c, t) &&
				     has_class(c, t, STANCE_WC_STOP | STANCE_WC_NP_PREPOSITION);
		if (function_word && !(titles_only && has_class(c, t, STANCE_WC_NP_PREPOSITION)))
			break;
		if (t > a && is_participle(c, t) && !has_class(c, t - 1, STANCE_WC_DETERMINER))
			break; /* "an official | speaking on condition of anonymity" */
		if (!function_word && !np_glue(c, t) && !has_class(c, t, STANCE_WC_TITLE))
			titles_only = false;
		end = t;
	}
	while (end > a && (np_glue(c, end) || !is_kind(c, end, STANCE_TOK_WORD)))
		end--;
	return end;
}

static void parse_part(const attr_ctx *c, uint32_t a, uint32_t b, part_info *info)
{
	*info = (part_info){.name_first = NONE_TOK, .name_last = NONE_TOK, .party = STANCE_NONE,
			    .kind = STANCE_ENTITY_ANONYMOUS, .possessor = NONE_TOK};
	uint32_t j = a;
	info->definite = !has_class(c, j, STANCE_WC_INDEFINITE);
	if (j < b && has_class(c, j, STANCE_WC_DETERMINER))
		j++;
	info->text_first = j;
	alias_hit hit = {0};
	bool has_alias = find_alias(c, j, b, &hit);
	if (has_alias)
		info->party = hit.alias->actor;
	uint32_t head = info->head = head_end(c, j, b);
	for (uint32_t t = j; t < head; t++)
		if (is_possessive(c, t) && capitalised(c, t))
			info->possessor = t;
	if (has_class(c, head, STANCE_WC_INSTITUTION) ||
	    (has_alias && hit.last == head && hit.alias->kind != STANCE_MENTION_PERSON)) {
		info->kind = STANCE_ENTITY_INSTITUTION;
		return;
	}
	if (!capitalised(c, head) && !particle_surname(c, head))
		return;
	uint32_t n0 = head;
	while (n0 > j && (name_word(c, n0 - 1) || np_glue(c, n0 - 1)) && !is_possessive(c, n0 - 1))
		n0--;
	/* The name is what follows the last title or party in the run: "Ukrainian Farm Minister
	 * | Ana Lopez", "U.S. State Department spokesman | Tom Hale". */
	for (uint32_t t = n0; t < head; t++) {
		if (has_alias && hit.first == t && hit.alias->kind != STANCE_MENTION_PERSON)
			t = hit.last;
		else if (!has_class(c, t, STANCE_WC_TITLE))
			continue;
		n0 = t + 1;
	}
	while (n0 < head && np_glue(c, n0))
		n0++;
	if (has_class(c, n0, STANCE_WC_TITLE) && n0 == head)
		return; /* "the President": a description */
	info->kind = STANCE_ENTITY_PERSON;
	info->name_first = n0;
	info->name_last = head;
}

/* Splits [a, b] at appositions and resolves the speaker it names. */
static int32_t resolve_phrase(attr_ctx *c, uint32_t a, uint32_t b)
{
	part_info first_part = {0}, named = {.name_first = NONE_TOK};
	int32_t party = STANCE_NONE;
	uint32_t named_start = a;
	bool have_first = false;
	for (uint32_t start = a, t = a; t <= b + 1; t++) {
		bool split = t > b || is_comma_like(c, t) || tok_is(c, t, "(") || tok_is(c, t, ")");
		if (!split)
			continue;
		if (t > start) {
			part_info info;
			parse_part(c, start, t - 1, &info);
			if (party == STANCE_NONE)
				party = info.party;
			if (named.name_first == NONE_TOK && info.name_first != NONE_TOK) {
				named = info;
				named_start = start;
			}
			if (!have_first)
				first_part = info;
			have_first = true;
		}
		start = t + 1;
	}
	if (!have_first)
		return STANCE_NONE;
	if (named.name_first != NONE_TOK) {
		stance_span title = named.name_first > named_start
					    ? tok_span(c, named_start, named.name_first - 1)
					    : (stance_span){0, 0};
		if (title.end == title.start && named_start != a)
			title = tok_span(c, first_part.text_first, first_part.head);
		return person_named(c, named.name_first, named.name_last, party, title);
	}
	stance_span name = tok_span(c, first_part.text_first, first_part.head);
	if (first_part.kind == STANCE_ENTITY_INSTITUTION) {
		int32_t body = first_part.definite && !capitalised(c, first_part.head)
				       ? institution_described(c, first_part.head, party)
				       : STANCE_NONE;
		return body != STANCE_NONE ? body
					   : body_named(c, STANCE_ENTITY_INSTITUTION, name, party);
	}
	if (first_part.possessor != NONE_TOK) {
		int32_t owner = find_by_key(c, STANCE_ENTITY_PERSON,
					    tok_span(c, first_part.possessor, first_part.possessor));
		if (party == STANCE_NONE && owner != STANCE_NONE)
			party = c->people[owner].party;
	} else if (first_part.definite) {
		int32_t p = person_described(c, first_part.head, party);
		if (p != STANCE_NONE)
			return p;
	}
	return body_named(c, STANCE_ENTITY_ANONYMOUS, name, party);
}

static int32_t resolve_speaker(attr_ctx *c, const candidate *k)
{
	uint32_t a = k->src_first, b = k->src_last;
	if (a == NONE_TOK)
		return STANCE_NONE;
	if (a == b && has_class(c, a, STANCE_WC_PRONOUN))
		return resolve_pronoun(c, a);
	if (a == b && has_class(c, a, STANCE_WC_RELATIVE)) {
		const stance_sentence *s = sentence_at(c, a);
		uint32_t e = a >= 2 && is_comma_like(c, a - 1) ? a - 2 : NONE_TOK;
		uint32_t h = np_left(c, e, s->tok_begin);
		return h == NONE_TOK ? STANCE_NONE : resolve_phrase(c, h, e);
	}
	while (b > a && (is_comma_like(c, b) || !is_kind(c, b, STANCE_TOK_WORD)))
		b--;
	return resolve_phrase(c, a, b);
}

static int32_t speaker_entity(attr_ctx *c, int32_t speaker)
{
	if (speaker == STANCE_NONE)
		return STANCE_NONE;
	person *p = &c->people[speaker];
	if (p->entity == STANCE_NONE) {
		if (!STANCE_PUSH(c->doc, entities))
			return -2;
		p->entity = (int32_t)(c->doc->nentities - 1);
	}
	return p->entity;
}

/* Names and parties settle only once the whole article is read: "Trump" may be introduced
 * as "President Donald Trump" later on. */
static int name_entities(attr_ctx *c)
{
	for (size_t i = 0; i < c->npeople; i++) {
		const person *p = &c->people[i];
		if (p->entity == STANCE_NONE)
			continue;
		stance_entity *e = &c->doc->entities[p->entity];
		e->name = stance_arena_strndup(c->doc->arena, c->doc->text + p->name.start,
					       p->name.end - p->name.start);
		e->party = p->party;
		e->kind = p->kind;
		if (!e->name)
			return -1;
	}
	return 0;
}

/* --- the stage --- */

static int add_attribution(attr_ctx *c, const candidate *k, uint32_t first, uint32_t last,
			   uint8_t kind)
{
	int32_t entity = speaker_entity(c, k->speaker);
	stance_attribution *a = entity == -2 ? NULL : STANCE_PUSH(c->doc, attributions);
	if (!a)
		return -1;
	if (k->src_first != NONE_TOK)
		a->source = tok_span(c, k->src_first, k->src_last);
	if (k->cue)
		a->cue = tok_span(c, k->cue_first, k->cue_last);
	a->content = tok_span(c, first, last);
	a->entity = entity;
	a->polarity = k->cue ? k->cue->polarity : 0;
	a->kind = kind;
	for (uint32_t t = first; t <= last; t++)
		if (c->quote_of[t] >= 0)
			c->quote_used[c->quote_of[t]] = true;
	return 0;
}

/* Where the content of cands[j] must stop: before the next candidate's speaker or cue. */
static uint32_t next_start(const candidate *cands, size_t n, size_t j, uint32_t end)
{
	if (j + 1 >= n)
		return end;
	const candidate *next = &cands[j + 1];
	uint32_t start = next->cue_first;
	if (next->src_first != NONE_TOK && next->src_first < start &&
	    next->src_first > cands[j].cue_last)
		start = next->src_first;
	return start < end ? start : end;
}

/* The end of the run of capitals and titles from a: "Canadian Prime Minister Mark Olsen". */
static uint32_t name_run_end(const attr_ctx *c, uint32_t a, uint32_t last)
{
	uint32_t e = a;
	while (e + 1 <= last && (name_word(c, e + 1) || np_glue(c, e + 1) ||
				 has_class(c, e + 1, STANCE_WC_TITLE)) &&
	       !ends_with(c, e, "'s") && c->quote_of[e + 1] < 0)
		e++;
	return e;
}

/* A person met by name before speaking: the subject that opens the sentence ("Mark Olsen met
 * ...", a candidate for a later "he") and anyone named in full ("by Farm Minister Ana Lopez"),
 * so that a later "Lopez" takes the full name and its party. */
static void register_names(attr_ctx *c, const stance_sentence *s)
{
	uint32_t last = s->tok_end - 1;
	for (uint32_t t = s->tok_begin; t <= last; t++) {
		if (!capitalised(c, t) || c->quote_of[t] >= 0 || !np_word(c, t) ||
		    has_class(c, t, STANCE_WC_PRONOUN | STANCE_WC_DETERMINER))
			continue;
		bool opens = t == s->tok_begin;
		/* "President Adam Nowak", "secretary of state Rex Tillerson" */
		bool titled = has_class(c, t, STANCE_WC_TITLE) ||
			      (t > s->tok_begin && has_class(c, t - 1, STANCE_WC_TITLE));
		uint32_t e = name_run_end(c, t, last);
		part_info info;
		parse_part(c, t, e, &info);
		bool verb_follows = e < last && is_kind(c, e + 1, STANCE_TOK_WORD) &&
				    !capitalised(c, e + 1) && !is_possessive(c, e);
		bool full_name = info.name_first != NONE_TOK && info.name_last > info.name_first;
		if (info.kind == STANCE_ENTITY_PERSON && info.name_first != NONE_TOK &&
		    (opens ? verb_follows || e > t : titled || full_name)) {
			stance_span title = info.name_first > t ? tok_span(c, t, info.name_first - 1)
								 : (stance_span){0, 0};
			int32_t p = person_named(c, info.name_first, info.name_last, info.party, title);
			if (p != STANCE_NONE && opens && verb_follows)
				c->people[p].seen = ++c->clock;
		}
		t = e;
	}
}

/* "Graham: Trump's rhetoric destroying GOP": a headline's speaker before a colon. */
static bool headline_speaker(attr_ctx *c, const stance_sentence *s, candidate *k)
{
	uint32_t a = is_quote_open(c, s->tok_begin) ? s->tok_begin + 1 : s->tok_begin;
	/* "WALLACE: Let's start ..." in a transcript */
	bool label = a < s->tok_end && (c->tok[a].flags & STANCE_TOKF_ALLCAPS) && tok_is(c, a + 1, ":");
	if (!label && !s->heading && s->paragraph != 0)
		return false;
	const stance_cue *say = c->say;
	for (uint32_t t = a + 1; say && t < s->tok_end && t - a <= 5; t++) {
		if (!tok_is(c, t, ":"))
			continue;
		if ((!label && np_left(c, t - 1, a) != a) || t + 1 >= s->tok_end)
			return false;
		*k = (candidate){.cue = say, .cue_first = t, .cue_last = t, .src_first = a,
				 .src_last = t - 1, .speaker = STANCE_NONE};
		k->speaker = resolve_speaker(c, k);
		return true;
	}
	return false;
}

/* '"..." -- Sonya Herridge' ending a line: a quotation signed with a dash. */
static bool signed_quote(attr_ctx *c, uint32_t i, candidate *k)
{
	if (!tok_is(c, i, "--") || i == 0 || !is_quote_close(c, i - 1) || !capitalised(c, i + 1))
		return false;
	const stance_sentence *s = sentence_at(c, i);
	uint32_t last = s->tok_end - 1, e = name_run_end(c, i + 1, last);
	bool line_ends = e == last || ends_sentence(c, e + 1) ||
			 (c->tok[e + 1].flags & STANCE_TOKF_NEWLINE_BEFORE);
	const stance_cue *say = c->say;
	if (!line_ends || !say)
		return false;
	*k = (candidate){.cue = say, .cue_first = i, .cue_last = i, .src_first = i + 1, .src_last = e,
			 .speaker = STANCE_NONE, .source_after = true, .tag = true};
	return true;
}

/* After "X said", another speaker needs a clause of its own ("..., while Y warned"): "X
 * said Y told him" reports Y inside X's words. */
static bool opens_clause(const attr_ctx *c, const candidate *k, const candidate *prev)
{
	if (prev->tag || prev->cue->kind == STANCE_CUE_SOURCE)
		return true;
	bool own_source = k->src_first != NONE_TOK && k->src_first < k->cue_first &&
			  k->src_first > prev->cue_last;
	uint32_t start = own_source ? k->src_first : k->cue_first;
	return start > 0 && (has_class(c, start - 1, STANCE_WC_CLAUSE) || tok_is(c, start - 1, ",") ||
			     tok_is(c, start - 1, ";") || tok_is(c, start - 1, "--"));
}

static int attribute_sentence(attr_ctx *c, const stance_sentence *s)
{
	register_names(c, s);
	candidate cands[MAX_CANDIDATES];
	size_t n = headline_speaker(c, s, &cands[0]) ? 1 : 0;
	while (c->next_cue < c->ncue_tokens && c->cue_tokens[c->next_cue] < s->tok_begin)
		c->next_cue++;
	uint32_t from = s->tok_begin; /* a speaker after its cue is no cue of its own */
	for (size_t q = c->next_cue; q < c->ncue_tokens && n < MAX_CANDIDATES; q++) {
		uint32_t i = c->cue_tokens[q];
		if (i >= s->tok_end)
			break;
		if (i < from)
			continue;
		candidate *k = &cands[n];
		bool found = signed_quote(c, i, k) || (find_candidate(c, i, k, n ? &cands[n - 1] : NULL) &&
							(!n || opens_clause(c, k, &cands[n - 1])));
		if (!found)
			continue;
		if (k->speaker == STANCE_NONE)
			k->speaker = resolve_speaker(c, k);
		if (k->speaker != STANCE_NONE)
			c->people[k->speaker].seen = ++c->clock;
		if (k->source_after)
			from = k->src_last + 1;
		n++;
	}
	for (size_t j = 0; j < n; j++) {
		candidate *k = &cands[j];
		uint32_t first, last;
		bool found = k->tag ? content_before(c, k, &first, &last)
				    : content_after(c, k, next_start(cands, n, j, s->tok_end), &first,
						    &last);
		if (found && add_attribution(c, k, first, last, content_kind(c, k, first, last)) != 0)
			return -1;
	}
	return 0;
}

/* The token that holds byte offset pos (tokens are in text order). */
static uint32_t token_at(const attr_ctx *c, uint32_t pos)
{
	uint32_t lo = 0, hi = c->ntok;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (c->tok[mid].start <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The last token of an attribution, whichever of its spans ends last. */
static uint32_t attribution_end(const attr_ctx *c, const stance_attribution *a)
{
	uint32_t end = a->content.end;
	if (a->cue.end > end)
		end = a->cue.end;
	if (a->source.end > end)
		end = a->source.end;
	return token_at(c, end - 1);
}

/* A quotation standing as its own sentence, with no cue. Right after an attribution in the
 * same paragraph it continues that content ('"A," she said. "B."'), as PolNeAR marks it;
 * otherwise it is the same speaker's when that speaker spoke in the previous paragraph. */
static int attribute_lone_quotes(attr_ctx *c)
{
	size_t a = 0, nattr = c->doc->nattributions, latest = SIZE_MAX;
	for (size_t q = 0; q < c->nquotes; q++) {
		uint32_t open = c->quotes[q].open, close = c->quotes[q].close;
		for (; a < nattr && c->doc->attributions[a].content.start < c->tok[open].start; a++)
			latest = a;
		const stance_sentence *s = sentence_at(c, open);
		if (c->quote_used[q] || open != s->tok_begin || latest == SIZE_MAX)
			continue;
		stance_attribution *prev = &c->doc->attributions[latest];
		uint32_t end = attribution_end(c, prev);
		uint32_t paragraph = sentence_at(c, end)->paragraph;
		if (paragraph == s->paragraph && c->sentence_of[end] + 1 == c->sentence_of[open]) {
			prev->content.end = c->tok[close].end;
			continue;
		}
		int32_t speaker = prev->entity;
		if (speaker == STANCE_NONE || s->paragraph > paragraph + 1)
			continue;
		stance_attribution *at = STANCE_PUSH(c->doc, attributions);
		if (!at)
			return -1;
		at->content = tok_span(c, open, close);
		at->entity = speaker;
		at->kind = STANCE_ATTR_DIRECT;
	}
	return 0;
}

static int prepare(attr_ctx *c, stance_doc *doc, const stance_models *models)
{
	*c = (attr_ctx){.doc = doc, .models = models, .tok = doc->tokens,
			.ntok = (uint32_t)doc->ntokens};
	size_t n = doc->ntokens ? doc->ntokens : 1;
	c->say = stance_cues_find(models->cues, "say", 3);
	c->word = stance_arena_alloc(doc->arena, n * sizeof(*c->word));
	c->quote_of = stance_arena_alloc(doc->arena, n * sizeof(*c->quote_of));
	c->cue_tokens = stance_arena_alloc(doc->arena, n * sizeof(*c->cue_tokens));
	c->sentence_of = stance_arena_calloc(doc->arena, n, sizeof(*c->sentence_of));
	if (!c->word || !c->quote_of || !c->sentence_of || !c->cue_tokens)
		return -1;
	classify_tokens(c);
	if (pair_quotes(c) != 0)
		return -1;
	c->quote_used = stance_arena_calloc(doc->arena, c->nquotes + 1, sizeof(*c->quote_used));
	return c->quote_used ? 0 : -1;
}

int stance_attribute(stance_doc *doc, const stance_models *models, stance_error *err)
{
	if (doc->ntokens > UINT32_MAX - 1)
		return stance_fail(err, STANCE_EDATA, "%s: too many tokens", doc->id);
	attr_ctx c;
	int rc = prepare(&c, doc, models);
	for (size_t s = 0; !rc && s < doc->nsentences; s++)
		rc = attribute_sentence(&c, &doc->sentences[s]);
	if (!rc)
		rc = attribute_lone_quotes(&c);
	if (!rc)
		rc = name_entities(&c);
	if (rc)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", doc->id);
	return STANCE_OK;
}
