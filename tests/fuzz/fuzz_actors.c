/* Fuzz target: an actors file (the format of models/actors.json and --actors FILE.json).
 *
 * The file is loaded on its own, then again on top of itself (a later file re-points the
 * aliases of an earlier one); when it loads, the input itself is scored with that gazetteer,
 * so that the names it declares are found in text. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write_scratch("actors.json", data, size);
	stance_gazetteer *gz;
	stance_error err;
	int rc = stance_gazetteer_load(&gz, path, &err);
	if (rc) {
		FUZZ_CHECK(rc == STANCE_EMODEL || rc == STANCE_EINTERNAL);
		return 0;
	}
	rc = stance_gazetteer_add_file(gz, path, &err);
	FUZZ_CHECK(rc == STANCE_OK || rc == STANCE_EMODEL);
	stance_models models = *fuzz_models();
	models.gazetteer = gz;
	if (rc == STANCE_OK)
		fuzz_pipeline(&models, data, size, NULL);
	stance_gazetteer_free(gz);
	return 0;
}
