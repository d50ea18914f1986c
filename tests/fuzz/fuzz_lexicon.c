/* Fuzz target: the sentiment lexicon files. The first byte chooses the file the rest of the
 * input becomes ('M': modifiers.tsv, anything else: lexicon.tsv); the other file is a small
 * valid one. When they load, the input itself is scored with that lexicon, so that its terms
 * are found in text. */
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char small_lexicon[] = "good\t1.9\ttest\nbad\t-2.5\ttest\nwelcome\t2\ttest\n";
static const char small_modifiers[] =
	"not\tnegation\t0\nvery\tbooster\t0.293\nslightly\tdampener\t-0.293\nbut\tcontrast\t0\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	int modifiers = data[0] == 'M';
	data++, size--;
	fuzz_write_scratch("lexicon.tsv", modifiers ? (const void *)small_lexicon : data,
			   modifiers ? strlen(small_lexicon) : size);
	fuzz_write_scratch("modifiers.tsv", modifiers ? data : (const void *)small_modifiers,
			   modifiers ? size : strlen(small_modifiers));
	stance_lexicon *lex;
	stance_error err;
	int rc = stance_lexicon_load(&lex, fuzz_scratch_dir(), &err);
	if (rc) {
		FUZZ_CHECK(rc == STANCE_EMODEL);
		FUZZ_CHECK(strstr(err.message, modifiers ? "modifiers.tsv" : "lexicon.tsv") != NULL);
		return 0;
	}
	stance_models models = *fuzz_models();
	models.lexicon = lex;
	fuzz_pipeline(&models, data, size, NULL);
	stance_lexicon_free(lex);
	return 0;
}
