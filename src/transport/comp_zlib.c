/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Payload compression, RFC 4253 6.2 ("zlib", and "zlib@openssh.com", which is
 * the same stream started after user authentication; the transport decides
 * when). One deflate or inflate stream per direction spans every packet, so
 * the dictionary carries over; each outgoing payload ends with
 * Z_PARTIAL_FLUSH (as OpenSSH does) so the peer can inflate it whole, and each
 * incoming payload is inflated with Z_SYNC_FLUSH.
 *
 * Output is written straight into the caller's writer (reserve, let zlib fill
 * w->p + w->len, then account what it wrote): no intermediate copy.
 * Inflation is capped: it never uses more than max_out bytes of the writer,
 * and a payload that would expand further is refused (decompression bomb).
 * zlib's own memory goes through the session allocator and is wiped when
 * freed, since the windows hold plaintext. This is the only file that
 * includes <zlib.h>.
 */
#define ZLIB_CONST
#include <limits.h>
#include <string.h>
#include <zlib.h>

#include "transport/comp_int.h"

struct s2_comp {
    z_stream z;
    const struct s2_allocator *a; /* borrowed: the session allocator */
    int compress;                 /* 1: deflate, 0: inflate */
    int dead;                     /* an error left the stream out of step with the peer */
};

/* Every zlib block carries its size in front, so that zfree can wipe it. */
#define ZHDR (sizeof(max_align_t))

static voidpf
comp_zalloc(voidpf opaque, uInt items, uInt size)
{
    struct s2_comp *c = opaque;
    uint8_t *p = NULL;
    size_t n;
    /* items * size + ZHDR, overflow-checked (s2_alloc_array cannot add) */
    if (size != 0 && items > (SIZE_MAX - ZHDR) / size) {
        return NULL;
    }
    n = (size_t)items * size;
    p = s2_alloc(c->a, ZHDR + n);
    if (p == NULL) {
        return NULL;
    }
    memcpy(p, &n, sizeof n);
    return p + ZHDR;
}

static void
comp_zfree(voidpf opaque, voidpf address)
{
    struct s2_comp *c = opaque;
    uint8_t *p = NULL;
    size_t n;
    if (address == NULL) {
        return;
    }
    p = (uint8_t *)address - ZHDR;
    memcpy(&n, p, sizeof n);
    s2_free_secret(c->a, p, ZHDR + n);
}

int
s2_comp_new(const struct s2_allocator *a, int compress, struct s2_comp **out)
{
    struct s2_comp *c = NULL;
    int zr;
    *out = NULL;
    c = s2_zalloc(a, sizeof *c);
    if (c == NULL) {
        return LIBSSH2_ERROR_ALLOC;
    }
    c->a = a;
    c->compress = compress != 0;
    c->z.zalloc = comp_zalloc;
    c->z.zfree = comp_zfree;
    c->z.opaque = c;
    if (c->compress) {
        zr = deflateInit(&c->z, Z_DEFAULT_COMPRESSION);
    } else {
        zr = inflateInit(&c->z);
    }
    if (zr != Z_OK) {
        /* on failure zlib has already released what it allocated */
        s2_free(a, c);
        return zr == Z_MEM_ERROR ? LIBSSH2_ERROR_ALLOC : LIBSSH2_ERROR_ZLIB;
    }
    *out = c;
    return 0;
}

void
s2_comp_free(const struct s2_allocator *a, struct s2_comp *c)
{
    if (c == NULL) {
        return;
    }
    if (c->compress) {
        (void)deflateEnd(&c->z);
    } else {
        (void)inflateEnd(&c->z);
    }
    s2_free(a, c);
}

/* feed gives zlib the next piece of input (zlib counts in uInt). */
static void
feed(struct s2_comp *c, size_t *left)
{
    uInt n;
    if (c->z.avail_in == 0 && *left > 0) {
        n = *left > UINT_MAX ? UINT_MAX : (uInt)*left;
        c->z.avail_in = n;
        *left -= n;
    }
}

/* room is how many bytes zlib may write at out->p + out->len (at most lim). */
static uInt
room(const struct s2_wr *out, size_t lim)
{
    size_t end = out->cap < out->max ? out->cap : out->max;
    size_t n = end - out->len;
    if (n > lim) {
        n = lim;
    }
    return n > UINT_MAX ? UINT_MAX : (uInt)n;
}

/* grow reserves up to |want| more bytes, fewer if out->max is nearer; fails
 * (setting the writer's sticky error) only when not one byte is left. */
static int
grow(struct s2_wr *out, size_t want)
{
    size_t avail = out->max - out->len;
    if (want > avail) {
        want = avail;
    }
    if (want == 0) {
        want = 1; /* s2_wr_reserve records BUFFER_TOO_SMALL */
    }
    return s2_wr_reserve(out, want);
}

/* fail undoes a partial append (wiping it in a secret writer) and marks the
 * stream dead: the peer's stream state can no longer match ours. */
static int
fail(struct s2_comp *c, struct s2_wr *out, size_t start, int code)
{
    if (out->secret && out->p != NULL && out->len > start) {
        s2_wipe(out->p + start, out->len - start);
    }
    out->len = start;
    c->dead = 1;
    return code;
}

int
s2_comp_deflate(struct s2_comp *c, const uint8_t *in, size_t in_len, struct s2_wr *out)
{
    size_t start = out->len, left = in_len, want;
    uInt n;
    int r, zr;
    if (c == NULL || !c->compress || c->dead) {
        return LIBSSH2_ERROR_ZLIB;
    }
    if (out->err != 0) {
        return out->err;
    }
    c->z.next_in = in;
    c->z.avail_in = 0;
    /* a first guess that fits almost every payload in one call */
    want = in_len < SIZE_MAX / 2 ? (size_t)deflateBound(&c->z, (uLong)in_len) + 64 : SIZE_MAX;
    for (;;) {
        feed(c, &left);
        r = grow(out, want);
        if (r != 0) {
            return fail(c, out, start, r);
        }
        n = room(out, SIZE_MAX);
        c->z.next_out = out->p + out->len;
        c->z.avail_out = n;
        zr = deflate(&c->z, left == 0 ? Z_PARTIAL_FLUSH : Z_NO_FLUSH);
        out->len += n - c->z.avail_out;
        /* Z_BUF_ERROR: nothing to do (e.g. two empty payloads in a row) */
        if (zr != Z_OK && zr != Z_BUF_ERROR) {
            return fail(c, out, start, LIBSSH2_ERROR_ZLIB);
        }
        if (c->z.avail_out != 0 && c->z.avail_in == 0 && left == 0) {
            break; /* all input taken and the flush fully written */
        }
        if (c->z.avail_out != 0 && c->z.avail_in != 0) {
            return fail(c, out, start, LIBSSH2_ERROR_ZLIB); /* no progress */
        }
        want = n < 4096 ? 4096 : n; /* output was full: roughly double */
    }
    c->z.next_in = NULL;
    c->z.next_out = NULL;
    return 0;
}

int
s2_comp_inflate(struct s2_comp *c, const uint8_t *in, size_t in_len, struct s2_wr *out,
                size_t max_out)
{
    size_t start = out->len, left = in_len, produced = 0, want;
    uint8_t probe;
    uInt n;
    int r, zr, at_cap;
    if (c == NULL || c->compress || c->dead) {
        return LIBSSH2_ERROR_ZLIB;
    }
    if (out->err != 0) {
        return out->err;
    }
    if (in_len == 0) {
        return 0; /* the previous payload left nothing pending */
    }
    c->z.next_in = in;
    c->z.avail_in = 0;
    want = in_len < (1u << 20) ? in_len * 4 + 1024 : (1u << 22);
    for (;;) {
        feed(c, &left);
        at_cap = produced == max_out;
        if (!at_cap) {
            r = grow(out, want < max_out - produced ? want : max_out - produced);
            if (r != 0) {
                return fail(c, out, start, r);
            }
            n = room(out, max_out - produced);
            c->z.next_out = out->p + out->len;
        } else {
            /* at the cap: one scratch byte tells whether more would come */
            n = 1;
            c->z.next_out = &probe;
        }
        c->z.avail_out = n;
        zr = inflate(&c->z, Z_SYNC_FLUSH);
        n -= c->z.avail_out;
        if (at_cap && n != 0) {
            s2_wipe(&probe, sizeof probe);
            return fail(c, out, start, LIBSSH2_ERROR_COMPRESS);
        }
        if (!at_cap) {
            out->len += n;
            produced += n;
        }
        if (zr == Z_MEM_ERROR) {
            return fail(c, out, start, LIBSSH2_ERROR_ALLOC);
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR) {
            /* DATA_ERROR, NEED_DICT, STREAM_ERROR; STREAM_END: SSH never ends it */
            return fail(c, out, start, LIBSSH2_ERROR_ZLIB);
        }
        if (c->z.avail_out != 0 && c->z.avail_in == 0 && left == 0) {
            break; /* all input taken, all output delivered */
        }
        if (c->z.avail_out != 0 && c->z.avail_in != 0) {
            return fail(c, out, start, LIBSSH2_ERROR_ZLIB); /* no progress */
        }
        want = out->len - start < 4096 ? 4096 : out->len - start;
    }
    c->z.next_in = NULL;
    c->z.next_out = NULL;
    return 0;
}
