/* Stage 2, segment: the tokens and sentences of English news.
 *
 * Two linear passes. The first scans the normalised text into tokens; it decides there what
 * the characters alone can decide (an apostrophe inside a word, the period of "U.S.", whether a
 * quotation mark opens or closes). The second walks the tokens and ends a sentence where the
 * punctuation, the line layout and the word that follows agree that one ends. Word lists are
 * sorted static tables searched by bisection. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- word lists ---- */

/* Every table below is kept in byte order (LC_ALL=C sort), as bisection needs. */

/* How the period of an abbreviation relates to the end of a sentence. */
typedef enum {
	ABBR_NONE,
	ABBR_POST,     /* "Inc.", "Jr.", "U.S.": ends one only before a clear sentence opener */
	ABBR_TITLE,    /* "Mr.", "Gen.": a name always follows */
	ABBR_NUMERAL,  /* "No.", "Jan.", "p.": ends one before a capitalised word, not a number */
	ABBR_INNER,    /* "e.g.", "vs.": always inside a sentence */
	ABBR_LIST_END, /* "etc.": ends one before any capitalised word */
	ABBR_TIME,     /* "a.m.": ends one before a capitalised word that is not a time zone */
	ABBR_SAINT     /* "St.": Saint before a name, Street after one */
} abbr_class;

typedef struct abbreviation {
	const char *word; /* first, so that the table searches like a list of words */
	uint8_t cls;      /* abbr_class */
} abbreviation;

/* Without the final period, in byte order. Case matters: "no." is the word, "No." the sign. */
static const abbreviation abbreviations[] = {
	{"A.M", ABBR_TIME}, {"Adm", ABBR_TITLE}, {"Ala", ABBR_POST}, {"Amb", ABBR_TITLE},
	{"Apr", ABBR_NUMERAL}, {"Ariz", ABBR_POST}, {"Ark", ABBR_POST}, {"Art", ABBR_NUMERAL},
	{"Assn", ABBR_POST}, {"Aug", ABBR_NUMERAL}, {"Ave", ABBR_POST}, {"Blvd", ABBR_POST},
	{"Brig", ABBR_TITLE}, {"Bros", ABBR_POST}, {"Calif", ABBR_POST}, {"Capt", ABBR_TITLE},
	{"Cdr", ABBR_TITLE}, {"Ch", ABBR_NUMERAL}, {"Cmdr", ABBR_TITLE}, {"Co", ABBR_POST},
	{"Col", ABBR_TITLE}, {"Colo", ABBR_POST}, {"Conn", ABBR_POST}, {"Corp", ABBR_POST},
	{"Cpl", ABBR_TITLE}, {"Cpt", ABBR_TITLE}, {"Dec", ABBR_NUMERAL}, {"Dept", ABBR_POST},
	{"Det", ABBR_TITLE}, {"Dr", ABBR_TITLE}, {"Drs", ABBR_TITLE}, {"Esq", ABBR_POST},
	{"Feb", ABBR_NUMERAL}, {"Fig", ABBR_NUMERAL}, {"Fla", ABBR_POST}, {"Fr", ABBR_TITLE},
	{"Fri", ABBR_POST}, {"Ft", ABBR_TITLE}, {"Ga", ABBR_POST}, {"Gen", ABBR_TITLE},
	{"Gov", ABBR_TITLE}, {"Govt", ABBR_POST}, {"Hon", ABBR_TITLE}, {"Ill", ABBR_POST},
	{"Inc", ABBR_POST}, {"Ind", ABBR_POST}, {"Insp", ABBR_TITLE}, {"Jan", ABBR_NUMERAL},
	{"Jr", ABBR_POST}, {"Jul", ABBR_NUMERAL}, {"Jun", ABBR_NUMERAL}, {"Kan", ABBR_POST},
	{"Kans", ABBR_POST}, {"Ky", ABBR_POST}, {"La", ABBR_POST}, {"Lt", ABBR_TITLE},
	{"Ltd", ABBR_POST}, {"Maj", ABBR_TITLE}, {"Mar", ABBR_NUMERAL}, {"Mass", ABBR_POST},
	{"Md", ABBR_POST}, {"Messrs", ABBR_TITLE}, {"Mich", ABBR_POST}, {"Minn", ABBR_POST},
	{"Miss", ABBR_POST}, {"Mlle", ABBR_TITLE}, {"Mme", ABBR_TITLE}, {"Mo", ABBR_POST},
	{"Mon", ABBR_POST}, {"Mont", ABBR_POST}, {"Mr", ABBR_TITLE}, {"Mrs", ABBR_TITLE},
	{"Ms", ABBR_TITLE}, {"Msgr", ABBR_TITLE}, {"Mt", ABBR_TITLE}, {"Neb", ABBR_POST},
	{"Nev", ABBR_POST}, {"No", ABBR_NUMERAL}, {"Nos", ABBR_NUMERAL}, {"Nov", ABBR_NUMERAL},
	{"Nr", ABBR_NUMERAL}, {"N°", ABBR_NUMERAL}, {"Nº", ABBR_NUMERAL}, {"Oct", ABBR_NUMERAL},
	{"Okla", ABBR_POST}, {"Op", ABBR_NUMERAL}, {"Ore", ABBR_POST}, {"P.M", ABBR_TIME},
	{"Pa", ABBR_POST}, {"Penn", ABBR_POST}, {"Plc", ABBR_POST}, {"Pres", ABBR_TITLE},
	{"Prof", ABBR_TITLE}, {"Pvt", ABBR_TITLE}, {"Rd", ABBR_POST}, {"Rep", ABBR_TITLE},
	{"Reps", ABBR_TITLE}, {"Rev", ABBR_TITLE}, {"Sat", ABBR_POST}, {"Sen", ABBR_TITLE},
	{"Sens", ABBR_TITLE}, {"Sep", ABBR_NUMERAL}, {"Sept", ABBR_NUMERAL}, {"Sgt", ABBR_TITLE},
	{"Sr", ABBR_POST}, {"St", ABBR_SAINT}, {"Ste", ABBR_SAINT}, {"Sun", ABBR_POST},
	{"Supt", ABBR_TITLE}, {"Tenn", ABBR_POST}, {"Tex", ABBR_POST}, {"Thu", ABBR_POST},
	{"Thur", ABBR_POST}, {"Thurs", ABBR_POST}, {"Tue", ABBR_POST}, {"Tues", ABBR_POST},
	{"Univ", ABBR_POST}, {"Va", ABBR_POST}, {"Vol", ABBR_NUMERAL}, {"Vols", ABBR_NUMERAL},
	{"Vt", ABBR_POST}, {"Wash", ABBR_POST}, {"Wed", ABBR_POST}, {"Wis", ABBR_POST},
	{"Wyo", ABBR_POST}, {"a.k.a", ABBR_INNER}, {"a.m", ABBR_TIME}, {"al", ABBR_POST},
	{"approx", ABBR_INNER}, {"ca", ABBR_INNER}, {"cf", ABBR_INNER}, {"ch", ABBR_NUMERAL},
	{"co", ABBR_POST}, {"corp", ABBR_POST}, {"dept", ABBR_POST}, {"e.g", ABBR_INNER},
	{"est", ABBR_POST}, {"etc", ABBR_LIST_END}, {"fig", ABBR_NUMERAL}, {"govt", ABBR_POST},
	{"i.e", ABBR_INNER}, {"inc", ABBR_POST}, {"jr", ABBR_POST}, {"ltd", ABBR_POST},
	{"p", ABBR_NUMERAL}, {"p.m", ABBR_TIME}, {"plc", ABBR_POST}, {"pp", ABBR_NUMERAL},
	{"sr", ABBR_POST}, {"st", ABBR_POST}, {"viz", ABBR_INNER}, {"vol", ABBR_NUMERAL},
	{"vs", ABBR_INNER},
};

/* Capitalised words that open sentences and seldom follow an abbreviation inside one, so that
 * "in the U.S. He said" ends after "U.S." while "the U.S. Senate" does not. */
static const char *const sentence_openers[] = {
	"A", "According", "After", "Against", "Also", "Although", "Among", "An", "And",
	"Another", "Any", "Are", "As", "At", "Because", "Before", "Both", "But", "By", "Can",
	"Could", "Despite", "Did", "Do", "Does", "During", "Each", "Earlier", "Even", "Every",
	"Few", "For", "From", "Had", "Has", "Have", "He", "Her", "Here", "His", "How", "However",
	"I", "If", "In", "Instead", "Is", "It", "Its", "Last", "Later", "Many", "Meanwhile",
	"Might", "More", "Most", "Much", "Must", "My", "Neither", "Never", "No", "Nor", "Not",
	"Now", "Of", "On", "One", "Only", "Or", "Other", "Our", "Over", "Several", "She",
	"Should", "Since", "So", "Some", "Still", "Such", "That", "The", "Their", "Then",
	"There", "These", "They", "This", "Those", "Though", "Thus", "To", "Today", "Under",
	"Until", "Was", "We", "Were", "What", "When", "Where", "Whether", "Which", "While",
	"Who", "Why", "Will", "With", "Without", "Would", "Yesterday", "Yet", "You", "Your",
};

/* Words a wrapped line can end with but a headline does not. */
static const char *const function_words[] = {
	"a", "about", "after", "against", "amid", "among", "an", "and", "are", "as", "at", "be",
	"because", "been", "before", "being", "between", "but", "by", "can", "could", "during",
	"for", "from", "had", "has", "have", "her", "his", "if", "in", "into", "is", "its",
	"like", "may", "might", "must", "my", "nor", "not", "of", "on", "onto", "or", "our",
	"over", "per", "said", "says", "should", "than", "that", "the", "their", "these", "this",
	"those", "to", "toward", "towards", "under", "upon", "via", "was", "were", "which",
	"while", "who", "whom", "whose", "will", "with", "within", "without", "would", "your",
};

/* Prepositions that open a time phrase: "At 5 a.m. Mr. Smith left" is one sentence. */
static const char *const time_prepositions[] = {
	"About", "After", "Around", "At", "Before", "By", "From", "Since", "Until",
};

/* After "9 a.m.", what keeps the time phrase going. */
static const char *const time_zones[] = {
	"AEST", "BST", "CDT", "CEST", "CET", "CST", "Central", "EDT", "EST", "ET", "Eastern", "GMT",
	"IST", "JST", "MSK", "MST", "Mountain", "PDT", "PST", "PT", "Pacific", "UTC",
};

typedef struct word_key {
	const char *s;
	size_t n;
} word_key;

/* Orders a word of known length against a table entry whose first member is a C string. */
static int compare_word(const void *key, const void *entry)
{
	const word_key *k = key;
	const unsigned char *word = *(const unsigned char *const *)entry;
	for (size_t i = 0; i < k->n; i++) {
		int c = (unsigned char)k->s[i] - word[i];
		if (c || !word[i])
			return c;
	}
	return -word[k->n];
}

static const void *find_word(const void *table, size_t count, size_t size, const char *s,
			     size_t n)
{
	word_key key = {s, n};
	return bsearch(&key, table, count, size, compare_word);
}

#define IN_LIST(list, s, n)                                                                   \
	(find_word((list), STANCE_ARRAY_LEN(list), sizeof(*(list)), (s), (n)) != NULL)

static abbr_class abbreviation_class(const char *s, size_t n)
{
	const abbreviation *a = find_word(abbreviations, STANCE_ARRAY_LEN(abbreviations),
					  sizeof(*abbreviations), s, n);
	return a ? (abbr_class)a->cls : ABBR_NONE;
}

/* ---- characters ---- */

/* Space, digit, upper and lower case letter; JN may join two parts of a word ("don't",
 * "U.S", "1,000", "AT&T", the lead byte of "N°"); UR may go on a URL or e-mail address where a
 * word stops ("jane.doe@", "https:"). */
enum { SP = 1, DG = 2, UP = 4, LO = 8, JN = 16, UR = 32 };

/* The class of each byte, for the loops that run over every byte. */
static const uint8_t ascii_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, SP, SP, SP, SP, SP, 0, 0, /* \t \n \v \f \r */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	SP, 0, 0, 0, 0, 0, JN, JN, 0, 0, 0, UR, JN, JN, JN | UR, JN | UR, /* space & ' + , - . / */
	DG, DG, DG, DG, DG, DG, DG, DG, DG, DG, JN | UR, 0, 0, 0, 0, 0, /* 0-9 : */
	UR, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, /* @ A-O */
	UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, 0, 0, 0, 0, UR, /* P-Z _ */
	0, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, /* a-o */
	LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, 0, 0, 0, 0, 0, /* p-z */
	[0xC2] = JN,
};

static bool has_class(char c, unsigned cls)
{
	return (ascii_class[(unsigned char)c] & cls) != 0;
}

static bool is_space(char c)
{
	return has_class(c, SP);
}

static bool is_digit(char c)
{
	return has_class(c, DG);
}

static bool is_upper(char c)
{
	return has_class(c, UP);
}

static bool is_lower(char c)
{
	return has_class(c, LO);
}

/* The code point at s; the text stage has checked that the text is valid UTF-8. */
static uint32_t decode(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	if (u[0] < 0xE0) {
		*len = 2;
		return ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
	}
	if (u[0] < 0xF0) {
		*len = 3;
		return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
	}
	*len = 4;
	return ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) |
	       (u[3] & 0x3Fu);
}

/* Letters and combining marks of the scripts news is written in, so that accented and
 * non-Latin names stay whole words. */
static bool is_letter(uint32_t cp)
{
	if (cp < 0x80)
		return (cp | 0x20) - 'a' < 26;
	if (cp < 0xC0)
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
	if (cp < 0x2000)
		return cp != 0xD7 && cp != 0xF7;
	return (cp >= 0x2C00 && cp < 0x2E00) || (cp >= 0x3040 && cp < 0xD800) ||
	       (cp >= 0xF900 && cp < 0xFE00) || (cp >= 0xFE70 && cp < 0xFF00) ||
	       (cp >= 0x10000 && cp < 0x1F000) || (cp >= 0x20000 && cp < 0x32000);
}

static bool is_word_cp(uint32_t cp)
{
	return cp - '0' < 10 || is_letter(cp);
}

static bool word_char_at(const char *s)
{
	size_t len;
	if ((unsigned char)s[0] < 0x80)
		return has_class(s[0], DG | UP | LO);
	return is_word_cp(decode(s, &len));
}

/* +1 upper case, -1 lower case, 0 neither, for the alphabets that have case. */
static int letter_case(uint32_t cp)
{
	if (cp < 0x80)
		return is_upper((char)cp) ? 1 : is_lower((char)cp) ? -1 : 0;
	if (cp >= 0xC0 && cp <= 0xFF)
		return cp == 0xD7 || cp == 0xF7 ? 0 : cp < 0xDF ? 1 : -1;
	if ((cp >= 0x100 && cp <= 0x17F) || (cp >= 0x1E00 && cp <= 0x1EFF) ||
	    (cp >= 0x460 && cp <= 0x4FF)) {
		bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
		return ((cp & 1) != 0) == odd_upper ? 1 : -1;
	}
	if (cp >= 0x386 && cp <= 0x3CE)
		return cp <= 0x3AB ? 1 : -1;
	if (cp >= 0x400 && cp <= 0x45F)
		return cp < 0x430 ? 1 : -1;
	return 0;
}

/* ---- tokens ---- */

typedef struct scanner {
	const char *text;
	size_t len;
	unsigned open_single;   /* ' quotations open in this paragraph (they nest: ''a 'b' c'') */
	unsigned open_double;   /* " quotations open in this paragraph */
	size_t last_quote_end;  /* where the latest quotation mark ends */
	bool last_quote_opened; /* and whether it opened */
	/* What earlier URL searches learnt about the run of non-space bytes being scanned, so
	 * that a long run with many word starts is searched once, not once per word: */
	size_t run_end;        /* where the run ends */
	size_t no_email_until; /* no e-mail address starts before this */
	size_t no_path_until;  /* no "host/path" starts before this */
} scanner;

static bool has_prefix_nocase(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && strncasecmp(s, prefix, k) == 0;
}

static bool is_domain_char(char c)
{
	return is_lower(c) || is_upper(c) || is_digit(c) || c == '-';
}

/* The end of a host name "example.co.uk" starting at p: at least two labels, the last one
 * alphabetic. Returns p when there is none. */
static size_t domain_end(const char *t, size_t p, size_t end)
{
	size_t q = p, labels = 0, last_label = p;
	while (q < end && is_domain_char(t[q])) {
		last_label = q;
		while (q < end && is_domain_char(t[q]))
			q++;
		labels++;
		if (q + 1 < end && t[q] == '.' && is_domain_char(t[q + 1]))
			q++;
		else
			break;
	}
	if (labels < 2 || q - last_label < 2)
		return p;
	for (size_t i = last_label; i < q; i++)
		if (!is_lower(t[i]) && !is_upper(t[i]))
			return p;
	return q;
}

/* A URL runs to the next space, less the punctuation that closes the sentence around it; a
 * closing parenthesis stays when the URL opened one. */
static size_t url_tail(const char *t, size_t p, size_t end)
{
	int open = 0;
	for (size_t i = p; i < end; i++)
		open += (t[i] == '(') - (t[i] == ')');
	while (end > p && strchr(".,;:!?'\")]}>", t[end - 1])) {
		if (t[end - 1] == ')' && open < 0)
			open++;
		else if (t[end - 1] == ')')
			break;
		end--;
	}
	return end;
}

static bool is_local_part_char(char c)
{
	return is_domain_char(c) || c == '.' || c == '_' || c == '+' || c == '%';
}

static bool is_url_scheme(const char *s, size_t n)
{
	char c = (char)(s[0] | 0x20);
	if (c != 'h' && c != 'f' && c != 'w')
		return false;
	return has_prefix_nocase(s, n, "http://") || has_prefix_nocase(s, n, "https://") ||
	       has_prefix_nocase(s, n, "ftp://") || has_prefix_nocase(s, n, "www.");
}

/* The end of the e-mail address starting at p, or p; notes where a failed search stopped,
 * since every start up to there fails the same way. */
static size_t email_end(scanner *sc, size_t p)
{
	const char *t = sc->text;
	size_t q = p, end = sc->run_end;
	while (q < end && is_local_part_char(t[q]))
		q++;
	if (q > p && q < end && t[q] == '@') {
		size_t d = domain_end(t, q + 1, end);
		if (d > q + 1)
			return d;
	}
	sc->no_email_until = q;
	return p;
}

/* The end of a "host.name/path" URL starting at p, or p; notes a failure like email_end. */
static size_t host_path_end(scanner *sc, size_t p)
{
	const char *t = sc->text;
	size_t d = domain_end(t, p, sc->run_end);
	if (d > p && d < sc->run_end && t[d] == '/')
		return url_tail(t, p, sc->run_end);
	sc->no_path_until = d > p ? d : p + 1;
	return p;
}

/* The end of the URL or e-mail address starting at p, or p when none starts there. */
static size_t url_end(scanner *sc, size_t p)
{
	const char *t = sc->text;
	if (p >= sc->run_end) {
		sc->run_end = p;
		while (sc->run_end < sc->len && !is_space(t[sc->run_end]))
			sc->run_end++;
	}
	if (is_url_scheme(t + p, sc->run_end - p))
		return url_tail(t, p, sc->run_end);
	size_t e = p >= sc->no_email_until ? email_end(sc, p) : p;
	if (e == p && p >= sc->no_path_until)
		e = host_path_end(sc, p);
	return e;
}

static size_t skip_word_chars(const char *t, size_t q)
{
	for (;;) {
		while (has_class(t[q], DG | UP | LO))
			q++;
		size_t len;
		if ((unsigned char)t[q] < 0x80 || !is_word_cp(decode(t + q, &len)))
			return q;
		q += len;
	}
}

/* "world.Today" is two sentences run together, "Ph.D" and "gov.ua" are words. */
static bool sentences_run_together(const char *t, size_t dot)
{
	char before = t[dot - 1];
	return (is_lower(before) || is_digit(before)) && is_upper(t[dot + 1]) &&
	       is_lower(t[dot + 2]);
}

/* "U.S", "Ph.D", "e.g", "J.R.R": letters in groups of one or two between periods. */
static bool is_initialism(const char *t, size_t p, size_t q)
{
	size_t group = 0, groups = 1;
	for (size_t i = p; i < q; i++) {
		if (t[i] == '.') {
			if (group == 0)
				return false;
			groups++;
			group = 0;
		} else if (is_lower(t[i]) || is_upper(t[i])) {
			if (++group > 2)
				return false;
		} else {
			return false;
		}
	}
	return groups >= 2 && group > 0;
}

static bool is_single_letter(const char *t, size_t p, size_t q)
{
	size_t len;
	return is_letter(decode(t + p, &len)) && p + len == q && !is_digit(t[p]);
}

/* Whether the period after the word [p, q) belongs to it: "Mr.", "U.S.", the initial "J.". */
static bool keeps_period(const char *t, size_t p, size_t q)
{
	if (t[q] != '.' || t[q + 1] == '.')
		return false;
	return is_single_letter(t, p, q) || is_initialism(t, p, q) ||
	       abbreviation_class(t + p, q - p) != ABBR_NONE;
}

/* The position after the joiner at q when it joins the word [p, q) to what follows, else q. */
static size_t join_inner(const char *t, size_t p, size_t q)
{
	if (!has_class(t[q], JN))
		return q;
	char c = t[q], before = t[q - 1], after = t[q + 1];
	switch (c) {
	case '\'':
	case '-':
		return word_char_at(t + q + 1) ? q + 1 : q;
	case '.':
		if (word_char_at(t + q + 1))
			return sentences_run_together(t, q) ? q : q + 1;
		/* "U.S.-led" */
		if (after == '-' && word_char_at(t + q + 2) && is_initialism(t, p, q))
			return q + 2;
		return q;
	case ',':
	case ':':
	case '/':
		return is_digit(before) && is_digit(after) ? q + 1 : q;
	case '&':
		return is_upper(before) && is_upper(after) ? q + 1 : q;
	case '\xC2': { /* the degree and ordinal signs of "N°" and "Nº" */
		bool sign = (unsigned char)after == 0xB0 || (unsigned char)after == 0xBA;
		return sign && (is_upper(before) || is_lower(before)) ? q + 2 : q;
	}
	default:
		return q;
	}
}

/* The end of the word starting at p; *body_end is where its letters end, before the period
 * and possessive it may keep. */
static size_t scan_word(const scanner *sc, size_t p, size_t *body_end)
{
	const char *t = sc->text;
	size_t q = p;
	for (;;) {
		q = skip_word_chars(t, q);
		size_t joined = join_inner(t, p, q);
		if (joined == q)
			break;
		q = joined;
	}
	*body_end = q;
	if (keeps_period(t, p, q)) {
		q++;
		/* "Jr.'s" */
		if (t[q] == '\'' && t[q + 1] == 's' && !word_char_at(t + q + 2))
			q += 2;
	} else if (t[q] == '\'' && (t[q - 1] == 's' || t[q - 1] == 'S') &&
		   !sc->open_single && !word_char_at(t + q + 1)) {
		q++; /* the plural possessive "the countries'" */
	}
	return q;
}

/* A version such as "v1.2.3" counts as a number. */
static bool is_numeric(const char *t, size_t p, size_t q)
{
	if ((t[p] | 0x20) == 'v' && is_digit(t[p + 1]) && memchr(t + p, '.', q - p))
		p++;
	if (!is_digit(t[p]))
		return false;
	for (size_t i = p; i < q; i++)
		if (!is_digit(t[i]) && t[i] != '.' && t[i] != ',' && t[i] != ':' && t[i] != '/')
			return false;
	return true;
}

/* The case of the first letter of the word [p, q): +1 upper, -1 lower, 0 caseless or none. */
static int first_letter_case(const char *t, size_t p, size_t q)
{
	if (has_class(t[p], UP | LO))
		return has_class(t[p], UP) ? 1 : -1;
	for (size_t len; p < q; p += len) {
		uint32_t cp = decode(t + p, &len);
		if (is_letter(cp))
			return letter_case(cp);
	}
	return 0;
}

/* Two or more letters in [p, q), none lower case. Only capitalised words ask, and most of
 * them answer at their second letter. */
static bool is_all_caps(const char *t, size_t p, size_t q)
{
	unsigned letters = 0;
	for (size_t len; p < q; p += len) {
		uint32_t cp = decode(t + p, &len);
		if (letter_case(cp) < 0)
			return false;
		letters += is_letter(cp);
	}
	return letters >= 2;
}

/* Sets the kind and the case flags of the word [tok->start, tok->end), whose letters end at
 * body_end. */
static void describe_word(const char *t, size_t body_end, stance_token *tok)
{
	if (is_numeric(t, tok->start, tok->end)) {
		tok->kind = STANCE_TOK_NUMBER;
		return;
	}
	tok->kind = STANCE_TOK_WORD;
	if (first_letter_case(t, tok->start, tok->end) > 0) {
		tok->flags |= STANCE_TOKF_CAPITALISED;
		if (is_all_caps(t, tok->start, body_end))
			tok->flags |= STANCE_TOKF_ALLCAPS;
	}
}

/* A quotation mark glued to another one goes the same way, as in "'No,' he said" or the
 * doubled ''quote'' of some papers; but "end.""Start" closes one and opens the next.
 * Otherwise a mark opens after a space, a bracket or a dash and before a non-space, and closes
 * after a non-space and before a space; a mark between spaces, or glued on both sides as in
 * 'said,"Look', opens unless one of its kind is open. */
static bool opens_quote(const scanner *sc, size_t p)
{
	const char *t = sc->text;
	if (p > 0 && sc->last_quote_end == p && !(t[p] == '"' && t[p - 1] == '"'))
		return sc->last_quote_opened;
	bool space_after = p + 1 >= sc->len || is_space(t[p + 1]);
	bool opening_side = p == 0 || is_space(t[p - 1]) || strchr("([{-/=", t[p - 1]);
	if (opening_side != space_after)
		return opening_side;
	return (t[p] == '"' ? sc->open_double : sc->open_single) == 0;
}

static void scan_quote(scanner *sc, size_t p, stance_token *tok)
{
	tok->kind = STANCE_TOK_QUOTE;
	tok->end = (uint32_t)p + 1;
	bool open = opens_quote(sc, p);
	tok->flags |= open ? STANCE_TOKF_QUOTE_OPEN : STANCE_TOKF_QUOTE_CLOSE;
	sc->last_quote_end = p + 1;
	sc->last_quote_opened = open;
	unsigned *depth = sc->text[p] == '"' ? &sc->open_double : &sc->open_single;
	if (open)
		++*depth;
	else if (*depth > 0)
		--*depth;
}

/* "...", "....", and the spaced ". . ." of edited quotations, as one token. */
static size_t scan_dots(const char *t, size_t p)
{
	size_t q = p;
	while (t[q] == '.')
		q++;
	if (q - p > 1)
		return q;
	size_t e = q, dots = 1;
	while (t[e] == ' ' && t[e + 1] == '.') {
		e += 2;
		dots++;
	}
	return dots >= 3 ? e : q;
}

static size_t scan_run(const char *t, size_t p, const char *members)
{
	size_t q = p;
	while (t[q] && strchr(members, t[q]))
		q++;
	return q;
}

static void scan_mark(scanner *sc, size_t p, stance_token *tok)
{
	const char *t = sc->text;
	char c = t[p];
	tok->kind = STANCE_TOK_PUNCT;
	if (c == '"' || c == '\'') {
		scan_quote(sc, p, tok);
	} else if (c == '.') {
		tok->end = (uint32_t)scan_dots(t, p);
	} else if (c == '!' || c == '?') {
		tok->end = (uint32_t)scan_run(t, p, "!?");
	} else if (c == '-') {
		tok->end = (uint32_t)scan_run(t, p, "-");
	} else if (c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '[' ||
		   c == ']' || c == '{' || c == '}' || c == '/') {
		tok->end = (uint32_t)p + 1;
	} else {
		size_t len;
		decode(t + p, &len);
		tok->kind = STANCE_TOK_SYMBOL;
		tok->end = (uint32_t)(p + len);
	}
}

/* "'90s": a leading apostrophe that stands for the century. */
static bool is_elided_decade(const char *t, size_t p)
{
	return t[p] == '\'' && is_digit(t[p + 1]) && is_digit(t[p + 2]) &&
	       (t[p + 3] == 's' || !word_char_at(t + p + 3));
}

/* Whether a URL may start at p, where the word scanned from p ends at q: the word begins
 * "www." or stops where a URL or address goes on ("https:", "jane.doe@", "Jane.Doe@"). */
static bool may_start_url(const char *t, size_t p, size_t q)
{
	return has_class(t[q], UR) ||
	       ((t[p] | 0x20) == 'w' && has_prefix_nocase(t + p, q - p, "www."));
}

static void scan_token(scanner *sc, size_t p, stance_token *tok)
{
	const char *t = sc->text;
	bool word = word_char_at(t + p);
	bool decade = !word && is_elided_decade(t, p);
	if (!word && !decade) {
		scan_mark(sc, p, tok);
		return;
	}
	size_t body_end;
	size_t q = scan_word(sc, p + decade, &body_end);
	size_t url = !decade && may_start_url(t, p, q) ? url_end(sc, p) : p;
	if (url > p) {
		tok->kind = STANCE_TOK_URL;
		tok->end = (uint32_t)url;
		return;
	}
	tok->end = (uint32_t)q;
	describe_word(t, body_end, tok);
}

/* Skips white space from p; returns where it ends and the flags it gives the next token. */
static size_t skip_space(scanner *sc, size_t p, uint8_t *flags)
{
	*flags = STANCE_TOKF_SPACE_BEFORE;
	if (sc->text[p] == ' ' && !is_space(sc->text[p + 1]))
		return p + 1; /* the one space between most words */
	size_t newlines = 0;
	while (p < sc->len && is_space(sc->text[p]))
		newlines += sc->text[p++] == '\n';
	if (newlines)
		*flags |= STANCE_TOKF_NEWLINE_BEFORE;
	if (newlines >= 2) {
		*flags |= STANCE_TOKF_PARAGRAPH_BEFORE;
		sc->open_single = sc->open_double = 0;
	}
	return p;
}

/* A new zeroed token, in place while the layer has room: most tokens then cost no call. */
static stance_token *new_token(stance_doc *doc)
{
	if (doc->ntokens == doc->tokens_cap)
		return STANCE_PUSH(doc, tokens);
	stance_token *tok = &doc->tokens[doc->ntokens++];
	*tok = (stance_token){0};
	return tok;
}

static int tokenize(stance_doc *doc, stance_error *err)
{
	scanner sc = {.text = doc->text, .len = doc->len};
	uint8_t flags = 0;
	size_t p = is_space(sc.text[0]) ? skip_space(&sc, 0, &flags) : 0;
	while (p < sc.len) {
		stance_token *tok = new_token(doc);
		if (!tok)
			return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", doc->id);
		tok->start = (uint32_t)p;
		tok->flags = flags;
		scan_token(&sc, p, tok);
		p = tok->end;
		flags = 0;
		if (is_space(sc.text[p]))
			p = skip_space(&sc, p, &flags);
	}
	return STANCE_OK;
}

/* ---- sentences ---- */

typedef enum {
	MARK_DOT = 1,       /* "1." "a." */
	MARK_PAREN = 2,     /* "1)" "a)" */
	MARK_DOT_PAREN = 3, /* "1.)" */
	MARK_BOTH = 4,      /* "(1)" "(a)" */
	MARK_LETTER = 8     /* or'ed in for letters */
} marker_style;

/* An enumerator that opens a list item, so that "1. Talk 2. Sign" splits before "2.". */
typedef struct enumerator {
	uint32_t value; /* 0 when the marker is a bullet or there is none */
	uint8_t style;  /* marker_style */
} enumerator;

typedef struct splitter {
	stance_doc *doc;
	const char *text;
	const stance_token *tok;
	size_t n;
	size_t start;      /* first token of the open sentence */
	size_t line_start; /* first token of the current line */
	size_t quiet_end;  /* the open sentence's list marker or subhead: its periods end nothing */
	size_t pending;    /* a sentence end decided ahead of time: the sentence ends before it */
	uint32_t paragraph;
	bool item_line;    /* the current line begins with a list marker */
	bool subhead;      /* the open sentence is a " - Subhead - " */
	enumerator list;   /* the enumerator that opened the open sentence */
} splitter;

static size_t tok_len(const splitter *sp, size_t i)
{
	return sp->tok[i].end - sp->tok[i].start;
}

static const char *tok_text(const splitter *sp, size_t i)
{
	return sp->text + sp->tok[i].start;
}

static bool tok_is(const splitter *sp, size_t i, const char *s)
{
	size_t n = strlen(s);
	return i < sp->n && tok_len(sp, i) == n && memcmp(tok_text(sp, i), s, n) == 0;
}

static bool tok_has(const splitter *sp, size_t i, unsigned flag)
{
	return (sp->tok[i].flags & flag) != 0;
}

static bool is_kind(const splitter *sp, size_t i, stance_token_kind kind)
{
	return i < sp->n && sp->tok[i].kind == kind;
}

#define TOK_IN(sp, i, list) IN_LIST(list, tok_text(sp, i), tok_len(sp, i))

static bool is_lowercase_word(const splitter *sp, size_t i)
{
	size_t len;
	return is_kind(sp, i, STANCE_TOK_WORD) && letter_case(decode(tok_text(sp, i), &len)) < 0;
}

/* "eBay", "iPhone": lower case first, upper case later, as brands start sentences. */
static bool is_camel_brand(const splitter *sp, size_t i)
{
	const char *s = tok_text(sp, i);
	for (size_t k = 1; k < tok_len(sp, i); k++)
		if (is_upper(s[k]))
			return is_lower(s[0]);
	return false;
}

static bool is_closer(const splitter *sp, size_t i)
{
	const stance_token *t = &sp->tok[i];
	if (t->kind == STANCE_TOK_QUOTE)
		return (t->flags & STANCE_TOKF_QUOTE_CLOSE) != 0;
	char c = sp->text[t->start];
	return t->kind == STANCE_TOK_PUNCT && (c == ')' || c == ']' || c == '}');
}

static bool is_dash(const splitter *sp, size_t i)
{
	return is_kind(sp, i, STANCE_TOK_PUNCT) && (tok_is(sp, i, "-") || tok_is(sp, i, "--"));
}

/* Bullets other than the hyphen and the asterisk, which also serve as dash and footnote. */
static bool is_bullet_symbol(const splitter *sp, size_t i)
{
	static const char *const bullets[] = {"\u2022", "\u2023", "\u2043", "\u25AA", "\u25E6"};
	if (sp->tok[i].kind != STANCE_TOK_SYMBOL || (unsigned char)tok_text(sp, i)[0] != 0xE2)
		return false;
	for (size_t k = 0; k < STANCE_ARRAY_LEN(bullets); k++)
		if (tok_is(sp, i, bullets[k]))
			return true;
	return false;
}

static bool is_small_number(const splitter *sp, size_t i)
{
	return is_kind(sp, i, STANCE_TOK_NUMBER) && tok_len(sp, i) <= 2;
}

static bool is_letter_label(const splitter *sp, size_t i)
{
	return is_kind(sp, i, STANCE_TOK_WORD) && tok_len(sp, i) == 1;
}

static bool punct_follows(const splitter *sp, size_t i, char c)
{
	return is_kind(sp, i, STANCE_TOK_PUNCT) && !tok_has(sp, i, STANCE_TOKF_SPACE_BEFORE) &&
	       tok_len(sp, i) == 1 && tok_text(sp, i)[0] == c;
}

static uint32_t label_value(const splitter *sp, size_t i)
{
	const char *s = tok_text(sp, i);
	if (is_digit(s[0]))
		return (uint32_t)strtoul(s, NULL, 10);
	return (uint32_t)((s[0] | 0x20) - 'a' + 1);
}

/* The end of the enumerator at i ("1.", "2)", "3.)", "a.", "b)", "(c)"), or i when none. */
static size_t enumerator_end(const splitter *sp, size_t i, enumerator *en)
{
	size_t e = i;
	uint8_t style = 0;
	size_t label = i;
	if (is_small_number(sp, i) && punct_follows(sp, i + 1, '.')) {
		style = MARK_DOT, e = i + 2;
		if (punct_follows(sp, e, ')'))
			style = MARK_DOT_PAREN, e++;
	} else if ((is_small_number(sp, i) || is_letter_label(sp, i)) &&
		   punct_follows(sp, i + 1, ')')) {
		style = MARK_PAREN, e = i + 2;
	} else if (is_kind(sp, i, STANCE_TOK_WORD) && tok_len(sp, i) == 2 &&
		   is_lower(tok_text(sp, i)[0]) && tok_text(sp, i)[1] == '.') {
		style = MARK_DOT, e = i + 1;
	} else if (is_kind(sp, i, STANCE_TOK_PUNCT) && tok_is(sp, i, "(") &&
		   (is_small_number(sp, i + 1) || is_letter_label(sp, i + 1)) &&
		   punct_follows(sp, i + 2, ')')) {
		style = MARK_BOTH, e = i + 3, label = i + 1;
	}
	if (e == i || e >= sp->n || !tok_has(sp, e, STANCE_TOKF_SPACE_BEFORE))
		return i;
	if (!is_digit(tok_text(sp, label)[0]))
		style |= MARK_LETTER;
	en->value = label_value(sp, label);
	en->style = style;
	return e;
}

/* The end of the list marker at i (a bullet, an enumerator or both, or the "Q." and "A." of
 * an interview), or i when none. */
static size_t marker_end(const splitter *sp, size_t i, enumerator *en)
{
	*en = (enumerator){0, 0};
	size_t e = i;
	if (tok_is(sp, i, "Q.") || tok_is(sp, i, "A."))
		return i + 1;
	if (is_bullet_symbol(sp, i))
		e = i + 1;
	else if ((tok_is(sp, i, "-") || tok_is(sp, i, "*")) && i + 1 < sp->n &&
		 tok_has(sp, i + 1, STANCE_TOKF_SPACE_BEFORE))
		e = i + 1;
	if (e < sp->n)
		e = enumerator_end(sp, e, en);
	return e;
}

static bool at_line_start(const splitter *sp, size_t i)
{
	return i == 0 || tok_has(sp, i, STANCE_TOKF_NEWLINE_BEFORE);
}

static bool starts_list_item(const splitter *sp, size_t i)
{
	enumerator en;
	return at_line_start(sp, i) && marker_end(sp, i, &en) > i;
}

static bool starts_sentence(const splitter *sp, size_t j);

/* Token i follows a space on the same line. */
static bool is_inline(const splitter *sp, size_t i)
{
	return (sp->tok[i].flags & (STANCE_TOKF_SPACE_BEFORE | STANCE_TOKF_NEWLINE_BEFORE)) ==
	       STANCE_TOKF_SPACE_BEFORE;
}

/* What a subhead holds: words and numbers, quotation marks, on one line. */
static bool is_subhead_part(const splitter *sp, size_t i)
{
	stance_token_kind kind = sp->tok[i].kind;
	return (kind == STANCE_TOK_WORD || kind == STANCE_TOK_NUMBER || kind == STANCE_TOK_QUOTE) &&
	       !tok_has(sp, i, STANCE_TOKF_NEWLINE_BEFORE);
}

/* " - Talks stall - " right after a sentence end: the end of the subhead starting at b, or 0. */
static size_t subhead_end(const splitter *sp, size_t b)
{
	if (!is_dash(sp, b) || (b > 0 && !tok_has(sp, b, STANCE_TOKF_SPACE_BEFORE)))
		return 0;
	size_t k = b + 1, words = 0;
	for (; k < sp->n && k - b <= 12 && !is_dash(sp, k); k++) {
		if (!is_subhead_part(sp, k) || (words == 0 && is_lowercase_word(sp, k)))
			return 0;
		words += !is_kind(sp, k, STANCE_TOK_QUOTE);
	}
	if (words == 0 || words > 6 || !is_dash(sp, k) || !is_inline(sp, k))
		return 0;
	size_t after = k + 1;
	if (after == sp->n || tok_has(sp, after, STANCE_TOKF_NEWLINE_BEFORE))
		return after;
	/* a dash after the subhead would start another one: "- A - - B -" is no subhead */
	return tok_has(sp, after, STANCE_TOKF_SPACE_BEFORE) && !is_dash(sp, after) &&
			       starts_sentence(sp, after)
		       ? after
		       : 0;
}

/* Whether token j can open a sentence after a period: a capitalised word, a number, an opening
 * quotation or bracket before such, a currency sign, a subhead. */
static bool starts_sentence(const splitter *sp, size_t j)
{
	const stance_token *t = &sp->tok[j];
	switch (t->kind) {
	case STANCE_TOK_WORD:
		return !is_lowercase_word(sp, j) || is_camel_brand(sp, j);
	case STANCE_TOK_NUMBER:
	case STANCE_TOK_URL:
		return true;
	case STANCE_TOK_QUOTE:
		return (t->flags & STANCE_TOKF_QUOTE_OPEN) && j + 1 < sp->n &&
		       !is_lowercase_word(sp, j + 1);
	case STANCE_TOK_SYMBOL:
		return !strchr("%&+=", sp->text[t->start]);
	default:
		if (tok_is(sp, j, "(") || tok_is(sp, j, "["))
			return j + 1 < sp->n && !is_lowercase_word(sp, j + 1) &&
			       !is_kind(sp, j + 1, STANCE_TOK_PUNCT);
		return at_line_start(sp, j) || subhead_end(sp, j) > 0;
	}
}

/* A clear opener after an abbreviation: "He", "The", a quotation, a subhead. */
static bool starts_sentence_clearly(const splitter *sp, size_t j)
{
	if (is_kind(sp, j, STANCE_TOK_WORD))
		return TOK_IN(sp, j, sentence_openers);
	if (is_kind(sp, j, STANCE_TOK_QUOTE))
		return starts_sentence(sp, j);
	return is_dash(sp, j) && subhead_end(sp, j) > 0;
}

/* A number ("6", "6-9", "21st"), or a Roman numeral as in "Vol. II" but not the pronoun "I". */
static bool is_numeral(const splitter *sp, size_t j)
{
	if (is_kind(sp, j, STANCE_TOK_NUMBER))
		return true;
	if (!is_kind(sp, j, STANCE_TOK_WORD))
		return false;
	if (is_digit(tok_text(sp, j)[0]))
		return true;
	if (tok_is(sp, j, "I"))
		return false;
	for (size_t k = 0; k < tok_len(sp, j); k++)
		if (!strchr("IVXLCDM", tok_text(sp, j)[k]))
			return false;
	return true;
}

/* "At 5 a.m." opening a sentence is a time phrase, not a sentence. */
static bool is_time_phrase(const splitter *sp, size_t t)
{
	return t - sp->start <= 3 && TOK_IN(sp, sp->start, time_prepositions);
}

static bool time_continues(const splitter *sp, size_t t, size_t j)
{
	return is_time_phrase(sp, t) || TOK_IN(sp, j, time_zones) ||
	       (j + 1 < sp->n && tok_is(sp, j + 1, "time"));
}

/* "options A and B.": a lone capital after "and" or "or" that pairs with another one is a
 * label ending its sentence like any word, not an initial. */
static bool is_paired_label(const splitter *sp, size_t t)
{
	return t >= 2 && (tok_is(sp, t - 1, "and") || tok_is(sp, t - 1, "or")) &&
	       is_kind(sp, t - 2, STANCE_TOK_WORD) && tok_len(sp, t - 2) == 1 &&
	       is_upper(tok_text(sp, t - 2)[0]);
}

/* Whether the abbreviation t (its period included) ends the sentence before token j. */
static bool abbreviation_ends(const splitter *sp, size_t t, size_t j)
{
	const char *s = tok_text(sp, t);
	size_t n = tok_len(sp, t) - 1;
	abbr_class cls = abbreviation_class(s, n);
	if (cls == ABBR_SAINT)
		cls = t > 0 && is_kind(sp, t - 1, STANCE_TOK_WORD) && !is_lowercase_word(sp, t - 1)
			      ? ABBR_POST
			      : ABBR_TITLE;
	switch (cls) {
	case ABBR_TITLE:
	case ABBR_INNER:
		return false;
	case ABBR_NUMERAL:
		if (is_kind(sp, j, STANCE_TOK_WORD))
			return !is_numeral(sp, j) && starts_sentence(sp, j);
		return !is_numeral(sp, j) && starts_sentence_clearly(sp, j);
	case ABBR_LIST_END:
		return starts_sentence(sp, j);
	case ABBR_TIME:
		return starts_sentence(sp, j) && !time_continues(sp, t, j);
	default:
		if (n == 1 && is_paired_label(sp, t))
			return starts_sentence(sp, j);
		return starts_sentence_clearly(sp, j);
	}
}

static bool is_spaced_omission(const splitter *sp, size_t t)
{
	return tok_has(sp, t, STANCE_TOKF_SPACE_BEFORE) && tok_is(sp, t, ". . .");
}

/* Whether the terminal token t ends the sentence before token j (j follows the quotation
 * marks and brackets that close with it; j == n at the end of the text). */
static bool ends_sentence(const splitter *sp, size_t t, size_t j)
{
	if (j >= sp->n)
		return true;
	const char *s = tok_text(sp, t);
	if (!tok_has(sp, j, STANCE_TOKF_SPACE_BEFORE)) {
		/* "world.Today", "born.""Your": a sentence glued to the period of the one before */
		if (is_kind(sp, j, STANCE_TOK_QUOTE) && (sp->tok[j].flags & STANCE_TOKF_QUOTE_OPEN))
			j++;
		size_t len;
		return s[0] == '.' && tok_len(sp, t) == 1 && is_kind(sp, j, STANCE_TOK_WORD) &&
		       letter_case(decode(tok_text(sp, j), &len)) > 0;
	}
	if (sp->tok[t].kind == STANCE_TOK_WORD)
		return abbreviation_ends(sp, t, j);
	if (s[0] == '.' && tok_len(sp, t) > 1) {
		bool bracketed = t > 0 && tok_is(sp, t - 1, "[") && tok_is(sp, t + 1, "]");
		return !bracketed && !is_spaced_omission(sp, t) && starts_sentence(sp, j);
	}
	return starts_sentence(sp, j);
}

static inline bool is_terminal(const splitter *sp, size_t t)
{
	const stance_token *k = &sp->tok[t];
	char last = sp->text[k->end - 1];
	if (k->kind == STANCE_TOK_WORD)
		return last == '.';
	return k->kind == STANCE_TOK_PUNCT && (last == '.' || last == '!' || last == '?');
}

static size_t skip_closers(const splitter *sp, size_t j)
{
	while (j < sp->n && is_closer(sp, j))
		j++;
	return j;
}

static size_t line_tokens_from(const splitter *sp, size_t i, size_t limit)
{
	size_t k = i + 1;
	while (k < sp->n && k - i < limit && !tok_has(sp, k, STANCE_TOKF_NEWLINE_BEFORE))
		k++;
	return k - i;
}

/* "Foreign Minister Sergei\nLavrov": capitalised words on both sides of the line break, the
 * second neither a sentence opener nor a dateline in capitals. */
static bool splits_a_name(const splitter *sp, size_t i)
{
	return is_kind(sp, i, STANCE_TOK_WORD) && tok_has(sp, i - 1, STANCE_TOKF_CAPITALISED) &&
	       (sp->tok[i].flags & (STANCE_TOKF_CAPITALISED | STANCE_TOKF_ALLCAPS)) ==
		       STANCE_TOKF_CAPITALISED &&
	       !TOK_IN(sp, i, sentence_openers);
}

/* A line [line_start, i) that opens a sentence and reads as a headline rather than as the
 * first part of a wrapped sentence: it ends in a content word and the next line opens. */
static bool is_headline(const splitter *sp, size_t i)
{
	size_t first = sp->line_start, last = i - 1, words = i - first;
	if (sp->start != first || words > 24)
		return false;
	if (!is_kind(sp, last, STANCE_TOK_WORD) && !is_kind(sp, last, STANCE_TOK_NUMBER))
		return false;
	if (is_terminal(sp, last) || TOK_IN(sp, last, function_words) || splits_a_name(sp, i))
		return false;
	if (!is_lowercase_word(sp, i))
		return starts_sentence(sp, i);
	/* a column of short lowercase lines is a list */
	return words <= 3 && line_tokens_from(sp, i, 5) <= 3;
}

static bool line_break_ends(const splitter *sp, size_t i)
{
	if (starts_list_item(sp, i))
		return true;
	if (sp->item_line)
		return !is_lowercase_word(sp, i);
	return is_headline(sp, i);
}

static bool continues_inline_list(const splitter *sp, size_t i)
{
	if (sp->list.value == 0)
		return false;
	enumerator en;
	return enumerator_end(sp, i, &en) > i && en.style == sp->list.style &&
	       en.value == sp->list.value + 1;
}

/* Whether the open sentence ends before token i. */
static bool ends_before(splitter *sp, size_t i)
{
	bool newline = tok_has(sp, i, STANCE_TOKF_NEWLINE_BEFORE);
	bool brk = tok_has(sp, i, STANCE_TOKF_PARAGRAPH_BEFORE) ||
		   (newline && line_break_ends(sp, i));
	if (newline) {
		enumerator en;
		sp->line_start = i;
		sp->item_line = marker_end(sp, i, &en) > i;
	}
	if (brk || i == sp->pending)
		return true;
	size_t t = i - 1;
	if (t >= sp->quiet_end && is_terminal(sp, t)) {
		size_t j = skip_closers(sp, i);
		if (ends_sentence(sp, t, j)) {
			if (j == i)
				return true;
			sp->pending = j;
		}
	}
	if (!tok_has(sp, i, STANCE_TOKF_SPACE_BEFORE))
		return false;
	return is_bullet_symbol(sp, i) || continues_inline_list(sp, i);
}

/* A line of its own without closing punctuation: a headline, a subhead, a dateline. */
static bool has_heading_shape(const splitter *sp, size_t b, size_t e)
{
	if (!at_line_start(sp, b) || e >= sp->n || !tok_has(sp, e, STANCE_TOKF_NEWLINE_BEFORE))
		return false;
	for (size_t k = b + 1; k < e; k++)
		if (tok_has(sp, k, STANCE_TOKF_NEWLINE_BEFORE))
			return false;
	size_t last = e - 1;
	if (is_dash(sp, b) && is_dash(sp, last) && last > b)
		return true;
	enumerator en;
	if (marker_end(sp, b, &en) > b)
		return false;
	return (is_kind(sp, last, STANCE_TOK_WORD) || is_kind(sp, last, STANCE_TOK_NUMBER)) &&
	       !is_terminal(sp, last);
}

static void open_sentence(splitter *sp, size_t b)
{
	sp->start = b;
	if (b > 0 && tok_has(sp, b, STANCE_TOKF_PARAGRAPH_BEFORE))
		sp->paragraph++;
	sp->quiet_end = b;
	sp->list = (enumerator){0, 0};
	size_t sub = subhead_end(sp, b);
	sp->subhead = sub > 0;
	if (sp->subhead) {
		sp->pending = sub;
		sp->quiet_end = sub;
		return;
	}
	sp->quiet_end = marker_end(sp, b, &sp->list);
}

static int close_sentence(splitter *sp, size_t e, stance_error *err)
{
	stance_doc *doc = sp->doc;
	stance_sentence *s = STANCE_PUSH(doc, sentences);
	if (!s)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", doc->id);
	size_t b = sp->start;
	s->start = sp->tok[b].start;
	s->end = sp->tok[e - 1].end;
	s->tok_begin = (uint32_t)b;
	s->tok_end = (uint32_t)e;
	s->paragraph = sp->paragraph;
	s->heading = sp->subhead || has_heading_shape(sp, b, e);
	return STANCE_OK;
}

static int split_sentences(stance_doc *doc, stance_error *err)
{
	splitter sp = {.doc = doc, .text = doc->text, .tok = doc->tokens, .n = doc->ntokens};
	if (sp.n == 0)
		return STANCE_OK;
	enumerator en;
	sp.item_line = marker_end(&sp, 0, &en) > 0;
	open_sentence(&sp, 0);
	for (size_t i = 1; i < sp.n; i++) {
		if (!ends_before(&sp, i))
			continue;
		int rc = close_sentence(&sp, i, err);
		if (rc)
			return rc;
		open_sentence(&sp, i);
	}
	return close_sentence(&sp, sp.n, err);
}

int stance_segment(stance_doc *doc, const stance_models *models, stance_error *err)
{
	(void)models;
	doc->ntokens = 0;
	doc->nsentences = 0;
	int rc = tokenize(doc, err);
	return rc ? rc : split_sentences(doc, err);
}
