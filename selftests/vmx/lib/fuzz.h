/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz.h - what the fuzzers (fuzz_ioctl_test, fuzz_guest_test) share:
 * a deterministic random stream, so that a seed replays a run exactly,
 * and their settings from the environment.
 */
#ifndef VMXLAB_FUZZ_H
#define VMXLAB_FUZZ_H

#include <stdint.h>
#include <stdlib.h>

struct rng {
	uint64_t s;
};

static inline uint64_t rnd(struct rng *r)
{
	/* splitmix64: tiny, and every seed gives a good stream. */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* 0 .. n-1 (0 when n is 0). */
static inline uint32_t below(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)(rnd(r) % n) : 0;
}

/* True once in @one_in. */
static inline int chance(struct rng *r, uint32_t one_in)
{
	return below(r, one_in) == 0;
}

/* A number from the environment (decimal, 0x hex or 0 octal), or @def. */
static inline uint64_t env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

#endif /* VMXLAB_FUZZ_H */
