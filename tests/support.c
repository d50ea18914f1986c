#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "internal.h"

static stance_models *models;

static void free_models(void)
{
	stance_models_free(models);
}

const stance_models *test_models(void)
{
	if (!models) {
		stance_error err;
		if (stance_models_load(&models, NULL, &err) != STANCE_OK)
			fail_msg("loading models: %s", err.message);
		atexit(free_models);
	}
	return models;
}

stance_doc *test_doc(const char *text, const char *last)
{
	stance_doc *doc;
	stance_error err;
	if (stance_doc_new(&doc, "test", text, strlen(text), &err) != STANCE_OK)
		fail_msg("%s", err.message);
	if (stance_run(doc, test_models(), last, &err) != STANCE_OK) {
		stance_doc_free(doc);
		fail_msg("pipeline up to %s: %s", last ? last : "the end", err.message);
	}
	return doc;
}

const char *test_span(const stance_doc *doc, stance_span span)
{
	static char buf[8192];
	size_t len;
	const char *text = stance_doc_text(doc, &len);
	size_t n = span.end > span.start ? span.end - span.start : 0;
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, text + span.start, n);
	buf[n] = '\0';
	return buf;
}

const char *test_sentence(const stance_doc *doc, size_t i)
{
	size_t n;
	const stance_sentence *s = stance_doc_sentences(doc, &n);
	assert_true(i < n);
	return test_span(doc, (stance_span){s[i].start, s[i].end});
}

int32_t test_actor(const char *name)
{
	int32_t id = stance_models_find_actor(test_models(), name);
	if (id == STANCE_NONE)
		fail_msg("no actor named %s", name);
	return id;
}

char *test_fixture(const char *name, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", STANCE_TEST_FIXTURES, name);
	char *data;
	stance_error err;
	if (stance_read_file(path, SIZE_MAX, &data, len, &err) != STANCE_OK)
		fail_msg("%s", err.message);
	return data;
}
