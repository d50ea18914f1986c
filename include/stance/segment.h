/* Stage 2, segment: tokens and sentences of English news and prose. */
#ifndef STANCE_SEGMENT_H
#define STANCE_SEGMENT_H

#include "stance/doc.h"
#include "stance/models.h"

int stance_segment(stance_doc *doc, const stance_models *models, stance_error *err);

#endif
