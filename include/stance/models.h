/* Models and resources: lexicon, modifiers, gazetteer, cue verbs and the SVM model.
 *
 * Loaded once, immutable afterwards, and shared by every document and thread. */
#ifndef STANCE_MODELS_H
#define STANCE_MODELS_H

#include <stddef.h>
#include <stdint.h>

#include "stance/error.h"

typedef struct stance_models stance_models;

/* Where models are looked for when dir is NULL: $STANCE_MODELS, then the source tree's
 * models/ (for a binary run from its build directory), then the installed data directory. */
const char *stance_models_default_dir(void);

/* Loads every resource from dir (NULL: stance_models_default_dir()). A missing SVM model is
 * not an error: scores then carry the lexicon alone. Fails with STANCE_EMODEL naming the file
 * and line of the first malformed entry. */
int stance_models_load(stance_models **out, const char *dir, stance_error *err);

/* Adds the actors and people of a user's actors file (same format as models/actors.json);
 * an alias already known is re-pointed to the user's actor. Call before sharing the models. */
int stance_models_add_actors(stance_models *models, const char *path, stance_error *err);

void stance_models_free(stance_models *models);

const char *stance_models_dir(const stance_models *models);

/* Gazetteer: actors are numbered 0..n-1. */
size_t stance_models_actor_count(const stance_models *models);
const char *stance_models_actor_name(const stance_models *models, int32_t actor);
const char *stance_models_actor_kind(const stance_models *models, int32_t actor);
int32_t stance_models_actor_parent(const stance_models *models, int32_t actor);

/* The actor an alias names ("Moscow", "Russian", "russia"), or STANCE_NONE. */
int32_t stance_models_find_actor(const stance_models *models, const char *alias);

/* Whether an SVM model was loaded. */
int stance_models_has_svm(const stance_models *models);

#endif
