/* Stage 3, attribute: quotations and reported speech, their speakers, and the speakers' parties. */
#ifndef STANCE_ATTRIBUTE_H
#define STANCE_ATTRIBUTE_H

#include "stance/doc.h"
#include "stance/models.h"

int stance_attribute(stance_doc *doc, const stance_models *models, stance_error *err);

#endif
