/* The cue loader: models/cues.tsv, one lemma a line.
 *
 * Columns, tab-separated: lemma, comma-separated lower-case surface forms, polarity toward the
 * object (-1, 0, +1), kind (speech, stance or source). '#' starts a comment line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cues.h"

/* The words again, in a table probed with a hash of their first and last eight bytes taken
 * while folding case, so that the attribution stage looks up every word as written, without
 * copying it to lower case, for a few instructions. */
typedef struct index_slot {
	uint64_t head, tail; /* see load_ends */
	size_t len;
	const char *key;     /* NULL: empty */
	const stance_cue_word *word;
} index_slot;

struct stance_cues {
	stance_strmap *words; /* lower-case word -> stance_cue_word, while loading */
	stance_arena *lemmas;
	size_t longest;       /* bytes of the longest word, to skip longer ones unhashed */
	index_slot *index;
	size_t index_mask;
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

/* The bytes of s as one or two words: up to 7 bytes in head alone (the first and the last
 * four, overlapping), else the first eight in head and the last eight in tail. With the
 * length they spell any word of up to 16 bytes, and they never read outside s. */
static inline void load_ends(const char *s, size_t n, uint64_t *head, uint64_t *tail)
{
	*tail = 0;
	if (n >= 8) {
		memcpy(head, s, 8);
		memcpy(tail, s + n - 8, 8);
	} else if (n >= 4) {
		uint32_t h, t;
		memcpy(&h, s, 4);
		memcpy(&t, s + n - 4, 4);
		*head = h | (uint64_t)t << 32;
	} else {
		const unsigned char *u = (const unsigned char *)s;
		*head = n ? u[0] | (uint64_t)u[n / 2] << 8 | (uint64_t)u[n - 1] << 16 : 0;
	}
}

/* The eight bytes of x with A-Z turned to a-z. A byte is a capital when its low seven bits
 * reach 'A' but not past 'Z' and its top bit is clear; adding 0x20 to it is setting a bit. */
static inline uint64_t fold_ascii(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101u, tops = 0x8080808080808080u;
	uint64_t low7 = x & ~tops;
	uint64_t from_a = (low7 + (0x80 - 'A') * ones) & tops;
	uint64_t past_z = (low7 + (0x80 - 'Z' - 1) * ones) & tops;
	return x | ((from_a & ~past_z & ~x) >> 2);
}

static bool same_bytes(const char *key, const char *s, size_t n, bool fold)
{
	for (size_t i = 0; i < n; i++) {
		char b = s[i];
		if (fold && b >= 'A' && b <= 'Z')
			b = (char)(b + ('a' - 'A'));
		if (key[i] != b)
			return false;
	}
	return true;
}

static inline index_slot *index_probe(const stance_cues *cues, const char *s, size_t n,
				       bool fold)
{
	uint64_t head, tail;
	load_ends(s, n, &head, &tail);
	if (fold) {
		head = fold_ascii(head);
		if (n >= 8)
			tail = fold_ascii(tail);
	}
	uint64_t h = (head ^ (tail * 0x9E3779B97F4A7C15u) ^ n) * 0xD6E8FEB86659FD93u;
	for (size_t i = (size_t)(h >> 32) & cues->index_mask;; i = (i + 1) & cues->index_mask) {
		index_slot *slot = &cues->index[i];
		if (!slot->key || (slot->len == n && slot->head == head && slot->tail == tail &&
				   (n <= 16 || same_bytes(slot->key, s, n, fold))))
			return slot;
	}
}

/* Fills the index from the loaded map, at most a quarter full so that most misses stop at
 * the first slot. */
static int build_index(stance_cues *cues)
{
	size_t cap = 64;
	while (cap < 4 * stance_strmap_count(cues->words))
		cap *= 2;
	cues->index = calloc(cap, sizeof(*cues->index));
	if (!cues->index)
		return -1;
	cues->index_mask = cap - 1;
	const char *key;
	size_t len;
	void *value;
	for (size_t i = 0; stance_strmap_entry(cues->words, i, &key, &len, &value); i++) {
		if (!key)
			continue;
		index_slot *slot = index_probe(cues, key, len, false);
		load_ends(key, len, &slot->head, &slot->tail);
		slot->len = len;
		slot->key = key;
		slot->word = value;
	}
	return 0;
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
	if (!rc && build_index(cues) != 0)
		rc = stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", path);
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
	free(cues->index);
	free(cues);
}

const stance_cue_word *stance_cues_word(const stance_cues *cues, const char *word, size_t n)
{
	return n > cues->longest ? NULL : index_probe(cues, word, n, false)->word;
}

const stance_cue_word *stance_cues_word_any_case(const stance_cues *cues, const char *word,
						 size_t n)
{
	return n > cues->longest ? NULL : index_probe(cues, word, n, true)->word;
}

const stance_cue *stance_cues_find(const stance_cues *cues, const char *form, size_t n)
{
	const stance_cue_word *w = stance_cues_word(cues, form, n);
	return w && w->is_cue ? &w->cue : NULL;
}
