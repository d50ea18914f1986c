/* Loading the shared models from a directory, and finding that directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embeddings.h"
#include "internal.h"

static int has_models(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/actors.json", dir);
	return access(path, R_OK) == 0;
}

const char *stance_models_default_dir(void)
{
	const char *env = getenv("STANCE_MODELS");
	if (env && *env)
		return env;
	if (has_models(STANCE_SOURCE_MODELS))
		return STANCE_SOURCE_MODELS;
	return STANCE_INSTALLED_MODELS;
}

int stance_models_load(stance_models **out, const char *dir, stance_error *err)
{
	if (!dir)
		dir = stance_models_default_dir();
	stance_models *m = calloc(1, sizeof(*m));
	if (!m || !(m->dir = strdup(dir))) {
		free(m);
		return stance_fail(err, STANCE_EINTERNAL, "out of memory");
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/actors.json", dir);
	int rc = stance_gazetteer_load(&m->gazetteer, path, err);
	if (rc == STANCE_ENOINPUT)
		rc = stance_fail(err, STANCE_EMODEL, "%s: no models here (actors.json is missing); "
				 "use --models DIR or STANCE_MODELS", dir);
	if (!rc)
		rc = stance_lexicon_load(&m->lexicon, dir, err);
	snprintf(path, sizeof(path), "%s/cues.tsv", dir);
	if (!rc)
		rc = stance_cues_load(&m->cues, path, err);
	if (!rc)
		rc = stance_embeddings_load(&m->embeddings, dir, err);
	if (!rc)
		rc = stance_svm_load(&m->svm, dir, m->embeddings, err);
	if (rc) {
		stance_models_free(m);
		return rc;
	}
	*out = m;
	return STANCE_OK;
}

int stance_models_add_actors(stance_models *models, const char *path, stance_error *err)
{
	return stance_gazetteer_add_file(models->gazetteer, path, err);
}

void stance_models_free(stance_models *models)
{
	if (!models)
		return;
	stance_gazetteer_free(models->gazetteer);
	stance_lexicon_free(models->lexicon);
	stance_cues_free(models->cues);
	stance_svm_free(models->svm);
	stance_embeddings_free(models->embeddings);
	free(models->dir);
	free(models);
}

const char *stance_models_dir(const stance_models *models)
{
	return models->dir;
}

size_t stance_models_actor_count(const stance_models *models)
{
	return stance_gazetteer_count(models->gazetteer);
}

const char *stance_models_actor_name(const stance_models *models, int32_t actor)
{
	const stance_actor_info *a = stance_gazetteer_actor(models->gazetteer, actor);
	return a ? a->name : NULL;
}

const char *stance_models_actor_kind(const stance_models *models, int32_t actor)
{
	const stance_actor_info *a = stance_gazetteer_actor(models->gazetteer, actor);
	return a ? a->kind : NULL;
}

int32_t stance_models_actor_parent(const stance_models *models, int32_t actor)
{
	const stance_actor_info *a = stance_gazetteer_actor(models->gazetteer, actor);
	return a ? a->parent : STANCE_NONE;
}

int32_t stance_models_find_actor(const stance_models *models, const char *alias)
{
	return stance_gazetteer_find_any_case(models->gazetteer, alias);
}

int stance_models_has_svm(const stance_models *models)
{
	return models->svm != NULL;
}
