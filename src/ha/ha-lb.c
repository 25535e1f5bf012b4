/* Load-balancing scope of a query as Kea's HA hook computes it: the RFC 3074
 * hash of the client identifier option's payload (type byte included), else
 * of the chaddr, modulo the number of active servers (not RFC 3074's bucket
 * bitmap, as Kea): index 0 is the primary's scope, 1 the secondary's. A
 * mixed lessor/Kea pair therefore splits clients identically. */
#include "ha/ha-lb.h"

/* RFC 3074 section 6: the mixing table, a permutation of 0..255. */
static const uint8_t mix[256] = {
	251, 175, 119, 215,  81,  14,  79, 191, 103,  49, 181, 143, 186, 157,   0, 232,
	 31,  32,  55,  60, 152,  58,  17, 237, 174,  70, 160, 144, 220,  90,  57, 223,
	 59,   3,  18, 140, 111, 166, 203, 196, 134, 243, 124,  95, 222, 179, 197,  65,
	180,  48,  36,  15, 107,  46, 233, 130, 165,  30, 123, 161, 209,  23,  97,  16,
	 40,  91, 219,  61, 100,  10, 210, 109, 250, 127,  22, 138,  29, 108, 244,  67,
	207,   9, 178, 204,  74,  98, 126, 249, 167, 116,  34,  77, 193, 200, 121,   5,
	 20, 113,  71,  35, 128,  13, 182,  94,  25, 226, 227, 199,  75,  27,  41, 245,
	230, 224,  43, 225, 177,  26, 155, 150, 212, 142, 218, 115, 241,  73,  88, 105,
	 39, 114,  62, 255, 192, 201, 145, 214, 168, 158, 221, 148, 154, 122,  12,  84,
	 82, 163,  44, 139, 228, 236, 205, 242, 217,  11, 187, 146, 159,  64,  86, 239,
	195,  42, 106, 198, 118, 112, 184, 172,  87,   2, 173, 117, 176, 229, 247, 253,
	137, 185,  99, 164, 102, 147,  45,  66, 231,  52, 141, 211, 194, 206, 246, 238,
	 56, 110,  78, 248,  63, 240, 189,  93,  92,  51,  53, 183,  19, 171,  72,  50,
	 33, 104, 101,  69,   8, 252,  83, 120,  76, 135,  85,  54, 202, 125, 188, 213,
	 96, 235, 136, 208, 162, 129, 190, 132, 156,  38,  47,   1,   7, 254,  24,   4,
	216, 131,  89,  21,  28, 133,  37, 153, 149,  80, 170,  68,   6, 169, 234, 151,
};

uint8_t ha_lb_hash(const uint8_t *key, size_t len)
{
	uint8_t hash = (uint8_t)len;

	/* RFC 3074 section 5: from the last byte of the key to the first */
	while (len > 0) {
		hash = mix[hash ^ key[--len]];
	}
	return hash;
}

int ha_lb_server(const uint8_t *client_id, size_t client_id_len, const uint8_t *hwaddr,
                 size_t hwaddr_len, unsigned active_servers)
{
	uint8_t hash;

	if (active_servers == 0) {
		return -1;
	}
	if (client_id != NULL && client_id_len > 0) {
		hash = ha_lb_hash(client_id, client_id_len);
	} else if (hwaddr != NULL && hwaddr_len > 0) {
		hash = ha_lb_hash(hwaddr, hwaddr_len);
	} else {
		return -1;      /* Kea: HA_LOAD_BALANCING_IDENTIFIER_MISSING, the query is dropped */
	}
	return (int)(hash % active_servers);
}

int ha_scope_of(const cfg_ha_t *h, const uint8_t *client_id, size_t client_id_len,
                const uint8_t *hwaddr, size_t hwaddr_len)
{
	if (h->mode != CFG_HA_LOAD_BALANCING) {
		return 0;       /* hot-standby: the primary's scope; passive-backup: one server */
	}
	return ha_lb_server(client_id, client_id_len, hwaddr, hwaddr_len, 2);
}

static uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h = (h ^ p[i]) * 0x100000001b3ULL;
	}
	return h;
}

uint64_t ha_client_key(const uint8_t *client_id, size_t client_id_len, const uint8_t *hwaddr,
                       size_t hwaddr_len)
{
	uint8_t sep = 0xff;
	uint64_t h = fnv1a(0xcbf29ce484222325ULL, hwaddr, hwaddr != NULL ? hwaddr_len : 0);

	h = fnv1a(h, &sep, 1);
	h = fnv1a(h, client_id, client_id != NULL ? client_id_len : 0);
	return h != 0 ? h : 1;
}
