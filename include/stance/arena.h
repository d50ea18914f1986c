/* Per-document memory: a bump allocator whose blocks are all freed at once. */
#ifndef STANCE_ARENA_H
#define STANCE_ARENA_H

#include <stddef.h>

typedef struct stance_arena stance_arena;

int stance_arena_new(stance_arena **out);
void stance_arena_free(stance_arena *arena);

/* Forgets every allocation but keeps the first block, so a worker can reuse it per document. */
void stance_arena_reset(stance_arena *arena);

/* Memory aligned for any type; NULL when out of memory. */
void *stance_arena_alloc(stance_arena *arena, size_t size);
void *stance_arena_calloc(stance_arena *arena, size_t count, size_t size);
char *stance_arena_strndup(stance_arena *arena, const char *s, size_t n);

/* Appends one zeroed item of item_size to the growable array *items (n used, *cap slots),
 * doubling it inside the arena when full. Returns the new item, or NULL when out of memory. */
void *stance_arena_push(stance_arena *arena, void **items, size_t *n, size_t *cap,
			size_t item_size);

/* Bytes the arena holds from the system (for the memory benchmark). */
size_t stance_arena_footprint(const stance_arena *arena);

#endif
