/* Stage 3: quotations, reported speech and stance verbs, their speakers and parties. One test
 * per pattern family, each with sentences written for it. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "support.h"

/* The attribution whose cue reads cue (the first one when several do). */
static const stance_attribution *by_cue(const stance_doc *doc, const char *cue)
{
	size_t n;
	const stance_attribution *a = stance_doc_attributions(doc, &n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(test_span(doc, a[i].cue), cue) == 0)
			return &a[i];
	fail_msg("no attribution with the cue \"%s\" among %zu", cue, n);
	return NULL;
}

/* The attribution whose content reads content. */
static const stance_attribution *by_content(const stance_doc *doc, const char *content)
{
	size_t n;
	const stance_attribution *a = stance_doc_attributions(doc, &n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(test_span(doc, a[i].content), content) == 0)
			return &a[i];
	fail_msg("no attribution with the content \"%s\" among %zu", content, n);
	return NULL;
}

static void assert_spans(const stance_doc *doc, const stance_attribution *a, const char *source,
			 const char *cue, const char *content, stance_attribution_kind kind)
{
	assert_string_equal(test_span(doc, a->source), source);
	assert_string_equal(test_span(doc, a->cue), cue);
	assert_string_equal(test_span(doc, a->content), content);
	assert_int_equal(a->kind, kind);
}

/* The speaker's canonical name, entity kind and party (NULL: none). */
static void assert_speaker(const stance_doc *doc, const stance_attribution *a, const char *name,
			   stance_entity_kind kind, const char *party)
{
	size_t n;
	const stance_entity *e = stance_doc_entities(doc, &n);
	assert_true(a->entity >= 0 && (size_t)a->entity < n);
	assert_string_equal(e[a->entity].name, name);
	assert_int_equal(e[a->entity].kind, kind);
	if (party)
		assert_string_equal(stance_models_actor_name(test_models(), e[a->entity].party), party);
	else
		assert_int_equal(e[a->entity].party, STANCE_NONE);
}

static size_t count_attributions(const stance_doc *doc)
{
	size_t n;
	stance_doc_attributions(doc, &n);
	return n;
}

static void quote_before_its_speaker(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("\"We will not give up on the talks,\" German Chancellor Karl Weber "
				   "said on Tuesday.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_spans(doc, a, "German Chancellor Karl Weber", "said",
		     "\"We will not give up on the talks,\"", STANCE_ATTR_DIRECT);
	assert_speaker(doc, a, "Karl Weber", STANCE_ENTITY_PERSON, "Germany");
	stance_doc_free(doc);
}

static void speaker_after_said(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("\"The door remains open,\" said Paulo Reis, the Brazilian foreign "
				   "minister.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_spans(doc, a, "Paulo Reis, the Brazilian foreign minister", "said",
		     "\"The door remains open,\"", STANCE_ATTR_DIRECT);
	assert_speaker(doc, a, "Paulo Reis", STANCE_ENTITY_PERSON, "Brazil");
	stance_doc_free(doc);
}

static void quote_after_a_colon_with_a_known_person(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Erdogan said: \"Our borders are closed to smugglers.\"",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_spans(doc, a, "Erdogan", "said", "\"Our borders are closed to smugglers.\"",
		     STANCE_ATTR_DIRECT);
	assert_speaker(doc, a, "Erdogan", STANCE_ENTITY_PERSON, "Turkey");
	stance_doc_free(doc);
}

static void reported_speech_without_quotes(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Spanish Foreign Minister Ana Lopez stressed that the talks would "
				   "go on. She added the ports would stay open.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "stressed");
	assert_spans(doc, a, "Spanish Foreign Minister Ana Lopez", "stressed",
		     "that the talks would go on", STANCE_ATTR_REPORTED);
	assert_speaker(doc, a, "Ana Lopez", STANCE_ENTITY_PERSON, "Spain");
	a = by_cue(doc, "added");
	assert_spans(doc, a, "She", "added", "the ports would stay open", STANCE_ATTR_REPORTED);
	assert_speaker(doc, a, "Ana Lopez", STANCE_ENTITY_PERSON, "Spain");
	stance_doc_free(doc);
}

static void partial_quote_inside_a_sentence(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Mexican President Luis Ortega decried the \"senseless violence\" "
				   "in the north.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "decried");
	assert_spans(doc, a, "Mexican President Luis Ortega", "decried",
		     "the \"senseless violence\" in the north", STANCE_ATTR_PARTIAL);
	assert_int_equal(a->polarity, -1);
	assert_speaker(doc, a, "Luis Ortega", STANCE_ENTITY_PERSON, "Mexico");
	stance_doc_free(doc);
}

static void quotation_over_paragraphs(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Jan de Vries, the Dutch prime minister, said:\n\n"
				   "\"We have waited long enough. The people want answers.\n\n"
				   "\"Now it is time to act.\"\n\n"
				   "The vote is on Friday.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_spans(doc, a, "Jan de Vries, the Dutch prime minister,", "said",
		     "\"We have waited long enough. The people want answers.\n\n"
		     "\"Now it is time to act.\"",
		     STANCE_ATTR_DIRECT);
	assert_speaker(doc, a, "Jan de Vries", STANCE_ENTITY_PERSON, "Netherlands");
	assert_int_equal(count_attributions(doc), 1);
	stance_doc_free(doc);
}

static void unbalanced_quote_stays_in_its_paragraph(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("The senator said \"this bill will never pass.\n\n"
				   "Markets rose on Monday. Analysts said prices would fall.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_string_equal(test_span(doc, a->content), "\"this bill will never pass.");
	a = by_content(doc, "prices would fall");
	assert_string_equal(test_span(doc, a->source), "Analysts");
	stance_doc_free(doc);
}

static void single_quotes_and_apostrophes(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("'We are not afraid of anyone,' Irish Prime Minister Sean Byrne "
				   "said. He added that Ireland's position was 'clear'.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_spans(doc, a, "Irish Prime Minister Sean Byrne", "said",
		     "'We are not afraid of anyone,'", STANCE_ATTR_DIRECT);
	assert_speaker(doc, a, "Sean Byrne", STANCE_ENTITY_PERSON, "Ireland");
	a = by_cue(doc, "added");
	assert_spans(doc, a, "He", "added", "that Ireland's position was 'clear'",
		     STANCE_ATTR_PARTIAL);
	assert_speaker(doc, a, "Sean Byrne", STANCE_ENTITY_PERSON, "Ireland");
	stance_doc_free(doc);
}

static void pronoun_is_the_subject_not_the_addressee(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Canadian Prime Minister Mark Olsen met Polish President Adam Nowak "
				   "on Monday. Olsen told Nowak that trade would grow.\n\n"
				   "\"We are partners,\" he said. The Canadian leader said the visit "
				   "had gone well.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "told");
	assert_spans(doc, a, "Olsen", "told", "that trade would grow", STANCE_ATTR_REPORTED);
	a = by_content(doc, "\"We are partners,\"");
	assert_string_equal(test_span(doc, a->source), "he");
	assert_speaker(doc, a, "Mark Olsen", STANCE_ENTITY_PERSON, "Canada");
	a = by_content(doc, "the visit had gone well");
	assert_string_equal(test_span(doc, a->source), "The Canadian leader");
	assert_speaker(doc, a, "Mark Olsen", STANCE_ENTITY_PERSON, "Canada");
	stance_doc_free(doc);
}

static void one_entity_under_its_longest_name(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Ortega said the army would stay. President Luis Ortega later "
				   "said the curfew would end.",
				   "attribute");
	size_t n;
	const stance_entity *e = stance_doc_entities(doc, &n);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].name, "Luis Ortega");
	assert_int_equal(by_content(doc, "the army would stay")->entity, 0);
	assert_string_equal(test_span(doc, by_content(doc, "the curfew would end")->cue),
			    "later said");
	stance_doc_free(doc);
}

static void institutions_as_speakers(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Moscow has accused Kyiv of shelling the plant. The Kremlin said "
				   "the talks had failed.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "has accused");
	assert_spans(doc, a, "Moscow", "has accused", "Kyiv of shelling the plant",
		     STANCE_ATTR_STANCE);
	assert_int_equal(a->polarity, -1);
	assert_speaker(doc, a, "Moscow", STANCE_ENTITY_INSTITUTION, "Russia");
	a = by_cue(doc, "said");
	assert_spans(doc, a, "The Kremlin", "said", "the talks had failed", STANCE_ATTR_REPORTED);
	assert_speaker(doc, a, "Kremlin", STANCE_ENTITY_INSTITUTION, "Russia");
	stance_doc_free(doc);
}

static void anonymous_source_with_a_demonym(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("A senior Chinese official said the visit was cancelled.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_spans(doc, a, "A senior Chinese official", "said", "the visit was cancelled",
		     STANCE_ATTR_REPORTED);
	assert_speaker(doc, a, "senior Chinese official", STANCE_ENTITY_ANONYMOUS, "China");
	stance_doc_free(doc);
}

static void according_to(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("The economy shrank by two percent, according to the Italian "
				   "statistics office.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "according to");
	assert_spans(doc, a, "the Italian statistics office", "according to",
		     "The economy shrank by two percent", STANCE_ATTR_REPORTED);
	assert_speaker(doc, a, "Italian statistics office", STANCE_ENTITY_INSTITUTION, "Italy");
	stance_doc_free(doc);
}

static void two_speakers_in_one_sentence(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Polish President Adam Nowak said the border was safe, while Czech "
				   "Prime Minister Petr Kral warned that the crisis was not over.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_spans(doc, a, "Polish President Adam Nowak", "said", "the border was safe",
		     STANCE_ATTR_REPORTED);
	assert_speaker(doc, a, "Adam Nowak", STANCE_ENTITY_PERSON, "Poland");
	a = by_cue(doc, "warned");
	assert_spans(doc, a, "Czech Prime Minister Petr Kral", "warned",
		     "that the crisis was not over", STANCE_ATTR_REPORTED);
	assert_speaker(doc, a, "Petr Kral", STANCE_ENTITY_PERSON, "Czech Republic");
	stance_doc_free(doc);
}

static void spokesman_of_a_known_person(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Macron's spokesman said the offer still stood.", "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_spans(doc, a, "Macron's spokesman", "said", "the offer still stood",
		     STANCE_ATTR_REPORTED);
	assert_speaker(doc, a, "Macron's spokesman", STANCE_ENTITY_ANONYMOUS, "France");
	stance_doc_free(doc);
}

static void apposition_names_the_party(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("\"This is a bad day for everyone,\" the British ambassador to the "
				   "EU, Tom Hale, said on Twitter. Britain's trade secretary, Lucy "
				   "Marsh, agreed that the deal was poor.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_spans(doc, a, "the British ambassador to the EU, Tom Hale,", "said",
		     "\"This is a bad day for everyone,\"", STANCE_ATTR_DIRECT);
	assert_speaker(doc, a, "Tom Hale", STANCE_ENTITY_PERSON, "United Kingdom");
	a = by_cue(doc, "agreed");
	assert_spans(doc, a, "Britain's trade secretary, Lucy Marsh,", "agreed",
		     "that the deal was poor", STANCE_ATTR_REPORTED);
	assert_speaker(doc, a, "Lucy Marsh", STANCE_ENTITY_PERSON, "United Kingdom");
	stance_doc_free(doc);
}

static void dashed_aside_before_the_cue(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("\"We are ready,\" Weber -- who once served in the navy -- told a "
				   "news conference.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "told");
	assert_spans(doc, a, "Weber -- who once served in the navy --", "told", "\"We are ready,\"",
		     STANCE_ATTR_DIRECT);
	assert_speaker(doc, a, "Weber", STANCE_ENTITY_PERSON, NULL);
	stance_doc_free(doc);
}

static void stance_verbs_and_a_participle(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Nowak praised Germany for its help, adding that the aid had "
				   "saved lives. The Kremlin condemned the sanctions.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "praised");
	assert_spans(doc, a, "Nowak", "praised", "Germany for its help", STANCE_ATTR_STANCE);
	assert_int_equal(a->polarity, 1);
	a = by_cue(doc, "adding");
	assert_spans(doc, a, "Nowak", "adding", "that the aid had saved lives",
		     STANCE_ATTR_REPORTED);
	a = by_cue(doc, "condemned");
	assert_spans(doc, a, "The Kremlin", "condemned", "the sanctions", STANCE_ATTR_STANCE);
	assert_int_equal(a->polarity, -1);
	stance_doc_free(doc);

	doc = test_doc("Greece lifted the ban, a step Nowak welcomed.", "attribute");
	a = by_cue(doc, "welcomed");
	assert_spans(doc, a, "Nowak", "welcomed", "Greece lifted the ban, a step",
		     STANCE_ATTR_STANCE);
	assert_int_equal(a->polarity, 1);
	stance_doc_free(doc);
}

static void nouns_that_look_like_cues(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("The United States faces a tough choice. Their support was "
				   "strong, and the plan's critics were few.",
				   "attribute");
	assert_int_equal(count_attributions(doc), 0);
	stance_doc_free(doc);
}

static void quote_split_by_its_tag(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("\"We did our part,\" she said, \"and now it is their turn.\"",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_spans(doc, a, "she", "said",
		     "\"We did our part,\" she said, \"and now it is their turn.\"",
		     STANCE_ATTR_DIRECT);
	assert_int_equal(a->entity, STANCE_NONE);
	stance_doc_free(doc);
}

static void quote_after_the_tag_continues_the_content(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Ana Lopez met the strikers on Monday.\n\n"
				   "\"We hear you,\" Lopez said. \"The ports will open.\"\n\n"
				   "\"Nobody will be punished.\"",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_spans(doc, a, "Lopez", "said",
		     "\"We hear you,\" Lopez said. \"The ports will open.\"", STANCE_ATTR_DIRECT);
	a = by_content(doc, "\"Nobody will be punished.\"");
	assert_int_equal(a->source.end, a->source.start);
	assert_speaker(doc, a, "Ana Lopez", STANCE_ENTITY_PERSON, NULL);
	assert_int_equal(count_attributions(doc), 2);
	stance_doc_free(doc);
}

static void titles_and_offices_leave_the_name(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Chilean Mining Minister Rosa Fuentes said the mines would reopen.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_spans(doc, a, "Chilean Mining Minister Rosa Fuentes", "said",
		     "the mines would reopen", STANCE_ATTR_REPORTED);
	assert_speaker(doc, a, "Rosa Fuentes", STANCE_ENTITY_PERSON, "Chile");
	stance_doc_free(doc);
}

static void country_modifier_is_not_the_speaker(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("The rally was calm, while U.S. State Department spokesman Gary Pell "
				   "warned that more protests were planned.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "warned");
	assert_spans(doc, a, "U.S. State Department spokesman Gary Pell", "warned",
		     "that more protests were planned", STANCE_ATTR_REPORTED);
	assert_speaker(doc, a, "Gary Pell", STANCE_ENTITY_PERSON, "United States");
	assert_int_equal(count_attributions(doc), 1);
	stance_doc_free(doc);
}

static void the_ministry_is_the_ministry_named_before(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("The Indian Health Ministry rejected the report. \"The figures are "
				   "wrong,\" the ministry said. It accused the authors of bias.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_speaker(doc, a, "Indian Health Ministry", STANCE_ENTITY_INSTITUTION, "India");
	int32_t ministry = a->entity;
	a = by_cue(doc, "accused");
	assert_string_equal(test_span(doc, a->source), "It");
	assert_int_equal(a->entity, ministry);
	assert_int_equal(by_cue(doc, "rejected")->entity, ministry);
	stance_doc_free(doc);
}

static void surname_alone_takes_the_full_name_and_party(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("The deal was signed by Peruvian Energy Minister Lucia de Souza on "
				   "Monday. De Souza said prices would fall. Talks with Omar al-Rashid, "
				   "a Jordanian envoy, went on. Al-Rashid said nothing was agreed.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_string_equal(test_span(doc, a->source), "De Souza");
	assert_speaker(doc, a, "Lucia de Souza", STANCE_ENTITY_PERSON, "Peru");
	a = by_content(doc, "nothing was agreed");
	assert_speaker(doc, a, "Omar al-Rashid", STANCE_ENTITY_PERSON, NULL);
	stance_doc_free(doc);
}

static void reported_words_before_an_inverted_tag(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("The levy will hurt small farms most, said Nora Blum, an economist "
				   "at the Harbor Institute.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "said");
	assert_spans(doc, a, "Nora Blum, an economist at the Harbor Institute", "said",
		     "The levy will hurt small farms most", STANCE_ATTR_REPORTED);
	assert_speaker(doc, a, "Nora Blum", STANCE_ENTITY_PERSON, NULL);
	stance_doc_free(doc);
}

static void verbs_of_seeming_and_refusing_are_cues(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Governor Ella Marsh declined to comment on the strike. The mayor "
				   "seemed unconvinced by the offer.",
				   "attribute");
	const stance_attribution *a = by_cue(doc, "declined");
	assert_spans(doc, a, "Governor Ella Marsh", "declined", "to comment on the strike",
		     STANCE_ATTR_REPORTED);
	assert_speaker(doc, a, "Ella Marsh", STANCE_ENTITY_PERSON, NULL);
	a = by_cue(doc, "seemed");
	assert_string_equal(test_span(doc, a->source), "The mayor");
	stance_doc_free(doc);
}

/* Cue words are looked up whatever their case: a headline capitalises its verb, and some
 * papers set a cue in capitals. */
static void cues_in_capitals(void **state)
{
	(void)state;
	stance_doc *doc = test_doc("Grant Says Bridge Will Reopen\n\nThe old bridge will reopen in "
				   "May, ACCORDING to Mayor Ann Grant.",
				   "attribute");
	assert_int_equal(count_attributions(doc), 2);
	assert_spans(doc, by_cue(doc, "Says"), "Grant", "Says", "Bridge Will Reopen",
		     STANCE_ATTR_REPORTED);
	const stance_attribution *a = by_cue(doc, "ACCORDING to");
	assert_spans(doc, a, "Mayor Ann Grant", "ACCORDING to", "The old bridge will reopen in May",
		     STANCE_ATTR_REPORTED);
	assert_speaker(doc, a, "Ann Grant", STANCE_ENTITY_PERSON, NULL);
	stance_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quote_before_its_speaker),
		cmocka_unit_test(speaker_after_said),
		cmocka_unit_test(quote_after_a_colon_with_a_known_person),
		cmocka_unit_test(reported_speech_without_quotes),
		cmocka_unit_test(partial_quote_inside_a_sentence),
		cmocka_unit_test(quotation_over_paragraphs),
		cmocka_unit_test(unbalanced_quote_stays_in_its_paragraph),
		cmocka_unit_test(single_quotes_and_apostrophes),
		cmocka_unit_test(pronoun_is_the_subject_not_the_addressee),
		cmocka_unit_test(one_entity_under_its_longest_name),
		cmocka_unit_test(institutions_as_speakers),
		cmocka_unit_test(anonymous_source_with_a_demonym),
		cmocka_unit_test(according_to),
		cmocka_unit_test(two_speakers_in_one_sentence),
		cmocka_unit_test(spokesman_of_a_known_person),
		cmocka_unit_test(apposition_names_the_party),
		cmocka_unit_test(dashed_aside_before_the_cue),
		cmocka_unit_test(stance_verbs_and_a_participle),
		cmocka_unit_test(nouns_that_look_like_cues),
		cmocka_unit_test(quote_split_by_its_tag),
		cmocka_unit_test(quote_after_the_tag_continues_the_content),
		cmocka_unit_test(titles_and_offices_leave_the_name),
		cmocka_unit_test(country_modifier_is_not_the_speaker),
		cmocka_unit_test(the_ministry_is_the_ministry_named_before),
		cmocka_unit_test(surname_alone_takes_the_full_name_and_party),
		cmocka_unit_test(reported_words_before_an_inverted_tag),
		cmocka_unit_test(verbs_of_seeming_and_refusing_are_cues),
		cmocka_unit_test(cues_in_capitals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
