/* A string-keyed hash map with open addressing and linear probing.
 * Each value is its own allocation, so a pointer to it stays valid while the map grows. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct slot {
	char *key; /* NULL: empty */
	size_t len;
	uint64_t hash;
	void *value;
} slot;

struct stance_strmap {
	slot *slots;
	size_t cap, count;
};

uint64_t stance_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h ^ (h >> 29);
}

int stance_strmap_new(stance_strmap **out)
{
	stance_strmap *m = calloc(1, sizeof(*m));
	if (!m)
		return -1;
	m->cap = 64;
	m->slots = calloc(m->cap, sizeof(slot));
	if (!m->slots) {
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
	for (size_t i = 0; i < map->cap; i++) {
		free(map->slots[i].key);
		free(map->slots[i].value);
	}
	free(map->slots);
	free(map);
}

static slot *find_slot(slot *slots, size_t cap, const char *key, size_t len, uint64_t hash)
{
	size_t i = hash & (cap - 1);
	while (slots[i].key &&
	       !(slots[i].hash == hash && slots[i].len == len && memcmp(slots[i].key, key, len) == 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int grow(stance_strmap *m)
{
	size_t cap = m->cap * 2;
	slot *slots = calloc(cap, sizeof(slot));
	if (!slots)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*find_slot(slots, cap, m->slots[i].key, m->slots[i].len, m->slots[i].hash) =
				m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

void *stance_strmap_upsert(stance_strmap *map, const char *key, size_t len, size_t value_size,
			   bool *inserted)
{
	uint64_t h = stance_hash(key, len);
	slot *s = find_slot(map->slots, map->cap, key, len, h);
	*inserted = false;
	if (s->key)
		return s->value;
	if ((map->count + 1) * 4 > map->cap * 3) {
		if (grow(map) != 0)
			return NULL;
		s = find_slot(map->slots, map->cap, key, len, h);
	}
	char *k = malloc(len + 1);
	void *v = calloc(1, value_size ? value_size : 1);
	if (!k || !v) {
		free(k);
		free(v);
		return NULL;
	}
	memcpy(k, key, len);
	k[len] = '\0';
	*s = (slot){.key = k, .len = len, .hash = h, .value = v};
	map->count++;
	*inserted = true;
	return v;
}

void *stance_strmap_get(const stance_strmap *map, const char *key, size_t len)
{
	slot *s = find_slot(map->slots, map->cap, key, len, stance_hash(key, len));
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
