/* Stage 4, actors: mentions of parties (countries, seats of government, demonyms, organisations, known people). */
#ifndef STANCE_ACTORS_H
#define STANCE_ACTORS_H

#include "stance/doc.h"
#include "stance/models.h"

int stance_actors(stance_doc *doc, const stance_models *models, stance_error *err);

#endif
