// SPDX-License-Identifier: GPL-2.0
/*
 * sieve - counts the primes below 100,000 with the sieve of
 * Eratosthenes: a CPU-bound guest with almost no exits, for timing the
 * hypervisor's overhead.  The sieve array is bss, so it also checks that
 * the loader zeroed it.  ELF64, long mode, C.
 */
#include <stdint.h>

#include "io.h"

#define N		100000
#define EXPECTED	9592

static uint8_t composite[N];

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

int main(void)
{
	uint64_t t0, t1;
	unsigned i, j, count = 0;

	for (i = 0; i < N; i++) {
		if (composite[i]) {
			puts_("sieve: bss was not zeroed\n");
			return GUEST_FAIL;
		}
	}
	t0 = rdtsc();
	for (i = 2; i < N; i++) {
		if (composite[i])
			continue;
		count++;
		for (j = 2 * i; j < N; j += i)
			composite[j] = 1;
	}
	t1 = rdtsc();
	puts_("sieve: ");
	put_dec(count);
	puts_(" primes below ");
	put_dec(N);
	puts_(" in ");
	put_dec(t1 - t0);
	puts_(" TSC ticks\n");
	if (count != EXPECTED) {
		puts_("sieve: expected 9592\n");
		return GUEST_FAIL;
	}
	return GUEST_PASS;
}
