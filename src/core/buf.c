/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one wire buffer API (STYLE.md section 3): the bounded reader s2_rd over
 * peer bytes and the bounded writer s2_wr. This is the only code that advances
 * a reader's pointer. Every bound is checked as "n > left" before any use,
 * and errors are sticky: after the first one, getters return zero or empty.
 */
#include <string.h>

#include "core/core.h"

void
s2_rd_init(struct s2_rd *r, const void *p, size_t len)
{
    r->p = p;
    r->left = p != NULL ? len : 0;
    r->err = 0;
}

void
s2_rd_fail(struct s2_rd *r, int code)
{
    if (r->err == 0) {
        r->err = code;
    }
    r->left = 0;
}

/* take returns a pointer to the next |n| bytes and consumes them, or NULL. */
static const uint8_t *
take(struct s2_rd *r, size_t n)
{
    const uint8_t *p;
    if (r->err != 0) {
        return NULL;
    }
    if (n > r->left) {
        s2_rd_fail(r, LIBSSH2_ERROR_PROTO);
        return NULL;
    }
    p = r->p;
    r->p += n;
    r->left -= n;
    return p;
}

uint8_t
s2_rd_u8(struct s2_rd *r)
{
    const uint8_t *p = take(r, 1);
    return p != NULL ? p[0] : 0;
}

uint32_t
s2_rd_u32(struct s2_rd *r)
{
    const uint8_t *p = take(r, 4);
    return p != NULL ? s2_get_u32(p) : 0;
}

uint64_t
s2_rd_u64(struct s2_rd *r)
{
    const uint8_t *p = take(r, 8);
    if (p == NULL) {
        return 0;
    }
    return ((uint64_t)s2_get_u32(p) << 32) | s2_get_u32(p + 4);
}

int
s2_rd_bool(struct s2_rd *r)
{
    return s2_rd_u8(r) != 0;
}

static void
empty(struct s2_rd *out)
{
    out->p = NULL;
    out->left = 0;
    out->err = 0;
}

void
s2_rd_bytes(struct s2_rd *r, size_t n, struct s2_rd *out)
{
    const uint8_t *p = take(r, n);
    if (p == NULL) {
        empty(out);
        return;
    }
    s2_rd_init(out, p, n);
}

void
s2_rd_str(struct s2_rd *r, size_t max, struct s2_rd *out)
{
    uint32_t n = s2_rd_u32(r);
    if (r->err == 0 && n > max) {
        s2_rd_fail(r, LIBSSH2_ERROR_PROTO);
    }
    s2_rd_bytes(r, n, out);
}

void
s2_rd_copy(struct s2_rd *r, void *out, size_t n)
{
    const uint8_t *p = take(r, n);
    if (p == NULL) {
        memset(out, 0, n);
        return;
    }
    memcpy(out, p, n);
}

void
s2_rd_mpint(struct s2_rd *r, size_t max, struct s2_rd *out)
{
    struct s2_rd v;
    s2_rd_str(r, max, &v);
    if (r->err != 0) {
        empty(out);
        return;
    }
    if (v.left > 0 && (v.p[0] & 0x80) != 0) {
        s2_rd_fail(r, LIBSSH2_ERROR_PROTO); /* negative */
        empty(out);
        return;
    }
    if (v.left > 0 && v.p[0] == 0) {
        /* a leading zero is allowed only to clear the sign bit */
        if (v.left == 1 || (v.p[1] & 0x80) == 0) {
            s2_rd_fail(r, LIBSSH2_ERROR_PROTO);
            empty(out);
            return;
        }
        s2_rd_skip(&v, 1);
    }
    *out = v;
}

int
s2_rd_peek_u8(const struct s2_rd *r)
{
    return (r->err == 0 && r->left > 0) ? r->p[0] : -1;
}

void
s2_rd_skip(struct s2_rd *r, size_t n)
{
    (void)take(r, n);
}

void
s2_rd_rest(struct s2_rd *r, struct s2_rd *out)
{
    s2_rd_bytes(r, r->err == 0 ? r->left : 0, out);
}

int
s2_rd_eq(const struct s2_rd *v, const char *s)
{
    size_t n = strlen(s);
    return v->err == 0 && v->left == n && (n == 0 || memcmp(v->p, s, n) == 0);
}

char *
s2_rd_strdup(const struct s2_rd *v, const struct s2_allocator *a, size_t max)
{
    if (v->err != 0 || v->left > max) {
        return NULL;
    }
    return s2_memdup(a, v->p, v->left);
}

int
s2_rd_ok(const struct s2_rd *r)
{
    return r->err;
}

int
s2_rd_finish(const struct s2_rd *r)
{
    if (r->err != 0) {
        return r->err;
    }
    return r->left == 0 ? 0 : LIBSSH2_ERROR_PROTO;
}

/* ---- writer ---- */

void
s2_wr_fixed(struct s2_wr *w, void *buf, size_t cap)
{
    w->p = buf;
    w->len = 0;
    w->cap = cap;
    w->max = cap;
    w->err = 0;
    w->secret = 0;
    w->a = NULL;
}

void
s2_wr_dyn(struct s2_wr *w, const struct s2_allocator *a, size_t max)
{
    w->p = NULL;
    w->len = 0;
    w->cap = 0;
    w->max = max;
    w->err = 0;
    w->secret = 0;
    w->a = a;
}

static void
wr_fail(struct s2_wr *w, int code)
{
    if (w->err == 0) {
        w->err = code;
    }
}

int
s2_wr_reserve(struct s2_wr *w, size_t n)
{
    size_t want, cap;
    uint8_t *np;
    if (w->err != 0) {
        return w->err;
    }
    if (n > w->max - w->len) {
        wr_fail(w, LIBSSH2_ERROR_BUFFER_TOO_SMALL);
        return w->err;
    }
    want = w->len + n;
    if (want <= w->cap && w->p != NULL) {
        return 0;
    }
    if (w->a == NULL) {
        wr_fail(w, LIBSSH2_ERROR_BUFFER_TOO_SMALL);
        return w->err;
    }
    cap = w->cap < 256 ? 256 : w->cap;
    while (cap < want) {
        cap = cap > w->max / 2 ? w->max : cap * 2;
    }
    if (w->secret) {
        /* never leave a copy of a secret behind in freed memory */
        np = s2_alloc(w->a, cap);
        if (np != NULL && w->p != NULL) {
            memcpy(np, w->p, w->len);
            s2_free_secret(w->a, w->p, w->cap);
        }
    } else {
        np = s2_realloc(w->a, w->p, cap);
    }
    if (np == NULL) {
        wr_fail(w, LIBSSH2_ERROR_ALLOC);
        return w->err;
    }
    w->p = np;
    w->cap = cap;
    return 0;
}

uint8_t *
s2_wr_space(struct s2_wr *w, size_t n)
{
    uint8_t *p;
    if (s2_wr_reserve(w, n) != 0) {
        return NULL;
    }
    p = w->p + w->len;
    w->len += n;
    return p;
}

void
s2_wr_u8(struct s2_wr *w, uint8_t v)
{
    uint8_t *p = s2_wr_space(w, 1);
    if (p != NULL) {
        p[0] = v;
    }
}

void
s2_wr_u32(struct s2_wr *w, uint32_t v)
{
    uint8_t *p = s2_wr_space(w, 4);
    if (p != NULL) {
        s2_put_u32(p, v);
    }
}

void
s2_wr_u64(struct s2_wr *w, uint64_t v)
{
    s2_wr_u32(w, (uint32_t)(v >> 32));
    s2_wr_u32(w, (uint32_t)v);
}

void
s2_wr_bool(struct s2_wr *w, int v)
{
    s2_wr_u8(w, v ? 1 : 0);
}

void
s2_wr_raw(struct s2_wr *w, const void *src, size_t n)
{
    uint8_t *p = s2_wr_space(w, n);
    if (p != NULL && n > 0) {
        memcpy(p, src, n);
    }
}

void
s2_wr_str(struct s2_wr *w, const void *src, size_t n)
{
    if (n > UINT32_MAX) {
        wr_fail(w, LIBSSH2_ERROR_BUFFER_TOO_SMALL);
        return;
    }
    s2_wr_u32(w, (uint32_t)n);
    s2_wr_raw(w, src, n);
}

void
s2_wr_cstr(struct s2_wr *w, const char *s)
{
    s2_wr_str(w, s, strlen(s));
}

void
s2_wr_mpint(struct s2_wr *w, const uint8_t *mag, size_t n)
{
    while (n > 0 && mag[0] == 0) {
        mag++;
        n--;
    }
    if (n > 0 && (mag[0] & 0x80) != 0) {
        if (n >= UINT32_MAX) {
            wr_fail(w, LIBSSH2_ERROR_BUFFER_TOO_SMALL);
            return;
        }
        s2_wr_u32(w, (uint32_t)(n + 1));
        s2_wr_u8(w, 0);
        s2_wr_raw(w, mag, n);
        return;
    }
    s2_wr_str(w, mag, n);
}

void
s2_wr_begin_str(struct s2_wr *w, size_t *mark)
{
    *mark = w->len;
    s2_wr_u32(w, 0);
}

void
s2_wr_end_str(struct s2_wr *w, size_t mark)
{
    size_t n;
    if (w->err != 0) {
        return;
    }
    n = w->len - mark - 4;
    if (n > UINT32_MAX) {
        wr_fail(w, LIBSSH2_ERROR_BUFFER_TOO_SMALL);
        return;
    }
    s2_put_u32(w->p + mark, (uint32_t)n);
}

void
s2_wr_reset(struct s2_wr *w)
{
    if (w->secret && w->p != NULL) {
        s2_wipe(w->p, w->len);
    }
    w->len = 0;
    w->err = 0;
}

void
s2_wr_free(struct s2_wr *w)
{
    if (w->a != NULL && w->p != NULL) {
        if (w->secret) {
            s2_free_secret(w->a, w->p, w->cap);
        } else {
            s2_free(w->a, w->p);
        }
    } else if (w->secret && w->p != NULL) {
        s2_wipe(w->p, w->len);
    }
    w->p = NULL;
    w->len = 0;
    w->cap = 0;
}

int
s2_wr_ok(const struct s2_wr *w)
{
    return w->err;
}

/* ---- small helpers ---- */

uint32_t
s2_get_u32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

void
s2_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

int
s2_namelist_has(const char *list, size_t list_len, const char *name, size_t name_len)
{
    size_t i = 0;
    if (name_len == 0) {
        return 0; /* names are never empty (RFC 4251 6); "" is in no list */
    }
    while (i <= list_len) {
        size_t j = i;
        while (j < list_len && list[j] != ',') {
            j++;
        }
        if (j - i == name_len && (name_len == 0 || memcmp(list + i, name, name_len) == 0)) {
            return 1;
        }
        i = j + 1;
    }
    return 0;
}

size_t
s2_find(const uint8_t *hay, size_t hay_len, const char *needle)
{
    size_t n = strlen(needle);
    size_t i;
    if (n > hay_len) {
        return hay_len;
    }
    for (i = 0; i + n <= hay_len; i++) {
        if (memcmp(hay + i, needle, n) == 0) {
            return i;
        }
    }
    return hay_len;
}
