/* Stage 4, actors: which words of a text name which party, with exact spans. */
#include <stdio.h>
#include <string.h>

#include "support.h"
#include "internal.h"

typedef struct expected {
	const char *span;
	const char *actor;
	uint8_t kind;
} expected;

#define NAME STANCE_MENTION_NAME
#define DEMONYM STANCE_MENTION_DEMONYM
#define SEAT STANCE_MENTION_SEAT
#define PERSON STANCE_MENTION_PERSON

static const char *describe(const stance_doc *doc)
{
	static char buf[4096];
	size_t n, used = 0;
	const stance_mention *m = stance_doc_mentions(doc, &n);
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < sizeof(buf); i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, " [%s: %s kind %d]",
					 test_span(doc, (stance_span){m[i].start, m[i].end}),
					 stance_models_actor_name(test_models(), m[i].actor), m[i].kind);
	return buf;
}

static void assert_doc_mentions(const stance_doc *doc, const expected *want, size_t nwant)
{
	size_t n;
	const stance_mention *m = stance_doc_mentions(doc, &n);
	if (n != nwant)
		fail_msg("want %zu mentions, got %zu:%s", nwant, n, describe(doc));
	for (size_t i = 0; i < n; i++) {
		const char *span = test_span(doc, (stance_span){m[i].start, m[i].end});
		if (strcmp(span, want[i].span) != 0 || m[i].actor != test_actor(want[i].actor) ||
		    m[i].kind != want[i].kind)
			fail_msg("mention %zu: want [%s: %s kind %d], got:%s", i, want[i].span,
				 want[i].actor, want[i].kind, describe(doc));
	}
}

/* The mentions of text, in order; NULL-span terminated. */
static void assert_mentions(const char *text, const expected *want)
{
	size_t nwant = 0;
	while (want[nwant].span)
		nwant++;
	stance_doc *doc = test_doc(text, "actors");
	assert_doc_mentions(doc, want, nwant);
	stance_doc_free(doc);
}

static void assert_no_mentions(const char *text)
{
	stance_doc *doc = test_doc(text, "actors");
	size_t n;
	stance_doc_mentions(doc, &n);
	if (n != 0)
		fail_msg("want no mentions in \"%s\", got:%s", text, describe(doc));
	stance_doc_free(doc);
}

static void test_names(void **state)
{
	(void)state;
	assert_mentions("Talks between Ukraine and Poland stalled while Hungary waited.",
			(expected[]){{"Ukraine", "Ukraine", NAME},
				     {"Poland", "Poland", NAME},
				     {"Hungary", "Hungary", NAME},
				     {NULL, NULL, 0}});
	assert_mentions("NATO ministers flew in from Canada.",
			(expected[]){{"NATO", "NATO", NAME}, {"Canada", "Canada", NAME}, {NULL, NULL, 0}});
}

static void test_multi_word_names(void **state)
{
	(void)state;
	assert_mentions("A draft went to the United Nations Security Council after the "
			"United States   objected.",
			(expected[]){{"United Nations Security Council",
				      "United Nations Security Council", NAME},
				     {"United States", "United States", NAME},
				     {NULL, NULL, 0}});
	assert_mentions("Exporters in South Korea and New Zealand welcomed the deal.",
			(expected[]){{"South Korea", "South Korea", NAME},
				     {"New Zealand", "New Zealand", NAME},
				     {NULL, NULL, 0}});
}

/* "the", "mainland", "al-", "bin" join the name after them when the whole is an alias. */
static void test_lower_case_words_in_names(void **state)
{
	(void)state;
	assert_mentions("Cells of al-Qaeda sheltered bin Laden far from mainland China.",
			(expected[]){{"al-Qaeda", "al-Qaeda", NAME},
				     {"bin Laden", "al-Qaeda", PERSON},
				     {"mainland China", "China", NAME},
				     {NULL, NULL, 0}});
}

static void test_abbreviations(void **state)
{
	(void)state;
	assert_mentions("The U.S. envoy met U.N. staff.",
			(expected[]){{"U.S.", "United States", NAME},
				     {"U.N.", "United Nations", NAME},
				     {NULL, NULL, 0}});
}

static void test_seats(void **state)
{
	(void)state;
	assert_mentions("The Kremlin said the talks were over. Downing Street declined to comment, "
			"and officials at the White House stayed silent.",
			(expected[]){{"The Kremlin", "Russia", SEAT},
				     {"Downing Street", "United Kingdom", SEAT},
				     {"the White House", "United States", SEAT},
				     {NULL, NULL, 0}});
	assert_mentions("Envoys from Kyiv and Beijing arrived.",
			(expected[]){{"Kyiv", "Ukraine", SEAT}, {"Beijing", "China", SEAT}, {NULL, NULL, 0}});
}

static void test_demonyms(void **state)
{
	(void)state;
	assert_mentions("Russian officials blamed British and Ukrainian spies.",
			(expected[]){{"Russian", "Russia", DEMONYM},
				     {"British", "United Kingdom", DEMONYM},
				     {"Ukrainian", "Ukraine", DEMONYM},
				     {NULL, NULL, 0}});
}

/* The title stays a mention: the score stage decides about mentions inside a source span. */
static void test_title_of_a_speaker(void **state)
{
	(void)state;
	assert_mentions("Russian Foreign Minister Sergei Lavrov spoke first.",
			(expected[]){{"Russian", "Russia", DEMONYM},
				     {"Sergei Lavrov", "Russia", PERSON},
				     {NULL, NULL, 0}});
}

static void test_possessives(void **state)
{
	(void)state;
	assert_mentions("Russia's envoy rejected the United States' offer and the Kremlin's terms.",
			(expected[]){{"Russia", "Russia", NAME},
				     {"United States", "United States", NAME},
				     {"the Kremlin", "Russia", SEAT},
				     {NULL, NULL, 0}});
}

static void test_hyphenated(void **state)
{
	(void)state;
	assert_mentions("A US-backed motion angered pro-Russian groups and anti-American crowds, "
			"while a Russian-drafted text failed.",
			(expected[]){{"US", "United States", NAME},
				     {"Russian", "Russia", DEMONYM},
				     {"American", "United States", DEMONYM},
				     {"Russian", "Russia", DEMONYM},
				     {NULL, NULL, 0}});
	assert_mentions("Bosnia-Herzegovina sent observers to the Kremlin-backed vote.",
			(expected[]){{"Bosnia-Herzegovina", "Bosnia and Herzegovina", NAME},
				     {"Kremlin", "Russia", SEAT},
				     {NULL, NULL, 0}});
}

static void test_offsets_and_sentences(void **state)
{
	(void)state;
	const char *text = "Rain fell all day.\n\nLater, France and Germany spoke. "
			   "Nobody else did.  Then Japan's turn came.";
	stance_doc *doc = test_doc(text, "actors");
	size_t n;
	const stance_mention *m = stance_doc_mentions(doc, &n);
	assert_int_equal(n, 3);
	const char *names[] = {"France", "Germany", "Japan"};
	const uint32_t sentences[] = {1, 1, 3};
	size_t nsentences;
	const stance_sentence *s = stance_doc_sentences(doc, &nsentences);
	assert_int_equal(nsentences, 4);
	for (size_t i = 0; i < n; i++) {
		const char *at = strstr(text, names[i]);
		assert_int_equal(m[i].start, at - text);
		assert_int_equal(m[i].end, at - text + (long)strlen(names[i]));
		assert_int_equal(m[i].sentence, sentences[i]);
		assert_in_range(m[i].start, s[m[i].sentence].start, s[m[i].sentence].end);
	}
	stance_doc_free(doc);
}

static void test_turkey(void **state)
{
	(void)state;
	assert_mentions("Turkey's government shut the border.",
			(expected[]){{"Turkey", "Turkey", NAME}, {NULL, NULL, 0}});
	assert_mentions("Turkey and Greece agreed on a hotline.",
			(expected[]){{"Turkey", "Turkey", NAME}, {"Greece", "Greece", NAME}, {NULL, NULL, 0}});
	assert_mentions("Greek guests carved a Turkey dinner and ate Turkey sandwiches.",
			(expected[]){{"Greek", "Greece", DEMONYM}, {NULL, NULL, 0}});
	assert_no_mentions("Turkey was served at noon.");
}

static void test_first_names(void **state)
{
	(void)state;
	assert_mentions("Jordan Peterson met the drummer Chad Smith in France.",
			(expected[]){{"France", "France", NAME}, {NULL, NULL, 0}});
	assert_mentions("Jordan's king met the envoy.",
			(expected[]){{"Jordan", "Jordan", NAME}, {NULL, NULL, 0}});
	assert_mentions("Aid workers fled from Chad.",
			(expected[]){{"Chad", "Chad", NAME}, {NULL, NULL, 0}});
}

static void test_georgia(void **state)
{
	(void)state;
	assert_mentions("Polls closed in Atlanta, Georgia before Russian media called it.",
			(expected[]){{"Russian", "Russia", DEMONYM}, {NULL, NULL, 0}});
	assert_no_mentions("The state of Georgia certified the count.");
	assert_mentions("The Georgia governor signed a deal with Canada.",
			(expected[]){{"Canada", "Canada", NAME}, {NULL, NULL, 0}});
	assert_mentions("Georgia's president met Russian officials.",
			(expected[]){{"Georgia", "Georgia", NAME},
				     {"Russian", "Russia", DEMONYM},
				     {NULL, NULL, 0}});
}

static void test_washington_as_a_name(void **state)
{
	(void)state;
	assert_mentions("George Washington crossed the river, and Denzel Washington toured Canada.",
			(expected[]){{"Canada", "Canada", NAME}, {NULL, NULL, 0}});
	assert_mentions("Washington imposed sanctions on Moscow.",
			(expected[]){{"Washington", "United States", SEAT},
				     {"Moscow", "Russia", SEAT},
				     {NULL, NULL, 0}});
}

/* A mention that needs context finds it in its paragraph or elsewhere in the article. */
static void test_context_from_the_article(void **state)
{
	(void)state;
	assert_no_mentions("Washington said nothing.\n\nThe rain kept falling.");
	assert_mentions("Washington said nothing.\n\nAmerican diplomats stayed home.",
			(expected[]){{"Washington", "United States", SEAT},
				     {"American", "United States", DEMONYM},
				     {NULL, NULL, 0}});
}

static void test_russian_the_language(void **state)
{
	(void)state;
	assert_no_mentions("The letter was written in Russian.");
	assert_no_mentions("She speaks Russian at home.");
	assert_no_mentions("He reads a Russian-language paper and has many Russian speakers "
			   "as friends.");
	assert_no_mentions("The notes were translated from Russian by a volunteer.");
	assert_mentions("Prisoners in Russian custody were moved by Russian troops.",
			(expected[]){{"Russian", "Russia", DEMONYM},
				     {"Russian", "Russia", DEMONYM},
				     {NULL, NULL, 0}});
}

static void test_us_in_capitals(void **state)
{
	(void)state;
	assert_mentions("RUSSIA WARNS US OVER SANCTIONS\n\nThe row deepened.",
			(expected[]){{"RUSSIA", "Russia", NAME},
				     {"US", "United States", NAME},
				     {NULL, NULL, 0}});
	assert_no_mentions("PLEASE TELL US WHAT YOU THINK\n\nWrite to the editor.");
	assert_mentions("THE KREMLIN REJECTS US PLAN\n\nTalks go on.",
			(expected[]){{"THE KREMLIN", "Russia", SEAT},
				     {"US", "United States", NAME},
				     {NULL, NULL, 0}});
	assert_mentions("Officials said the US would respond.",
			(expected[]){{"US", "United States", NAME}, {NULL, NULL, 0}});
}

static void test_people_from_the_gazetteer(void **state)
{
	(void)state;
	assert_mentions("Vladimir Putin met Emmanuel Macron. Putin left early.",
			(expected[]){{"Vladimir Putin", "Russia", PERSON},
				     {"Emmanuel Macron", "France", PERSON},
				     {"Putin", "Russia", PERSON},
				     {NULL, NULL, 0}});
	/* the surname of a listed full name counts once the full name has appeared */
	assert_mentions("Hillary Clinton and her aides left. Clinton's car waited.",
			(expected[]){{"Hillary Clinton", "United States", PERSON},
				     {"Clinton", "United States", PERSON},
				     {NULL, NULL, 0}});
}

/* A speaker the attribute stage gave a party is a mention of it, by full name or surname. */
static void test_people_from_the_article(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Ivo Marenko arrived. Critics of Marenko's plan left.",
				   "attribute");
	stance_entity *e = STANCE_PUSH(doc, entities);
	assert_non_null(e);
	e->name = "Ivo Marenko";
	e->party = test_actor("Croatia");
	e->kind = STANCE_ENTITY_PERSON;
	stance_error err;
	assert_int_equal(stance_actors(doc, test_models(), &err), STANCE_OK);
	assert_doc_mentions(doc,
			    (expected[]){{"Ivo Marenko", "Croatia", PERSON},
					 {"Marenko", "Croatia", PERSON}},
			    2);
	stance_doc_free(doc);
}

/* Words an alias begins with lead nowhere when the rest differs; line breaks and runs of
 * spaces between the words of an alias do not hide it. */
static void test_words_that_begin_aliases(void **state)
{
	(void)state;
	assert_mentions("United Airlines and South Pacific Freight flew aid to Ukraine.",
			(expected[]){{"Ukraine", "Ukraine", NAME}, {NULL, NULL, 0}});
	assert_mentions("Envoys of the United  Nations and of\nSouth Korea met.",
			(expected[]){{"United  Nations", "United Nations", NAME},
				     {"South Korea", "South Korea", NAME},
				     {NULL, NULL, 0}});
}

/* Earlier hyphenated words do not hide the party of a later one. */
static void test_many_hyphens(void **state)
{
	(void)state;
	assert_mentions("A well-known, long-standing and pro-Russian group met self-styled "
			"anti-American critics.",
			(expected[]){{"Russian", "Russia", DEMONYM},
				     {"American", "United States", DEMONYM},
				     {NULL, NULL, 0}});
}

/* A person whose first name is an alias ("Jordan") is matched by the whole name. */
static void test_person_named_like_a_party(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Jordan Marenko-Vukic arrived late.", "attribute");
	stance_entity *e = STANCE_PUSH(doc, entities);
	assert_non_null(e);
	e->name = "Jordan Marenko-Vukic";
	e->party = test_actor("Croatia");
	e->kind = STANCE_ENTITY_PERSON;
	stance_error err;
	assert_int_equal(stance_actors(doc, test_models(), &err), STANCE_OK);
	assert_doc_mentions(doc, (expected[]){{"Jordan Marenko-Vukic", "Croatia", PERSON}}, 1);
	stance_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_multi_word_names),
		cmocka_unit_test(test_lower_case_words_in_names),
		cmocka_unit_test(test_abbreviations),
		cmocka_unit_test(test_seats),
		cmocka_unit_test(test_demonyms),
		cmocka_unit_test(test_title_of_a_speaker),
		cmocka_unit_test(test_possessives),
		cmocka_unit_test(test_hyphenated),
		cmocka_unit_test(test_offsets_and_sentences),
		cmocka_unit_test(test_turkey),
		cmocka_unit_test(test_first_names),
		cmocka_unit_test(test_georgia),
		cmocka_unit_test(test_washington_as_a_name),
		cmocka_unit_test(test_context_from_the_article),
		cmocka_unit_test(test_russian_the_language),
		cmocka_unit_test(test_us_in_capitals),
		cmocka_unit_test(test_people_from_the_gazetteer),
		cmocka_unit_test(test_people_from_the_article),
		cmocka_unit_test(test_words_that_begin_aliases),
		cmocka_unit_test(test_many_hyphens),
		cmocka_unit_test(test_person_named_like_a_party),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
