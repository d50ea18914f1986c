/* The shared machinery: arena, string map, gazetteer and model loading. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"
#include "internal.h"

static void arena_keeps_every_allocation_apart(void **state)
{
	(void)state;
	stance_arena *a;
	assert_int_equal(stance_arena_new(&a), 0);
	char *blocks[1000];
	for (int i = 0; i < 1000; i++) {
		blocks[i] = stance_arena_alloc(a, 100 + (size_t)i);
		assert_non_null(blocks[i]);
		memset(blocks[i], i & 0xFF, 100 + (size_t)i);
	}
	for (int i = 0; i < 1000; i++)
		assert_int_equal((unsigned char)blocks[i][99 + i], i & 0xFF);
	assert_true(stance_arena_footprint(a) >= 1000 * 100);
	stance_arena_reset(a);
	assert_true(stance_arena_footprint(a) < 100 * 1024);
	stance_arena_free(a);
}

static void arena_push_grows_an_array_keeping_its_items(void **state)
{
	(void)state;
	stance_arena *a;
	assert_int_equal(stance_arena_new(&a), 0);
	void *items = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < 100000; i++) {
		int *slot = stance_arena_push(a, &items, &n, &cap, sizeof(int));
		assert_non_null(slot);
		assert_int_equal(*slot, 0);
		*slot = i;
		if (i % 7 == 0)
			assert_non_null(stance_arena_alloc(a, 24)); /* an unrelated allocation between */
	}
	assert_int_equal(n, 100000);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(((int *)items)[i], i);
	stance_arena_free(a);
}

static void strmap_finds_what_was_inserted_across_growth(void **state)
{
	(void)state;
	stance_strmap *m;
	assert_int_equal(stance_strmap_new(&m), 0);
	char key[32];
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof(key), "key-%d", i);
		bool inserted;
		int *v = stance_strmap_upsert(m, key, (size_t)n, sizeof(int), &inserted);
		assert_true(inserted);
		*v = i;
	}
	assert_int_equal(stance_strmap_count(m), 5000);
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof(key), "key-%d", i);
		int *v = stance_strmap_get(m, key, (size_t)n);
		assert_non_null(v);
		assert_int_equal(*v, i);
	}
	assert_null(stance_strmap_get(m, "key-5000", 8));
	assert_null(stance_strmap_get(m, "key-1", 4)); /* a prefix is not the key */
	stance_strmap_free(m);
}

static void gazetteer_resolves_aliases_to_their_actor(void **state)
{
	(void)state;
	const stance_models *m = test_models();
	int32_t russia = test_actor("Russia");
	assert_int_equal(stance_models_find_actor(m, "Moscow"), russia);
	assert_int_equal(stance_models_find_actor(m, "the Kremlin"), russia);
	assert_int_equal(stance_models_find_actor(m, "russian"), russia);
	assert_int_equal(stance_models_find_actor(m, "UNITED STATES"), test_actor("United States"));
	assert_string_equal(stance_models_actor_name(m, russia), "Russia");
	assert_string_equal(stance_models_actor_kind(m, russia), "country");
	assert_int_equal(stance_models_find_actor(m, "Atlantis"), STANCE_NONE);
	int32_t council = test_actor("UN Security Council");
	assert_int_equal(stance_models_actor_parent(m, council), test_actor("United Nations"));
}

/* Writes text to a fresh temporary file and returns its path (static buffer). */
static const char *temp_file(const char *text)
{
	static char path[64];
	strcpy(path, "/tmp/stance-test-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static int load_gazetteer(const char *json, stance_error *err)
{
	const char *path = temp_file(json);
	stance_gazetteer *gz = NULL;
	int rc = stance_gazetteer_load(&gz, path, err);
	stance_gazetteer_free(gz);
	unlink(path);
	return rc;
}

static void malformed_actor_files_are_refused_with_the_place(void **state)
{
	(void)state;
	stance_error err;
	assert_int_equal(load_gazetteer("{\"actors\": [", &err), STANCE_EMODEL);
	assert_non_null(strstr(err.message, ":1:"));
	assert_int_equal(load_gazetteer("{\"actors\": [{\"kind\": \"country\"}]}", &err),
			 STANCE_EMODEL);
	assert_non_null(strstr(err.message, "actors[0]"));
	assert_int_equal(load_gazetteer("{\"actors\": [{\"actor\": \"A\", \"parent\": \"B\"}]}", &err),
			 STANCE_EMODEL);
	assert_non_null(strstr(err.message, "unknown parent"));
	assert_int_equal(load_gazetteer("{\"actors\": [], \"people\": {\"X\": \"Nowhere\"}}", &err),
			 STANCE_EMODEL);
	assert_non_null(strstr(err.message, "X"));
	assert_int_equal(load_gazetteer("{\"actors\": [{\"actor\": \"A\", \"ambiguous\": [\"B\"]}]}",
					&err),
			 STANCE_EMODEL);
	assert_int_equal(load_gazetteer("{\"actors\": [{\"actor\": \"A\", \"names\": [\"B\"]}],"
					" \"people\": {\"Jo Bloggs\": \"A\"}}",
					&err),
			 STANCE_OK);
}

static void users_actors_extend_and_override_the_gazetteer(void **state)
{
	(void)state;
	stance_models *m;
	stance_error err;
	assert_int_equal(stance_models_load(&m, NULL, &err), STANCE_OK);
	const char *path = temp_file("{\"actors\": [{\"actor\": \"Freedonia\", \"kind\": \"country\","
				     " \"names\": [\"Freedonia\"], \"demonyms\": [\"Freedonian\"]}],"
				     " \"people\": {\"Rufus Firefly\": \"Freedonia\","
				     " \"Lavrov\": \"Freedonia\"}}");
	assert_int_equal(stance_models_add_actors(m, path, &err), STANCE_OK);
	unlink(path);
	int32_t freedonia = stance_models_find_actor(m, "Freedonian");
	assert_true(freedonia != STANCE_NONE);
	assert_string_equal(stance_models_actor_name(m, freedonia), "Freedonia");
	assert_int_equal(stance_models_find_actor(m, "Rufus Firefly"), freedonia);
	assert_int_equal(stance_models_find_actor(m, "Lavrov"), freedonia);
	stance_models_free(m);
}

static void a_models_directory_without_models_is_a_model_error(void **state)
{
	(void)state;
	stance_models *m = NULL;
	stance_error err;
	assert_int_equal(stance_models_load(&m, "/nonexistent/models", &err), STANCE_EMODEL);
	assert_non_null(strstr(err.message, "/nonexistent/models"));
	assert_null(m);
}

static void every_stage_is_in_the_pipeline_in_order(void **state)
{
	(void)state;
	const char *expected[] = {"text", "segment", "attribute", "actors", "score", "aggregate"};
	for (size_t i = 0; i < STANCE_ARRAY_LEN(expected); i++)
		assert_string_equal(stance_stages[i].name, expected[i]);
	assert_null(stance_stages[STANCE_ARRAY_LEN(expected)].name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arena_keeps_every_allocation_apart),
		cmocka_unit_test(arena_push_grows_an_array_keeping_its_items),
		cmocka_unit_test(strmap_finds_what_was_inserted_across_growth),
		cmocka_unit_test(gazetteer_resolves_aliases_to_their_actor),
		cmocka_unit_test(malformed_actor_files_are_refused_with_the_place),
		cmocka_unit_test(users_actors_extend_and_override_the_gazetteer),
		cmocka_unit_test(a_models_directory_without_models_is_a_model_error),
		cmocka_unit_test(every_stage_is_in_the_pipeline_in_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
