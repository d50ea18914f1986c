/* Fuzz target: any bytes as an article, through every stage and every export format. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_pipeline(fuzz_models(), data, size, NULL);
	return 0;
}
