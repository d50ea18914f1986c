/* stance: who said what about whom, and in what tone.
 *
 * A document flows through the stages in the order of stance_stages[]: each reads the layers
 * of earlier stages and adds its own. Models load once and are shared by every document. */
#ifndef STANCE_H
#define STANCE_H

#include "stance/error.h"
#include "stance/arena.h"
#include "stance/doc.h"
#include "stance/models.h"
#include "stance/text.h"
#include "stance/segment.h"
#include "stance/attribute.h"
#include "stance/actors.h"
#include "stance/score.h"
#include "stance/aggregate.h"
#include "stance/export.h"
#include "stance/output.h"
#include "stance/batch.h"

#define STANCE_VERSION "0.1.0"

typedef int (*stance_stage_fn)(stance_doc *doc, const stance_models *models, stance_error *err);

typedef struct stance_stage {
	const char *name;
	stance_stage_fn run;
} stance_stage;

/* The pipeline, in order, ending with a NULL name. */
extern const stance_stage stance_stages[];

/* Runs the stages from the first up to and including the one named last (NULL: all). */
int stance_run(stance_doc *doc, const stance_models *models, const char *last,
	       stance_error *err);

#endif
