/* Stage 1, text: validate UTF-8 and normalise punctuation and line ends, keeping for every
 * normalised byte the offset of the input byte it came from.
 *
 * News is mostly printable ASCII, which passes unchanged: runs of it are found eight bytes at
 * a time and copied whole, and only the bytes around them are decoded one by one. */
#include <string.h>

#include "internal.h"

/* Printable ASCII and the line feed: bytes that stay as they are. */
static bool is_plain(unsigned char b)
{
	return (b >= 0x20 && b < 0x80) || b == '\n';
}

/* Whether one of the eight bytes in x is below 0x20 or above 0x7F. A byte below 0x20 is the
 * first to borrow in the subtraction, so it sets its own top bit; without one, no byte
 * borrows and a top bit comes only from a byte above 0x7F. */
static bool has_unplain_byte(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101u, tops = 0x8080808080808080u;
	return ((x - 0x20 * ones) | x) & tops;
}

/* How many bytes from s on are plain. */
static size_t plain_run(const unsigned char *s, size_t n)
{
	size_t i = 0;
	for (;;) {
		uint64_t x;
		while (i + 8 <= n && (memcpy(&x, s + i, 8), !has_unplain_byte(x)))
			i += 8;
		/* a line feed stops the eight-byte test but not the run */
		size_t stop = i + 8 < n ? i + 8 : n;
		while (i < stop && is_plain(s[i]))
			i++;
		if (i < stop || i == n)
			return i;
	}
}

/* Decodes the code point at s[0..n); returns its length, or 0 when the bytes are not valid
 * UTF-8 (overlong forms, surrogates and values past U+10FFFF included). */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len;
	uint32_t min;
	if ((s[0] & 0xE0) == 0xC0) {
		len = 2, min = 0x80, *cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3, min = 0x800, *cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4, min = 0x10000, *cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return len;
}

int stance_utf8_valid(const char *bytes, size_t len, size_t *bad_offset)
{
	const unsigned char *s = (const unsigned char *)bytes;
	for (size_t i = plain_run(s, len); i < len; i += plain_run(s + i, len - i)) {
		uint32_t cp;
		size_t n = decode(s + i, len - i, &cp);
		if (n == 0 || cp == 0) {
			*bad_offset = i;
			return 0;
		}
		i += n;
	}
	return 1;
}

/* The ASCII replacement of a code point, "" to drop it, or NULL to keep it as it is. */
static const char *replacement(uint32_t cp)
{
	switch (cp) {
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
		return "'";
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB: case 0x00BB:
		return "\"";
	case 0x2014: case 0x2015:
		return "--";
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2212:
		return "-";
	case 0x2026:
		return "...";
	case 0x00A0: case 0x2007: case 0x202F: case 0x205F: case 0x3000:
	case 0x0009: case 0x000B:
		return " ";
	case 0x000C: case 0x2028: case 0x2029: case 0x0085:
		return "\n";
	case 0xFEFF: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0x00AD:
		return "";
	default:
		if (cp >= 0x2000 && cp <= 0x200A)
			return " ";
		if (cp < 0x20 && cp != '\n' && cp != '\r')
			return " ";
		return NULL;
	}
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\n')
			return 0;
	return 1;
}

/* The normalised text being written, with the input offset of every byte. */
typedef struct writer {
	char *out;
	uint32_t *off;
	size_t o;
} writer;

static void emit(writer *w, const char *bytes, size_t n, size_t from)
{
	memcpy(w->out + w->o, bytes, n);
	for (size_t k = 0; k < n; k++)
		w->off[w->o + k] = (uint32_t)from;
	w->o += n;
}

/* Plain bytes come from consecutive input offsets. */
static void emit_plain(writer *w, const unsigned char *in, size_t from, size_t n)
{
	memcpy(w->out + w->o, in + from, n);
	uint32_t *off = w->off + w->o;
	for (size_t k = 0; k < n; k++)
		off[k] = (uint32_t)(from + k);
	w->o += n;
}

/* Normalises the character at input byte *i, which is not plain, and moves *i past it. */
static int emit_special(writer *w, const stance_doc *doc, size_t *i, stance_error *err)
{
	const unsigned char *in = (const unsigned char *)doc->original;
	size_t len = doc->original_len, at = *i;
	uint32_t cp;
	size_t n = decode(in + at, len - at, &cp);
	if (n == 0)
		return stance_fail(err, STANCE_EDATA, "%s: invalid UTF-8 at byte %zu", doc->id, at);
	if (cp == 0)
		return stance_fail(err, STANCE_EDATA, "%s: binary data (NUL byte at byte %zu)",
				   doc->id, at);
	if (cp == '\r') {
		emit(w, "\n", 1, at);
		*i += at + 1 < len && in[at + 1] == '\n' ? 2 : 1;
		return STANCE_OK;
	}
	const char *r = replacement(cp);
	if (r)
		emit(w, r, strlen(r), at);
	else
		emit(w, (const char *)in + at, n, at); /* kept as it is */
	*i += n;
	return STANCE_OK;
}

int stance_text(stance_doc *doc, const stance_models *models, stance_error *err)
{
	(void)models;
	const unsigned char *in = (const unsigned char *)doc->original;
	size_t len = doc->original_len;
	if (len > doc->max_bytes)
		return stance_fail(err, STANCE_EDATA, "%s: %zu bytes is over the limit of %zu bytes",
				   doc->id, len, doc->max_bytes);
	if (len > UINT32_MAX - 1)
		return stance_fail(err, STANCE_EDATA, "%s: over 4 GiB", doc->id);
	/* No replacement is longer than what it replaces, so len + 1 bytes always suffice. */
	writer w = {stance_arena_alloc(doc->arena, len + 1),
		    stance_arena_alloc(doc->arena, (len + 1) * sizeof(uint32_t)), 0};
	if (!w.out || !w.off)
		return stance_fail(err, STANCE_EINTERNAL, "%s: out of memory", doc->id);
	for (size_t i = 0; i < len;) {
		size_t run = plain_run(in + i, len - i);
		emit_plain(&w, in, i, run);
		i += run;
		if (i == len)
			break;
		int rc = emit_special(&w, doc, &i, err);
		if (rc)
			return rc;
	}
	w.out[w.o] = '\0';
	w.off[w.o] = (uint32_t)len;
	if (is_blank(w.out, w.o))
		return stance_fail(err, STANCE_EDATA, "%s: no text (empty or only white space)",
				   doc->id);
	doc->text = w.out;
	doc->len = w.o;
	doc->orig_off = w.off;
	return STANCE_OK;
}
