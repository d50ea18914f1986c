/* Stage 4, actors: mentions of parties, found by matching the gazetteer's aliases against the
 * words of each sentence, longest match first.
 *
 * Candidates are consecutive pieces of words, looked up where they stand in the text when it
 * joins them as below, else copied into a stack buffer: a piece is a whole token or one part of
 * a hyphenated one, so "US-backed", "pro-Russian", "anti-American" and
 * "Russian-drafted" name their party (with the alias's own kind: NAME for "US", DEMONYM for
 * "Russian") while "Guinea-Bissau" still matches whole. Pieces are joined as written: a single
 * space between words (whatever the white space), nothing between "U.S" and an adjacent ".",
 * a hyphen inside a token. A trailing "'s" is tried off ("Russia's" is a mention of Russia
 * covering "Russia"). A shouting headline is also tried in title case.
 *
 * A window starts at a capitalised piece, at a lower-case piece hyphenated to a capitalised one
 * ("al-Qaeda") or at a name particle ("bin Laden", "de Villepin"), and costs one hash probe per
 * piece up to the gazetteer's longest alias, the sentence end or punctuation other than . & +,
 * or until no alias or name begins with the words read and a space or hyphen; a word that
 * names nothing and begins nothing (the filters of the maps tell most of them apart before
 * any lookup) costs no probe at all. Whether a token can start a window is checked once per
 * token, so a lower-case word costs a glance at its first letter and the next hyphen.
 * Other lower-case words start no window (most words are, and that would double the probes):
 * one before a match ("the", or "The" opening a sentence) joins it when the two are an alias
 * too, "the Kremlin", "mainland China", for one more probe per match. So an alias led by such a
 * word is found only when the rest is an alias as well, and a lone lower-case word never is.
 *
 * Titles are kept: "Russian Foreign Minister Sergei Lavrov" gives a DEMONYM mention of Russia at
 * "Russian" even when that phrase is a speaker's source span; the score stage decides what a
 * mention inside a source span means.
 *
 * People: besides the gazetteer's people, the attribute layer's person entities that have a
 * party are matched by full name and by surname ("Marenko" after "Ivo Marenko"), and so is the
 * surname of a gazetteer person once the full name has appeared ("Clinton").
 *
 * Ambiguity (see judge()): a demonym in a language sense ("in Russian", "speaks Russian",
 * "Russian-language") is never a mention. An alias the gazetteer marks ambiguous counts only
 * when its context allows:
 *  - acronyms ("US", "IS", "WHO") count amid lower-case text; in an all-capitals headline only
 *    "US" does, and not after a verb or preposition that takes the pronoun ("TELL US");
 *  - food and common nouns never count ("Turkey dinner", "French fries", "a Turkey");
 *  - a demonym otherwise counts;
 *  - a name in a person's name does not ("Jordan Peterson", "George Washington": a capitalised
 *    word right after or before, that is neither a party nor a sentence-opening word); case says
 *    nothing in a title-case or all-capitals headline, so this test is skipped there;
 *  - the US state does not ("state of Georgia", "Georgia governor", or Atlanta or another US
 *    state named in the sentence);
 *  - a country cue makes it count: a following "government", "president", "forces", "border"
 *    ... (after "'s" too) or a preceding "in", "to", "from", "with", "against" ...;
 *  - otherwise it waits: it counts when its paragraph has a mention that needed no context, or
 *    when its party has one anywhere in the document. */
#include <string.h>

#include "internal.h"

enum {
	ALIAS_MAX = 128,       /* longest candidate looked up: no alias is near it */
	MENTION_PENDING = 0x80 /* kind bit of a mention waiting for evidence; cleared before return */
};

/* A whole token, or one hyphen-separated part of a word token. */
typedef struct piece {
	uint32_t tok;
	uint32_t start, end;
} piece;

typedef enum {
	SPELL_AS_WRITTEN,
	SPELL_TITLE_CASE /* "RUSSIA'S KREMLIN" looked up as "Russia's Kremlin" */
} spelling;

/* The words looked up: most are in the document's text as they are (one space between words),
 * and are looked up there; the others are joined in buf. */
typedef struct candidate {
	const char *text; /* the document's text or buf */
	size_t len, words;
	char buf[ALIAS_MAX];
} candidate;

typedef struct match {
	int32_t actor;
	uint8_t kind, ambiguous;
	uint32_t start, end; /* the span */
	piece first, last;
	size_t key_len; /* the alias is the candidate's first key_len bytes */
	spelling spelling;
	bool possessive;
} match;

typedef enum { VERDICT_DROP, VERDICT_KEEP, VERDICT_PENDING } verdict;

typedef struct scanner {
	stance_doc *doc;
	const stance_gazetteer *gz;
	size_t max_words;
	stance_strmap *people;  /* names of the article's people -> stance_phrase; NULL when none */
	const stance_sentence *sentence;
	uint32_t sentence_index;
	int8_t shouting;     /* the sentence is in capitals; -1 until known */
	int8_t caseless;     /* capitals say nothing here (shouting, or a title-case headline) */
	int8_t us_states;    /* the sentence names US states; -1 until known */
	uint32_t hyphen_from, hyphen; /* the first hyphen of the text from hyphen_from on */
	size_t pending;
} scanner;

/* --- words --- */

static bool is_upper(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || c >= 0x80; /* non-ASCII: assume a capital, cheaply */
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool equals_any_case(const char *s, size_t n, const char *word)
{
	for (size_t i = 0; i < n; i++)
		if (!word[i] || ascii_lower(s[i]) != ascii_lower(word[i]))
			return false;
	return word[n] == '\0';
}

static bool in_list(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (equals_any_case(s, n, *list))
			return true;
	return false;
}

static const stance_token *token(const scanner *sc, uint32_t tok)
{
	return &sc->doc->tokens[tok];
}

static const char *token_text(const scanner *sc, uint32_t tok, size_t *n)
{
	const stance_token *t = token(sc, tok);
	*n = t->end - t->start;
	return sc->doc->text + t->start;
}

/* tok is NONE or a word token of the current sentence. */
static bool word_in(const scanner *sc, int32_t tok, const char *const *list)
{
	if (tok == STANCE_NONE)
		return false;
	size_t n;
	const char *s = token_text(sc, (uint32_t)tok, &n);
	return in_list(s, n, list);
}

static bool word_is(const scanner *sc, int32_t tok, const char *word)
{
	const char *const list[] = {word, NULL};
	return word_in(sc, tok, list);
}

static int32_t word_at(const scanner *sc, uint32_t tok)
{
	bool inside = tok >= sc->sentence->tok_begin && tok < sc->sentence->tok_end;
	return inside && token(sc, tok)->kind == STANCE_TOK_WORD ? (int32_t)tok : STANCE_NONE;
}

static int32_t word_before_token(const scanner *sc, int32_t tok)
{
	return tok == STANCE_NONE || (uint32_t)tok == 0 ? STANCE_NONE : word_at(sc, (uint32_t)tok - 1);
}

/* The word token right before the match, when the match begins its token. */
static int32_t word_before(const scanner *sc, const match *m)
{
	if (m->start != token(sc, m->first.tok)->start)
		return STANCE_NONE;
	return word_before_token(sc, (int32_t)m->first.tok);
}

/* The word token right after the match, when the match ends its token (but for "'s"). */
static int32_t word_after(const scanner *sc, const match *m)
{
	if (m->last.end != token(sc, m->last.tok)->end)
		return STANCE_NONE;
	return word_at(sc, m->last.tok + 1);
}

static bool spaced(const scanner *sc, int32_t tok)
{
	return token(sc, (uint32_t)tok)->flags &
	       (STANCE_TOKF_SPACE_BEFORE | STANCE_TOKF_NEWLINE_BEFORE);
}

static bool capitalised(const scanner *sc, int32_t tok)
{
	return tok != STANCE_NONE && (token(sc, (uint32_t)tok)->flags & STANCE_TOKF_CAPITALISED);
}

/* --- pieces --- */

static piece piece_at(const scanner *sc, uint32_t tok, uint32_t start)
{
	const stance_token *t = token(sc, tok);
	uint32_t end = start;
	if (t->kind != STANCE_TOK_WORD)
		end = t->end;
	while (end < t->end && sc->doc->text[end] != '-') /* words are short: no memchr call */
		end++;
	return (piece){tok, start, end};
}

static bool next_piece(const scanner *sc, piece p, piece *out)
{
	if (p.end < token(sc, p.tok)->end) {
		*out = piece_at(sc, p.tok, p.end + 1);
		return true;
	}
	if (p.tok + 1 >= sc->sentence->tok_end)
		return false;
	*out = piece_at(sc, p.tok + 1, token(sc, p.tok + 1)->start);
	return true;
}

/* Words, numbers ("No. 10") and the punctuation inside aliases ("U.S", "&", "OPEC+"). */
static bool continues_alias(const scanner *sc, uint32_t tok)
{
	const stance_token *t = token(sc, tok);
	if (t->kind == STANCE_TOK_WORD || t->kind == STANCE_TOK_NUMBER)
		return true;
	char c = sc->doc->text[t->start];
	return t->end - t->start == 1 && (c == '.' || c == '&' || c == '+');
}

/* "U.S" and ".", "OPEC" and "+": the next piece is joined with nothing between. */
static bool unspaced_token_follows(const scanner *sc, piece p)
{
	return p.end == token(sc, p.tok)->end && p.tok + 1 < sc->sentence->tok_end &&
	       !spaced(sc, (int32_t)p.tok + 1) && continues_alias(sc, p.tok + 1);
}

static char separator(const scanner *sc, piece before, piece p)
{
	if (before.tok == p.tok)
		return '-';
	return spaced(sc, (int32_t)p.tok) ? ' ' : '\0';
}

#define PACK3(a, b, c) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16)

/* "bin Laden", "de Villepin": a lower-case word that begins names. Runs on every short
 * lower-case word, so it switches on the packed bytes. */
static inline bool is_name_particle(const char *s, size_t n)
{
	const uint32_t initials = 1u << ('a' & 31) | 1u << ('b' & 31) | 1u << ('d' & 31) |
				  1u << ('e' & 31) | 1u << ('i' & 31) | 1u << ('l' & 31) |
				  1u << ('v' & 31);
	if (n < 2 || n > 3 || !(initials >> (s[0] & 31) & 1))
		return false;
	switch (PACK3(s[0], s[1], n == 3 ? s[2] : '\0')) {
	case PACK3('a', 'l', 0): case PACK3('e', 'l', 0): case PACK3('d', 'e', 0):
	case PACK3('d', 'i', 0): case PACK3('d', 'a', 0): case PACK3('d', 'u', 0):
	case PACK3('l', 'e', 0): case PACK3('l', 'a', 0): case PACK3('b', 'i', 'n'):
	case PACK3('i', 'b', 'n'): case PACK3('a', 'b', 'u'): case PACK3('b', 'e', 'n'):
	case PACK3('d', 'e', 'l'): case PACK3('d', 'e', 'r'): case PACK3('d', 'o', 's'):
	case PACK3('v', 'a', 'n'): case PACK3('v', 'o', 'n'):
		return true;
	default:
		return false;
	}
}

static bool can_start(const scanner *sc, piece p)
{
	const stance_token *t = token(sc, p.tok);
	if (t->kind != STANCE_TOK_WORD || p.end == p.start)
		return false;
	const char *text = sc->doc->text;
	if (is_upper((unsigned char)text[p.start]))
		return true;
	if (p.end < t->end)
		return is_upper((unsigned char)text[p.end + 1]);
	return p.start == t->start && is_name_particle(text + p.start, p.end - p.start) &&
	       word_at(sc, p.tok + 1) != STANCE_NONE;
}

/* Whether the token holds a hyphen. Runs on every lower-case word, so it keeps the next
 * hyphen of the text at hand: words come in order, and one memchr serves up to that hyphen. */
static bool has_hyphen(scanner *sc, const stance_token *t)
{
	if (t->start < sc->hyphen_from || sc->hyphen < t->start) {
		const char *text = sc->doc->text;
		const char *h = memchr(text + t->start, '-', sc->doc->len - t->start);
		sc->hyphen_from = t->start;
		sc->hyphen = h ? (uint32_t)(h - text) : (uint32_t)sc->doc->len;
	}
	return sc->hyphen < t->end;
}

static bool capital_after_hyphen(const char *text, const stance_token *t)
{
	for (uint32_t i = t->start; i + 1 < t->end; i++)
		if (text[i] == '-' && is_upper((unsigned char)text[i + 1]))
			return true;
	return false;
}

/* Whether some piece of the token can start (see can_start), checked once per token so that
 * most words cost a glance: a lower-case word only with a capital after a hyphen
 * ("pro-Russian", "al-Qaeda") or, unhyphenated, as a name particle. */
static bool may_start(scanner *sc, uint32_t tok)
{
	const stance_token *t = token(sc, tok);
	if (t->kind != STANCE_TOK_WORD)
		return false;
	const char *text = sc->doc->text;
	if (is_upper((unsigned char)text[t->start]))
		return true;
	if (has_hyphen(sc, t))
		return capital_after_hyphen(text, t);
	return is_name_particle(text + t->start, t->end - t->start) &&
	       word_at(sc, tok + 1) != STANCE_NONE;
}

/* The next piece after p that may start a window: the rest of p's token, or the first piece of
 * a later token of the sentence that may_start(). */
static bool next_start(scanner *sc, piece p, piece *out)
{
	if (p.end < token(sc, p.tok)->end) {
		*out = piece_at(sc, p.tok, p.end + 1);
		return true;
	}
	const uint32_t end = sc->sentence->tok_end;
	for (uint32_t tok = p.tok + 1; tok < end; tok++) {
		if (!may_start(sc, tok))
			continue;
		const stance_token *t = token(sc, tok);
		*out = has_hyphen(sc, t) ? piece_at(sc, tok, t->start) : (piece){tok, t->start, t->end};
		return true;
	}
	return false;
}

/* --- candidates and lookup --- */

/* "RUSSIA'S" -> "Russia's"; pieces with other characters ("U.S.") stay as they are. */
static void title_case(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '\''))
			return;
	for (size_t i = 1; i < n; i++)
		s[i] = ascii_lower(s[i]);
}

static void start_candidate(candidate *c, const scanner *sc, piece start, spelling sp)
{
	c->text = sp == SPELL_AS_WRITTEN ? sc->doc->text + start.start : c->buf;
	c->len = 0;
	c->words = 1;
}

/* Whether the document has the candidate followed by sep and p just as they would be joined. */
static bool joined_in_text(const candidate *c, const scanner *sc, piece p, char sep)
{
	const char *text = sc->doc->text;
	if (c->text == c->buf || c->text + c->len + (sep != '\0') != text + p.start)
		return false;
	return sep == '\0' || text[p.start - 1] == sep;
}

static bool append_piece(candidate *c, const scanner *sc, piece p, char sep, spelling sp)
{
	size_t n = p.end - p.start;
	size_t len = c->len + (sep != '\0') + n;
	if (len > sizeof(c->buf))
		return false;
	c->words += sep == ' ';
	if (joined_in_text(c, sc, p, sep)) {
		c->len = len;
		return true;
	}
	if (c->text != c->buf) {
		memcpy(c->buf, c->text, c->len);
		c->text = c->buf;
	}
	if (sep)
		c->buf[c->len++] = sep;
	char *s = c->buf + c->len;
	memcpy(s, sc->doc->text + p.start, n);
	c->len += n;
	if (sp == SPELL_TITLE_CASE)
		title_case(s, n);
	return true;
}

static const stance_phrase *find_person(const scanner *sc, const char *s, size_t n)
{
	return sc->people ? stance_strmap_get(sc->people, s, n) : NULL;
}

/* Fills m's party when s is an alias or a person's name; *longer tells whether a longer alias
 * or name begins with s followed by a space or hyphen. */
static bool lookup(const scanner *sc, const char *s, size_t n, match *m, bool *longer)
{
	const stance_alias *a = stance_gazetteer_probe(sc->gz, s, n, longer);
	const stance_phrase *p = find_person(sc, s, n);
	*longer |= p && p->longer;
	if (!a && p && p->named && p->alias.actor != STANCE_NONE)
		a = &p->alias;
	if (!a)
		return false;
	m->actor = a->actor;
	m->kind = a->kind;
	m->ambiguous = a->ambiguous;
	return true;
}

/* The length of a possessive ending: "Russia's", "RUSSIA'S", "the United States'". */
static size_t possessive_len(const char *s, size_t n)
{
	if (n > 2 && s[n - 2] == '\'' && (s[n - 1] == 's' || s[n - 1] == 'S'))
		return 2;
	return n > 2 && s[n - 1] == '\'' && (s[n - 2] == 's' || s[n - 2] == 'S') ? 1 : 0;
}

/* Looks the candidate up as it is, then without a final "'s"; fills m's span on a hit. *longer
 * tells whether a longer candidate can still be an alias or name. */
static bool probe(const scanner *sc, const candidate *c, piece first, piece last, match *m,
		  bool *longer)
{
	bool at_token_end = last.end == token(sc, last.tok)->end;
	bool hit = lookup(sc, c->text, c->len, m, longer), cut_longer;
	if (first.start == last.start && !is_upper((unsigned char)c->text[0]))
		return false; /* the lone "al" of "al-Qaeda" */
	size_t cut = at_token_end ? possessive_len(c->text, c->len) : 0;
	if (hit)
		cut = 0;
	else if (!cut || !lookup(sc, c->text, c->len - cut, m, &cut_longer))
		return false;
	m->possessive = cut > 0;
	m->key_len = c->len - cut;
	m->start = first.start;
	m->end = last.end - (uint32_t)cut;
	m->first = first;
	m->last = last;
	return true;
}

static bool longest_match(const scanner *sc, piece start, spelling sp, candidate *c, match *m)
{
	start_candidate(c, sc, start, sp);
	bool found = false;
	piece p = start, next;
	char sep = '\0';
	for (;;) {
		if (!append_piece(c, sc, p, sep, sp) || c->words > sc->max_words)
			break;
		bool longer;
		if (probe(sc, c, start, p, m, &longer)) {
			m->spelling = sp;
			found = true;
		}
		if (!longer && !unspaced_token_follows(sc, p))
			break; /* nothing begins with these words and a space or hyphen */
		if (!next_piece(sc, p, &next) || !continues_alias(sc, next.tok))
			break;
		sep = separator(sc, p, next);
		p = next;
	}
	return found;
}

/* --- the sentence's case --- */

static bool has_lower(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'a' && s[i] <= 'z')
			return true;
	return false;
}

static void measure_case(scanner *sc)
{
	size_t caps = 0, titled = 0, lower = 0;
	for (uint32_t i = sc->sentence->tok_begin; i < sc->sentence->tok_end; i++) {
		const stance_token *t = token(sc, i);
		if (t->kind != STANCE_TOK_WORD)
			continue;
		size_t n;
		const char *s = token_text(sc, i, &n);
		if (t->flags & STANCE_TOKF_ALLCAPS)
			caps++;
		else if (!has_lower(s, n))
			continue; /* "A", "I", "5G" */
		else if (t->flags & STANCE_TOKF_CAPITALISED)
			titled++;
		else
			lower++;
	}
	sc->shouting = caps >= 2 && caps > titled + lower;
	sc->caseless = sc->shouting || (sc->sentence->heading && caps + titled > lower);
}

static bool shouting(scanner *sc)
{
	if (sc->shouting < 0)
		measure_case(sc);
	return sc->shouting;
}

static bool caseless(scanner *sc)
{
	if (sc->caseless < 0)
		measure_case(sc);
	return sc->caseless;
}

/* "the Kremlin", "mainland China", and "The Kremlin" opening a sentence (not "the
 * Kremlin-backed vote": the article is the vote's). */
static void extend_leftwards(const scanner *sc, const candidate *key, match *m)
{
	const stance_token *t = token(sc, m->first.tok);
	if (m->start != t->start || m->last.end != token(sc, m->last.tok)->end ||
	    !spaced(sc, (int32_t)m->first.tok))
		return;
	int32_t before = word_before_token(sc, (int32_t)m->first.tok);
	if (before == STANCE_NONE)
		return;
	size_t n;
	const char *s = token_text(sc, (uint32_t)before, &n);
	bool the = equals_any_case(s, n, "the");
	char text[ALIAS_MAX];
	size_t len = n + 1 + m->key_len;
	if ((is_upper((unsigned char)s[0]) && !the) || len > sizeof(text))
		return;
	memcpy(text, s, n);
	text[n] = ' ';
	memcpy(text + n + 1, key->text, m->key_len);
	if (the)
		memcpy(text, "the", 3); /* "The Kremlin", "THE KREMLIN" */
	match wider = *m;
	bool longer;
	if (!lookup(sc, text, len, &wider, &longer))
		return;
	wider.start = token(sc, (uint32_t)before)->start;
	wider.first = piece_at(sc, (uint32_t)before, wider.start);
	*m = wider;
}

static bool may_name(const scanner *sc, const char *s, size_t n)
{
	return (sc->people && stance_strmap_may_have(sc->people, s, n)) ||
	       stance_gazetteer_may_know(sc->gz, s, n);
}

/* False when find_match() cannot find anything at start, answered without building a
 * candidate: most capitalised words ("The", "He", "Smith") name nothing and begin nothing. */
static bool may_match(const scanner *sc, piece start)
{
	const stance_token *t = token(sc, start.tok);
	if (start.end < t->end || (t->flags & STANCE_TOKF_ALLCAPS) ||
	    unspaced_token_follows(sc, start))
		return true; /* a hyphen, "U.S." or a shouting headline: the long way */
	const char *s = sc->doc->text + start.start;
	size_t n = start.end - start.start, cut = possessive_len(s, n);
	return may_name(sc, s, n) || (cut && may_name(sc, s, n - cut));
}

static bool find_match(scanner *sc, piece start, match *m)
{
	candidate key;
	bool found = longest_match(sc, start, SPELL_AS_WRITTEN, &key, m) ||
		     ((token(sc, start.tok)->flags & STANCE_TOKF_ALLCAPS) && shouting(sc) &&
		      longest_match(sc, start, SPELL_TITLE_CASE, &key, m));
	if (found)
		extend_leftwards(sc, &key, m);
	return found;
}

/* --- ambiguity --- */

static const char *const language_nouns[] = {
	"language", "languages", "speaker", "speakers", "speaking", "translation",
	"translations", "translator", "translators", "dialect", "subtitles", "alphabet", NULL};
static const char *const language_verbs[] = {
	"speak", "speaks", "spoke", "speaking", "spoken", "fluent", "translate", "translated",
	"translating", "learn", "learns", "learned", "learnt", "learning", "teach", "teaches",
	"taught", "teaching", NULL};
static const char *const language_prepositions[] = {"in", "into", "from", NULL};
static const char *const language_ends[] = {
	"and", "or", "on", "to", "by", "at", "with", "from", "for", "as", "but", "about", "that",
	"because", NULL};

static bool names_language(const scanner *sc, const match *m)
{
	const char *text = sc->doc->text;
	if (m->end < token(sc, m->last.tok)->end && text[m->end] == '-') {
		piece rest = piece_at(sc, m->last.tok, m->end + 1); /* "Russian-language" */
		return in_list(text + rest.start, rest.end - rest.start, language_nouns);
	}
	int32_t after = word_after(sc, m), before = word_before(sc, m);
	if (word_in(sc, after, language_nouns) || word_in(sc, before, language_verbs))
		return true; /* "Russian speakers", "speaks Russian" */
	if (!word_in(sc, before, language_prepositions))
		return false;
	if (word_in(sc, word_before_token(sc, before), language_verbs))
		return true; /* "fluent in Russian", "translated from Russian" */
	/* "wrote in Russian.", "in Russian and English"; not "in Russian custody", "from Russian
	 * forces" */
	bool phrase_ends = after == STANCE_NONE || word_in(sc, after, language_ends);
	return phrase_ends && !word_is(sc, before, "from") && !m->possessive;
}

static const char *const object_takers[] = {
	"let", "tell", "told", "give", "gave", "help", "helps", "helped", "join", "joins", "show",
	"shows", "make", "makes", "made", "take", "takes", "took", "leave", "left", "save",
	"keep", "call", "calls", "for", "with", "of", "about", "among", "behind", "like", NULL};

/* Matched as written in capitals: "US", "IS", "WHO", "UN". */
static bool is_acronym(const scanner *sc, const match *m)
{
	if (m->spelling != SPELL_AS_WRITTEN || m->end - m->start < 2)
		return false;
	for (uint32_t i = m->start; i < m->end; i++) {
		char c = sc->doc->text[i];
		if (!((c >= 'A' && c <= 'Z') || c == '.'))
			return false;
	}
	return true;
}

/* In an all-capitals headline "IS", "WHO" and "CAR" are as likely English words; "US" is
 * mostly the country but for "TELL US", "FOR US". */
static verdict judge_acronym(scanner *sc, const match *m)
{
	if (!shouting(sc))
		return VERDICT_KEEP;
	bool us = equals_any_case(sc->doc->text + m->start, m->end - m->start, "us");
	return us && !word_in(sc, word_before(sc, m), object_takers) ? VERDICT_KEEP
								     : VERDICT_DROP;
}

static const char *const common_noun_heads[] = {
	"dinner", "dinners", "sandwich", "sandwiches", "breast", "breasts", "leg", "legs", "meat",
	"burger", "burgers", "gravy", "stuffing", "feathers", "fries", "toast", "delight",
	"pastry", "pastries", "coffee", "cheese", "cuisine", "food", "restaurant", "dressing",
	"bath", "tea", "pig", "pigs", NULL};
static const char *const common_noun_modifiers[] = {
	"a", "an", "roast", "roasted", "stuffed", "smoked", "wild", NULL};

static bool names_common_thing(const scanner *sc, const match *m)
{
	if (word_in(sc, word_after(sc, m), common_noun_heads))
		return true;
	return m->kind != STANCE_MENTION_DEMONYM &&
	       word_in(sc, word_before(sc, m), common_noun_modifiers);
}

static const char *const country_cues[] = {
	"government", "president", "prime", "minister", "ministry", "foreign", "defence",
	"defense", "interior", "officials", "official", "authorities", "forces", "troops",
	"army", "military", "navy", "border", "borders", "capital", "embassy", "ambassador",
	"envoy", "parliament", "king", "queen", "leader", "leaders", "regime", "chancellor",
	"premier", "cabinet", "diplomats", "diplomat", NULL};
static const char *const place_prepositions[] = {
	"in", "to", "from", "with", "against", "between", "across", "into", "toward", "towards",
	"of", NULL};

static bool has_country_cue(const scanner *sc, const match *m)
{
	return word_in(sc, word_after(sc, m), country_cues) ||
	       word_in(sc, word_before(sc, m), place_prepositions);
}

/* Capitalised at the start of a sentence, or names of days and months: not a first name. */
static const char *const sentence_words[] = {
	"the", "a", "an", "in", "on", "at", "to", "from", "with", "for", "by", "of", "and", "but",
	"or", "so", "yet", "then", "now", "if", "when", "while", "as", "after", "before", "since",
	"until", "because", "although", "though", "meanwhile", "however", "also", "still",
	"both", "neither", "either", "why", "how", "what", "where", "unlike", "like", "against",
	"between", "across", "including", "only", "even", "today", "yesterday", "tomorrow",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
	"february", "march", "april", "may", "june", "july", "august", "september", "october",
	"november", "december", NULL};

static bool is_alias_word(const scanner *sc, int32_t tok)
{
	size_t n;
	const char *s = token_text(sc, (uint32_t)tok, &n);
	size_t cut = possessive_len(s, n);
	return stance_gazetteer_find(sc->gz, s, n) || (cut && stance_gazetteer_find(sc->gz, s, n - cut));
}

/* A capitalised word beside the alias that could be the rest of a person's name. */
static bool name_part(const scanner *sc, int32_t tok)
{
	if (!capitalised(sc, tok))
		return false;
	return !word_in(sc, tok, sentence_words) && !word_in(sc, tok, country_cues) &&
	       !is_alias_word(sc, tok);
}

/* "Jordan Peterson", "Chad Smith" (not "Jordan's"), "George Washington", "Michael Jordan". */
static bool in_person_name(const scanner *sc, const match *m)
{
	int32_t after = word_after(sc, m);
	if (!m->possessive && after != STANCE_NONE && spaced(sc, after) && name_part(sc, after))
		return true;
	int32_t before = word_before(sc, m);
	return before != STANCE_NONE && spaced(sc, (int32_t)m->first.tok) && name_part(sc, before);
}

static const char *const us_state_words[] = {
	"state", "governor", "governors", "gov", "republicans", "democrats", "republican",
	"democratic", "voters", "senator", "senators", "senate", "legislature", "county",
	"counties", NULL};
/* Without Washington, New York and New Mexico, which news names for other reasons. */
static const char *const us_places[] = {
	"Atlanta", "Savannah", "Alabama", "Alaska", "Arizona", "Arkansas", "California",
	"Colorado", "Connecticut", "Delaware", "Florida", "Hawaii", "Idaho", "Illinois",
	"Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland",
	"Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana",
	"Nebraska", "Nevada", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode",
	"Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Wisconsin", "Wyoming", "Carolina",
	"Dakota", "Hampshire", NULL};

static bool names_us_states(scanner *sc)
{
	if (sc->us_states < 0) {
		sc->us_states = 0;
		for (uint32_t i = sc->sentence->tok_begin; i < sc->sentence->tok_end; i++)
			if (capitalised(sc, word_at(sc, i)) && word_in(sc, (int32_t)i, us_places))
				sc->us_states = 1;
	}
	return sc->us_states;
}

/* "state of Georgia", "Georgia governor", "Atlanta, Georgia". */
static bool means_us_state(scanner *sc, const match *m)
{
	int32_t before = word_before(sc, m);
	if (word_in(sc, word_after(sc, m), us_state_words) || word_in(sc, before, us_state_words))
		return true;
	if (word_is(sc, before, "of") && word_in(sc, word_before_token(sc, before), us_state_words))
		return true;
	return m->kind == STANCE_MENTION_NAME && names_us_states(sc);
}

static verdict judge(scanner *sc, const match *m)
{
	if (m->kind == STANCE_MENTION_DEMONYM && names_language(sc, m))
		return VERDICT_DROP;
	if (!m->ambiguous)
		return VERDICT_KEEP;
	if (is_acronym(sc, m))
		return judge_acronym(sc, m);
	if (names_common_thing(sc, m))
		return VERDICT_DROP;
	if (m->kind == STANCE_MENTION_DEMONYM)
		return VERDICT_KEEP;
	if (!caseless(sc) && in_person_name(sc, m))
		return VERDICT_DROP;
	if (means_us_state(sc, m))
		return VERDICT_DROP;
	return has_country_cue(sc, m) ? VERDICT_KEEP : VERDICT_PENDING;
}

/* --- people --- */

/* Remembers a name of one of the article's people, unless the gazetteer knows it already,
 * and the words that begin it, so that a longest-match search knows when to stop. */
static int add_person(scanner *sc, const char *name, size_t n, int32_t party)
{
	if (stance_gazetteer_find(sc->gz, name, n))
		return 0;
	if (!sc->people && stance_strmap_new(&sc->people) != 0)
		return -1;
	stance_phrase *p = stance_phrase_add(sc->people, name, n);
	if (!p)
		return -1;
	if (!p->named) {
		p->alias = (stance_alias){.actor = party, .kind = STANCE_MENTION_PERSON};
		p->named = true;
	} else if (p->alias.actor != party) {
		p->alias.actor = STANCE_NONE; /* two parties share the name: neither gets it */
	}
	return 0;
}

/* The last word of a name of several ("Lavrov"), when it can stand alone: not "Jr.". */
static int add_surname(scanner *sc, const char *name, size_t n, int32_t party)
{
	const char *space = memrchr(name, ' ', n);
	if (!space)
		return 0;
	const char *surname = space + 1;
	size_t len = (size_t)(name + n - surname);
	if (len < 3 || surname[len - 1] == '.' || !is_upper((unsigned char)surname[0]))
		return 0;
	return add_person(sc, surname, len, party);
}

static int index_entities(scanner *sc, stance_error *err)
{
	for (size_t i = 0; i < sc->doc->nentities; i++) {
		const stance_entity *e = &sc->doc->entities[i];
		if (e->kind != STANCE_ENTITY_PERSON || e->party == STANCE_NONE || !e->name)
			continue;
		size_t n = strlen(e->name);
		if (add_person(sc, e->name, n, e->party) != 0 ||
		    add_surname(sc, e->name, n, e->party) != 0)
			return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", sc->doc->id);
	}
	return STANCE_OK;
}

/* --- mentions --- */

static int take_match(scanner *sc, const match *m, stance_error *err)
{
	verdict v = judge(sc, m);
	if (v == VERDICT_DROP)
		return STANCE_OK;
	stance_mention *out = STANCE_PUSH(sc->doc, mentions);
	if (!out)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", sc->doc->id);
	out->start = m->start;
	out->end = m->end;
	out->sentence = sc->sentence_index;
	out->actor = m->actor;
	out->kind = m->kind;
	if (v == VERDICT_PENDING) {
		out->kind |= MENTION_PENDING;
		sc->pending++;
	}
	/* "Clinton" after "Hillary Clinton", though the gazetteer lists only the full name */
	if (m->kind == STANCE_MENTION_PERSON &&
	    add_surname(sc, sc->doc->text + m->start, m->end - m->start, m->actor) != 0)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", sc->doc->id);
	return STANCE_OK;
}

static int scan_sentence(scanner *sc, uint32_t index, stance_error *err)
{
	const stance_sentence *s = &sc->doc->sentences[index];
	if (s->tok_begin >= s->tok_end)
		return STANCE_OK;
	sc->sentence = s;
	sc->sentence_index = index;
	sc->shouting = sc->caseless = sc->us_states = -1;
	piece p = piece_at(sc, s->tok_begin, token(sc, s->tok_begin)->start);
	for (;;) {
		match m;
		if (can_start(sc, p) && may_match(sc, p) && find_match(sc, p, &m)) {
			int rc = take_match(sc, &m, err);
			if (rc)
				return rc;
			p = m.last;
		}
		if (!next_start(sc, p, &p))
			return STANCE_OK;
	}
}

static uint32_t paragraph_of(const stance_doc *doc, const stance_mention *m)
{
	return doc->sentences[m->sentence].paragraph;
}

/* Where the mentions of the paragraph of mention first end; *evidence tells whether one of
 * them needed no context. */
static size_t paragraph_end(const stance_doc *doc, size_t first, bool *evidence)
{
	const stance_mention *m = doc->mentions;
	uint32_t paragraph = paragraph_of(doc, &m[first]);
	size_t last = first;
	*evidence = false;
	for (; last < doc->nmentions && paragraph_of(doc, &m[last]) == paragraph; last++)
		*evidence |= !(m[last].kind & MENTION_PENDING);
	return last;
}

/* Keeps a waiting mention when its paragraph has a mention that needed no context, or its
 * party has one anywhere; then clears the waiting bit. Linear in the mentions. */
static int resolve_pending(scanner *sc, stance_error *err)
{
	stance_doc *doc = sc->doc;
	uint8_t *named = stance_arena_calloc(doc->arena, stance_gazetteer_count(sc->gz) + 1, 1);
	if (!named)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", doc->id);
	stance_mention *m = doc->mentions;
	for (size_t i = 0; i < doc->nmentions; i++)
		if (!(m[i].kind & MENTION_PENDING))
			named[m[i].actor] = 1;
	size_t kept = 0;
	bool evidence;
	for (size_t first = 0, last; first < doc->nmentions; first = last) {
		last = paragraph_end(doc, first, &evidence);
		for (size_t i = first; i < last; i++) {
			if ((m[i].kind & MENTION_PENDING) && !evidence && !named[m[i].actor])
				continue;
			m[kept] = m[i];
			m[kept++].kind &= (uint8_t)~MENTION_PENDING;
		}
	}
	doc->nmentions = kept;
	return STANCE_OK;
}

int stance_actors(stance_doc *doc, const stance_models *models, stance_error *err)
{
	scanner sc = {.doc = doc,
		      .gz = models->gazetteer,
		      .max_words = stance_gazetteer_max_words(models->gazetteer),
		      .hyphen_from = UINT32_MAX};
	doc->nmentions = 0;
	int rc = index_entities(&sc, err);
	for (uint32_t i = 0; !rc && i < doc->nsentences; i++)
		rc = scan_sentence(&sc, i, err);
	if (!rc && sc.pending)
		rc = resolve_pending(&sc, err);
	stance_strmap_free(sc.people);
	return rc;
}
