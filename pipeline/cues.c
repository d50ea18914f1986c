/* The cue loader: models/cues.tsv, one lemma a line.
 *
 * Columns, tab-separated: lemma, comma-separated lower-case surface forms, polarity toward the
 * object (-1, 0, +1), kind (speech, stance or source). '#' starts a comment line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cues.h"

struct stance_cues {
	stance_strmap *words; /* lower-case word -> stance_cue_word */
	stance_arena *lemmas;
	size_t longest;       /* bytes of the longest word, to skip longer ones unhashed */
};

/* The closed classes are English grammar rather than data to tune, so they live here. */
static const struct {
	uint32_t classes;
	const char *words;
} word_classes[] = {
	{STANCE_WC_PRONOUN, "he she they it i we you"},
	{STANCE_WC_MALE, "he mr"},
	{STANCE_WC_FEMALE, "she mrs ms miss madam"},
	{STANCE_WC_RELATIVE, "who which whose"},
	{STANCE_WC_DETERMINER, "the a an this that these those his her its their our my your some "
			       "many several all both each one two three four five most few another "
			       "other any no"},
	{STANCE_WC_INDEFINITE, "a an one some several two three four five many another few any "
			       "no unnamed anonymous other"},
	{STANCE_WC_AUXILIARY, "has have had also later previously recently repeatedly once now then "
			      "since initially often still again reportedly publicly privately further "
			      "subsequently already long never would will could 've first together "
			      "almost immediately not did does didn't doesn't don't hasn't haven't "
			      "won't wouldn't can't cannot"},
	{STANCE_WC_PASSIVE, "was were been being is are be am"},
	{STANCE_WC_NP_PREPOSITION, "of for"},
	{STANCE_WC_STOP, "and or but nor that when while because as if after before since although "
			 "though so where which who whom whose than then in on at to by with from "
			 "into about over under during against without within between through across "
			 "among via not n't no yes is was are were be been being am has have had do "
			 "does did will would could should may might can must shall also even just "
			 "only still yet however meanwhile moreover instead there here thus therefore "
			 "indeed now later previously recently once again earlier why how what whether "
			 "until unless upon amid despite like unlike toward towards per said says say "
			 "him them me us whereas too very not having didn't doesn't don't hasn't "
			 "haven't won't wouldn't can't cannot isn't wasn't weren't aren't what "
			 "everything something nothing anything everyone someone"},
	{STANCE_WC_CLAUSE, "and but while whereas although though as because when"},
	{STANCE_WC_OBJECT, "him her them me us you reporters journalists"},
	{STANCE_WC_TITLE, "president mr mrs ms dr sen senator rep representative gov governor "
			  "secretary minister foreign prime defense defence chancellor ambassador "
			  "general gen adm admiral mayor judge justice speaker leader majority "
			  "minority chairman chairwoman chair director chief deputy vice former king "
			  "queen prince princess pope premier envoy commissioner press state interior "
			  "finance home attorney spokesman spokeswoman spokesperson lt col colonel "
			  "sgt capt captain lord sir dame rev reverend professor prof "
			  "president-elect congressman congresswoman assemblyman ceo executive "
			  "republican republicans democrat democrats democratic gop labour "
			  "conservative liberal independent sheriff officer commander candidate "
			  "nominee councilman councilwoman supreme first lady ex acting top senior "
			  "national security adviser advisor activist strategist analyst economist "
			  "pollster lawyer author host anchor columnist writer reporter editor aide "
			  "consultant operative commentator official spokesperson businessman "
			  "businesswoman billionaire mogul investor founder chairperson president's "
			  "superintendent manager organizer organiser director's publisher producer "
			  "historian scholar expert researcher scientist pastor bishop cardinal "
			  "rabbi imam cleric novelist comedian actor actress singer rapper star "
			  "lawmaker legislator politician diplomat negotiator envoy counsel adviser's "
			  "prosecutor detective agent inspector auditor treasurer partner fellow "
			  "member colleague friend rival opponent challenger contender incumbent "
			  "hopeful frontrunner front-runner veteran leader's ally critic supporter"},
	{STANCE_WC_INSTITUTION, "ministry department office committee council agency news times "
				"post party campaign government administration house senate "
				"congress parliament court bank fund commission association "
				"institute university foundation center centre service network "
				"press journal reuters company group organization organisation "
				"union army military police board cabinet embassy league coalition "
				"alliance federation corporation inc corp newspaper magazine poll "
				"survey report study statement website channel television radio "
				"tribune herald telegraph guardian ministries regime authorities "
				"kremlin"},
	{STANCE_WC_ASIDE, "monday tuesday wednesday thursday friday saturday sunday yesterday today "
			  "tonight however meanwhile too"},
	{STANCE_WC_NOUN, "support supports attack attacks state states call calls point points report "
			 "reports comment comments claim claims answer answers appeal appeals voice "
			 "voices tweet tweets charge charges credit credits thanks protest protests "
			 "welcome welcomes demand demands promise promises remark remarks note notes "
			 "signal signals estimate estimates reply replies dispute disputes blame "
			 "fault faults praise back backs champion champions hail mock slam slams "
			 "blast blasts record records question questions show shows finding findings "
			 "concern concerns plan plans hope hopes fear fears view views"},
	{STANCE_WC_ADDRESSEE, "told tells telling tell assured assures assuring assure informed "
			      "informs informing inform reminded reminds reminding remind"},
};

static int parse_kind(const char *s, uint8_t *kind)
{
	static const char *const names[] = {"speech", "stance", "source"};
	for (size_t i = 0; i < STANCE_ARRAY_LEN(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			*kind = (uint8_t)i;
			return 0;
		}
	}
	return -1;
}

static int parse_polarity(const char *s, int8_t *polarity)
{
	if (strcmp(s, "-1") == 0)
		*polarity = -1;
	else if (strcmp(s, "0") == 0)
		*polarity = 0;
	else if (strcmp(s, "+1") == 0 || strcmp(s, "1") == 0)
		*polarity = 1;
	else
		return -1;
	return 0;
}

/* Splits line in place into exactly n tab-separated fields. */
static int split_fields(char *line, char **fields, size_t n)
{
	size_t i = 0;
	for (char *save = NULL, *f = strtok_r(line, "\t", &save); f; f = strtok_r(NULL, "\t", &save)) {
		if (i == n)
			return -1;
		fields[i++] = f;
	}
	return i == n ? 0 : -1;
}

static stance_cue_word *word_slot(stance_cues *cues, const char *word, size_t n)
{
	bool inserted;
	if (n > cues->longest)
		cues->longest = n;
	return stance_strmap_upsert(cues->words, word, n, sizeof(stance_cue_word), &inserted);
}

/* The forms column lists past, third person, -ing and base form, then variants. */
static uint8_t form_at(size_t index, const char *form)
{
	if (index <= STANCE_FORM_BASE)
		return (uint8_t)index;
	size_t n = strlen(form);
	return n > 3 && strcmp(form + n - 3, "ing") == 0 ? STANCE_FORM_GERUND : STANCE_FORM_PAST;
}

static int add_forms(stance_cues *cues, char *forms, const stance_cue *cue)
{
	size_t index = 0;
	for (char *save = NULL, *f = strtok_r(forms, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		stance_cue_word *w = word_slot(cues, f, strlen(f));
		if (!w)
			return -1;
		w->cue = *cue;
		w->is_cue = true;
		w->form = form_at(index++, f);
	}
	return 0;
}

static int add_word_classes(stance_cues *cues)
{
	for (size_t i = 0; i < STANCE_ARRAY_LEN(word_classes); i++) {
		for (const char *s = word_classes[i].words; *s;) {
			size_t n = strcspn(s, " ");
			stance_cue_word *w = word_slot(cues, s, n);
			if (!w)
				return -1;
			w->classes |= word_classes[i].classes;
			s += n + (s[n] == ' ');
		}
	}
	return 0;
}

static int parse_line(stance_cues *cues, char *line, const char *path, size_t lineno,
		      stance_error *err)
{
	line[strcspn(line, "\r\n")] = '\0';
	if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
		return STANCE_OK;
	char *f[4];
	stance_cue cue;
	if (split_fields(line, f, 4) != 0)
		return stance_fail(err, STANCE_EMODEL, "%s:%zu: expected 4 tab-separated fields", path,
				   lineno);
	if (parse_polarity(f[2], &cue.polarity) != 0)
		return stance_fail(err, STANCE_EMODEL, "%s:%zu: polarity \"%s\" is not -1, 0 or +1",
				   path, lineno, f[2]);
	if (parse_kind(f[3], &cue.kind) != 0)
		return stance_fail(err, STANCE_EMODEL,
				   "%s:%zu: kind \"%s\" is not speech, stance or source", path, lineno,
				   f[3]);
	cue.lemma = stance_arena_strndup(cues->lemmas, f[0], strlen(f[0]));
	if (!cue.lemma || add_forms(cues, f[1], &cue) != 0)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", path);
	return STANCE_OK;
}

static int read_lines(stance_cues *cues, FILE *in, const char *path, stance_error *err)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	int rc = STANCE_OK;
	while (!rc && getline(&line, &cap, in) != -1)
		rc = parse_line(cues, line, path, ++lineno, err);
	if (!rc && ferror(in))
		rc = stance_fail(err, STANCE_EIO, "%s: read error", path);
	free(line);
	return rc;
}

int stance_cues_load(stance_cues **out, const char *path, stance_error *err)
{
	FILE *in = fopen(path, "r");
	if (!in)
		return stance_fail(err, STANCE_EMODEL, "%s: cannot open the cue list", path);
	stance_cues *cues = calloc(1, sizeof(*cues));
	int rc = STANCE_OK;
	if (!cues || stance_strmap_new(&cues->words) != 0 || stance_arena_new(&cues->lemmas) != 0 ||
	    add_word_classes(cues) != 0)
		rc = stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", path);
	if (!rc)
		rc = read_lines(cues, in, path, err);
	fclose(in);
	if (rc) {
		stance_cues_free(cues);
		return rc;
	}
	*out = cues;
	return STANCE_OK;
}

void stance_cues_free(stance_cues *cues)
{
	if (!cues)
		return;
	stance_strmap_free(cues->words);
	stance_arena_free(cues->lemmas);
	free(cues);
}

const stance_cue_word *stance_cues_word(const stance_cues *cues, const char *word, size_t n)
{
	return n > cues->longest ? NULL : stance_strmap_get(cues->words, word, n);
}

const stance_cue *stance_cues_find(const stance_cues *cues, const char *form, size_t n)
{
	const stance_cue_word *w = stance_cues_word(cues, form, n);
	return w && w->is_cue ? &w->cue : NULL;
}
