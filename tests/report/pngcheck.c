/* pngcheck FILE [WIDTH HEIGHT]: whether a screenshot shows something. Decodes
 * the PNG (8-bit RGB or RGBA, not interlaced: what Chromium writes; zlib
 * inflates, the five filters are undone here) and fails unless it has the
 * size asked, more than one colour, at least 1% of its pixels not white and
 * at least 500 in colour (saturated: the figures' bars, not text or rules).
 * For tests/report/browser.sh. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

static int fail(const char *path, const char *why)
{
    fprintf(stderr, "pngcheck: %s: %s\n", path, why);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 4) {
        fprintf(stderr, "usage: pngcheck FILE [WIDTH HEIGHT]\n");
        return 2;
    }
    const char *path = argv[1];
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return fail(path, "cannot be read");
    }
    size_t cap = 1 << 20, len = 0, got;
    unsigned char *file = malloc(cap);
    while (file != NULL && (got = fread(file + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            unsigned char *grown = realloc(file, cap *= 2);
            if (grown == NULL) {
                free(file);
            }
            file = grown;
        }
    }
    fclose(f);
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (file == NULL || len < 8 || memcmp(file, signature, 8) != 0) {
        return fail(path, "not a PNG");
    }
    uint32_t width = 0, height = 0;
    int channels = 0;
    size_t idat_len = 0;
    unsigned char *idat = malloc(len);
    for (size_t at = 8; idat != NULL && at + 12 <= len;) {
        uint32_t n = be32(file + at);
        const unsigned char *type = file + at + 4, *data = file + at + 8;
        if (n > len - at - 12) {
            return fail(path, "a chunk runs past the end");
        }
        if (memcmp(type, "IHDR", 4) == 0) {
            width = be32(data);
            height = be32(data + 4);
            if (data[8] != 8 || (data[9] != 2 && data[9] != 6) || data[12] != 0) {
                return fail(path, "not 8-bit RGB or RGBA without interlace");
            }
            channels = data[9] == 6 ? 4 : 3;
        } else if (memcmp(type, "IDAT", 4) == 0) {
            memcpy(idat + idat_len, data, n);
            idat_len += n;
        } else if (memcmp(type, "IEND", 4) == 0) {
            break;
        }
        at += 12 + (size_t)n;
    }
    if (channels == 0 || width == 0 || height == 0 || width > 20000 || height > 20000) {
        return fail(path, "no image header");
    }
    size_t stride = (size_t)width * (size_t)channels;
    uLongf raw_len = (uLongf)((stride + 1) * height);
    unsigned char *raw = malloc(raw_len);
    if (raw == NULL || uncompress(raw, &raw_len, idat, (uLong)idat_len) != Z_OK ||
        raw_len != (stride + 1) * height) {
        return fail(path, "its image data does not inflate");
    }
    unsigned char *pixels = calloc(stride * height, 1);
    for (uint32_t y = 0; pixels != NULL && y < height; y++) {
        int filter = raw[y * (stride + 1)];
        const unsigned char *in = raw + y * (stride + 1) + 1;
        unsigned char *out = pixels + y * stride, *up = y > 0 ? out - stride : NULL;
        for (size_t x = 0; x < stride; x++) {
            int a = x >= (size_t)channels ? out[x - (size_t)channels] : 0;
            int b = up != NULL ? up[x] : 0;
            int c = up != NULL && x >= (size_t)channels ? up[x - (size_t)channels] : 0;
            int v = in[x];
            switch (filter) {
            case 0:
                break;
            case 1:
                v += a;
                break;
            case 2:
                v += b;
                break;
            case 3:
                v += (a + b) / 2;
                break;
            case 4:
                v += paeth(a, b, c);
                break;
            default:
                return fail(path, "an unknown filter");
            }
            out[x] = (unsigned char)v;
        }
    }
    /* Colours counted in a 15-bit hash of RGB: enough to tell one from many. */
    static unsigned char seen[1 << 15];
    size_t colours = 0, not_white = 0, in_colour = 0, total = (size_t)width * height;
    for (size_t i = 0; pixels != NULL && i < total; i++) {
        const unsigned char *p = pixels + i * (size_t)channels;
        unsigned key = (unsigned)(p[0] >> 3) << 10 | (unsigned)(p[1] >> 3) << 5 | (p[2] >> 3);
        colours += !seen[key];
        seen[key] = 1;
        int hi = p[0] > p[1] ? (p[0] > p[2] ? p[0] : p[2]) : (p[1] > p[2] ? p[1] : p[2]);
        int lo = p[0] < p[1] ? (p[0] < p[2] ? p[0] : p[2]) : (p[1] < p[2] ? p[1] : p[2]);
        not_white += lo < 245;
        in_colour += hi - lo >= 80;
    }
    printf("%s: %ux%u, %zu colours, %.1f%% not white, %zu pixels in colour\n", path, width, height,
           colours, 100.0 * (double)not_white / (double)total, in_colour);
    if (argc == 4 && (width != (uint32_t)atoi(argv[2]) || height != (uint32_t)atoi(argv[3]))) {
        return fail(path, "not of the size asked");
    }
    if (colours < 2) {
        return fail(path, "blank: one colour");
    }
    if (not_white * 100 < total) {
        return fail(path, "nearly blank: under 1% of it is not white");
    }
    if (in_colour < 500) {
        return fail(path, "no figure: under 500 pixels in colour");
    }
    free(file);
    free(idat);
    free(raw);
    free(pixels);
    return 0;
}
