/* The order of the stages, in one place. */
#include <string.h>

#include "internal.h"

const stance_stage stance_stages[] = {
	{"text", stance_text},
	{"segment", stance_segment},
	{"attribute", stance_attribute},
	{"actors", stance_actors},
	{"score", stance_score},
	{"aggregate", stance_aggregate},
	{NULL, NULL},
};

int stance_run(stance_doc *doc, const stance_models *models, const char *last,
	       stance_error *err)
{
	for (const stance_stage *s = stance_stages; s->name; s++) {
		int rc = s->run(doc, models, err);
		if (rc)
			return rc;
		if (last && strcmp(s->name, last) == 0)
			return STANCE_OK;
	}
	return STANCE_OK;
}
