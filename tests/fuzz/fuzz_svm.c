/* Fuzz target: the SVM model files (svm.model in libsvm's format, svm.features). The first
 * byte chooses the file the rest of the input becomes ('F': svm.features, anything else:
 * svm.model); the other file is a small valid one. When they load, the input itself is scored
 * with that model, and the model classifies the sentence of every mention toward it. */
#include <math.h>
#include <string.h>

#include "fuzz_common.h"
#include "svm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char small_features[] = "stance-svm-features 1\n"
				     "tone 0.6 0.4 0\n"
				     "count 4\n"
				     "lex:+\nlex:-\nu:said\nq:inside\n";
static const char small_model[] = "svm_type c_svc\n"
				  "kernel_type linear\n"
				  "nr_class 3\n"
				  "total_sv 3\n"
				  "rho 0.1 -0.2 0.05\n"
				  "label -1 0 1\n"
				  "probA -1.5 -1.2 -1.8\n"
				  "probB 0.1 0 -0.1\n"
				  "nr_sv 1 1 1\n"
				  "SV\n"
				  "1 0.5 2:1 3:0.5\n"
				  "-1 0.5 3:1 4:1\n"
				  "-0.5 -1 1:1 4:0.25\n";

/* The probabilities of each mention's classification are a distribution. */
static void classify_mentions(stance_doc *doc, const stance_models *models)
{
	size_t n;
	const stance_mention *m = stance_doc_mentions(doc, &n);
	for (size_t i = 0; i < n; i++) {
		stance_svm_result r;
		stance_error err;
		FUZZ_CHECK(stance_svm_predict(models->svm, models, doc, (stance_span){m[i].start, m[i].end},
					      stance_doc_arena(doc), &r, &err) == STANCE_OK);
		FUZZ_CHECK(fabs(r.p[0] + r.p[1] + r.p[2] - 1) < 1e-6);
		FUZZ_CHECK(isfinite(r.svm) && fabs(r.svm) <= 1 + 1e-9);
		FUZZ_CHECK(isfinite(r.tone) && fabs(r.tone) <= 1 + 1e-9);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	int features = data[0] == 'F';
	data++, size--;
	fuzz_write_scratch("svm.model", features ? (const void *)small_model : data,
			   features ? strlen(small_model) : size);
	fuzz_write_scratch("svm.features", features ? data : (const void *)small_features,
			   features ? size : strlen(small_features));
	stance_svm *svm;
	stance_error err;
	int rc = stance_svm_load(&svm, fuzz_scratch_dir(), NULL, &err);
	if (rc) {
		FUZZ_CHECK(rc == STANCE_EMODEL);
		FUZZ_CHECK(strstr(err.message, "svm.") != NULL);
		return 0;
	}
	FUZZ_CHECK(svm != NULL);
	stance_models models = *fuzz_models();
	models.svm = svm;
	fuzz_pipeline(&models, data, size, classify_mentions);
	stance_svm_free(svm);
	return 0;
}
