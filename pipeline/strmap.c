/* A string-keyed hash map with open addressing and linear probing.
 *
 * Most lookups are misses (the lexicon is asked about every word, the gazetteer about every
 * capitalised one). A bit array, 16 bits a slot, answers most of them without touching the
 * table: each key sets a bit picked by its hash, and a clear bit proves a key absent. The table
 * is kept at most half full, so that the other misses end within a slot or two. A slot holds
 * the key's full hash: keys are compared only when the hashes agree.
 * Each entry is one allocation, its value followed by its key: a pointer to either stays valid
 * while the map grows (the lexicon keeps key pointers across insertions). */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct slot {
	uint64_t hash;
	size_t len;
	char *key; /* NULL: empty */
	void *value;
} slot;

struct stance_strmap {
	slot *slots;
	size_t cap, count;
	uint64_t *filter;      /* cap * FILTER_BITS_PER_SLOT bits */
	unsigned filter_shift; /* 64 - log2 of those bits */
};

/* --- bytes as words --- */

static uint64_t load64(const char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t load32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* The n bytes at p (1 <= n <= 8) as one word, read with loads that stay inside them (two may
 * overlap). For a given n, different bytes give different words. */
static uint64_t short_word(const char *p, size_t n)
{
	if (n == 8)
		return load64(p);
	if (n >= 4)
		return load32(p) << 32 | load32(p + n - 4);
	return (uint64_t)(unsigned char)p[0] << 16 | (uint64_t)(unsigned char)p[n / 2] << 8 |
	       (unsigned char)p[n - 1];
}

static bool same_bytes(const char *a, const char *b, size_t n)
{
	for (; n > 8; a += 8, b += 8, n -= 8)
		if (load64(a) != load64(b))
			return false;
	return n == 0 || short_word(a, n) == short_word(b, n);
}

/* --- hash --- */

/* The multiplier of xxHash64. */
#define PRIME UINT64_C(0x9E3779B185EBCA87)

/* Folds word into h: a bijection of h for each word, so that different words differ. */
static uint64_t absorb(uint64_t h, uint64_t word)
{
	h ^= word * PRIME;
	return (h << 31 | h >> 33) * PRIME;
}

/* Eight bytes a step, the last step reading the final eight (overlapping the step before);
 * a key of up to 8 bytes, most words, is one word put through the finaliser. As every step
 * is a bijection, two keys of the same length up to 8 bytes never collide. The length seeds
 * the hash, so "ab" and "ab\0" differ too. The value depends on the machine's byte order;
 * nothing stores it. Inlined into the map's lookups, which run on every word. */
static inline uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = n * PRIME;
	if (n <= 8)
		return stance_mix64(h ^ (n ? short_word(s, n) : 0));
	const char *end = s + n;
	for (; end - s > 8; s += 8)
		h = absorb(h, load64(s));
	return stance_mix64(absorb(h, load64(end - 8)));
}

uint64_t stance_hash(const char *s, size_t n)
{
	return hash_bytes(s, n);
}

/* --- filter --- */

enum { FIRST_CAP = 16, FILTER_BITS_PER_SLOT = 16 };

/* The top bits of the hash pick the bit; the table's slot comes from the low bits. */
static inline uint64_t filter_bit(const stance_strmap *m, uint64_t hash)
{
	return hash >> m->filter_shift;
}

static void add_to_filter(stance_strmap *m, uint64_t hash)
{
	uint64_t bit = filter_bit(m, hash);
	m->filter[bit / 64] |= UINT64_C(1) << (bit % 64);
}

static inline bool may_have(const stance_strmap *m, uint64_t hash)
{
	uint64_t bit = filter_bit(m, hash);
	return m->filter[bit / 64] >> (bit % 64) & 1;
}

bool stance_strmap_may_have(const stance_strmap *map, const char *key, size_t len)
{
	return may_have(map, hash_bytes(key, len));
}

/* --- the map --- */

/* Empty slots and filter bits for a capacity, a power of two. */
static int alloc_table(stance_strmap *m, size_t cap)
{
	slot *slots = calloc(cap, sizeof(slot));
	uint64_t *filter = calloc(cap * FILTER_BITS_PER_SLOT / 64, sizeof(uint64_t));
	if (!slots || !filter) {
		free(slots);
		free(filter);
		return -1;
	}
	m->slots = slots;
	m->filter = filter;
	m->cap = cap;
	m->filter_shift = 64;
	for (size_t bits = cap * FILTER_BITS_PER_SLOT; bits > 1; bits /= 2)
		m->filter_shift--;
	return 0;
}

int stance_strmap_new(stance_strmap **out)
{
	stance_strmap *m = calloc(1, sizeof(*m));
	if (!m || alloc_table(m, FIRST_CAP) != 0) {
		free(m);
		return -1;
	}
	*out = m;
	return 0;
}

void stance_strmap_free(stance_strmap *map)
{
	if (!map)
		return;
	for (size_t i = 0; i < map->cap; i++)
		free(map->slots[i].value);
	free(map->slots);
	free(map->filter);
	free(map);
}

static inline slot *find_slot(slot *slots, size_t cap, const char *key, size_t len, uint64_t hash)
{
	size_t mask = cap - 1;
	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		slot *s = &slots[i];
		if (!s->key || (s->hash == hash && s->len == len && same_bytes(s->key, key, len)))
			return s;
	}
}

static int grow(stance_strmap *m)
{
	stance_strmap old = *m;
	if (alloc_table(m, old.cap * 2) != 0) {
		*m = old;
		return -1;
	}
	for (size_t i = 0; i < old.cap; i++) {
		const slot *s = &old.slots[i];
		if (!s->key)
			continue;
		*find_slot(m->slots, m->cap, s->key, s->len, s->hash) = *s;
		add_to_filter(m, s->hash);
	}
	free(old.slots);
	free(old.filter);
	return 0;
}

/* The value, zeroed and aligned for any type, then a NUL-terminated copy of the key. */
static void *new_entry(const char *key, size_t len, size_t value_size, char **key_copy)
{
	const size_t align = alignof(max_align_t);
	size_t offset = (value_size + align - 1) / align * align;
	char *entry = calloc(1, offset + len + 1);
	if (!entry)
		return NULL;
	*key_copy = memcpy(entry + offset, key, len);
	return entry;
}

void *stance_strmap_upsert(stance_strmap *map, const char *key, size_t len, size_t value_size,
			   bool *inserted)
{
	uint64_t h = hash_bytes(key, len);
	slot *s = find_slot(map->slots, map->cap, key, len, h);
	*inserted = false;
	if (s->key)
		return s->value;
	if ((map->count + 1) * 2 > map->cap) {
		if (grow(map) != 0)
			return NULL;
		s = find_slot(map->slots, map->cap, key, len, h);
	}
	char *k;
	void *v = new_entry(key, len, value_size, &k);
	if (!v)
		return NULL;
	*s = (slot){.hash = h, .len = len, .key = k, .value = v};
	add_to_filter(map, h);
	map->count++;
	*inserted = true;
	return v;
}

void *stance_strmap_get(const stance_strmap *map, const char *key, size_t len)
{
	uint64_t h = hash_bytes(key, len);
	if (!may_have(map, h))
		return NULL;
	slot *s = find_slot(map->slots, map->cap, key, len, h);
	return s->key ? s->value : NULL;
}

size_t stance_strmap_count(const stance_strmap *map)
{
	return map->count;
}

bool stance_strmap_entry(const stance_strmap *map, size_t i, const char **key, size_t *len,
			 void **value)
{
	if (i >= map->cap)
		return false;
	*key = map->slots[i].key;
	*len = map->slots[i].len;
	*value = map->slots[i].value;
	return true;
}
