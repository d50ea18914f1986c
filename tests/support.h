/* What the unit tests share: the shipped models, documents run up to a stage, and asserts
 * that speak of the domain. */
#ifndef STANCE_TEST_SUPPORT_H
#define STANCE_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "stance/stance.h"

/* The models from the source tree's models/, loaded once per test executable. */
const stance_models *test_models(void);

/* A document of text run through the stages up to and including last; fails the test when a
 * stage fails. */
stance_doc *test_doc(const char *text, const char *last);

/* The text a span covers, in a static buffer (valid until the next call). */
const char *test_span(const stance_doc *doc, stance_span span);

/* The text of sentence i, in a static buffer. */
const char *test_sentence(const stance_doc *doc, size_t i);

/* Index of the actor named name in the gazetteer; fails the test when unknown. */
int32_t test_actor(const char *name);

/* Reads a fixture file under tests/fixtures into malloc'd memory. */
char *test_fixture(const char *name, size_t *len);

#endif
