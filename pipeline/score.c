/* Stage 5, score: a stance score for every (sentence, speaker, target).
 *
 * The speaker of a mention is the entity of the innermost attribution whose content holds
 * it, else the narrator. A mention inside an attribution's source ("Russian Foreign Minister
 * Sergei Lavrov said") names the speaker, not a target, and is not scored. The lexicon
 * scores each target by the terms within its reach (pipeline/lexicon.c); a stance verb adds
 * its polarity toward its object ("Moscow accused Washington of ..."). Several mentions of
 * one target in one sentence by one speaker make one score. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon.h"
#include "svm.h"

#define STANCE_VERB_VALENCE 3.0 /* as strong as a clearly polar word next to the object */
#define WEIGHT_HALF 2.0         /* evidence at which a sentence weighs 0.5 */

/* What the attributions make of a mention. */
typedef struct role {
	int32_t speaker; /* entity, or STANCE_NONE for the narrator */
	int8_t stance;   /* polarity of the stance verb whose object it is */
	bool names_speaker;
} role;

/* A span that belongs to attribution owner. */
typedef struct owned_span {
	stance_span span;
	uint32_t owner;
} owned_span;

/* Finds, for spans visited in order of start, the innermost owned span holding each. */
typedef struct sweep {
	owned_span *spans;
	size_t n, next;
	uint32_t *active; /* indices into spans that started before the visited span */
	size_t nactive;
} sweep;

/* One scored mention, before grouping by (speaker, target). */
typedef struct scored {
	int32_t speaker, target;
	stance_span bytes, tokens;
	int8_t stance;
} scored;

/* The buffers one document's scoring reuses sentence after sentence. */
typedef struct scorer {
	stance_doc *doc;
	const stance_models *models;
	uint32_t *order; /* mentions by start */
	role *roles;     /* by mention index */
	stance_span *masks;
	scored *group;
	stance_span *ranges;
	stance_analysis analysis;
	const stance_token_match *matches; /* the lexicon's, at every token */
	stance_arena *scratch; /* the SVM's working memory, emptied after every prediction */
	stance_error error;    /* what failed, when the SVM did; else out of memory */
} scorer;

static int by_start(const void *a, const void *b)
{
	const owned_span *x = a, *y = b;
	return (x->span.start > y->span.start) - (x->span.start < y->span.start);
}

/* Layers usually come in text order already; sorting them then is wasted time. */
static void sort_by_start(owned_span *spans, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (spans[i].span.start < spans[i - 1].span.start) {
			qsort(spans, n, sizeof(*spans), by_start);
			return;
		}
}

static int sweep_init(sweep *s, stance_arena *arena, const stance_attribution *attrs, size_t n,
		      bool content)
{
	*s = (sweep){0};
	s->spans = stance_arena_alloc(arena, (n + 1) * sizeof(*s->spans));
	s->active = stance_arena_alloc(arena, (n + 1) * sizeof(*s->active));
	if (!s->spans || !s->active)
		return -1;
	for (size_t i = 0; i < n; i++) {
		stance_span span = content ? attrs[i].content : attrs[i].source;
		if (span.end > span.start)
			s->spans[s->n++] = (owned_span){span, (uint32_t)i};
	}
	sort_by_start(s->spans, s->n);
	return 0;
}

/* The owner of the smallest span holding m, or STANCE_NONE. */
static int32_t sweep_innermost(sweep *s, stance_span m)
{
	while (s->next < s->n && s->spans[s->next].span.start <= m.start)
		s->active[s->nactive++] = (uint32_t)s->next++;
	size_t kept = 0;
	int32_t best = STANCE_NONE;
	uint32_t best_len = UINT32_MAX;
	for (size_t i = 0; i < s->nactive; i++) {
		stance_span span = s->spans[s->active[i]].span;
		if (span.end <= m.start)
			continue;
		s->active[kept++] = s->active[i];
		if (span.end >= m.end && span.end - span.start < best_len) {
			best_len = span.end - span.start;
			best = (int32_t)s->spans[s->active[i]].owner;
		}
	}
	s->nactive = kept;
	return best;
}

static const stance_mention *mention_at(const scorer *sc, size_t i)
{
	return &sc->doc->mentions[sc->order[i]];
}

static int order_mentions(scorer *sc)
{
	stance_doc *doc = sc->doc;
	owned_span *byspan = stance_arena_alloc(doc->arena, (doc->nmentions + 1) * sizeof(*byspan));
	sc->order = stance_arena_alloc(doc->arena, (doc->nmentions + 1) * sizeof(*sc->order));
	if (!byspan || !sc->order)
		return -1;
	for (size_t i = 0; i < doc->nmentions; i++)
		byspan[i] = (owned_span){{doc->mentions[i].start, doc->mentions[i].end}, (uint32_t)i};
	sort_by_start(byspan, doc->nmentions);
	for (size_t i = 0; i < doc->nmentions; i++)
		sc->order[i] = byspan[i].owner;
	return 0;
}

/* The first mention (in order) that starts at or after offset. */
static size_t first_mention_from(const scorer *sc, uint32_t offset)
{
	size_t lo = 0, hi = sc->doc->nmentions;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (mention_at(sc, mid)->start < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A stance verb's object is the first mention inside its content. */
static void mark_stance_objects(scorer *sc)
{
	const stance_doc *doc = sc->doc;
	for (size_t i = 0; i < doc->nattributions; i++) {
		const stance_attribution *at = &doc->attributions[i];
		if (at->kind != STANCE_ATTR_STANCE || at->polarity == 0)
			continue;
		size_t m = first_mention_from(sc, at->content.start);
		if (m < doc->nmentions && mention_at(sc, m)->end <= at->content.end)
			sc->roles[sc->order[m]].stance = at->polarity;
	}
}

static int assign_roles(scorer *sc)
{
	stance_doc *doc = sc->doc;
	sc->roles = stance_arena_calloc(doc->arena, doc->nmentions + 1, sizeof(*sc->roles));
	sweep contents, sources;
	if (!sc->roles ||
	    sweep_init(&contents, doc->arena, doc->attributions, doc->nattributions, true) ||
	    sweep_init(&sources, doc->arena, doc->attributions, doc->nattributions, false))
		return -1;
	for (size_t i = 0; i < doc->nmentions; i++) {
		const stance_mention *m = mention_at(sc, i);
		stance_span span = {m->start, m->end};
		role *r = &sc->roles[sc->order[i]];
		int32_t content = sweep_innermost(&contents, span);
		r->speaker = content == STANCE_NONE ? STANCE_NONE : doc->attributions[content].entity;
		r->names_speaker = sweep_innermost(&sources, span) != STANCE_NONE;
	}
	mark_stance_objects(sc);
	return 0;
}

static int by_speaker_target_start(const void *a, const void *b)
{
	const scored *x = a, *y = b;
	if (x->speaker != y->speaker)
		return (x->speaker > y->speaker) - (x->speaker < y->speaker);
	if (x->target != y->target)
		return (x->target > y->target) - (x->target < y->target);
	return (x->tokens.start > y->tokens.start) - (x->tokens.start < y->tokens.start);
}

/* The one place where the lexicon and the SVM meet. The SVM is not wired in yet: svm is NaN
 * and the tone is the lexicon's. Wiring it means, when models->svm is loaded, classifying
 * the sentence toward target (the bytes of the first mention; stance_svm_predict() in svm.h
 * takes doc, target and the doc's arena as scratch) and combining the two scores into the
 * tone (stance_svm_tone()). */
/* The one place where the lexicon and the SVM meet: the SVM reads the target's sentence,
 * and the tone weighs the two as training chose on out-of-fold predictions. */
static int combine(stance_sentence_score *score, scorer *sc, stance_span target,
		   const stance_lexicon_result *lexical)
{
	const stance_models *models = sc->models;
	score->lexicon = (float)lexical->lexicon;
	score->svm = NAN;
	score->tone = score->lexicon;
	if (!models->svm)
		return STANCE_OK;
	if (!sc->scratch && stance_arena_new(&sc->scratch) != 0)
		return -1;
	stance_svm_result r;
	int rc = stance_svm_predict(models->svm, models, sc->doc, target, sc->scratch, &r,
				    &sc->error);
	stance_arena_reset(sc->scratch);
	if (rc)
		return rc;
	score->svm = (float)r.svm;
	score->tone = (float)stance_svm_tone(models->svm, lexical->lexicon, r.p);
	return STANCE_OK;
}

/* Scores mentions group[0..n) of one (speaker, target) in sentence s. */
static int score_group(scorer *sc, uint32_t s, const scored *group, size_t n)
{
	double bias = 0;
	for (size_t i = 0; i < n; i++) {
		sc->ranges[i] = group[i].tokens;
		bias += group[i].stance * STANCE_VERB_VALENCE;
	}
	stance_lexicon_result lexical;
	stance_analysis_target(&sc->analysis, sc->ranges, n, bias, &lexical);
	stance_sentence_score *score = STANCE_PUSH(sc->doc, scores);
	if (!score)
		return -1;
	score->sentence = s;
	score->speaker = group[0].speaker;
	score->target = group[0].target;
	score->weight = (float)(lexical.evidence / (lexical.evidence + WEIGHT_HALF));
	return combine(score, sc, group[0].bytes, &lexical);
}

/* Mentions [first, last) of sentence s, analysed already. */
static int score_targets(scorer *sc, uint32_t s, size_t first, size_t last)
{
	const stance_sentence *sent = &sc->doc->sentences[s];
	size_t n = 0;
	for (size_t i = first; i < last; i++) {
		const stance_mention *m = mention_at(sc, i);
		const role *r = &sc->roles[sc->order[i]];
		if (r->names_speaker)
			continue;
		stance_span bytes = {m->start, m->end};
		stance_span tokens = stance_tokens_covering(sc->doc->tokens, sent->tok_begin,
							    sent->tok_end, bytes);
		if (tokens.start < tokens.end)
			sc->group[n++] = (scored){r->speaker, m->actor, bytes, tokens, r->stance};
	}
	if (n > 1)
		qsort(sc->group, n, sizeof(*sc->group), by_speaker_target_start);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && sc->group[j].speaker == sc->group[i].speaker &&
				sc->group[j].target == sc->group[i].target;
		     j++)
			;
		if (score_group(sc, s, sc->group + i, j - i) != 0)
			return -1;
	}
	return 0;
}

/* A polar term that is not a word (an emoticon) counts as a word too, so that the shares of
 * positive and negative words never pass 100%. */
static void count_words(stance_doc *doc, const stance_analysis *a)
{
	doc->words += a->words;
	for (size_t k = 0; k < a->nterms; k++) {
		const stance_term *t = &a->terms[k];
		doc->positive_words += t->valence > 0;
		doc->negative_words += t->valence < 0;
		doc->words += t->valence != 0 && doc->tokens[t->token].kind != STANCE_TOK_WORD;
	}
}

/* Whether the analysis of run with masks[0..n) is the one without them, which the SVM's
 * features of the sentence's targets need too. */
static bool masks_are_inert(const scorer *sc, const stance_token_run *run, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		stance_span t = stance_tokens_covering(run->tokens, run->begin, run->end, sc->masks[i]);
		if (t.start < t.end && !stance_lexicon_mask_is_inert(run, t.start, t.end))
			return false;
	}
	return true;
}

/* Mentions [first, last) fall in sentence s. */
static int score_sentence(scorer *sc, uint32_t s, size_t first, size_t last)
{
	stance_doc *doc = sc->doc;
	const stance_sentence *sent = &doc->sentences[s];
	for (size_t i = first; i < last; i++)
		sc->masks[i - first] = (stance_span){mention_at(sc, i)->start, mention_at(sc, i)->end};
	const stance_token_run run = {doc->text, doc->tokens, sc->matches, sent->tok_begin,
				      sent->tok_end};
	if (stance_lexicon_analyse(sc->models->lexicon, &run, sc->masks, last - first, doc->arena,
				   &sc->analysis) != 0)
		return -1;
	count_words(doc, &sc->analysis);
	if (doc->feature_cache)
		stance_feature_cache_share(doc->feature_cache,
					   masks_are_inert(sc, &run, last - first) ? &sc->analysis
										   : NULL,
					   run.begin, run.end);
	return score_targets(sc, s, first, last);
}

static int score_document(scorer *sc)
{
	stance_doc *doc = sc->doc;
	size_t n = doc->nmentions + 1;
	sc->masks = stance_arena_alloc(doc->arena, n * sizeof(*sc->masks));
	sc->group = stance_arena_alloc(doc->arena, n * sizeof(*sc->group));
	sc->ranges = stance_arena_alloc(doc->arena, n * sizeof(*sc->ranges));
	sc->matches = stance_lexicon_match_all(sc->models->lexicon, doc->text, doc->tokens,
					       doc->ntokens, doc->arena);
	if (!sc->masks || !sc->group || !sc->ranges || !sc->matches || order_mentions(sc) ||
	    assign_roles(sc))
		return -1;
	if (sc->models->svm && !(doc->feature_cache = stance_feature_cache_new(doc, sc->matches)))
		return -1;
	size_t m = 0;
	for (uint32_t s = 0; s < doc->nsentences; s++) {
		while (m < doc->nmentions && mention_at(sc, m)->start < doc->sentences[s].start)
			m++;
		size_t first = m;
		while (m < doc->nmentions && mention_at(sc, m)->start < doc->sentences[s].end)
			m++;
		if (score_sentence(sc, s, first, m) != 0)
			return -1;
	}
	return 0;
}

int stance_score(stance_doc *doc, const stance_models *models, stance_error *err)
{
	doc->nscores = 0;
	doc->words = doc->positive_words = doc->negative_words = 0;
	scorer sc = {.doc = doc, .models = models};
	int failed = score_document(&sc);
	doc->feature_cache = NULL; /* it holds views of tokens a later stage may change */
	stance_arena_free(sc.scratch);
	if (!failed)
		return STANCE_OK;
	if (sc.error.code)
		return stance_fail(err, sc.error.code, "%s", sc.error.message);
	return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory scoring", doc->id);
}

int stance_classify(stance_doc *doc, const stance_models *models, stance_span target,
		    stance_classification *out, stance_error *err)
{
	stance_lexicon_result lexical;
	int rc = stance_lexicon_score_span(models->lexicon, doc->text, doc->tokens, 0, doc->ntokens,
					   target, doc->arena, &lexical, err);
	if (rc)
		return rc;
	*out = (stance_classification){.lexicon = lexical.lexicon, .svm = NAN,
				       .tone = lexical.lexicon,
				       .label = stance_label_value(lexical.lexicon),
				       .p = {NAN, NAN, NAN}};
	if (!models->svm)
		return STANCE_OK;
	stance_svm_result r;
	rc = stance_svm_predict(models->svm, models, doc, target, doc->arena, &r, err);
	if (rc)
		return rc;
	out->svm = r.svm;
	out->tone = stance_svm_tone(models->svm, lexical.lexicon, r.p);
	out->label = stance_label_value(out->tone);
	memcpy(out->p, r.p, sizeof(out->p));
	return STANCE_OK;
}
