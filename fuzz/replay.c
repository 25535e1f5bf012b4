/* Run a libFuzzer target over files without libFuzzer, so that ctest replays
 * every checked-in corpus (seeds and crash reproducers) in ordinary gcc +
 * sanitizer builds.
 *
 *   fuzz-<name>-replay PATH...   each PATH is a file or a directory (its
 *                                regular files, sorted by name, dot-files
 *                                skipped). A missing PATH counts as empty.
 *
 * Each input is passed in an exact-size heap buffer so that ASan reports any
 * over-read. The name of each input is printed before it runs, so a crash
 * report names its reproducer. Exit 0 when every input ran. */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static int read_file(const char *path, uint8_t **ret_buf, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0;
	size_t cap = 0;

	if (f == NULL) {
		return -errno;
	}
	for (;;) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			uint8_t *nbuf = realloc(buf, ncap);
			if (nbuf == NULL) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = nbuf;
			cap = ncap;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		if (n == 0) {
			break;
		}
		len += n;
	}
	int err = ferror(f) ? -EIO : 0;
	fclose(f);
	if (err < 0) {
		free(buf);
		return err;
	}

	/* Exact size: the target must not read past len. */
	uint8_t *exact = malloc(len > 0 ? len : 1);
	if (exact == NULL) {
		free(buf);
		return -ENOMEM;
	}
	if (len > 0) {
		memcpy(exact, buf, len);
	}
	free(buf);
	*ret_buf = exact;
	*ret_len = len;
	return 0;
}

static int run_file(const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int r = read_file(path, &buf, &len);

	if (r < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(-r));
		return r;
	}
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int skip_dots(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Returns the number of inputs run, or a negative errno. */
static int run_dir(const char *dir)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, skip_dots, alphasort);
	int ran = 0;
	int err = 0;

	if (n < 0) {
		return -errno;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			int r = run_file(path);
			if (r < 0) {
				err = r;
			} else {
				ran++;
			}
		}
		free(names[i]);
	}
	free(names);
	return err < 0 ? err : ran;
}

int main(int argc, char **argv)
{
	int total = 0;
	int failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize != NULL) {
		LLVMFuzzerInitialize(&argc, &argv);
	}

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0) {
			if (errno == ENOENT) {
				fprintf(stderr, "replay: %s: no corpus, 0 inputs\n", argv[i]);
				continue;
			}
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			failed = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			int r = run_dir(argv[i]);
			if (r < 0) {
				fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(-r));
				failed = 1;
				continue;
			}
			total += r;
		} else if (run_file(argv[i]) < 0) {
			failed = 1;
		} else {
			total++;
		}
	}

	fprintf(stderr, "replay: %d inputs ran\n", total);
	return failed ? 1 : 0;
}
