/* Offline check (and optional compaction) of a Kea/lessor memfile lease set.
 *
 *   leasefile-check [-m MAX_ROW_ERRORS] [-c] NAME
 *
 * Loads NAME.completed or NAME.2 + NAME.1, then NAME, exactly as the server
 * does at startup, and prints the header format, row and error counts (with
 * the line of the last bad row) and per-subnet lease counts. -c then runs a
 * full LFC (rotate NAME to NAME.1, merge into NAME.2), like kea-lfc. Never
 * run it on the files of a running server. Exit status: 0 good, 1 bad rows
 * found, 2 load failed. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lease/lfile.h"
#include "lease/store-mem.h"

static int load_row(void *userdata, const lease4_t *l)
{
	return mem_store_load(userdata, l);
}

int main(int argc, char **argv)
{
	uint32_t max_err = 0;
	bool compact = false;
	mem_store_t *ms = NULL;
	lfile_load_stats_t st = { 0 };
	lease_count_t *counts = NULL;
	char *err = NULL;
	int opt, r;

	while ((opt = getopt(argc, argv, "m:c")) != -1) {
		switch (opt) {
		case 'm':
			max_err = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'c':
			compact = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-m MAX_ROW_ERRORS] [-c] LEASEFILE\n", argv[0]);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: %s [-m MAX_ROW_ERRORS] [-c] LEASEFILE\n", argv[0]);
		return 2;
	}
	const char *name = argv[optind];

	r = mem_store_new(16, NULL, NULL, &ms);
	if (r < 0) {
		return 2;
	}
	r = lfile_load_set(name, max_err, load_row, ms, &st, &err);
	if (r < 0) {
		fprintf(stderr, "%s: load failed: %s\n", name, err != NULL ? err : strerror(-r));
		free(err);
		mem_store_free(ms);
		return 2;
	}
	printf("%s: header %u columns%s, %" PRIu64 " rows, %" PRIu64 " bad rows, %zu leases\n",
	       name, st.hdr_cols, st.hdr_cols == LFILE_COLS_KEA24 ? " (Kea 2.4)"
	                          : st.hdr_cols == LFILE_COLS_KEA22 ? " (Kea 2.2)" : "",
	       st.rows, st.errors, mem_store_size(ms));
	if (st.errors > 0) {
		printf("last bad row: %s\n", st.last_err);
	}
	int n = mem_store_count(ms, &counts);
	for (int i = 0; i < n; i++) {
		printf("subnet %" PRIu32 ": %" PRIu64 " assigned, %" PRIu64 " declined\n",
		       counts[i].subnet_id, counts[i].assigned, counts[i].declined);
	}
	free(counts);
	mem_store_free(ms);

	if (compact) {
		lfile_t *f = NULL;
		r = lfile_open(name, &f);
		if (r == 0) {
			r = lfile_lfc_start(f);
		}
		if (r == 0) {
			r = lfile_lfc_wait(f);
		}
		lfile_close(f);
		if (r < 0) {
			fprintf(stderr, "%s: cleanup failed: %s\n", name, strerror(-r));
			return 2;
		}
		printf("%s: compacted into %s.2\n", name, name);
	}
	return st.errors > 0 ? 1 : 0;
}
