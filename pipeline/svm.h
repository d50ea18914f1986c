/* The SVM stance classifier: the polarity of a sentence toward one target mention.
 *
 * The model is two files in the models directory:
 *   svm.model     libsvm's own format (C-SVC, linear kernel, probability estimates), so libsvm's
 *                 tools can read it too;
 *   svm.features  the dictionary: feature i of svm.model is the i-th name after the header,
 *                 plus the weights that combine the lexicon and SVM scores into the tone.
 * At load time the support vectors collapse into one weight vector per pair of classes, so a
 * prediction costs a sparse dot product per pair, then libsvm's pairwise coupling of Platt's
 * probabilities. stance_svm_load() (internal.h) leaves *out NULL when neither file exists. */
#ifndef STANCE_SVM_H
#define STANCE_SVM_H

#include <stdio.h>

#include "stance_features.h"

#define STANCE_SVM_MODEL "svm.model"
#define STANCE_SVM_FEATURES "svm.features"

/* The tone combines the SVM's probabilities p with the lexicon's score: each polar class's
 * probability is weighed by exp(+-lexicon_weight * lexicon + its bias) and renormalised to q.
 * The label is q's most probable class, and the tone carries it: |tone| > STANCE_NEUTRAL_BAND
 * exactly when a polar class beats neutral, so stance_label(tone) is that label. The weights
 * are chosen for macro-F1 on out-of-fold predictions at training time. */
typedef struct stance_svm_tone_weights {
	double lexicon_weight, negative_bias, positive_bias;
} stance_svm_tone_weights;

/* What the model says about one target. */
typedef struct stance_svm_result {
	double p[3];    /* probabilities of negative, neutral, positive */
	double svm;     /* p[2] - p[0], in [-1, 1] */
	double lexicon; /* the lexicon's score toward the target, in [-1, 1] */
	double tone;    /* the two combined (stance_svm_tone), in [-1, 1] */
	int label;      /* of the tone: -1, 0, +1 (stance_label_value) */
} stance_svm_result;

/* Classifies the sentence's stance toward target (bytes of doc's normalised text; doc has
 * been through the text and segment stages). scratch is working memory (the document's arena
 * will do); nothing in it is needed after the call. */
int stance_svm_predict(const stance_svm *svm, const stance_models *m, const stance_doc *doc,
		       stance_span target, stance_arena *scratch, stance_svm_result *out,
		       stance_error *err);

/* The most probable polarity: -1, 0 or +1. */
int stance_svm_label(const double p[3]);

/* The combined tone of a lexicon score in [-1, 1] and the SVM's probabilities. */
double stance_svm_tone(const stance_svm *svm, double lexicon, const double p[3]);

/* The model's dictionary, to look features up as predictions do. */
const stance_dictionary *stance_svm_dictionary(const stance_svm *svm);

/* --- training --- */

/* Saves a trained linear C-SVC over features 1..nfeatures in libsvm's format with one support
 * vector per pair of classes (its weight vector) instead of the training examples: libsvm
 * predicts the same from it. Returns 0, or -1 when out of memory or the file cannot be
 * written. */
struct svm_model;
int stance_svm_save_linear(const struct svm_model *model, size_t nfeatures, const char *path);
typedef struct stance_svm_trainer stance_svm_trainer;

int stance_svm_trainer_new(stance_svm_trainer **out);
void stance_svm_trainer_free(stance_svm_trainer *t);

/* Adds one example: the features of target in doc (as for stance_svm_predict), labelled with
 * its polarity (-1, 0, +1). */
int stance_svm_trainer_add(stance_svm_trainer *t, const stance_models *m, const stance_doc *doc,
			   stance_span target, int polarity, stance_error *err);
size_t stance_svm_trainer_count(const stance_svm_trainer *t);

typedef struct stance_svm_train_options {
	int folds;         /* cross-validation folds */
	unsigned seed;     /* for libsvm's rand(): the same seed gives the same files */
	const double *c;   /* the C values to choose from by cross-validation */
	size_t nc;
	unsigned min_count; /* features seen in fewer examples are dropped */
	FILE *log;         /* progress and cross-validation figures; NULL: quiet */
} stance_svm_train_options;

/* What training chose and how it did under cross-validation (macro-F1 in [0, 1]). */
typedef struct stance_svm_train_report {
	double c;
	double cv_f1;      /* libsvm's cross-validated labels at the chosen C */
	double oof_svm_f1; /* out-of-fold, argmax of the probabilities */
	double oof_lexicon_f1, oof_tone_f1;
	stance_svm_tone_weights tone;
	size_t features, support_vectors;
} stance_svm_train_report;

/* Chooses C by cross-validation, the tone weights on out-of-fold predictions, trains the
 * final model and writes dir/svm.model and dir/svm.features (each through a temporary file). */
int stance_svm_train(stance_svm_trainer *t, const stance_svm_train_options *o, const char *dir,
		     stance_svm_train_report *report, stance_error *err);

#endif
