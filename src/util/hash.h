/* Hashing for the in-memory open-addressing tables (leases, lease-file merge, subnet stats). */
#pragma once

#include <stdint.h>

/** Integer finaliser (lowbias32): spreads small, dense keys such as subnet ids and
 *  consecutive addresses over the whole word, so masking the low bits stays uniform. */
static inline uint32_t hash_u32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}
