/* Stage 5, score: a lexicon and an SVM stance score for every (sentence, speaker, target). */
#ifndef STANCE_SCORE_H
#define STANCE_SCORE_H

#include "stance/doc.h"
#include "stance/models.h"

int stance_score(stance_doc *doc, const stance_models *models, stance_error *err);

/* One sentence's stance toward one target, as `stance classify` reports it. */
typedef struct stance_classification {
	double lexicon; /* target-scoped lexicon score, [-1, 1] */
	double svm;     /* p_pos - p_neg, [-1, 1]; NaN without an SVM model */
	double tone;    /* the two combined; the lexicon alone without an SVM model */
	int label;      /* -1, 0, +1 */
	double p[3];    /* p_neg, p_neu, p_pos; NaN without an SVM model */
} stance_classification;

/* Classifies the stance of doc's text (run through the text and segment stages) toward the
 * target bytes of its normalised text; an empty target scores the text as a whole. Working
 * memory comes from the document's arena. */
int stance_classify(stance_doc *doc, const stance_models *models, stance_span target,
		    stance_classification *out, stance_error *err);

#endif
