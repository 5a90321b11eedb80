/*
 * Pointer chasing through a cyclic list of 64-byte nodes linked in a random
 * order over 16 MiB: nearly every load lands on a different 4 KiB page than
 * the one before, so the (software) TLB misses.
 */
#include "bench.h"

#define NODES (256 * 1024)
#define STEPS (2 * 1024 * 1024)

const char bench_name[] = "listwalk";

struct node {
    struct node *next;
    uint32_t value;
    uint32_t pad[14];
};

static struct node nodes[NODES];
static uint32_t order[NODES];

void bench_setup(void)
{
    uint32_t s = 1;
    for (uint32_t i = 0; i < NODES; i++)
        order[i] = i;
    for (uint32_t i = NODES - 1; i > 0; i--) {     /* Fisher-Yates */
        uint32_t j = bench_xorshift(&s) % (i + 1);
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i < NODES; i++) {
        struct node *n = &nodes[order[i]];
        n->next = &nodes[order[(i + 1) % NODES]];
        n->value = bench_xorshift(&s);
    }
}

uint32_t bench_round(void)
{
    const struct node *p = &nodes[order[0]];
    uint32_t h = 0;
    for (uint32_t i = 0; i < STEPS; i++) {
        h = (h + p->value) * 31u;
        p = p->next;
    }
    return bench_fnv(h, (uint32_t)(p - nodes));
}
