/* The gazetteer: parties and the aliases that name them, read from actors JSON files.
 *
 * Format (models/actors.json; users add their own with --actors FILE.json):
 *   {"schema": "stance-actors/1",
 *    "actors": [{"actor": "Russia", "kind": "country", "names": [...], "demonyms": [...],
 *                "seats": [...], "ambiguous": [...], "parent": null}, ...],
 *    "people": {"Sergei Lavrov": "Russia", ...}}
 * Only "actor" is required in an actor entry. An alias names one actor: a later file
 * re-points an alias an earlier one gave to another actor. */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct stance_gazetteer {
	stance_arena *strings;
	stance_actor_info *actors;
	size_t nactors, actors_cap;
	stance_strmap *phrases;  /* alias or alias beginning, as written -> stance_phrase */
	stance_strmap *by_lower; /* lower-cased alias or actor name -> int32_t actor */
	size_t max_words;
};

stance_phrase *stance_phrase_add(stance_strmap *map, const char *name, size_t n)
{
	bool inserted;
	stance_phrase *whole = stance_strmap_upsert(map, name, n, sizeof(*whole), &inserted);
	for (size_t i = 1; whole && i < n; i++) {
		if (name[i] != ' ' && name[i] != '-')
			continue;
		stance_phrase *beginning = stance_strmap_upsert(map, name, i, sizeof(*beginning),
								&inserted);
		if (!beginning)
			return NULL;
		beginning->longer = true;
	}
	return whole;
}

static size_t count_words(const char *s)
{
	size_t words = 0;
	for (int in_word = 0; *s; s++) {
		int letter = !isspace((unsigned char)*s);
		words += letter && !in_word;
		in_word = letter;
	}
	return words;
}

/* Lower-cases s into buf; returns its length, or 0 when it does not fit (no one types an
 * --actor name that long). */
static size_t lower_copy(char *buf, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (n >= cap)
		return 0;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)s[i]);
	return n;
}

static int index_lower(stance_gazetteer *gz, const char *alias, int32_t actor)
{
	char buf[256];
	size_t n = lower_copy(buf, sizeof(buf), alias);
	if (n == 0)
		return 0;
	bool inserted;
	int32_t *slot = stance_strmap_upsert(gz->by_lower, buf, n, sizeof(int32_t), &inserted);
	if (!slot)
		return -1;
	*slot = actor;
	return 0;
}

static int add_alias(stance_gazetteer *gz, const char *alias, int32_t actor, uint8_t kind)
{
	stance_phrase *p = stance_phrase_add(gz->phrases, alias, strlen(alias));
	if (!p)
		return -1;
	p->alias = (stance_alias){.actor = actor, .kind = kind, .ambiguous = 0};
	p->named = true;
	size_t words = count_words(alias);
	if (words > gz->max_words)
		gz->max_words = words;
	return index_lower(gz, alias, actor);
}

static int32_t find_actor_by_name(const stance_gazetteer *gz, const char *name)
{
	for (size_t i = 0; i < gz->nactors; i++)
		if (strcmp(gz->actors[i].name, name) == 0)
			return (int32_t)i;
	return STANCE_NONE;
}

static int32_t intern_actor(stance_gazetteer *gz, const char *name, const char *kind)
{
	int32_t id = find_actor_by_name(gz, name);
	if (id != STANCE_NONE)
		return id;
	void *items = gz->actors;
	stance_actor_info *a = stance_arena_push(gz->strings, &items, &gz->nactors,
						 &gz->actors_cap, sizeof(*a));
	gz->actors = items;
	if (!a)
		return STANCE_NONE;
	a->name = stance_arena_strndup(gz->strings, name, strlen(name));
	a->kind = stance_arena_strndup(gz->strings, kind, strlen(kind));
	a->parent = STANCE_NONE;
	if (!a->name || !a->kind)
		return STANCE_NONE;
	return (int32_t)(gz->nactors - 1);
}

/* Adds every string of the array field as an alias; fails on a non-string element. */
static int add_alias_list(stance_gazetteer *gz, json_t *entry, const char *field, int32_t actor,
			  uint8_t kind, const char *path, size_t index, stance_error *err)
{
	json_t *list = json_object_get(entry, field);
	if (!list)
		return STANCE_OK;
	if (!json_is_array(list))
		return stance_fail(err, STANCE_EMODEL, "%s: actors[%zu].%s is not an array", path,
				   index, field);
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		if (!json_is_string(v) || json_string_length(v) == 0)
			return stance_fail(err, STANCE_EMODEL, "%s: actors[%zu].%s[%zu] is not a name",
					   path, index, field, i);
		if (add_alias(gz, json_string_value(v), actor, kind) != 0)
			return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", path);
	}
	return STANCE_OK;
}

static int mark_ambiguous(stance_gazetteer *gz, json_t *entry, const char *path, size_t index,
			  stance_error *err)
{
	json_t *list = json_object_get(entry, "ambiguous");
	if (!list)
		return STANCE_OK;
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(v);
		stance_phrase *p = s ? stance_strmap_get(gz->phrases, s, strlen(s)) : NULL;
		if (!p || !p->named)
			return stance_fail(err, STANCE_EMODEL,
					   "%s: actors[%zu].ambiguous[%zu] is not one of its aliases",
					   path, index, i);
		p->alias.ambiguous = 1;
	}
	return STANCE_OK;
}

static int load_actor(stance_gazetteer *gz, json_t *entry, size_t index, const char *path,
		      stance_error *err)
{
	const char *name = json_string_value(json_object_get(entry, "actor"));
	if (!json_is_object(entry) || !name || !*name)
		return stance_fail(err, STANCE_EMODEL, "%s: actors[%zu] has no \"actor\" name", path,
				   index);
	const char *kind = json_string_value(json_object_get(entry, "kind"));
	int32_t id = intern_actor(gz, name, kind ? kind : "other");
	if (id == STANCE_NONE || add_alias(gz, name, id, STANCE_MENTION_NAME) != 0)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", path);
	static const struct {
		const char *field;
		uint8_t kind;
	} lists[] = {{"names", STANCE_MENTION_NAME},
		     {"demonyms", STANCE_MENTION_DEMONYM},
		     {"seats", STANCE_MENTION_SEAT}};
	for (size_t i = 0; i < STANCE_ARRAY_LEN(lists); i++) {
		int rc = add_alias_list(gz, entry, lists[i].field, id, lists[i].kind, path, index,
					err);
		if (rc)
			return rc;
	}
	return mark_ambiguous(gz, entry, path, index, err);
}

/* Parents are resolved after all actors are read, so an organ may come before its parent. */
static int link_parents(stance_gazetteer *gz, json_t *actors, const char *path,
			stance_error *err)
{
	size_t i;
	json_t *entry;
	json_array_foreach(actors, i, entry) {
		const char *parent = json_string_value(json_object_get(entry, "parent"));
		if (!parent)
			continue;
		int32_t p = find_actor_by_name(gz, parent);
		if (p == STANCE_NONE)
			return stance_fail(err, STANCE_EMODEL, "%s: actors[%zu]: unknown parent \"%s\"",
					   path, i, parent);
		const char *name = json_string_value(json_object_get(entry, "actor"));
		gz->actors[find_actor_by_name(gz, name)].parent = p;
	}
	return STANCE_OK;
}

static int load_people(stance_gazetteer *gz, json_t *people, const char *path,
		       stance_error *err)
{
	if (!people)
		return STANCE_OK;
	if (!json_is_object(people))
		return stance_fail(err, STANCE_EMODEL, "%s: \"people\" is not an object", path);
	const char *person;
	json_t *v;
	json_object_foreach(people, person, v) {
		const char *party = json_string_value(v);
		int32_t actor = party ? find_actor_by_name(gz, party) : STANCE_NONE;
		if (actor == STANCE_NONE)
			return stance_fail(err, STANCE_EMODEL, "%s: people.\"%s\": unknown actor", path,
					   person);
		if (add_alias(gz, person, actor, STANCE_MENTION_PERSON) != 0)
			return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", path);
	}
	return STANCE_OK;
}

int stance_gazetteer_add_file(stance_gazetteer *gz, const char *path, stance_error *err)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		int missing = jerr.line == -1;
		return stance_fail(err, missing ? STANCE_ENOINPUT : STANCE_EMODEL, "%s:%d:%d: %s",
				   path, jerr.line, jerr.column, jerr.text);
	}
	json_t *actors = json_object_get(root, "actors");
	int rc = STANCE_OK;
	if (!json_is_object(root) || (actors && !json_is_array(actors)))
		rc = stance_fail(err, STANCE_EMODEL, "%s: expected {\"actors\": [...], \"people\": {...}}",
				 path);
	size_t i;
	json_t *entry;
	json_array_foreach(actors, i, entry) {
		if (rc)
			break;
		rc = load_actor(gz, entry, i, path, err);
	}
	if (!rc && actors)
		rc = link_parents(gz, actors, path, err);
	if (!rc)
		rc = load_people(gz, json_object_get(root, "people"), path, err);
	json_decref(root);
	return rc;
}

int stance_gazetteer_load(stance_gazetteer **out, const char *path, stance_error *err)
{
	stance_gazetteer *gz = calloc(1, sizeof(*gz));
	if (!gz || stance_arena_new(&gz->strings) != 0 || stance_strmap_new(&gz->phrases) != 0 ||
	    stance_strmap_new(&gz->by_lower) != 0) {
		stance_gazetteer_free(gz);
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", path);
	}
	int rc = stance_gazetteer_add_file(gz, path, err);
	if (rc) {
		stance_gazetteer_free(gz);
		return rc;
	}
	*out = gz;
	return STANCE_OK;
}

void stance_gazetteer_free(stance_gazetteer *gz)
{
	if (!gz)
		return;
	stance_strmap_free(gz->phrases);
	stance_strmap_free(gz->by_lower);
	stance_arena_free(gz->strings);
	free(gz);
}

const stance_alias *stance_gazetteer_find(const stance_gazetteer *gz, const char *s, size_t n)
{
	bool longer;
	return stance_gazetteer_probe(gz, s, n, &longer);
}

const stance_alias *stance_gazetteer_probe(const stance_gazetteer *gz, const char *s, size_t n,
					   bool *longer)
{
	const stance_phrase *p = stance_strmap_get(gz->phrases, s, n);
	*longer = p && p->longer;
	return p && p->named ? &p->alias : NULL;
}

bool stance_gazetteer_may_know(const stance_gazetteer *gz, const char *s, size_t n)
{
	return stance_strmap_may_have(gz->phrases, s, n);
}

int32_t stance_gazetteer_find_any_case(const stance_gazetteer *gz, const char *s)
{
	char buf[256];
	size_t n = lower_copy(buf, sizeof(buf), s);
	const int32_t *actor = stance_strmap_get(gz->by_lower, buf, n);
	return actor ? *actor : STANCE_NONE;
}

size_t stance_gazetteer_max_words(const stance_gazetteer *gz)
{
	return gz->max_words;
}

size_t stance_gazetteer_count(const stance_gazetteer *gz)
{
	return gz->nactors;
}

const stance_actor_info *stance_gazetteer_actor(const stance_gazetteer *gz, int32_t actor)
{
	if (actor < 0 || (size_t)actor >= gz->nactors)
		return NULL;
	return &gz->actors[actor];
}
