/* The sentiment lexicon (models/lexicon.tsv, models/modifiers.tsv) and the rules that turn
 * the terms of a run of tokens into scores: longest-match lookup, negation, boosters and
 * dampeners, contrast, emphasis, sentence-wise normalisation and target scoping.
 *
 * Everything here is internal; stance_lexicon_score_span() is what `stance classify` and the
 * SVM feature extractor need, and should become public in include/stance/score.h. */
#ifndef STANCE_LEXICON_H
#define STANCE_LEXICON_H

#include "internal.h"

/* The hash of lower-cased keys that the lexicon's matcher and the SVM's feature dictionary
 * build byte by byte: a polynomial, h * STANCE_KEY_MULTIPLIER + byte from STANCE_KEY_SEED,
 * which composes (a key's hash is its prefix's times MULTIPLIER^len(rest) plus the rest's own
 * sum from 0), then MurmurHash3's finaliser, a bijection, so that low bits can pick a slot. */
#define STANCE_KEY_SEED 0x9E3779B97F4A7C15ull
#define STANCE_KEY_MULTIPLIER 0x100000001B3ull

static inline uint64_t stance_key_byte(uint64_t h, char c)
{
	return h * STANCE_KEY_MULTIPLIER + (unsigned char)c;
}

static inline uint64_t stance_key_hash(const char *s, size_t n)
{
	uint64_t h = STANCE_KEY_SEED;
	for (size_t i = 0; i < n; i++)
		h = stance_key_byte(h, s[i]);
	return stance_mix64(h);
}

/* What a lexicon key is; one key can be several (a sentiment word that is also a booster). */
enum {
	STANCE_LEX_SENTIMENT = 1 << 0, /* has a valence */
	STANCE_LEX_INTENSIFIER = 1 << 1, /* booster (boost > 0) or dampener (boost < 0) */
	STANCE_LEX_NEGATION = 1 << 2,
	STANCE_LEX_CONTRAST = 1 << 3,
	STANCE_LEX_PREFIX = 1 << 4,    /* a longer term starts with this key */
	STANCE_LEX_CLAUSE = 1 << 5,    /* opens a clause: "which", "while", "because" */
	STANCE_LEX_CONCESSIVE = 1 << 6, /* a contrast that opens a clause weighing less: "although" */
	STANCE_LEX_NEUTRAL = 1 << 7,   /* matched whole and carries nothing: "not only" */
	STANCE_LEX_SHIFTER = 1 << 8,   /* a verb that turns what follows around: "reduce the risk" */
	STANCE_LEX_VERB_SENSE = 1 << 9, /* polar only as a verb: "I like", not "leaders like him" */
	STANCE_LEX_VERB_CUE = 1 << 10  /* a subject or auxiliary that a verb follows: "we", "would" */
};

typedef struct stance_lexeme {
	float valence; /* -4..4 on VADER's scale */
	float boost;   /* added to |valence| of the next sentiment term */
	uint16_t flags; /* STANCE_LEX_* */
} stance_lexeme;

/* The longest term of the lexicon that starts at tokens[i] and ends before tokens[end];
 * *ntok is its length in tokens. NULL when no term starts there. */
const stance_lexeme *stance_lexicon_match(const stance_lexicon *lex, const char *text,
					  const stance_token *tokens, size_t i, size_t end,
					  size_t *ntok);

/* The longest match at one token, looked up once per document and reused by every analysis
 * of its sentences. */
typedef struct stance_token_match {
	const stance_lexeme *lexeme; /* NULL when no term starts here */
	uint16_t ntok;               /* the term's tokens */
	uint16_t read;               /* tokens the lookup read: a run that holds them all (ends at
				      * or after this token + read) would find the same term */
} stance_token_match;

/* The match at every token of tokens[0..n), from arena; NULL when out of memory. */
stance_token_match *stance_lexicon_match_all(const stance_lexicon *lex, const char *text,
					     const stance_token *tokens, size_t n,
					     stance_arena *arena);

/* Tokens [begin, end) of text, with their matches when the caller has them (NULL: looked up
 * as the analysis goes). */
typedef struct stance_token_run {
	const char *text;
	const stance_token *tokens;
	const stance_token_match *matches; /* indexed like tokens */
	size_t begin, end;
} stance_token_run;

/* Whether masking tokens [first, last) of run leaves its analysis as it is: they are words
 * that start no term, and the word after them does not need to know what came before ("like"
 * is a verb only after a subject). False when run has no matches to tell it cheaply. */
bool stance_lexicon_mask_is_inert(const stance_token_run *run, size_t first, size_t last);

/* One sentiment-bearing term of an analysed run, after the rules. */
typedef struct stance_term {
	uint32_t token, end; /* tokens [token, end), indices into the token array */
	uint32_t clause;     /* clause number within the run */
	float valence;       /* signed strength after negation, intensifiers and emphasis */
	float weight;        /* contrast weight: less before "but", less in an "although" clause */
	uint8_t negated;
} stance_term;

/* The terms and clauses of a run of tokens; buffers come from an arena and are reused by the
 * next analysis that fits in them. */
typedef struct stance_analysis {
	stance_term *terms;
	size_t nterms;
	uint32_t *clause_begin; /* first token of each clause */
	uint32_t *clause_words; /* word tokens of each clause */
	uint32_t *clause_length; /* its words as a reader counts them: boosters and dampeners
				  * not, "isn't" as two (see per_length() in lexicon.c) */
	float *clause_emphasis; /* "!" emphasis, added to |sum| of the clause */
	uint8_t *clause_opens_sentence; /* after a full stop or "?" (or the first) */
	float *reach;           /* per term, scratch for stance_analysis_target(); kept zeroed */
	size_t nclauses;
	size_t words;           /* word tokens */
	size_t cap;             /* tokens the buffers can take */
} stance_analysis;

/* Analyses a run. Tokens inside the sorted, disjoint spans masked[0..nmasked) (mentions of
 * parties: "United" in "the United States") carry no sentiment.
 * Fails only when the arena is out of memory. */
int stance_lexicon_analyse(const stance_lexicon *lex, const stance_token_run *run,
			   const stance_span *masked, size_t nmasked, stance_arena *arena,
			   stance_analysis *out);

/* What the lexicon finds in a sentence about one target, or about the whole sentence. */
typedef struct stance_lexicon_result {
	double lexicon;  /* [-1, 1] */
	double evidence; /* summed |valence| x reach of the terms that bear on the target */
	/* In the target's clause (or the whole span without a target), for the SVM features: */
	uint32_t words;
	uint32_t positive, negative; /* sentiment terms, by sign after negation */
	uint32_t negated;            /* of which under a negation */
} stance_lexicon_result;

/* The tokens of [begin, end) that overlap the bytes of span: {first, one past the last}. */
stance_span stance_tokens_covering(const stance_token *tokens, size_t begin, size_t end,
				   stance_span bytes);

/* The result toward a target mentioned at mentions[0..n) (token ranges: {first, one past
 * the last}). Each term counts by its reach: decaying with the token distance to the nearest
 * mention and with every clause boundary between them. bias is added to the sum of valences
 * (a stance verb aimed at the target); the counts are those of the first mention's clause. */
void stance_analysis_target(const stance_analysis *a, const stance_span *mentions, size_t n,
			    double bias, stance_lexicon_result *out);

/* The result for the analysed run as a whole: sentences normalised one by one and averaged,
 * the counts those of the run. */
void stance_analysis_whole(const stance_analysis *a, stance_lexicon_result *out);

/* Scores tokens [begin, end) of text toward the target span (bytes [start, end) of text; an
 * empty span scores the sentence as a whole). scratch holds the working buffers. */
int stance_lexicon_score_span(const stance_lexicon *lex, const char *text,
			      const stance_token *tokens, size_t begin, size_t end,
			      stance_span target, stance_arena *scratch,
			      stance_lexicon_result *out, stance_error *err);

#endif
