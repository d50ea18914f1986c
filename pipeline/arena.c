/* A bump allocator over a chain of blocks; one free releases a whole document. */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stance/arena.h"

#define FIRST_BLOCK (64u * 1024u)

typedef struct block {
	struct block *next;
	size_t size, used;
	alignas(max_align_t) unsigned char data[];
} block;

struct stance_arena {
	block *head;  /* the block being filled; older ones follow */
	block *first; /* kept across resets */
	size_t footprint;
};

static block *block_new(size_t size)
{
	block *b = malloc(sizeof(block) + size);
	if (b) {
		b->next = NULL;
		b->size = size;
		b->used = 0;
	}
	return b;
}

int stance_arena_new(stance_arena **out)
{
	stance_arena *a = calloc(1, sizeof(*a));
	if (!a || !(a->first = block_new(FIRST_BLOCK))) {
		free(a);
		return -1;
	}
	a->head = a->first;
	a->footprint = sizeof(block) + FIRST_BLOCK;
	*out = a;
	return 0;
}

static void free_chain(block *b, const block *stop)
{
	while (b && b != stop) {
		block *next = b->next;
		free(b);
		b = next;
	}
}

void stance_arena_free(stance_arena *arena)
{
	if (!arena)
		return;
	free_chain(arena->head, NULL);
	free(arena);
}

void stance_arena_reset(stance_arena *arena)
{
	free_chain(arena->head, arena->first);
	arena->first->next = NULL;
	arena->first->used = 0;
	arena->head = arena->first;
	arena->footprint = sizeof(block) + arena->first->size;
}

static size_t align_up(size_t n)
{
	const size_t a = alignof(max_align_t);
	return (n + a - 1) & ~(a - 1);
}

void *stance_arena_alloc(stance_arena *arena, size_t size)
{
	size = align_up(size ? size : 1);
	block *b = arena->head;
	if (b->size - b->used < size) {
		size_t want = b->size * 2;
		while (want < size)
			want *= 2;
		block *nb = block_new(want);
		if (!nb)
			return NULL;
		nb->next = b;
		arena->head = nb;
		arena->footprint += sizeof(block) + want;
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += size;
	return p;
}

void *stance_arena_calloc(stance_arena *arena, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	void *p = stance_arena_alloc(arena, count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

char *stance_arena_strndup(stance_arena *arena, const char *s, size_t n)
{
	char *p = stance_arena_alloc(arena, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* Grows in place when the array is the arena's latest allocation, which is the common case
 * while a stage appends to its own layer. */
static int try_extend(stance_arena *arena, void *items, size_t old_bytes, size_t new_bytes)
{
	block *b = arena->head;
	unsigned char *p = items;
	size_t old_aligned = align_up(old_bytes), new_aligned = align_up(new_bytes);
	if (p + old_aligned != b->data + b->used)
		return 0;
	if (b->size - (b->used - old_aligned) < new_aligned)
		return 0;
	b->used = b->used - old_aligned + new_aligned;
	return 1;
}

void *stance_arena_push(stance_arena *arena, void **items, size_t *n, size_t *cap,
			size_t item_size)
{
	if (*n == *cap) {
		size_t new_cap = *cap ? *cap * 2 : 16;
		if (new_cap > SIZE_MAX / item_size)
			return NULL;
		if (!*items || !try_extend(arena, *items, *cap * item_size, new_cap * item_size)) {
			void *grown = stance_arena_alloc(arena, new_cap * item_size);
			if (!grown)
				return NULL;
			if (*n)
				memcpy(grown, *items, *n * item_size);
			*items = grown;
		}
		*cap = new_cap;
	}
	unsigned char *slot = (unsigned char *)*items + *n * item_size;
	memset(slot, 0, item_size);
	(*n)++;
	return slot;
}

size_t stance_arena_footprint(const stance_arena *arena)
{
	return arena->footprint;
}
