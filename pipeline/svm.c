/* The SVM model: loading libsvm's model file and the dictionary, collapsing the support vectors
 * into per-pair weight vectors, and predicting with libsvm's probability coupling.
 *
 * svm.model is read here rather than by svm_load_model(), which neither names the line of a
 * malformed entry nor survives a truncated file. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libsvm/svm.h>

#include "embeddings.h"
#include "svm.h"

#define MAX_CLASSES 3
#define MAX_PAIRS (MAX_CLASSES * (MAX_CLASSES - 1) / 2)
#define MAX_MODEL_BYTES (512u * 1024u * 1024u)
#define FEATURES_MAGIC "stance-svm-features 1"

struct stance_svm {
	stance_dictionary *dict;
	int nr_class, npairs;
	int label[MAX_CLASSES]; /* the polarity (-1, 0, +1) of each of the model's classes */
	double rho[MAX_PAIRS], prob_a[MAX_PAIRS], prob_b[MAX_PAIRS];
	double *w; /* w[f * npairs + p]: the weight of feature f for class pair p */
	double *block_w; /* block_w[p * nblocks + b]: of word vector feature b (block order) */
	size_t nblocks;
	stance_svm_tone_weights tone;
};

/* --- reading files line by line, with line numbers for the messages --- */
typedef struct lines {
	char *p, *end;
	const char *path;
	size_t lineno;
} lines;

static char *next_line(lines *r)
{
	if (r->p >= r->end)
		return NULL;
	char *line = r->p, *nl = memchr(line, '\n', (size_t)(r->end - line));
	if (nl) {
		*nl = '\0';
		r->p = nl + 1;
	} else {
		r->p = r->end;
	}
	r->lineno++;
	return line;
}

static int malformed(const lines *r, const char *what, stance_error *err)
{
	return stance_fail(err, STANCE_EMODEL, "%s:%zu: %s", r->path, r->lineno, what);
}

/* A model file that cannot be read is a model error, whatever the reason. */
static int unreadable(stance_error *err)
{
	char reason[STANCE_ERROR_MAX];
	snprintf(reason, sizeof(reason), "%s", err->message);
	return stance_fail(err, STANCE_EMODEL, "%s (a model needs both %s and %s)", reason,
			   STANCE_SVM_MODEL, STANCE_SVM_FEATURES);
}

/* Reads a whole model file. The writers end every line, so a file that stops mid-line was cut
 * short. */
static int read_model_file(const char *path, char **bytes, lines *r, stance_error *err)
{
	size_t len = 0;
	*r = (lines){.path = path};
	if (stance_read_file(path, MAX_MODEL_BYTES, bytes, &len, err) != STANCE_OK)
		return unreadable(err);
	*r = (lines){*bytes, *bytes + len, path, 0};
	if (len == 0 || (*bytes)[len - 1] != '\n') {
		free(*bytes);
		return stance_fail(err, STANCE_EMODEL, "%s: truncated (empty, or the last line "
				   "has no end)", path);
	}
	return STANCE_OK;
}

static bool at_end(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	return *s == '\0';
}

/* Reads n numbers from s; fails unless exactly n are there. */
static int parse_doubles(const char *s, double *out, int n)
{
	for (int i = 0; i < n; i++) {
		char *end;
		errno = 0;
		out[i] = strtod(s, &end);
		if (end == s || errno || !isfinite(out[i]))
			return -1;
		s = end;
	}
	return at_end(s) ? 0 : -1;
}

static int parse_ints(const char *s, long *out, int n)
{
	for (int i = 0; i < n; i++) {
		char *end;
		errno = 0;
		out[i] = strtol(s, &end, 10);
		if (end == s || errno)
			return -1;
		s = end;
	}
	return at_end(s) ? 0 : -1;
}

/* --- svm.model --- */
typedef struct header {
	long total_sv;
	long nr_sv[MAX_CLASSES];
	unsigned seen; /* bit per key in header_keys */
} header;

static const char *const header_keys[] = {"svm_type", "kernel_type", "nr_class", "total_sv",
					  "rho", "label", "probA", "probB", "nr_sv"};

static int parse_labels(stance_svm *svm, const char *s)
{
	long v[MAX_CLASSES];
	if (parse_ints(s, v, svm->nr_class) != 0)
		return -1;
	for (int i = 0; i < svm->nr_class; i++) {
		if (v[i] < -1 || v[i] > 1)
			return -1;
		for (int j = 0; j < i; j++)
			if (v[j] == v[i])
				return -1;
		svm->label[i] = (int)v[i];
	}
	return 0;
}

static int parse_class_count(stance_svm *svm, const char *s)
{
	long n;
	if (parse_ints(s, &n, 1) != 0 || n < 2 || n > MAX_CLASSES)
		return -1;
	svm->nr_class = (int)n;
	svm->npairs = (int)(n * (n - 1) / 2);
	return 0;
}

static int parse_sv_counts(stance_svm *svm, header *h, const char *s)
{
	if (parse_ints(s, h->nr_sv, svm->nr_class) != 0)
		return -1;
	long sum = 0;
	for (int i = 0; i < svm->nr_class; i++) {
		if (h->nr_sv[i] < 0)
			return -1;
		sum += h->nr_sv[i];
	}
	return sum == h->total_sv ? 0 : -1;
}

/* One header line: key, then its values. Keys that need the class count come after it. */
static int parse_header_value(stance_svm *svm, header *h, int key, const char *value)
{
	bool counted = h->seen & (1u << 2);
	switch (key) {
	case 0: return strcmp(value, "c_svc") == 0 ? 0 : -1;
	case 1: return strcmp(value, "linear") == 0 ? 0 : -1;
	case 2: return parse_class_count(svm, value);
	case 3: return parse_ints(value, &h->total_sv, 1) == 0 && h->total_sv >= 0 ? 0 : -1;
	case 4: return counted ? parse_doubles(value, svm->rho, svm->npairs) : -1;
	case 5: return counted ? parse_labels(svm, value) : -1;
	case 6: return counted ? parse_doubles(value, svm->prob_a, svm->npairs) : -1;
	case 7: return counted ? parse_doubles(value, svm->prob_b, svm->npairs) : -1;
	default: return counted && (h->seen & (1u << 3)) ? parse_sv_counts(svm, h, value) : -1;
	}
}

static int parse_header(stance_svm *svm, header *h, lines *r, stance_error *err)
{
	char *line;
	while ((line = next_line(r)) && strcmp(line, "SV") != 0) {
		size_t klen = strcspn(line, " ");
		int key = -1;
		for (size_t k = 0; k < STANCE_ARRAY_LEN(header_keys); k++)
			if (strlen(header_keys[k]) == klen && memcmp(line, header_keys[k], klen) == 0)
				key = (int)k;
		if (key < 0 || line[klen] != ' ')
			return malformed(r, "not a header line of a linear C-SVC model", err);
		if (parse_header_value(svm, h, key, line + klen + 1) != 0)
			return malformed(r, "bad value (expected a linear C-SVC model with "
					 "probability estimates and labels -1, 0, 1)", err);
		h->seen |= 1u << key;
	}
	if (!line || h->seen != (1u << STANCE_ARRAY_LEN(header_keys)) - 1)
		return malformed(r, "incomplete header (every key up to nr_sv, then SV)", err);
	return STANCE_OK;
}

/* What a support vector of one class adds to the pair weights: for the pair (i, j), libsvm
 * keeps a vector of class i under coefficient j - 1 and one of class j under coefficient i. */
typedef struct shares {
	int pair[MAX_CLASSES - 1];
	double coef[MAX_CLASSES - 1];
	int n;
} shares;

/* The pairs of classes a support vector of class c takes part in, with its coefficient in
 * each (libsvm's layout of sv_coef). */
static shares shares_of(int nr_class, int c, const double *coef)
{
	shares s = {.n = 0};
	for (int i = 0, p = 0; i < nr_class; i++) {
		for (int j = i + 1; j < nr_class; j++, p++) {
			if (c == i || c == j) {
				s.pair[s.n] = p;
				s.coef[s.n++] = c == i ? coef[j - 1] : coef[i];
			}
		}
	}
	return s;
}

/* Adds a support vector's component to w[index * npairs + pair] of every pair it is in. */
static void add_vector(double *w, int npairs, const shares *s, uint32_t index, double value)
{
	double *row = w + (size_t)index * (size_t)npairs;
	for (int k = 0; k < s->n; k++)
		row[s->pair[k]] += s->coef[k] * value;
}

/* The support vectors are half a million numbers, and strtod() and strtol() took most of the
 * load time. Numbers as libsvm prints them take the fast paths below, which give exactly what
 * the library would; anything else (signs, spaces, hex, long mantissas) goes to the library,
 * so what a model file may hold is unchanged. */
static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

#define EXACT_MANTISSA (1ull << 53) /* integers up to this are exact doubles */
#define EXACT_POWER 22              /* 1e22 is the largest exact power of ten */

/* Reads digits into *m; returns how many. */
static int read_digits(const char **s, uint64_t *m)
{
	const char *p = *s;
	for (; is_digit(*p); p++)
		*m = *m * 10 + (uint64_t)(*p - '0');
	int n = (int)(p - *s);
	*s = p;
	return n;
}

/* A mantissa of at most 19 digits, as many as a uint64_t holds; -1 when longer. */
static int read_mantissa(const char **s, uint64_t *m, int *scale)
{
	int digits = read_digits(s, m), fraction = 0;
	if (**s == '.') {
		(*s)++;
		fraction = read_digits(s, m);
	}
	*scale = -fraction;
	return digits + fraction > 19 ? -1 : digits + fraction;
}

/* "e-05" after a mantissa; false when an exponent starts but has no digits. */
static bool read_exponent(const char **s, int *scale)
{
	const char *p = *s;
	if (*p != 'e' && *p != 'E')
		return true;
	bool minus = p[1] == '-';
	p += p[1] == '-' || p[1] == '+' ? 2 : 1;
	if (!is_digit(*p))
		return false;
	int e = 0;
	for (; is_digit(*p) && e < 1000; p++)
		e = e * 10 + (*p - '0');
	if (is_digit(*p))
		return false;
	*scale += minus ? -e : e;
	*s = p;
	return true;
}

/* Clinger's fast path: an exact mantissa times or divided by an exact power of ten is one
 * correctly rounded operation, so the result is strtod()'s. */
static bool decimal_fast(const char *s, char **end, double *out)
{
	static const double powers[EXACT_POWER + 1] = {
		1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
	const char *p = s + (*s == '-');
	uint64_t m = 0;
	int scale;
	if (!is_digit(*p) && !(*p == '.' && is_digit(p[1])))
		return false;
	if (read_mantissa(&p, &m, &scale) <= 0 || !read_exponent(&p, &scale) || is_alpha(*p) ||
	    *p == '.' || m > EXACT_MANTISSA || scale < -EXACT_POWER || scale > EXACT_POWER)
		return false;
	double v = scale < 0 ? (double)m / powers[-scale] : (double)m * powers[scale];
	*out = *s == '-' ? -v : v;
	*end = (char *)p;
	return true;
}

/* strtod(), after at most one space as libsvm writes them. */
static double parse_double(const char *s, char **end)
{
	double v;
	return decimal_fast(s + (*s == ' '), end, &v) ? v : strtod(s, end);
}

/* strtol() for base 10, after at most one space; *end is s when no number is there or it
 * overflows. */
static long parse_long(const char *s, char **end)
{
	long v = 0;
	const char *first = s + (*s == ' '), *p = first;
	for (; is_digit(*p) && p - first < 18; p++)
		v = v * 10 + (*p - '0');
	if (p != first && !is_digit(*p)) {
		*end = (char *)p;
		return v;
	}
	errno = 0;
	v = strtol(s, end, 10);
	if (errno)
		*end = (char *)s;
	return v;
}

static int parse_vector(stance_svm *svm, int c, char *s, const lines *r, stance_error *err)
{
	double coef[MAX_CLASSES - 1];
	char *end;
	for (int k = 0; k < svm->nr_class - 1; k++, s = end) {
		coef[k] = parse_double(s, &end);
		if (end == s || !isfinite(coef[k]))
			return malformed(r, "bad coefficient of a support vector", err);
	}
	shares sh = shares_of(svm->nr_class, c, coef);
	size_t nfeatures = stance_dictionary_size(svm->dict);
	long last = 0;
	while (!at_end(s)) {
		long index = parse_long(s, &end);
		if (end == s || *end != ':' || index <= last || (size_t)index > nfeatures)
			return malformed(r, "bad feature index (ascending, within the dictionary)",
					 err);
		s = end + 1;
		double value = parse_double(s, &end);
		if (end == s || !isfinite(value) || (*end && *end != ' ' && *end != '\r'))
			return malformed(r, "bad feature value", err);
		add_vector(svm->w, svm->npairs, &sh, (uint32_t)index, value);
		s = end, last = index;
	}
	return STANCE_OK;
}

static int parse_vectors(stance_svm *svm, const header *h, lines *r, stance_error *err)
{
	size_t nfeatures = stance_dictionary_size(svm->dict);
	svm->w = calloc((nfeatures + 1) * (size_t)svm->npairs, sizeof(*svm->w));
	if (!svm->w)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", r->path);
	for (int c = 0; c < svm->nr_class; c++) {
		for (long k = 0; k < h->nr_sv[c]; k++) {
			char *line = next_line(r);
			if (!line)
				return stance_fail(err, STANCE_EMODEL, "%s: truncated: %ld support "
						   "vectors announced, fewer found", r->path,
						   h->total_sv);
			int rc = parse_vector(svm, c, line, r, err);
			if (rc)
				return rc;
		}
	}
	char *line;
	while ((line = next_line(r)))
		if (!at_end(line))
			return malformed(r, "text after the last support vector", err);
	return STANCE_OK;
}

static int load_model(stance_svm *svm, const char *path, stance_error *err)
{
	char *bytes;
	lines r;
	int rc = read_model_file(path, &bytes, &r, err);
	if (rc)
		return rc;
	header h = {0};
	rc = parse_header(svm, &h, &r, err);
	if (!rc)
		rc = parse_vectors(svm, &h, &r, err);
	free(bytes);
	return rc;
}

/* --- svm.features --- */
static int parse_feature_names(stance_svm *svm, lines *r, size_t count, stance_error *err)
{
	for (size_t i = 0; i < count; i++) {
		char *line = next_line(r);
		if (!line)
			return stance_fail(err, STANCE_EMODEL, "%s: truncated: %zu features announced, "
					   "%zu found", r->path, count, i);
		size_t n = strlen(line);
		if (n == 0)
			return malformed(r, "empty feature name", err);
		if (stance_dictionary_add(svm->dict, line, n) != i + 1)
			return malformed(r, "feature named twice (or sharing a hash)", err);
	}
	char *line = next_line(r);
	return line ? malformed(r, "more features than announced", err) : STANCE_OK;
}

static int parse_features(stance_svm *svm, lines *r, stance_error *err)
{
	char *line = next_line(r);
	if (!line || strcmp(line, FEATURES_MAGIC) != 0)
		return malformed(r, "expected \"" FEATURES_MAGIC "\"", err);
	double tone[3];
	line = next_line(r);
	if (!line || strncmp(line, "tone ", 5) != 0 || parse_doubles(line + 5, tone, 3) != 0)
		return malformed(r, "expected \"tone LEXICON_WEIGHT NEGATIVE_BIAS POSITIVE_BIAS\"",
				 err);
	/* Weights beyond +-50 would overflow exp() in the tone; training never picks them. */
	for (int i = 0; i < 3; i++)
		if (!(fabs(tone[i]) <= 50))
			return malformed(r, "tone weights must be finite numbers within [-50, 50]",
					 err);
	svm->tone = (stance_svm_tone_weights){tone[0], tone[1], tone[2]};
	long count;
	line = next_line(r);
	if (!line || strncmp(line, "count ", 6) != 0 || parse_ints(line + 6, &count, 1) != 0 ||
	    count < 1)
		return malformed(r, "expected \"count N\"", err);
	return parse_feature_names(svm, r, (size_t)count, err);
}

static int load_features(stance_svm *svm, const char *path, stance_error *err)
{
	char *bytes;
	lines r;
	int rc = read_model_file(path, &bytes, &r, err);
	if (rc)
		return rc;
	rc = stance_dictionary_new(&svm->dict);
	if (rc)
		rc = stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", path);
	else
		rc = parse_features(svm, &r, err);
	free(bytes);
	return rc;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Readies the model's word vector features for predictions with e. */
static int bind_embeddings(stance_svm *svm, const stance_embeddings *e, stance_error *err)
{
	size_t dims = e ? stance_embeddings_dims(e) : 0;
	int rc = stance_dictionary_bind_dense(svm->dict, dims);
	if (rc == STANCE_EMODEL)
		return stance_fail(err, rc, "%s: the model's word vector features need %s with "
				   "more than %zu dimensions", STANCE_SVM_FEATURES,
				   STANCE_EMBEDDINGS_FILE, dims);
	const uint32_t *index = rc ? NULL : stance_dictionary_blocks(svm->dict, &svm->nblocks);
	if (index && !(svm->block_w = calloc(svm->nblocks * (size_t)svm->npairs, sizeof(double))))
		rc = STANCE_EINTERNAL;
	if (rc)
		return stance_fail(err, rc, "out of memory");
	for (size_t b = 0; index && b < svm->nblocks; b++)
		for (int p = 0; index[b] && p < svm->npairs; p++)
			svm->block_w[(size_t)p * svm->nblocks + b] =
				svm->w[(size_t)index[b] * (size_t)svm->npairs + (size_t)p];
	return STANCE_OK;
}

int stance_svm_load(stance_svm **out, const char *dir, const stance_embeddings *e,
		    stance_error *err)
{
	char model[4096], features[4096];
	snprintf(model, sizeof(model), "%s/" STANCE_SVM_MODEL, dir);
	snprintf(features, sizeof(features), "%s/" STANCE_SVM_FEATURES, dir);
	*out = NULL;
	if (!exists(model) && !exists(features))
		return STANCE_OK;
	stance_svm *svm = calloc(1, sizeof(*svm));
	if (!svm)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", model);
	int rc = load_features(svm, features, err);
	if (!rc)
		rc = load_model(svm, model, err);
	if (!rc)
		rc = bind_embeddings(svm, e, err);
	if (rc) {
		stance_svm_free(svm);
		return rc;
	}
	*out = svm;
	return STANCE_OK;
}

void stance_svm_free(stance_svm *svm)
{
	if (!svm)
		return;
	stance_dictionary_free(svm->dict);
	free(svm->w);
	free(svm->block_w);
	free(svm);
}

const stance_dictionary *stance_svm_dictionary(const stance_svm *svm)
{
	return svm->dict;
}

int stance_svm_write_features(const char *path, const stance_dictionary *dict,
			      const stance_svm_tone_weights *tone, stance_error *err)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return stance_fail(err, STANCE_EIO, "%s: cannot create: %s", path, strerror(errno));
	fprintf(f, FEATURES_MAGIC "\ntone %.17g %.17g %.17g\ncount %zu\n", tone->lexicon_weight,
		tone->negative_bias, tone->positive_bias, stance_dictionary_size(dict));
	for (uint32_t i = 1; i <= stance_dictionary_size(dict); i++)
		fprintf(f, "%s\n", stance_dictionary_name(dict, i));
	bool failed = ferror(f) != 0;
	failed |= fclose(f) != 0;
	return failed ? stance_fail(err, STANCE_EIO, "%s: write error", path) : STANCE_OK;
}

/* --- prediction --- */

/* Platt's sigmoid, written as libsvm writes it to avoid overflow. */
static double sigmoid(double dec, double a, double b)
{
	double f = dec * a + b;
	return f >= 0 ? exp(-f) / (1.0 + exp(-f)) : 1.0 / (1.0 + exp(f));
}

/* libsvm's multiclass_probability(): the class probabilities that best agree with the pairwise
 * ones r (Wu, Lin and Weng 2004, method 2), by the same iteration so results match libsvm. */
static void couple(int k, double r[MAX_CLASSES][MAX_CLASSES], double *p)
{
	double q[MAX_CLASSES][MAX_CLASSES], qp[MAX_CLASSES];
	double eps = 0.005 / k;
	int max_iter = k > 100 ? k : 100;
	for (int t = 0; t < k; t++) {
		p[t] = 1.0 / k;
		q[t][t] = 0;
		for (int j = 0; j < t; j++) {
			q[t][t] += r[j][t] * r[j][t];
			q[t][j] = q[j][t];
		}
		for (int j = t + 1; j < k; j++) {
			q[t][t] += r[j][t] * r[j][t];
			q[t][j] = -r[j][t] * r[t][j];
		}
	}
	for (int iter = 0; iter < max_iter; iter++) {
		double pqp = 0, max_error = 0;
		for (int t = 0; t < k; t++) {
			qp[t] = 0;
			for (int j = 0; j < k; j++)
				qp[t] += q[t][j] * p[j];
			pqp += p[t] * qp[t];
		}
		for (int t = 0; t < k; t++)
			max_error = fmax(max_error, fabs(qp[t] - pqp));
		if (max_error < eps)
			break;
		for (int t = 0; t < k; t++) {
			double diff = (-qp[t] + pqp) / q[t][t];
			p[t] += diff;
			pqp = (pqp + diff * (diff * q[t][t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
			for (int j = 0; j < k; j++) {
				qp[j] = (qp[j] + diff * q[t][j]) / (1 + diff);
				p[j] /= (1 + diff);
			}
		}
	}
}

static void probabilities(const stance_svm *svm, const double *dec, double *prob)
{
	const double min_prob = 1e-7;
	double r[MAX_CLASSES][MAX_CLASSES];
	for (int i = 0, p = 0; i < svm->nr_class; i++) {
		for (int j = i + 1; j < svm->nr_class; j++, p++) {
			double s = sigmoid(dec[p], svm->prob_a[p], svm->prob_b[p]);
			r[i][j] = fmin(fmax(s, min_prob), 1 - min_prob);
			r[j][i] = 1 - r[i][j];
		}
	}
	if (svm->nr_class == 2) {
		prob[0] = r[0][1];
		prob[1] = r[1][0];
	} else {
		couple(svm->nr_class, r, prob);
	}
}

/* The decision value of every class pair: a sparse dot product with the collapsed weights. */
/* Four sums at a time, which the compiler can keep in vector registers. */
static double dot(const double *a, const double *b, size_t n)
{
	double s[4] = {0, 0, 0, 0};
	size_t i = 0;
	for (; i + 4 <= n; i += 4)
		for (size_t k = 0; k < 4; k++)
			s[k] += a[i + k] * b[i + k];
	for (; i < n; i++)
		s[0] += a[i] * b[i];
	return (s[0] + s[1]) + (s[2] + s[3]);
}

static void decision_values(const stance_svm *svm, const stance_feature_vector *v, double *dec)
{
	for (int k = 0; k < svm->npairs; k++)
		dec[k] = -svm->rho[k];
	for (size_t i = 0; i < v->n; i++) {
		const double *w = svm->w + (size_t)v->items[i].index * svm->npairs;
		for (int k = 0; k < svm->npairs; k++)
			dec[k] += w[k] * v->items[i].value;
	}
	for (int k = 0; v->blocks && k < svm->npairs; k++)
		dec[k] += dot(svm->block_w + (size_t)k * svm->nblocks, v->blocks, svm->nblocks);
}

int stance_svm_predict(const stance_svm *svm, const stance_models *m, const stance_doc *doc,
		       stance_span target, stance_arena *scratch, stance_svm_result *out,
		       stance_error *err)
{
	stance_feature_vector v;
	int rc = stance_features_lookup_blocks(m, doc, target, svm->dict, scratch, &v, err);
	if (rc)
		return rc;
	double dec[MAX_PAIRS], prob[MAX_CLASSES];
	decision_values(svm, &v, dec);
	probabilities(svm, dec, prob);
	*out = (stance_svm_result){.lexicon = v.lexicon};
	for (int c = 0; c < svm->nr_class; c++)
		out->p[svm->label[c] + 1] = prob[c];
	out->svm = out->p[2] - out->p[0];
	out->tone = stance_svm_tone(svm, out->lexicon, out->p);
	out->label = stance_label_value(out->tone);
	return STANCE_OK;
}

int stance_svm_label(const double p[3])
{
	int best = 0;
	for (int c = 1; c < 3; c++)
		if (p[c] > p[best])
			best = c;
	return best - 1;
}

static double combine(const stance_svm_tone_weights *w, double lexicon, const double p[3])
{
	double q[3] = {p[0] * exp(w->negative_bias - w->lexicon_weight * lexicon), p[1],
		       p[2] * exp(w->positive_bias + w->lexicon_weight * lexicon)};
	double sum = q[0] + q[1] + q[2];
	if (!(sum > 0))
		return 0;
	for (int c = 0; c < 3; c++)
		q[c] /= sum;
	double polar = fmax(q[0], q[2]) - q[1], lean = q[2] - q[0];
	if (polar <= 0)
		return lean * STANCE_NEUTRAL_BAND; /* |lean| <= 1: inside the band */
	double magnitude = STANCE_NEUTRAL_BAND + (1 - STANCE_NEUTRAL_BAND) * polar;
	return q[2] > q[0] ? magnitude : -magnitude;
}

double stance_svm_tone(const stance_svm *svm, double lexicon, const double p[3])
{
	return combine(&svm->tone, lexicon, p);
}

/* --- training --- */
struct stance_svm_trainer {
	stance_dictionary *dict;
	stance_arena *scratch;  /* reset for every example */
	struct svm_node *nodes; /* every example's features, each list ended by index -1 */
	size_t nnodes, nodes_cap;
	size_t *start;          /* the first node of each example */
	double *y, *lexicon;
	size_t n, cap;
};

int stance_svm_trainer_new(stance_svm_trainer **out)
{
	stance_svm_trainer *t = calloc(1, sizeof(*t));
	if (!t || stance_dictionary_new(&t->dict) != 0 || stance_arena_new(&t->scratch) != 0) {
		stance_svm_trainer_free(t);
		return STANCE_EINTERNAL;
	}
	*out = t;
	return STANCE_OK;
}

void stance_svm_trainer_free(stance_svm_trainer *t)
{
	if (!t)
		return;
	stance_dictionary_free(t->dict);
	stance_arena_free(t->scratch);
	free(t->nodes);
	free(t->start);
	free(t->y);
	free(t->lexicon);
	free(t);
}

size_t stance_svm_trainer_count(const stance_svm_trainer *t)
{
	return t->n;
}

/* Grows *items to hold need items of size bytes, doubling. */
static int reserve(void **items, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 1024;
	while (n < need)
		n *= 2;
	void *grown = realloc(*items, n * size);
	if (!grown)
		return -1;
	*items = grown;
	*cap = n;
	return 0;
}

static int reserve_example(stance_svm_trainer *t, size_t nodes)
{
	size_t cap = t->cap;
	if (reserve((void **)&t->nodes, &t->nodes_cap, t->nnodes + nodes, sizeof(*t->nodes)) != 0)
		return -1;
	if (t->n < cap)
		return 0;
	size_t c1 = cap, c2 = cap;
	int failed = reserve((void **)&t->start, &cap, t->n + 1, sizeof(*t->start)) ||
		     reserve((void **)&t->y, &c1, t->n + 1, sizeof(*t->y)) ||
		     reserve((void **)&t->lexicon, &c2, t->n + 1, sizeof(*t->lexicon));
	if (!failed)
		t->cap = cap;
	return failed ? -1 : 0;
}

int stance_svm_trainer_add(stance_svm_trainer *t, const stance_models *m, const stance_doc *doc,
			   stance_span target, int polarity, stance_error *err)
{
	if (polarity < -1 || polarity > 1)
		return stance_fail(err, STANCE_EDATA, "%s: polarity %d is not -1, 0 or 1",
				   stance_doc_id(doc), polarity);
	stance_arena_reset(t->scratch);
	stance_feature_vector v;
	int rc = stance_features_learn(m, doc, target, t->dict, t->scratch, &v, err);
	if (rc)
		return rc;
	if (reserve_example(t, v.n + 1) != 0)
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	t->start[t->n] = t->nnodes;
	for (size_t i = 0; i < v.n; i++)
		t->nodes[t->nnodes++] = (struct svm_node){(int)v.items[i].index, v.items[i].value};
	t->nodes[t->nnodes++] = (struct svm_node){-1, 0};
	t->y[t->n] = polarity;
	t->lexicon[t->n++] = v.lexicon;
	return STANCE_OK;
}

/* The examples as libsvm takes them, over the features seen often enough. */
typedef struct problem {
	struct svm_problem p;
	struct svm_node *nodes;
	stance_dictionary *dict;
} problem;

static void problem_free(problem *pb)
{
	free(pb->p.x);
	free(pb->nodes);
	stance_dictionary_free(pb->dict);
}

/* Renumbers the features seen in at least min_count examples, in their first-seen order. */
static int kept_features(const stance_svm_trainer *t, unsigned min_count, problem *pb,
			 uint32_t **renumber)
{
	size_t nf = stance_dictionary_size(t->dict);
	uint32_t *count = calloc(nf + 1, sizeof(*count));
	if (!count || stance_dictionary_new(&pb->dict) != 0) {
		free(count);
		return -1;
	}
	for (size_t i = 0; i < t->nnodes; i++)
		if (t->nodes[i].index > 0)
			count[t->nodes[i].index]++;
	for (uint32_t f = 1; f <= nf; f++) {
		const char *name = stance_dictionary_name(t->dict, f);
		count[f] = count[f] >= min_count ? stance_dictionary_add(pb->dict, name, strlen(name))
						 : 0;
	}
	*renumber = count;
	return 0;
}

static int problem_build(const stance_svm_trainer *t, unsigned min_count, problem *pb)
{
	*pb = (problem){0};
	uint32_t *renumber;
	if (kept_features(t, min_count, pb, &renumber) != 0)
		return -1;
	pb->nodes = malloc(t->nnodes * sizeof(*pb->nodes));
	pb->p.x = malloc(t->n * sizeof(*pb->p.x));
	if (!pb->nodes || !pb->p.x) {
		free(renumber);
		return -1;
	}
	size_t w = 0;
	for (size_t i = 0; i < t->n; i++) {
		pb->p.x[i] = pb->nodes + w;
		for (const struct svm_node *n = t->nodes + t->start[i]; n->index != -1; n++)
			if (renumber[n->index])
				pb->nodes[w++] = (struct svm_node){(int)renumber[n->index], n->value};
		pb->nodes[w++] = (struct svm_node){-1, 0};
	}
	free(renumber);
	pb->p.l = (int)t->n;
	pb->p.y = t->y;
	return 0;
}

static double macro_f1(const double *gold, const int *pred, size_t n)
{
	double f1 = 0;
	for (int c = -1; c <= 1; c++) {
		size_t tp = 0, fp = 0, fn = 0;
		for (size_t i = 0; i < n; i++) {
			bool g = (int)gold[i] == c, p = pred[i] == c;
			tp += g && p, fp += !g && p, fn += g && !p;
		}
		f1 += tp ? 2.0 * tp / (2.0 * tp + fp + fn) : 0;
	}
	return f1 / 3;
}

static void quiet(const char *s)
{
	(void)s;
}

static struct svm_parameter parameters(double c, int probability)
{
	return (struct svm_parameter){.svm_type = C_SVC, .kernel_type = LINEAR, .cache_size = 512,
				      .eps = 1e-3, .C = c, .shrinking = 1,
				      .probability = probability};
}

static double cross_validate(const problem *pb, const stance_svm_train_options *o, double c,
			     int *pred, double *target)
{
	struct svm_parameter param = parameters(c, 0);
	srand(o->seed);
	svm_cross_validation(&pb->p, &param, o->folds, target);
	for (int i = 0; i < pb->p.l; i++)
		pred[i] = (int)target[i];
	return macro_f1(pb->p.y, pred, (size_t)pb->p.l);
}

static double choose_c(const problem *pb, const stance_svm_train_options *o, int *pred,
		       double *target, double *best_f1)
{
	double best_c = o->c[0], best = -1;
	for (size_t k = 0; k < o->nc; k++) {
		double f1 = cross_validate(pb, o, o->c[k], pred, target);
		if (o->log)
			fprintf(o->log, "train: C=%g: cross-validated macro-F1 %.4f\n", o->c[k], f1);
		if (f1 > best)
			best = f1, best_c = o->c[k];
	}
	*best_f1 = best;
	return best_c;
}

/* Decision values between polarities: dec[a][b] > 0 favours polarity a - 1 over b - 1. */
typedef double pair_values[3][3];

static void model_decisions(const struct svm_model *model, const struct svm_node *x,
			    pair_values dec)
{
	int labels[MAX_CLASSES];
	double values[MAX_PAIRS];
	svm_get_labels(model, labels);
	svm_predict_values(model, x, values);
	memset(dec, 0, sizeof(pair_values));
	for (int i = 0, p = 0; i < svm_get_nr_class(model); i++) {
		for (int j = i + 1; j < svm_get_nr_class(model); j++, p++) {
			dec[labels[i] + 1][labels[j] + 1] = values[p];
			dec[labels[j] + 1][labels[i] + 1] = -values[p];
		}
	}
}

/* Each example's decision values from a model trained without its fold (no probability
 * estimates: they would cost five more trainings per fold). */
static int out_of_fold(const problem *pb, const stance_svm_train_options *o, double c,
		       pair_values *dec)
{
	size_t n = (size_t)pb->p.l;
	int *fold = malloc(n * sizeof(*fold));
	struct svm_problem sub = {.x = malloc(n * sizeof(*sub.x)), .y = malloc(n * sizeof(*sub.y))};
	int rc = fold && sub.x && sub.y ? 0 : -1;
	srand(o->seed);
	for (size_t i = 0; !rc && i < n; i++)
		fold[i] = rand() % o->folds;
	struct svm_parameter param = parameters(c, 0);
	for (int f = 0; !rc && f < o->folds; f++) {
		sub.l = 0;
		for (size_t i = 0; i < n; i++) {
			if (fold[i] != f) {
				sub.x[sub.l] = pb->p.x[i];
				sub.y[sub.l++] = pb->p.y[i];
			}
		}
		srand(o->seed);
		struct svm_model *model = svm_train(&sub, &param);
		for (size_t i = 0; i < n; i++)
			if (fold[i] == f)
				model_decisions(model, pb->p.x[i], dec[i]);
		svm_free_and_destroy_model(&model);
	}
	free(fold);
	free(sub.x);
	free(sub.y);
	return rc;
}

/* The final model's Platt parameters, fitted on libsvm's own internal cross-validation, turn
 * out-of-fold decision values into the probabilities the model would give unseen examples. */
static void calibrate(const struct svm_model *model, const pair_values *dec, double (*p)[3],
		      size_t n)
{
	stance_svm cal = {.nr_class = svm_get_nr_class(model)};
	cal.npairs = cal.nr_class * (cal.nr_class - 1) / 2;
	svm_get_labels(model, cal.label);
	memcpy(cal.prob_a, model->probA, (size_t)cal.npairs * sizeof(double));
	memcpy(cal.prob_b, model->probB, (size_t)cal.npairs * sizeof(double));
	for (size_t e = 0; e < n; e++) {
		double values[MAX_PAIRS], prob[MAX_CLASSES];
		for (int i = 0, k = 0; i < cal.nr_class; i++)
			for (int j = i + 1; j < cal.nr_class; j++, k++)
				values[k] = dec[e][cal.label[i] + 1][cal.label[j] + 1];
		probabilities(&cal, values, prob);
		p[e][0] = p[e][1] = p[e][2] = 0;
		for (int c = 0; c < cal.nr_class; c++)
			p[e][cal.label[c] + 1] = prob[c];
	}
}

static double tone_f1(const stance_svm_tone_weights *w, const double *lexicon,
		      const double (*p)[3], const double *gold, int *pred, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pred[i] = stance_label_value(combine(w, lexicon[i], p[i]));
	return macro_f1(gold, pred, n);
}

/* The tone weights with the best macro-F1 over a grid; the first best wins, so the choice is
 * reproducible. */
static stance_svm_tone_weights choose_tone(const double *lexicon, const double (*p)[3],
					   const double *gold, int *pred, size_t n, double *f1)
{
	stance_svm_tone_weights best = {0, 0, 0};
	*f1 = -1;
	for (int a = 0; a <= 16; a++) {
		for (int neg = -10; neg <= 10; neg++) {
			for (int pos = -10; pos <= 10; pos++) {
				stance_svm_tone_weights w = {a * 0.25, neg * 0.1, pos * 0.1};
				double score = tone_f1(&w, lexicon, p, gold, pred, n);
				if (score > *f1)
					*f1 = score, best = w;
			}
		}
	}
	return best;
}

static void evaluate_out_of_fold(const stance_svm_trainer *t, const double (*p)[3], int *pred,
				 stance_svm_train_report *report)
{
	for (size_t i = 0; i < t->n; i++)
		pred[i] = stance_svm_label(p[i]);
	report->oof_svm_f1 = macro_f1(t->y, pred, t->n);
	for (size_t i = 0; i < t->n; i++)
		pred[i] = stance_label_value(t->lexicon[i]);
	report->oof_lexicon_f1 = macro_f1(t->y, pred, t->n);
	report->tone = choose_tone(t->lexicon, p, t->y, pred, t->n, &report->oof_tone_f1);
}

/* --- the saved model: one support vector per pair of classes --- */

/* A linear model's support vectors are its training examples, thousands of them with five
 * hundred dense features each; what predictions use is one weight vector per pair of classes.
 * This model holds that vector, scaled to at most 1 in each component, as the single support
 * vector of the pair's first class, with the scale as its coefficient for that pair and 0 for
 * the others: libsvm reads it and predicts as from the original, in a file a tenth the size. */
typedef struct linear_model {
	struct svm_model m;
	struct svm_node *sv[MAX_PAIRS];
	double *coef[MAX_CLASSES - 1];
	int nsv[MAX_CLASSES];
} linear_model;

static void linear_model_free(linear_model *lm)
{
	for (int p = 0; p < MAX_PAIRS; p++)
		free(lm->sv[p]);
	for (int k = 0; k < MAX_CLASSES - 1; k++)
		free(lm->coef[k]);
}

/* w[f * pairs + p]: the weight of feature f in the decision of pair p, collapsed from the
 * support vectors as stance_svm_load() collapses them. */
static void pair_weights(const struct svm_model *model, size_t nfeatures, int pairs, double *w)
{
	for (int c = 0, s = 0; c < model->nr_class; c++) {
		for (int k = 0; k < model->nSV[c]; k++, s++) {
			double coef[MAX_CLASSES - 1];
			for (int i = 0; i < model->nr_class - 1; i++)
				coef[i] = model->sv_coef[i][s];
			shares sh = shares_of(model->nr_class, c, coef);
			for (const struct svm_node *x = model->SV[s]; x->index != -1; x++)
				if (x->index > 0 && (size_t)x->index <= nfeatures)
					add_vector(w, pairs, &sh, (uint32_t)x->index, x->value);
		}
	}
}

/* The non-zero weights of pair p (features 1..n) over their largest magnitude. */
static struct svm_node *scaled_vector(const double *w, size_t n, int pairs, int p,
				      double *scale)
{
	size_t nonzero = 0;
	*scale = 0;
	for (size_t f = 1; f <= n; f++) {
		double v = w[f * (size_t)pairs + (size_t)p];
		if (v != 0) {
			nonzero++;
			*scale = fabs(v) > *scale ? fabs(v) : *scale;
		}
	}
	struct svm_node *x = malloc((nonzero + 1) * sizeof(*x));
	if (!x)
		return NULL;
	if (*scale == 0)
		*scale = 1;
	size_t k = 0;
	for (size_t f = 1; f <= n; f++) {
		double v = w[f * (size_t)pairs + (size_t)p];
		if (v != 0)
			x[k++] = (struct svm_node){(int)f, v / *scale};
	}
	x[k].index = -1;
	return x;
}

static int linear_model_of(const struct svm_model *model, size_t nfeatures, linear_model *lm)
{
	int pairs = model->nr_class * (model->nr_class - 1) / 2;
	*lm = (linear_model){.m = *model};
	double *w = calloc((nfeatures + 1) * (size_t)pairs, sizeof(*w));
	int rc = w ? 0 : -1;
	for (int k = 0; !rc && k < model->nr_class - 1; k++)
		if (!(lm->coef[k] = calloc((size_t)pairs, sizeof(double))))
			rc = -1;
	if (!rc)
		pair_weights(model, nfeatures, pairs, w);
	for (int i = 0, p = 0; !rc && i < model->nr_class; i++) {
		for (int j = i + 1; !rc && j < model->nr_class; j++, p++) {
			double scale;
			lm->sv[p] = scaled_vector(w, nfeatures, pairs, p, &scale);
			rc = lm->sv[p] ? 0 : -1;
			lm->coef[j - 1][p] = scale;
			lm->nsv[i]++;
		}
	}
	free(w);
	lm->m.l = pairs;
	lm->m.SV = lm->sv;
	lm->m.sv_coef = lm->coef;
	lm->m.nSV = lm->nsv;
	lm->m.sv_indices = NULL;
	lm->m.free_sv = 0;
	if (rc)
		linear_model_free(lm);
	return rc;
}

int stance_svm_save_linear(const struct svm_model *model, size_t nfeatures, const char *path)
{
	linear_model lm;
	if (linear_model_of(model, nfeatures, &lm) != 0)
		return -1;
	int rc = svm_save_model(path, &lm.m);
	linear_model_free(&lm);
	return rc;
}

/* Writes through path.tmp renamed into place, so a failed run leaves no half file. */
static int save_files(const struct svm_model *model, const problem *pb,
		      const stance_svm_tone_weights *tone, const char *dir, stance_error *err)
{
	char path[4096], tmp[4200];
	snprintf(path, sizeof(path), "%s/" STANCE_SVM_MODEL, dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (stance_svm_save_linear(model, stance_dictionary_size(pb->dict), tmp) != 0 ||
	    rename(tmp, path) != 0) {
		remove(tmp);
		return stance_fail(err, STANCE_EIO, "%s: cannot write", path);
	}
	snprintf(path, sizeof(path), "%s/" STANCE_SVM_FEATURES, dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int rc = stance_svm_write_features(tmp, pb->dict, tone, err);
	if (!rc && rename(tmp, path) != 0)
		rc = stance_fail(err, STANCE_EIO, "%s: cannot rename into place: %s", path,
				 strerror(errno));
	if (rc)
		remove(tmp);
	return rc;
}

static int check_examples(const stance_svm_trainer *t, const stance_svm_train_options *o,
			  stance_error *err)
{
	bool seen[3] = {false, false, false};
	for (size_t i = 0; i < t->n; i++)
		seen[(int)t->y[i] + 1] = true;
	if (seen[0] + seen[1] + seen[2] < 2 || t->n < (size_t)o->folds || o->folds < 2 || o->nc < 1)
		return stance_fail(err, STANCE_EDATA, "training needs examples of at least two "
				   "polarities, at least as many as the %d folds (>= 2), and a C "
				   "value", o->folds);
	return STANCE_OK;
}

/* Tunes the tone on out-of-fold predictions of the final model's kind. */
static int tune_tone(const stance_svm_trainer *t, const problem *pb,
		     const stance_svm_train_options *o, const struct svm_model *model,
		     stance_svm_train_report *report)
{
	int *pred = calloc(t->n, sizeof(*pred));
	pair_values *dec = malloc(t->n * sizeof(*dec));
	double (*p)[3] = malloc(t->n * sizeof(*p));
	int rc = pred && dec && p ? out_of_fold(pb, o, report->c, dec) : -1;
	if (!rc) {
		calibrate(model, (const pair_values *)dec, p, t->n);
		evaluate_out_of_fold(t, (const double(*)[3])p, pred, report);
	}
	free(pred), free(dec), free(p);
	return rc;
}

static int train_and_save(const stance_svm_trainer *t, const problem *pb,
			  const stance_svm_train_options *o, const char *dir,
			  stance_svm_train_report *report, stance_error *err)
{
	int *pred = malloc(t->n * sizeof(*pred));
	double *target = malloc(t->n * sizeof(*target));
	bool allocated = pred && target;
	if (allocated)
		report->c = choose_c(pb, o, pred, target, &report->cv_f1);
	free(pred);
	free(target);
	if (!allocated)
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	struct svm_parameter param = parameters(report->c, 1);
	srand(o->seed);
	struct svm_model *model = svm_train(&pb->p, &param);
	report->support_vectors = (size_t)svm_get_nr_sv(model);
	report->features = stance_dictionary_size(pb->dict);
	int rc = tune_tone(t, pb, o, model, report) != 0
			 ? stance_fail(err, STANCE_EINTERNAL, "out of memory")
			 : save_files(model, pb, &report->tone, dir, err);
	svm_free_and_destroy_model(&model);
	return rc;
}

int stance_svm_train(stance_svm_trainer *t, const stance_svm_train_options *o, const char *dir,
		     stance_svm_train_report *report, stance_error *err)
{
	*report = (stance_svm_train_report){0};
	int rc = check_examples(t, o, err);
	if (rc)
		return rc;
	svm_set_print_string_function(quiet);
	problem pb;
	if (problem_build(t, o->min_count, &pb) != 0) {
		problem_free(&pb);
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	}
	rc = train_and_save(t, &pb, o, dir, report, err);
	problem_free(&pb);
	return rc;
}
