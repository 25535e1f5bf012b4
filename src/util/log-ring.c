/* The latest warnings and errors, kept in memory for the console (log-get): a fixed ring
 * of LOG_RING_SIZE entries, the oldest overwritten. Only lines that some output actually
 * writes are kept (log_emit() pushes after its enabled test), so the ring shows what the
 * log shows. A line is copied under a mutex; WARN and above are rare and rate-limited on
 * the packet path, so workers do not queue on it. Text is stored as valid UTF-8 (invalid
 * bytes become '?', a cut falls on a character boundary): client-supplied strings reach
 * log messages, and the command's JSON must stay well-formed. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "util/log-int.h"
#include "util/macro.h"

static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static log_entry_t ring[LOG_RING_SIZE];
static uint64_t ring_seq; /* entries ever pushed; ring[(seq - 1) % SIZE] is the newest */

/* Length of the valid UTF-8 sequence at @s (of @n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;

	if (s[0] < 0x80) {
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2, cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n) {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			return 0;
		}
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < min[len] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
		return 0;
	}
	return len;
}

void log_utf8_copy(char *dst, size_t cap, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t n = strlen(src), o = 0;

	if (cap == 0) {
		return;
	}
	while (n > 0) {
		size_t l = utf8_len(s, n);
		bool ctrl = l == 1 && (s[0] < 0x20 || s[0] == 0x7f);

		if (o + (l == 0 ? 1 : l) >= cap) {
			break;
		}
		if (l == 0 || ctrl) {
			dst[o++] = l == 0 ? '?' : ' ';
			s++, n--;
			continue;
		}
		memcpy(dst + o, s, l);
		o += l, s += l, n -= l;
	}
	dst[o] = '\0';
}

void log_ring_push(const log_rec_t *rec)
{
	pthread_mutex_lock(&ring_lock);
	log_entry_t *e = &ring[ring_seq % LOG_RING_SIZE];

	e->seq = ++ring_seq;
	e->tv = rec->tv;
	e->sev = rec->sev;
	log_utf8_copy(e->logger, sizeof(e->logger), rec->logger);
	log_utf8_copy(e->msgid, sizeof(e->msgid), rec->msgid);
	log_utf8_copy(e->text, sizeof(e->text), rec->text);
	pthread_mutex_unlock(&ring_lock);
}

size_t log_recent(log_entry_t *out, size_t max)
{
	size_t n = 0;

	pthread_mutex_lock(&ring_lock);
	for (uint64_t s = ring_seq; s > 0 && n < max && n < LOG_RING_SIZE; s--) {
		out[n++] = ring[(s - 1) % LOG_RING_SIZE];
	}
	pthread_mutex_unlock(&ring_lock);
	return n;
}

void log_recent_clear(void)
{
	pthread_mutex_lock(&ring_lock);
	ring_seq = 0;
	memset(ring, 0, sizeof(ring));
	pthread_mutex_unlock(&ring_lock);
}
