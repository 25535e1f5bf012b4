/* Where EMF records go (push/push.h): each call bounded in time. */
#pragma once

#include <stddef.h>

/** Deliver @len bytes of newline-separated records to @dest: "stdout";
 *  "udp://HOST:PORT" (one datagram per record, as the CloudWatch agent reads
 *  them); "tcp://HOST:PORT" (one connection per push, 2 s to connect and to
 *  send); anything else is a file path appended to. 0, or -errno with @err. */
int push_send_emf(const char *dest, const char *text, size_t len, char *err, size_t errlen);
