/* Fuzz target: the attribution cues file (models/cues.tsv). When it loads, the input itself
 * is scored with those cues, so that its surface forms are found in text. */
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write_scratch("cues.tsv", data, size);
	stance_cues *cues;
	stance_error err;
	int rc = stance_cues_load(&cues, path, &err);
	if (rc) {
		FUZZ_CHECK(rc == STANCE_EMODEL);
		FUZZ_CHECK(strstr(err.message, "cues.tsv") != NULL);
		return 0;
	}
	stance_models models = *fuzz_models();
	models.cues = cues;
	fuzz_pipeline(&models, data, size, NULL);
	stance_cues_free(cues);
	return 0;
}
