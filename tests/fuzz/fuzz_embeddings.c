/* Fuzz target: the word vector file (embeddings.bin). What loads must answer look-ups of any
 * word, the input's own among them, within its vectors. */
#include <stdlib.h>
#include <string.h>

#include "embeddings.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Looks up every run of bytes between white space and reads the vector found. */
static void find_words(const stance_embeddings *e, const char *s, size_t n)
{
	size_t dims = stance_embeddings_dims(e);
	for (size_t i = 0; i < n;) {
		size_t len = strcspn(s + i, " \n\t");
		if (i + len > n)
			len = n - i;
		const int8_t *v = stance_embeddings_find(e, s + i, len);
		int sum = 0;
		for (size_t j = 0; v && j < dims; j++)
			sum += v[j];
		FUZZ_CHECK(sum >= -128 * (int)dims && sum <= 127 * (int)dims);
		i += len + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_write_scratch(STANCE_EMBEDDINGS_FILE, data, size);
	stance_embeddings *e;
	stance_error err;
	int rc = stance_embeddings_load(&e, fuzz_scratch_dir(), &err);
	if (rc) {
		FUZZ_CHECK(rc == STANCE_EMODEL);
		FUZZ_CHECK(strstr(err.message, STANCE_EMBEDDINGS_FILE) != NULL);
		return 0;
	}
	FUZZ_CHECK(e != NULL && stance_embeddings_dims(e) > 0);
	char *copy = malloc(size + 1);
	FUZZ_CHECK(copy != NULL);
	memcpy(copy, data, size);
	copy[size] = '\0';
	find_words(e, copy, size);
	free(copy);
	stance_embeddings_free(e);
	return 0;
}
