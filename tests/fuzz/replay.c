/* Runs a fuzz target's LLVMFuzzerTestOneInput on every file in the folders (or
 * files) given, without libFuzzer: make check replays the seed corpus and every
 * input that once crashed a target (tests/fuzz/regressions/), so that a fixed
 * crash stays fixed. usage: replay_TARGET PATH... */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 1 << 16, len = 0, got;
    uint8_t *data = malloc(cap);
    while (data != NULL && (got = fread(data + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            uint8_t *grown = realloc(data, cap *= 2);
            if (grown == NULL) {
                free(data);
            }
            data = grown;
        }
    }
    fclose(f);
    if (data == NULL) {
        return 1;
    }
    LLVMFuzzerTestOneInput(data, len); /* a failure aborts */
    free(data);
    return 0;
}

int main(int argc, char **argv)
{
    int replayed = 0, errors = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            errors += replay_file(argv[i]);
            replayed++;
            continue;
        }
        DIR *dir = opendir(argv[i]);
        struct dirent *e;
        while (dir != NULL && (e = readdir(dir)) != NULL) {
            char path[4096];
            if (e->d_name[0] == '.') {
                continue;
            }
            snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
            errors += replay_file(path);
            replayed++;
        }
        if (dir != NULL) {
            closedir(dir);
        }
    }
    printf("replay: %d inputs replayed\n", replayed);
    return errors == 0 ? 0 : 1;
}
