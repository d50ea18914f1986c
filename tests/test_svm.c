/* The SVM stance classifier: its features, training, prediction and model files. */
#include <libsvm/svm.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embeddings.h"
#include "support.h"
#include "svm.h"

/* --- features --- */
typedef struct names {
	char text[65536];
	size_t len;
} names;

static int record(void *ctx, const char *name, size_t len, double value)
{
	names *n = ctx;
	n->len += (size_t)snprintf(n->text + n->len, sizeof(n->text) - n->len, "%.*s=%.6f\n",
				   (int)len, name, value);
	return n->len >= sizeof(n->text);
}

/* The byte span of the first occurrence of word in doc's normalised text. */
static stance_span span_of(const stance_doc *doc, const char *word)
{
	size_t len;
	const char *text = stance_doc_text(doc, &len);
	const char *at = strstr(text, word);
	assert_non_null(at);
	uint32_t start = (uint32_t)(at - text);
	return (stance_span){start, start + (uint32_t)strlen(word)};
}

static void features_of(const char *sentence, const char *target, names *out)
{
	stance_doc *doc = test_doc(sentence, "segment");
	stance_error err;
	double lexicon;
	memset(out, 0, sizeof(*out));
	out->text[0] = '\n'; /* every name then follows a line break */
	out->len = 1;
	assert_int_equal(stance_features_extract(test_models(), doc, span_of(doc, target),
						 stance_doc_arena(doc), record, out, &lexicon, &err),
			 STANCE_OK);
	stance_doc_free(doc);
}

static bool has_feature(const names *n, const char *name)
{
	char line[128];
	snprintf(line, sizeof(line), "\n%s=", name);
	return strstr(n->text, line) != NULL;
}

static void test_features_are_deterministic(void **state)
{
	(void)state;
	const char *s = "Farmers in the valley warmly thanked Governor Okafor for the new bridge.";
	names a, b;
	features_of(s, "Governor Okafor", &a);
	features_of(s, "Governor Okafor", &b);
	assert_true(a.len > 0);
	assert_string_equal(a.text, b.text);
}

static void test_window_sees_the_words_around_the_target(void **state)
{
	(void)state;
	const char *s = "The committee sharply criticised Senator Vance and praised Mayor Lindqvist.";
	names vance, mayor;
	features_of(s, "Senator Vance", &vance);
	features_of(s, "Mayor Lindqvist", &mayor);
	assert_true(has_feature(&vance, "l1:criticised"));
	assert_true(has_feature(&vance, "r1:and"));
	assert_true(has_feature(&vance, "b:criticised <t>"));
	assert_true(has_feature(&mayor, "l1:praised"));
	assert_false(has_feature(&mayor, "l1:criticised"));
	/* The target's own words stand as one placeholder, so names teach nothing. */
	assert_false(has_feature(&vance, "u:vance"));
	assert_true(has_feature(&vance, "u:lindqvist"));
	assert_true(has_feature(&vance, "kl1:stance:-1"));
}

static void test_quotes_and_position(void **state)
{
	(void)state;
	names inside, outside;
	features_of("Okafor said: \"Councillor Brandt is a disgrace.\"", "Councillor Brandt", &inside);
	features_of("Okafor said: \"Councillor Brandt is a disgrace.\"", "Okafor", &outside);
	assert_true(has_feature(&inside, "q:inside"));
	assert_false(has_feature(&outside, "q:inside"));
	assert_true(has_feature(&outside, "p:first"));
	assert_false(has_feature(&inside, "p:first"));
}

static void test_codepoint_offsets_survive_curly_quotes(void **state)
{
	(void)state;
	/* “ is one code point of three bytes, normalised to one byte. */
	const char *s = "\xe2\x80\x9cNo,\xe2\x80\x9d said Mayor \xc3\x96zt\xc3\xbcrk today.";
	stance_doc *doc = test_doc(s, "segment");
	stance_span span;
	stance_error err;
	assert_int_equal(stance_features_codepoint_span(doc, 11, 23, &span, &err), STANCE_OK);
	assert_string_equal(test_span(doc, span), "Mayor \xc3\x96zt\xc3\xbcrk");
	assert_int_equal(stance_features_codepoint_span(doc, 30, 60, &span, &err), STANCE_EDATA);
	stance_doc_free(doc);
}

static void test_word_vectors_describe_the_context(void **state)
{
	(void)state;
	const char *s = "Officials in the capital welcomed Minister Haldane warmly on Monday.";
	names middle, first;
	features_of(s, "Minister Haldane", &middle);
	features_of(s, "Officials", &first);
	static const char *const blocks[] = {"el:+0", "er:+0", "es:+0", "el5:+0", "er5:+99"};
	for (size_t k = 0; k < STANCE_ARRAY_LEN(blocks); k++)
		if (!has_feature(&middle, blocks[k]))
			fail_msg("no %s for a target with words on both sides", blocks[k]);
	/* Nothing stands left of the first word, so it has no left contexts. */
	assert_true(has_feature(&first, "er:+0"));
	assert_false(has_feature(&first, "el:+0"));
	assert_false(has_feature(&first, "el5:+0"));
}

/* --- training and prediction --- */
static const char *const people[] = {"Mayor Quill", "Senator Ardent", "Director Balog",
				     "Minister Tsai", "Judge Ferreira", "Captain Moss",
				     "Professor Ude", "Chairwoman Lind"};
static const char *const templates[][2] = {
	{"Residents praised %s for the excellent and generous new park.", "1"},
	{"Everyone admired %s, whose wonderful work helped thousands.", "1"},
	{"The report celebrated %s as a brilliant, honest leader.", "1"},
	{"Critics condemned %s for the corrupt and disastrous deal.", "-1"},
	{"Protesters accused %s of lying and of shameful abuse.", "-1"},
	{"The scandal exposed %s as a dishonest, incompetent failure.", "-1"},
	{"%s will visit the harbour on Tuesday morning.", "0"},
	{"The meeting with %s took place in the town hall.", "0"},
	{"%s arrived at the station at nine o'clock.", "0"},
};

static void train_sample(const char *dir, stance_svm_train_report *report)
{
	stance_svm_trainer *t;
	stance_error err;
	char sentence[256];
	assert_int_equal(stance_svm_trainer_new(&t), STANCE_OK);
	for (size_t i = 0; i < STANCE_ARRAY_LEN(templates); i++) {
		for (size_t k = 0; k < STANCE_ARRAY_LEN(people); k++) {
			snprintf(sentence, sizeof(sentence), templates[i][0], people[k]);
			stance_doc *doc = test_doc(sentence, "segment");
			assert_int_equal(stance_svm_trainer_add(t, test_models(), doc,
								span_of(doc, people[k]),
								atoi(templates[i][1]), &err),
					 STANCE_OK);
			stance_doc_free(doc);
		}
	}
	static const double c[] = {0.1, 1};
	stance_svm_train_options o = {.folds = 3, .seed = 7, .c = c, .nc = 2, .min_count = 1};
	assert_int_equal(stance_svm_train(t, &o, dir, report, &err), STANCE_OK);
	stance_svm_trainer_free(t);
}

static char model_dir[64];

static void path_in(char *path, size_t size, const char *dir, const char *name)
{
	snprintf(path, size, "%s/%s", dir, name);
}

static void remove_model(const char *dir)
{
	char path[128];
	path_in(path, sizeof(path), dir, STANCE_SVM_MODEL);
	remove(path);
	path_in(path, sizeof(path), dir, STANCE_SVM_FEATURES);
	remove(path);
	rmdir(dir);
}

static int train_once(void **state)
{
	(void)state;
	snprintf(model_dir, sizeof(model_dir), "/tmp/stance-svm-XXXXXX");
	assert_non_null(mkdtemp(model_dir));
	stance_svm_train_report report;
	train_sample(model_dir, &report);
	return 0;
}

static int remove_trained(void **state)
{
	(void)state;
	remove_model(model_dir);
	return 0;
}

static void slurp(const char *dir, const char *name, char **data, size_t *len)
{
	char path[128];
	stance_error err;
	path_in(path, sizeof(path), dir, name);
	assert_int_equal(stance_read_file(path, SIZE_MAX, data, len, &err), STANCE_OK);
}

static void assert_same_file(const char *dir_a, const char *dir_b, const char *name)
{
	size_t na, nb;
	char *a, *b;
	slurp(dir_a, name, &a, &na);
	slurp(dir_b, name, &b, &nb);
	assert_true(na > 0);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	free(a);
	free(b);
}

static void test_training_twice_gives_identical_files(void **state)
{
	(void)state;
	char again[64] = "/tmp/stance-svm-XXXXXX";
	assert_non_null(mkdtemp(again));
	stance_svm_train_report report;
	train_sample(again, &report);
	assert_same_file(model_dir, again, STANCE_SVM_MODEL);
	assert_same_file(model_dir, again, STANCE_SVM_FEATURES);
	remove_model(again);
}

static stance_svm *load_trained(void)
{
	stance_svm *svm;
	stance_error err;
	assert_int_equal(stance_svm_load(&svm, model_dir, test_models()->embeddings, &err), STANCE_OK);
	assert_non_null(svm);
	return svm;
}

static stance_svm_result classify(const stance_svm *svm, const char *sentence,
				  const char *target)
{
	stance_doc *doc = test_doc(sentence, "segment");
	stance_svm_result r;
	stance_error err;
	assert_int_equal(stance_svm_predict(svm, test_models(), doc, span_of(doc, target),
					    stance_doc_arena(doc), &r, &err),
			 STANCE_OK);
	stance_doc_free(doc);
	assert_true(fabs(r.p[0] + r.p[1] + r.p[2] - 1.0) < 1e-6);
	assert_true(fabs(r.svm - (r.p[2] - r.p[0])) < 1e-12);
	return r;
}

static void test_predictions_go_the_right_way(void **state)
{
	(void)state;
	stance_svm *svm = load_trained();
	stance_svm_result good = classify(svm, "Residents praised Dr Okonjo for the excellent "
					  "and generous new library.", "Dr Okonjo");
	stance_svm_result bad = classify(svm, "Critics condemned Dr Okonjo for the corrupt and "
					 "disastrous plan.", "Dr Okonjo");
	stance_svm_result plain = classify(svm, "Dr Okonjo will visit the harbour on Tuesday "
					   "morning.", "Dr Okonjo");
	assert_int_equal(stance_svm_label(good.p), 1);
	assert_int_equal(stance_svm_label(bad.p), -1);
	assert_int_equal(stance_svm_label(plain.p), 0);
	assert_true(good.svm > plain.svm && plain.svm > bad.svm);
	assert_true(good.tone > bad.tone);
	stance_svm_free(svm);
}

/* Neither word is in the training sample, the lexicon or the cue verbs: only their vectors,
 * near those of "praised" and "condemned", tell the model which way they go. */
static void test_unseen_words_lean_like_their_neighbours(void **state)
{
	(void)state;
	stance_svm *svm = load_trained();
	stance_svm_result extolled = classify(svm, "Villagers extolled Dr Okonjo.", "Dr Okonjo");
	stance_svm_result vilified = classify(svm, "Villagers vilified Dr Okonjo.", "Dr Okonjo");
	if (!(extolled.svm > vilified.svm))
		fail_msg("extolled %.4f is not above vilified %.4f", extolled.svm, vilified.svm);
	stance_svm_free(svm);
}

static void test_a_model_with_word_vectors_needs_them(void **state)
{
	(void)state;
	stance_svm *svm = NULL;
	stance_error err;
	assert_int_equal(stance_svm_load(&svm, model_dir, NULL, &err), STANCE_EMODEL);
	assert_null(svm);
	if (!strstr(err.message, STANCE_EMBEDDINGS_FILE))
		fail_msg("\"%s\" does not name " STANCE_EMBEDDINGS_FILE, err.message);
}

static int by_node_index(const void *a, const void *b)
{
	return ((const struct svm_node *)a)->index - ((const struct svm_node *)b)->index;
}

/* The collapsed weights and the coupling reproduce libsvm's own prediction. */
static void test_prediction_matches_libsvm(void **state)
{
	(void)state;
	stance_svm *svm = load_trained();
	char path[128];
	path_in(path, sizeof(path), model_dir, STANCE_SVM_MODEL);
	struct svm_model *reference = svm_load_model(path);
	assert_non_null(reference);
	const char *s = "Protesters praised Dr Okonjo but accused the council of lying.";
	stance_doc *doc = test_doc(s, "segment");
	stance_span target = span_of(doc, "Dr Okonjo");
	stance_feature_vector v;
	stance_svm_result r;
	stance_error err;
	assert_int_equal(stance_features_lookup(test_models(), doc, target,
						stance_svm_dictionary(svm), stance_doc_arena(doc),
						&v, &err),
			 STANCE_OK);
	struct svm_node x[2048];
	assert_true(v.n < STANCE_ARRAY_LEN(x));
	for (size_t i = 0; i < v.n; i++)
		x[i] = (struct svm_node){(int)v.items[i].index, v.items[i].value};
	x[v.n].index = -1;
	qsort(x, v.n, sizeof(*x), by_node_index); /* libsvm's dot product walks them in order */
	double expected[3], p[3];
	int labels[3];
	svm_predict_probability(reference, x, expected);
	svm_get_labels(reference, labels);
	for (int c = 0; c < 3; c++)
		p[labels[c] + 1] = expected[c];
	assert_int_equal(stance_svm_predict(svm, test_models(), doc, target, stance_doc_arena(doc),
					    &r, &err),
			 STANCE_OK);
	for (int c = 0; c < 3; c++)
		assert_true(fabs(r.p[c] - p[c]) < 1e-9);
	svm_free_and_destroy_model(&reference);
	stance_doc_free(doc);
	stance_svm_free(svm);
}

/* The saved model holds one weight vector per pair of classes, not the training examples;
 * libsvm must predict from it what it predicts from the original. */
static void test_saved_model_predicts_as_the_trained_one(void **state)
{
	(void)state;
	enum { N = 60, F = 8 };
	static struct svm_node nodes[N][F + 1];
	static struct svm_node *rows[N];
	static double y[N];
	for (int i = 0; i < N; i++) {
		int label = i % 3 - 1;
		for (int f = 0; f < F; f++) {
			double noise = (double)((i * 7 + f * 13) % 11) / 11.0;
			nodes[i][f] = (struct svm_node){f + 1, noise + (f % 3 - 1 == label ? 1 : 0)};
		}
		nodes[i][F].index = -1;
		rows[i] = nodes[i];
		y[i] = label;
	}
	struct svm_problem problem = {.l = N, .y = y, .x = rows};
	struct svm_parameter param = {.svm_type = C_SVC, .kernel_type = LINEAR, .C = 1,
				      .cache_size = 10, .eps = 0.001, .probability = 1};
	srand(3);
	struct svm_model *trained = svm_train(&problem, &param);
	char full[64] = "/tmp/stance-full-XXXXXX", linear[64] = "/tmp/stance-linear-XXXXXX";
	close(mkstemp(full));
	close(mkstemp(linear));
	assert_int_equal(svm_save_model(full, trained), 0);
	assert_int_equal(stance_svm_save_linear(trained, F, linear), 0);
	struct svm_model *a = svm_load_model(full), *b = svm_load_model(linear);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(svm_get_nr_sv(b), 3);
	for (int i = 0; i < N; i += 5) {
		double da[3], db[3], pa[3], pb[3];
		svm_predict_values(a, rows[i], da);
		svm_predict_values(b, rows[i], db);
		assert_true(svm_predict_probability(a, rows[i], pa) ==
			    svm_predict_probability(b, rows[i], pb));
		for (int k = 0; k < 3; k++) {
			assert_true(fabs(da[k] - db[k]) < 1e-6);
			assert_true(fabs(pa[k] - pb[k]) < 1e-6);
		}
	}
	svm_free_and_destroy_model(&a);
	svm_free_and_destroy_model(&b);
	svm_free_and_destroy_model(&trained);
	remove(full);
	remove(linear);
}

/* --- broken model files --- */
static void copy_with(const char *from_dir, const char *to_dir, const char *name,
		      size_t keep_bytes, const char *replace, const char *with)
{
	size_t len;
	char *data, path[128];
	slurp(from_dir, name, &data, &len);
	if (keep_bytes < len)
		len = keep_bytes;
	path_in(path, sizeof(path), to_dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	const char *found = replace ? strstr(data, replace) : NULL;
	size_t head = found ? (size_t)(found - data) : len;
	fwrite(data, 1, head, f);
	if (found) {
		fputs(with, f);
		fputs(data + head + strlen(replace), f);
	}
	fclose(f);
	free(data);
}

/* Loads a copy of the trained model whose file name is damaged as described, and expects the
 * load to fail with STANCE_EMODEL naming that file. */
static void assert_refused(const char *name, size_t keep_bytes, const char *replace,
			   const char *with, const char *expected)
{
	char dir[64] = "/tmp/stance-svm-XXXXXX";
	assert_non_null(mkdtemp(dir));
	static const char *const files[] = {STANCE_SVM_MODEL, STANCE_SVM_FEATURES};
	for (size_t i = 0; i < 2; i++) {
		bool damaged = strcmp(files[i], name) == 0;
		copy_with(model_dir, dir, files[i], damaged ? keep_bytes : SIZE_MAX,
			  damaged ? replace : NULL, with);
	}
	stance_svm *svm = NULL;
	stance_error err;
	assert_int_equal(stance_svm_load(&svm, dir, test_models()->embeddings, &err), STANCE_EMODEL);
	assert_null(svm);
	if (!strstr(err.message, name) || !strstr(err.message, expected))
		fail_msg("\"%s\" does not name %s and say %s", err.message, name, expected);
	remove_model(dir);
}

static void test_damaged_models_are_refused(void **state)
{
	(void)state;
	size_t len;
	char *data;
	slurp(model_dir, STANCE_SVM_MODEL, &data, &len);
	free(data);
	assert_refused(STANCE_SVM_MODEL, len / 2, NULL, NULL, "truncated");
	assert_refused(STANCE_SVM_MODEL, SIZE_MAX, "kernel_type linear", "kernel_type rbf", ":2:");
	assert_refused(STANCE_SVM_MODEL, SIZE_MAX, "\nSV\n", "\nSV\n0.5 0.5 1:x\n", "feature value");
	assert_refused(STANCE_SVM_MODEL, SIZE_MAX, "nr_class", "nr_klass", ":3:");
	slurp(model_dir, STANCE_SVM_FEATURES, &data, &len);
	free(data);
	assert_refused(STANCE_SVM_FEATURES, len - 10, NULL, NULL, "truncated");
	assert_refused(STANCE_SVM_FEATURES, SIZE_MAX, "tone ", "tone x", ":2:");
	assert_refused(STANCE_SVM_FEATURES, SIZE_MAX, "stance-svm-features 1\n", "", ":1:");
}

static void test_a_directory_without_a_model_loads_none(void **state)
{
	(void)state;
	char dir[64] = "/tmp/stance-svm-XXXXXX";
	assert_non_null(mkdtemp(dir));
	stance_svm *svm = NULL;
	stance_error err;
	assert_int_equal(stance_svm_load(&svm, dir, test_models()->embeddings, &err), STANCE_OK);
	assert_null(svm);
	copy_with(model_dir, dir, STANCE_SVM_FEATURES, SIZE_MAX, NULL, NULL);
	assert_int_equal(stance_svm_load(&svm, dir, test_models()->embeddings, &err), STANCE_EMODEL);
	if (!strstr(err.message, STANCE_SVM_MODEL))
		fail_msg("\"%s\" does not name " STANCE_SVM_MODEL, err.message);
	remove_model(dir);
}

/* --- word vectors --- */
static char *vectors_dir(const char *bytes, size_t len)
{
	static char dir[64];
	char path[128];
	snprintf(dir, sizeof(dir), "/tmp/stance-vectors-XXXXXX");
	assert_non_null(mkdtemp(dir));
	path_in(path, sizeof(path), dir, STANCE_EMBEDDINGS_FILE);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	fclose(f);
	return dir;
}

static void remove_vectors_dir(const char *dir)
{
	char path[128];
	path_in(path, sizeof(path), dir, STANCE_EMBEDDINGS_FILE);
	remove(path);
	rmdir(dir);
}

#define TWO_WORDS "stance-embeddings 1 2 3 0.01\nkremlin\nsanctions\n"

static void test_word_vectors_are_found_as_text_writes_words(void **state)
{
	(void)state;
	static const char file[] = TWO_WORDS "\x01\x02\x03\xff\xfe\x7f";
	char *dir = vectors_dir(file, sizeof(file) - 1);
	stance_embeddings *e;
	stance_error err;
	assert_int_equal(stance_embeddings_load(&e, dir, &err), STANCE_OK);
	assert_non_null(e);
	assert_int_equal(stance_embeddings_dims(e), 3);
	assert_true(fabs(stance_embeddings_scale(e) - 0.01) < 1e-12);
	const int8_t *kremlin = stance_embeddings_find(e, "Kremlin's", 9);
	const int8_t *sanctions = stance_embeddings_find(e, "SANCTIONS", 9);
	assert_non_null(kremlin);
	assert_non_null(sanctions);
	assert_int_equal(kremlin[2], 3);
	assert_int_equal(sanctions[0], -1);
	assert_int_equal(sanctions[2], 127);
	assert_null(stance_embeddings_find(e, "moscow", 6));
	stance_embeddings_free(e);
	remove_vectors_dir(dir);
}

static void assert_vectors_refused(const char *file, size_t len, const char *expected)
{
	char *dir = vectors_dir(file, len);
	stance_embeddings *e = NULL;
	stance_error err;
	assert_int_equal(stance_embeddings_load(&e, dir, &err), STANCE_EMODEL);
	assert_null(e);
	if (!strstr(err.message, STANCE_EMBEDDINGS_FILE) || !strstr(err.message, expected))
		fail_msg("\"%s\" does not name the file and say %s", err.message, expected);
	remove_vectors_dir(dir);
}

static void test_damaged_word_vectors_are_refused(void **state)
{
	(void)state;
	static const struct {
		const char *file, *expected;
	} cases[] = {
		{"stance-embeddings 2 2 3 0.01\nkremlin\nsanctions\n123456", "expected"},
		{"stance-embeddings 1 2 0 0.01\nkremlin\nsanctions\n", "DIMS"},
		{"stance-embeddings 1 2 3 2.5\nkremlin\nsanctions\n123456", "SCALE"},
		{"stance-embeddings 1 3 3 0.01\nkremlin\nsanctions\n123456", "word 3 of 3"},
		{"stance-embeddings 1 2 3 0.01\nkremlin\nkremlin\n123456", "comes twice"},
		{TWO_WORDS "12345", "do not fill"},
		{TWO_WORDS "1234567", "do not fill"},
		{"", "expected"},
	};
	for (size_t i = 0; i < STANCE_ARRAY_LEN(cases); i++)
		assert_vectors_refused(cases[i].file, strlen(cases[i].file), cases[i].expected);
}

static void test_a_directory_without_word_vectors_loads_none(void **state)
{
	(void)state;
	char dir[64] = "/tmp/stance-vectors-XXXXXX";
	assert_non_null(mkdtemp(dir));
	stance_embeddings *e = (stance_embeddings *)dir;
	stance_error err;
	assert_int_equal(stance_embeddings_load(&e, dir, &err), STANCE_OK);
	assert_null(e);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest features[] = {
		cmocka_unit_test(test_features_are_deterministic),
		cmocka_unit_test(test_window_sees_the_words_around_the_target),
		cmocka_unit_test(test_quotes_and_position),
		cmocka_unit_test(test_codepoint_offsets_survive_curly_quotes),
		cmocka_unit_test(test_word_vectors_describe_the_context),
	};
	const struct CMUnitTest model[] = {
		cmocka_unit_test(test_training_twice_gives_identical_files),
		cmocka_unit_test(test_predictions_go_the_right_way),
		cmocka_unit_test(test_unseen_words_lean_like_their_neighbours),
		cmocka_unit_test(test_a_model_with_word_vectors_needs_them),
		cmocka_unit_test(test_prediction_matches_libsvm),
		cmocka_unit_test(test_saved_model_predicts_as_the_trained_one),
		cmocka_unit_test(test_damaged_models_are_refused),
		cmocka_unit_test(test_a_directory_without_a_model_loads_none),
	};
	const struct CMUnitTest vectors[] = {
		cmocka_unit_test(test_word_vectors_are_found_as_text_writes_words),
		cmocka_unit_test(test_damaged_word_vectors_are_refused),
		cmocka_unit_test(test_a_directory_without_word_vectors_loads_none),
	};
	int failed = cmocka_run_group_tests_name("features", features, NULL, NULL);
	failed += cmocka_run_group_tests_name("word vectors", vectors, NULL, NULL);
	return failed + cmocka_run_group_tests_name("model", model, train_once, remove_trained);
}
