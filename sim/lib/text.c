/* Numbers as text and a content hash. */
#include "dosesim/text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ds_format_double: shortest.c */

bool ds_parse_u64(const char *text, uint64_t *out)
{
    uint64_t value = 0;
    if (*text == '\0') {
        return false;
    }
    for (const char *p = text; *p != '\0'; p++) {
        if (*p < '0' || *p > '9') {
            return false;
        }
        unsigned digit = (unsigned)(*p - '0');
        if (value > (UINT64_MAX - digit) / 10u) {
            return false;
        }
        value = value * 10u + digit;
    }
    *out = value;
    return true;
}

bool ds_parse_double(const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (end == text || *end != '\0' || !isfinite(value) || (errno == ERANGE && value == 0.0)) {
        return false;
    }
    *out = value;
    return true;
}

bool ds_number_underflows(const char *text)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    return end != text && *end == '\0' && errno == ERANGE && value == 0.0;
}

bool ds_has_control_byte(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return true;
        }
        /* C1 controls in UTF-8: C2 80 .. C2 9F (a terminal acts on CSI = U+009B). */
        if (c == 0xc2 && i + 1 < len && (unsigned char)text[i + 1] >= 0x80 &&
            (unsigned char)text[i + 1] <= 0x9f) {
            return true;
        }
    }
    return false;
}

size_t ds_utf8_invalid_at(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n = 0;
        unsigned lo = 0x80, hi = 0xbf; /* the allowed range of the second byte */
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            lo = c == 0xe0 ? 0xa0 : 0x80; /* no overlong forms */
            hi = c == 0xed ? 0x9f : 0xbf; /* no surrogates */
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            lo = c == 0xf0 ? 0x90 : 0x80;
            hi = c == 0xf4 ? 0x8f : 0xbf; /* nothing past U+10FFFF */
        } else {
            return i; /* a continuation byte first, C0/C1 overlong leads, F5..FF */
        }
        if (i + n >= len) {
            return i; /* cut short */
        }
        if (s[i + 1] < lo || s[i + 1] > hi) {
            return i;
        }
        for (size_t k = 2; k <= n; k++) {
            if (s[i + k] < 0x80 || s[i + k] > 0xbf) {
                return i;
            }
        }
        i += n + 1;
    }
    return len;
}

const char *ds_text_problem(const char *text, size_t len, char *buf, size_t size)
{
    if (strlen(text) != len || ds_has_control_byte(text, len)) {
        snprintf(buf, size, "contains a control character (is this a text file?)");
        return buf;
    }
    size_t bad = ds_utf8_invalid_at(text, len);
    if (bad < len) {
        snprintf(buf, size,
                 "is not valid UTF-8 (byte %zu); save the file as UTF-8 (in R: "
                 "fileEncoding = \"UTF-8\"; in pandas: encoding=\"utf-8\")",
                 bad + 1);
        return buf;
    }
    return NULL;
}

void ds_safe_file_name(const char *text, const char *fallback, char buf[DS_SAFE_NAME_CHARS])
{
    enum { HASH_CHARS = 9 }; /* "-" and 8 hexadecimal digits */
    const size_t room = DS_SAFE_NAME_CHARS - 1;
    size_t len = strlen(text);
    if (len == 0) {
        snprintf(buf, DS_SAFE_NAME_CHARS, "%s", fallback);
        return;
    }
    bool changed = len > room;
    size_t keep = len > room ? room - HASH_CHARS : len;
    for (size_t i = 0; i < keep; i++) {
        char c = text[i];
        bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || (c == '.' && i > 0);
        buf[i] = safe ? c : '_';
        changed |= !safe;
    }
    buf[keep] = '\0';
    if (changed) {
        if (keep > room - HASH_CHARS) {
            keep = room - HASH_CHARS;
        }
        snprintf(buf + keep, DS_SAFE_NAME_CHARS - keep, "-%08x",
                 (unsigned)(ds_hash64(text, len, DS_HASH_START) & 0xffffffffu));
    }
}

uint64_t ds_hash64(const void *data, size_t len, uint64_t h)
{
    const unsigned char *bytes = data;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ bytes[i]) * UINT64_C(1099511628211);
    }
    return h;
}
