/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * snapshot.c - a fingerprint of every map pinned under a directory, for
 * tests that must prove a refused command changed nothing. Prints one line
 * per map: path, entry count, and an order-independent hash of all
 * (key, value) pairs. The per-vnet counters (vnet_stats, vnet_stats6,
 * vnet_fwstats) are left out: traffic may move them.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static unsigned long long fnv(const void *p, size_t n, unsigned long long h)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

/*
 * Arrays (the outer maps of per-vnet copies and per-FIB tables among
 * them, 65,536 slots each) in one batch call: two syscalls per slot made
 * a snapshot take seconds. False: not an array, or no batch support.
 */
static bool array_sum(int fd, const struct bpf_map_info *info, unsigned long long *sum,
		      unsigned long long *count)
{
	__u32 n = info->max_entries, out, i;
	void *keys, *vals;
	bool ok;

	if (info->type != BPF_MAP_TYPE_ARRAY && info->type != BPF_MAP_TYPE_PERCPU_ARRAY &&
	    info->type != BPF_MAP_TYPE_ARRAY_OF_MAPS)
		return false;
	keys = calloc(n, info->key_size);
	vals = calloc(n, info->value_size);
	ok = keys && vals && (bpf_map_lookup_batch(fd, NULL, &out, keys, vals, &n, NULL) == 0 ||
			      errno == ENOENT);
	for (i = 0; ok && i < n; i++) {
		*sum += fnv((char *)vals + (size_t)i * info->value_size, info->value_size,
			    fnv((char *)keys + (size_t)i * info->key_size, info->key_size,
				0xcbf29ce484222325ULL));
		(*count)++;
	}
	free(keys);
	free(vals);
	return ok;
}

static void one_map(const char *path)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	unsigned long long sum = 0, count = 0;
	void *key, *next, *val;
	int fd = bpf_obj_get(path);

	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len)) {
		printf("%s unreadable\n", path);
		return;
	}
	/* A per-CPU map's value is one 8-byte-aligned copy per possible CPU. */
	if (info.type == BPF_MAP_TYPE_PERCPU_ARRAY || info.type == BPF_MAP_TYPE_PERCPU_HASH ||
	    info.type == BPF_MAP_TYPE_LRU_PERCPU_HASH)
		info.value_size = ((info.value_size + 7) & ~7u) * libbpf_num_possible_cpus();
	if (array_sum(fd, &info, &sum, &count))
		goto done;
	key = calloc(1, info.key_size + 8);
	next = calloc(1, info.key_size + 8);
	val = calloc(1, info.value_size + 8);
	for (int more = bpf_map_get_next_key(fd, NULL, next) == 0; more;
	     more = bpf_map_get_next_key(fd, key, next) == 0) {
		memcpy(key, next, info.key_size);
		if (bpf_map_lookup_elem(fd, key, val)) {
			if (errno == ENOENT)
				continue;
			memset(val, 0, info.value_size);	/* e.g. empty devmap slot */
		}
		sum += fnv(val, info.value_size, fnv(key, info.key_size, 0xcbf29ce484222325ULL));
		count++;
	}
	free(key);
	free(next);
	free(val);
done:
	printf("%s type %u entries %llu hash %016llx\n", path, info.type, count, sum);
	close(fd);
}

static void walk(const char *dir)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat sb;

		if (ents[i]->d_name[0] == '.' || !strcmp(ents[i]->d_name, "vnet_stats") ||
		    !strcmp(ents[i]->d_name, "vnet_fwstats") ||
		    !strcmp(ents[i]->d_name, "vnet_stats6"))
			goto next;
		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			printf("%s/\n", path);
			walk(path);
		} else {
			one_map(path);
		}
next:
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: vnet_snapshot PIN_DIR\n");
		return 2;
	}
	walk(argv[1]);
	return 0;
}
