/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for src/transport/comp_zlib.c (RFC 4253 6.2 "zlib"): one
 * deflate and one inflate stream spanning many packets, corrupt streams,
 * decompression bombs against the output cap, allocation failure through the
 * failing allocator (no leak), and interop with Python's zlib (packets made
 * with compressobj() and flush(Z_PARTIAL_FLUSH), as OpenSSH sends them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "failalloc.h"
#include "transport/comp_int.h"

#define KIB 1024u

/* ---- helpers ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static void
fill_random(uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        p[i] = (uint8_t)(rng_state >> 24);
    }
}

/* compressible text-like data: a small vocabulary of words */
static void
fill_text(uint8_t *p, size_t n)
{
    static const char *const words[] = {"drwxr-xr-x ", "user ", "4096 ", "Nov ", "file.txt\n",
                                        "-rw-r--r-- ", "root ", "SSH_MSG_CHANNEL_DATA "};
    size_t i = 0, k = 0;
    while (i < n) {
        const char *w = words[(k * 7 + k / 3) % 8];
        while (*w != '\0' && i < n) {
            p[i++] = (uint8_t)*w++;
        }
        k++;
    }
}

static size_t
unhex(const char *h, uint8_t *out, size_t max)
{
    size_t n = 0;
    while (h[0] != '\0' && h[1] != '\0') {
        unsigned v;
        assert_true(n < max);
        assert_int_equal(sscanf(h, "%2x", &v), 1);
        out[n++] = (uint8_t)v;
        h += 2;
    }
    return n;
}

struct pair {
    struct fa_state st;
    struct s2_allocator a;
    struct s2_comp *def;
    struct s2_comp *inf;
};

static void
pair_open(struct pair *p)
{
    fa_init(&p->st, 0);
    fa_allocator(&p->a, &p->st);
    assert_int_equal(s2_comp_new(&p->a, 1, &p->def), 0);
    assert_int_equal(s2_comp_new(&p->a, 0, &p->inf), 0);
    assert_non_null(p->def);
    assert_non_null(p->inf);
}

static void
pair_close(struct pair *p)
{
    s2_comp_free(&p->a, p->def);
    s2_comp_free(&p->a, p->inf);
    assert_int_equal(p->st.blocks, 0);
    assert_int_equal(p->st.bytes, 0);
}

/* round_trip compresses |in| as one packet, inflates it, and checks it comes
 * back; returns the compressed size. */
static size_t
round_trip(struct pair *p, const uint8_t *in, size_t n)
{
    struct s2_wr z, o;
    size_t zlen;
    s2_wr_dyn(&z, &p->a, 2 * S2_PACKET_MAX);
    s2_wr_dyn(&o, &p->a, S2_PAYLOAD_MAX);
    assert_int_equal(s2_comp_deflate(p->def, in, n, &z), 0);
    assert_int_equal(s2_wr_ok(&z), 0);
    zlen = z.len;
    assert_int_equal(s2_comp_inflate(p->inf, z.p, z.len, &o, S2_PAYLOAD_MAX), 0);
    assert_int_equal(s2_wr_ok(&o), 0);
    assert_int_equal(o.len, n);
    if (n > 0) {
        assert_memory_equal(o.p, in, n);
    }
    s2_wr_free(&z);
    s2_wr_free(&o);
    return zlen;
}

/* ---- round trips ---- */

static void
test_round_trip_many(void **state)
{
    static uint8_t rnd[32 * KIB], txt[256 * KIB];
    struct pair p;
    size_t first, second, i;
    uint8_t one = 'x';
    (void)state;
    pair_open(&p);
    fill_random(rnd, sizeof rnd);
    fill_text(txt, sizeof txt);

    (void)round_trip(&p, NULL, 0);   /* empty payload first */
    (void)round_trip(&p, txt, 0);    /* and twice in a row */
    (void)round_trip(&p, &one, 1);
    (void)round_trip(&p, rnd, sizeof rnd);
    first = round_trip(&p, txt, sizeof txt);   /* exactly the cap: allowed */
    assert_true(first < sizeof txt / 10);
    (void)round_trip(&p, txt, 0);
    (void)round_trip(&p, &one, 1);
    for (i = 0; i < 300; i++) {
        (void)round_trip(&p, rnd + (i * 37) % 1000, (i * 131) % 2000);
        (void)round_trip(&p, txt + i, 1 + i % 97);
    }
    /* the context spans packets: a repeated 1 KiB random block costs little */
    first = round_trip(&p, rnd + 5000, KIB);
    second = round_trip(&p, rnd + 5000, KIB);
    assert_true(first > KIB);
    assert_true(second < 64);
    (void)round_trip(&p, rnd, sizeof rnd);
    pair_close(&p);
}

/* Packets appended after existing bytes keep those bytes; a fixed writer
 * works as well as an allocator-backed one. */
static void
test_append_fixed(void **state)
{
    static uint8_t zbuf[4 * KIB], obuf[4 * KIB];
    uint8_t msg[600];
    struct pair p;
    struct s2_wr z, o;
    size_t at;
    (void)state;
    pair_open(&p);
    fill_text(msg, sizeof msg);
    s2_wr_fixed(&z, zbuf, sizeof zbuf);
    s2_wr_fixed(&o, obuf, sizeof obuf);
    s2_wr_raw(&z, "HDR!", 4);
    s2_wr_raw(&o, "hdr", 3);
    assert_int_equal(s2_comp_deflate(p.def, msg, sizeof msg, &z), 0);
    at = z.len;
    assert_true(at > 4);
    assert_memory_equal(zbuf, "HDR!", 4);
    assert_int_equal(s2_comp_deflate(p.def, msg, sizeof msg, &z), 0);
    assert_int_equal(s2_comp_inflate(p.inf, zbuf + 4, at - 4, &o, sizeof msg), 0);
    assert_int_equal(o.len, 3 + sizeof msg);
    assert_memory_equal(obuf, "hdr", 3);
    assert_memory_equal(obuf + 3, msg, sizeof msg);
    /* the second packet, appended to the first */
    assert_int_equal(s2_comp_inflate(p.inf, zbuf + at, z.len - at, &o, sizeof msg), 0);
    assert_int_equal(o.len, 3 + 2 * sizeof msg);
    assert_memory_equal(obuf + 3 + sizeof msg, msg, sizeof msg);
    pair_close(&p);
}

/* One packet may be handed over in pieces: the stream carries the state. */
static void
test_inflate_in_pieces(void **state)
{
    uint8_t msg[3000];
    struct pair p;
    struct s2_wr z, o;
    size_t i;
    (void)state;
    pair_open(&p);
    fill_random(msg, 1000);
    fill_text(msg + 1000, 2000);
    s2_wr_dyn(&z, &p.a, 64 * KIB);
    s2_wr_dyn(&o, &p.a, 64 * KIB);
    assert_int_equal(s2_comp_deflate(p.def, msg, sizeof msg, &z), 0);
    for (i = 0; i < z.len; i++) {
        assert_int_equal(s2_comp_inflate(p.inf, z.p + i, 1, &o, 64 * KIB), 0);
    }
    assert_int_equal(o.len, sizeof msg);
    assert_memory_equal(o.p, msg, sizeof msg);
    s2_wr_free(&z);
    s2_wr_free(&o);
    pair_close(&p);
}

/* ---- corrupt streams ---- */

static void
expect_dead(struct pair *p)
{
    static const uint8_t ok[] = {0x78, 0x9c, 0x02, 0x00}; /* header + empty flush */
    struct s2_wr o;
    s2_wr_dyn(&o, &p->a, 64 * KIB);
    assert_int_equal(s2_comp_inflate(p->inf, ok, sizeof ok, &o, 64 * KIB), LIBSSH2_ERROR_ZLIB);
    assert_int_equal(o.len, 0);
    s2_wr_free(&o);
}

static void
test_corrupt(void **state)
{
    /* bad header check (0x78 0x9d), reserved block type 3, a whole stream that
     * ends (SSH streams never end), and a preset dictionary request */
    static const char *const bad[] = {
        "789dcb48cdc9c90700",
        "789cff",
        "789ccb48cdc9c90700062c0215",
        "78bb00000000",
    };
    uint8_t in[64];
    size_t i, n;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct pair p;
        struct s2_wr o;
        pair_open(&p);
        n = unhex(bad[i], in, sizeof in);
        s2_wr_dyn(&o, &p.a, 64 * KIB);
        s2_wr_u8(&o, 0x42);
        assert_int_equal(s2_comp_inflate(p.inf, in, n, &o, 64 * KIB), LIBSSH2_ERROR_ZLIB);
        assert_int_equal(o.len, 1); /* nothing appended */
        assert_int_equal(s2_wr_ok(&o), 0);
        expect_dead(&p);
        s2_wr_free(&o);
        pair_close(&p);
    }
}

/* A valid packet with a flipped byte fails: a stored block's LEN/NLEN. */
static void
test_flip_byte(void **state)
{
    static const uint8_t hdr[] = {0x78, 0x9c};
    uint8_t rnd[200];
    struct pair p;
    struct s2_wr z, o;
    (void)state;
    pair_open(&p);
    fill_random(rnd, sizeof rnd);
    s2_wr_dyn(&z, &p.a, 64 * KIB);
    s2_wr_dyn(&o, &p.a, 64 * KIB);
    assert_int_equal(s2_comp_deflate(p.def, rnd, sizeof rnd, &z), 0);
    assert_memory_equal(z.p, hdr, 2);
    /* random data is stored: 78 9c, then 00 c8 00 37 ff (BTYPE 00, LEN, NLEN) */
    assert_int_equal(z.p[3], 0xc8);
    z.p[3] ^= 0x01;
    assert_int_equal(s2_comp_inflate(p.inf, z.p, z.len, &o, 64 * KIB), LIBSSH2_ERROR_ZLIB);
    assert_int_equal(o.len, 0);
    s2_wr_free(&z);
    s2_wr_free(&o);
    pair_close(&p);
}

/* ---- bombs and caps ---- */

static void
make_bomb(struct pair *p, struct s2_wr *z, size_t plain)
{
    uint8_t *zeros = calloc(1, plain);
    assert_non_null(zeros);
    s2_wr_dyn(z, &p->a, S2_PACKET_MAX);
    assert_int_equal(s2_comp_deflate(p->def, zeros, plain, z), 0);
    free(zeros);
}

static void
test_bomb(void **state)
{
    struct pair p;
    struct s2_wr z, o;
    size_t blocks;
    (void)state;
    pair_open(&p);
    make_bomb(&p, &z, 1024 * KIB);
    assert_true(z.len <= 1100); /* ~1 KiB that inflates to 1 MiB */
    s2_wr_dyn(&o, &p.a, 4 * 1024 * KIB);
    blocks = p.st.blocks;
    p.st.max_block = 0;
    assert_int_equal(s2_comp_inflate(p.inf, z.p, z.len, &o, 256 * KIB), LIBSSH2_ERROR_COMPRESS);
    assert_int_equal(o.len, 0);
    assert_true(o.cap <= 256 * KIB); /* the writer never grew past the cap */
    assert_true(p.st.max_block <= 256 * KIB);
    assert_true(p.st.blocks <= blocks + 2); /* writer buffer, inflate window */
    assert_int_equal(s2_wr_ok(&o), 0);
    expect_dead(&p);
    s2_wr_free(&z);
    s2_wr_free(&o);
    pair_close(&p);
}

/* Inflation stops at the cap: not one byte past it is written. */
static void
test_bomb_fixed_sentinel(void **state)
{
    static uint8_t buf[300 * KIB];
    struct pair p;
    struct s2_wr z, o;
    size_t i;
    (void)state;
    pair_open(&p);
    make_bomb(&p, &z, 400 * KIB);
    memset(buf, 0xa5, sizeof buf);
    s2_wr_fixed(&o, buf, sizeof buf);
    s2_wr_raw(&o, "ab", 2);
    assert_int_equal(s2_comp_inflate(p.inf, z.p, z.len, &o, 256 * KIB), LIBSSH2_ERROR_COMPRESS);
    assert_int_equal(o.len, 2);
    for (i = 2 + 256 * KIB; i < sizeof buf; i++) {
        assert_int_equal(buf[i], 0xa5);
    }
    s2_wr_free(&z);
    pair_close(&p);
}

/* Exactly max_out is fine; max_out + 1 is a bomb. */
static void
test_cap_boundary(void **state)
{
    static uint8_t txt[S2_PAYLOAD_MAX + 1];
    struct pair p;
    struct s2_wr z, o;
    (void)state;
    fill_text(txt, sizeof txt);
    pair_open(&p);
    s2_wr_dyn(&z, &p.a, S2_PACKET_MAX);
    s2_wr_dyn(&o, &p.a, 2 * S2_PAYLOAD_MAX);
    assert_int_equal(s2_comp_deflate(p.def, txt, 1000, &z), 0);
    assert_int_equal(s2_comp_inflate(p.inf, z.p, z.len, &o, 1000), 0);
    assert_int_equal(o.len, 1000);
    s2_wr_reset(&z);
    s2_wr_reset(&o);
    assert_int_equal(s2_comp_deflate(p.def, txt, 1001, &z), 0);
    assert_int_equal(s2_comp_inflate(p.inf, z.p, z.len, &o, 1000), LIBSSH2_ERROR_COMPRESS);
    assert_int_equal(o.len, 0);
    s2_wr_free(&z);
    s2_wr_free(&o);
    pair_close(&p);
    /* a fresh pair: S2_PAYLOAD_MAX + 1 against the transport's cap */
    pair_open(&p);
    s2_wr_dyn(&z, &p.a, S2_PACKET_MAX);
    s2_wr_dyn(&o, &p.a, 2 * S2_PAYLOAD_MAX);
    assert_int_equal(s2_comp_deflate(p.def, txt, sizeof txt, &z), 0);
    assert_int_equal(s2_comp_inflate(p.inf, z.p, z.len, &o, S2_PAYLOAD_MAX),
                     LIBSSH2_ERROR_COMPRESS);
    assert_int_equal(o.len, 0);
    s2_wr_free(&z);
    s2_wr_free(&o);
    pair_close(&p);
}

/* A writer whose max is below max_out: BUFFER_TOO_SMALL, sticky on the
 * writer, nothing appended. The same for deflate into a tiny buffer. */
static void
test_writer_too_small(void **state)
{
    uint8_t msg[5000], small[16];
    struct pair p;
    struct s2_wr z, o;
    (void)state;
    fill_random(msg, sizeof msg);
    pair_open(&p);
    s2_wr_dyn(&z, &p.a, S2_PACKET_MAX);
    /* an errored writer is refused up front, and the stream stays usable */
    s2_wr_fixed(&o, small, sizeof small);
    s2_wr_raw(&o, msg, sizeof small + 1);
    assert_int_equal(s2_wr_ok(&o), LIBSSH2_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(s2_comp_deflate(p.def, msg, 10, &o), LIBSSH2_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(s2_comp_inflate(p.inf, msg, 10, &o, 100), LIBSSH2_ERROR_BUFFER_TOO_SMALL);

    assert_int_equal(s2_comp_deflate(p.def, msg, sizeof msg, &z), 0);
    s2_wr_dyn(&o, &p.a, 4000);
    assert_int_equal(s2_comp_inflate(p.inf, z.p, z.len, &o, S2_PAYLOAD_MAX),
                     LIBSSH2_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(o.len, 0);
    assert_int_equal(s2_wr_ok(&o), LIBSSH2_ERROR_BUFFER_TOO_SMALL);
    s2_wr_free(&o);
    expect_dead(&p);

    s2_wr_fixed(&o, small, sizeof small);
    assert_int_equal(s2_comp_deflate(p.def, msg, sizeof msg, &o), LIBSSH2_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(o.len, 0);
    assert_int_equal(s2_wr_ok(&o), LIBSSH2_ERROR_BUFFER_TOO_SMALL);
    /* the stream is now out of step with the peer: refused from then on */
    s2_wr_reset(&z);
    assert_int_equal(s2_comp_deflate(p.def, msg, 10, &z), LIBSSH2_ERROR_ZLIB);
    assert_int_equal(z.len, 0);
    s2_wr_free(&z);
    pair_close(&p);
}

static void
test_misuse(void **state)
{
    struct pair p;
    struct s2_wr o;
    uint8_t b = 1;
    (void)state;
    pair_open(&p);
    s2_wr_dyn(&o, &p.a, 1024);
    assert_int_equal(s2_comp_deflate(p.inf, &b, 1, &o), LIBSSH2_ERROR_ZLIB);
    assert_int_equal(s2_comp_inflate(p.def, &b, 1, &o, 10), LIBSSH2_ERROR_ZLIB);
    assert_int_equal(s2_comp_deflate(NULL, &b, 1, &o), LIBSSH2_ERROR_ZLIB);
    assert_int_equal(s2_comp_inflate(NULL, &b, 1, &o, 10), LIBSSH2_ERROR_ZLIB);
    /* an empty payload inflates to nothing */
    assert_int_equal(s2_comp_inflate(p.inf, NULL, 0, &o, 10), 0);
    assert_int_equal(o.len, 0);
    assert_int_equal(o.err, 0);
    s2_comp_free(&p.a, NULL);
    s2_wr_free(&o);
    pair_close(&p);
}

/* ---- allocation failure ---- */

/* scenario runs a whole exchange with allocation number |n| failing; returns
 * the first error (ALLOC expected) or 0 when nothing failed. */
static int
scenario(struct fa_state *st, unsigned long n, int after, int *stage)
{
    static uint8_t msg[20 * KIB];
    struct s2_allocator a;
    struct s2_comp *def = NULL, *inf = NULL;
    struct s2_wr z, o;
    int r, k;
    fill_text(msg, sizeof msg);
    fill_random(msg + 100, 2000);
    fa_init(st, n);
    st->fail_after = after;
    fa_allocator(&a, st);
    s2_wr_dyn(&z, &a, S2_PACKET_MAX);
    s2_wr_dyn(&o, &a, S2_PAYLOAD_MAX);
    *stage = 1;
    r = s2_comp_new(&a, 1, &def);
    if (r != 0) {
        assert_null(def);
        goto out;
    }
    *stage = 2;
    r = s2_comp_new(&a, 0, &inf);
    if (r != 0) {
        assert_null(inf);
        goto out;
    }
    for (k = 0; k < 3; k++) {
        s2_wr_reset(&z);
        s2_wr_reset(&o);
        *stage = 3;
        r = s2_comp_deflate(def, msg, sizeof msg, &z);
        if (r != 0) {
            assert_int_equal(z.len, 0);
            goto out;
        }
        *stage = 4;
        r = s2_comp_inflate(inf, z.p, z.len, &o, S2_PAYLOAD_MAX);
        if (r != 0) {
            assert_int_equal(o.len, 0);
            goto out;
        }
        assert_int_equal(o.len, sizeof msg);
        assert_memory_equal(o.p, msg, sizeof msg);
    }
out:
    s2_comp_free(&a, def);
    s2_comp_free(&a, inf);
    s2_wr_free(&z);
    s2_wr_free(&o);
    assert_int_equal(st->blocks, 0); /* no leak on any path */
    assert_int_equal(st->bytes, 0);
    return r;
}

static void
test_alloc_failure(void **state)
{
    struct fa_state st;
    unsigned long n;
    int r, stage, seen = 0;
    (void)state;
    /* the first allocation is the s2_comp itself */
    assert_int_equal(scenario(&st, 1, 0, &stage), LIBSSH2_ERROR_ALLOC);
    assert_int_equal(stage, 1);
    /* then every allocation in turn, until a run needs no more */
    for (n = 1; n < 1000; n++) {
        r = scenario(&st, n, 0, &stage);
        if (st.failures == 0) {
            assert_int_equal(r, 0);
            break;
        }
        assert_int_equal(r, LIBSSH2_ERROR_ALLOC);
        seen |= 1 << stage;
    }
    assert_true(n > 5 && n < 1000);
    /* new (both kinds), deflate (writer growth) and inflate (zlib's window,
     * allocated on first use, or writer growth) each met a failure */
    assert_int_equal(seen, 0x1e);
    /* every allocation failing from some point on: still no leak */
    for (n = 1; n < 12; n++) {
        r = scenario(&st, n, 1, &stage);
        assert_int_equal(r, LIBSSH2_ERROR_ALLOC);
    }
}

/* ---- interop with Python's zlib ---- */

/*
 * Made with /usr/bin/python3 (zlib 1.2.13):
 *   c = zlib.compressobj()
 *   for p in packets: c.compress(p) + c.flush(zlib.Z_PARTIAL_FLUSH)
 * packets: USERAUTH service request; empty; "A" * 1000; 200 random bytes
 * (random.Random(4253)); CHANNEL_DATA with an ls line, then with it 3 times;
 * "x".
 */
struct interop {
    const char *plain;   /* hex, or NULL with rep/count */
    char rep;
    size_t count;
    const char *z;       /* hex */
};

static const struct interop py[] = {
    {"050000000c7373682d7573657261757468",
     0, 0,
     "789c62656060e0292eced02d2d4e2d4a2c2dc90008"},
    {"",
     0, 0,
     "20"},
    {NULL, 'A', 1000,
     "801c47c1281805c31e0004"},
    {"ab94a93ebc9eb58e5d02ca80581d78df1a33573bf63ca553a1d94a0a22dfd0db1c4e9efcb66599fa"
     "417d8cc0ad0c92abf8d205639bc5e1edd9218639bab803d2d236829c75dc1931580567912b341ef1"
     "1901c11ac1c6a641c76f5446ea4155fb4c4225c04adeb4b3ca62a674b3fe84a09f279848ea3ae2b3"
     "fde9f97c821d82fc808e1a811e90a873ea7b5a4c5910a25be3c8bf0994fb9ac7cc6377e95d7732e1"
     "b145f23566b5b1b8f49bf469d18f59c65633e777fd0b1ae0d3b44fbd051a3b0766e5d165be5ffa54",
     0, 0,
     "00c80037ffab94a93ebc9eb58e5d02ca80581d78df1a33573bf63ca553a1d94a0a22dfd0db1c4e9e"
     "fcb66599fa417d8cc0ad0c92abf8d205639bc5e1edd9218639bab803d2d236829c75dc1931580567"
     "912b341ef11901c11ac1c6a641c76f5446ea4155fb4c4225c04adeb4b3ca62a674b3fe84a09f2798"
     "48ea3ae2b3fde9f97c821d82fc808e1a811e90a873ea7b5a4c5910a25be3c8bf0994fb9ac7cc6377"
     "e95d7732e1b145f23566b5b1b8f49bf469d18f59c65633e777fd0b1ae0d3b44fbd051a3b0766e5d1"
     "65be5ffa5402"},
    {"5e0000000000000040746f74616c20300a64727778722d78722d7820322075736572207573657220"
     "34303936202e0a",
     0, 0,
     "288e01021c4af24b1273140cb8528aca2b8a744148c1480154aa410813034b33053d2e8000"},
    {"5e0000000000000040746f74616c20300a64727778722d78722d7820322075736572207573657220"
     "34303936202e0a746f74616c20300a64727778722d78722d78203220757365722075736572203430"
     "3936202e0a746f74616c20300a64727778722d78722d782032207573657220757365722034303936"
     "202e0a",
     0, 0,
     "22513935550104"},
    {"78",
     0, 0,
     "500540"},
};

static void
test_interop_python(void **state)
{
    static uint8_t plain[2048], z[2048];
    struct pair p;
    struct s2_wr o;
    size_t i, n, zn;
    (void)state;
    pair_open(&p);
    s2_wr_dyn(&o, &p.a, S2_PAYLOAD_MAX);
    for (i = 0; i < sizeof py / sizeof py[0]; i++) {
        if (py[i].plain != NULL) {
            n = unhex(py[i].plain, plain, sizeof plain);
        } else {
            n = py[i].count;
            memset(plain, py[i].rep, n);
        }
        zn = unhex(py[i].z, z, sizeof z);
        s2_wr_reset(&o);
        assert_int_equal(s2_comp_inflate(p.inf, z, zn, &o, S2_PAYLOAD_MAX), 0);
        assert_int_equal(o.len, n);
        if (n > 0) {
            assert_memory_equal(o.p, plain, n);
        }
    }
    s2_wr_free(&o);
    pair_close(&p);
}

/* Python's packet 6 refers back into packet 5's data: inflating it on a
 * fresh stream (no shared context) must not succeed with the right bytes. */
static void
test_interop_needs_context(void **state)
{
    static uint8_t z[64];
    struct pair p;
    struct s2_wr o;
    size_t zn;
    int r;
    (void)state;
    pair_open(&p);
    s2_wr_dyn(&o, &p.a, S2_PAYLOAD_MAX);
    zn = unhex("789c", z, sizeof z);
    assert_int_equal(s2_comp_inflate(p.inf, z, zn, &o, S2_PAYLOAD_MAX), 0);
    zn = unhex(py[5].z, z, sizeof z);
    r = s2_comp_inflate(p.inf, z, zn, &o, S2_PAYLOAD_MAX);
    assert_int_equal(r, LIBSSH2_ERROR_ZLIB); /* distance too far back */
    s2_wr_free(&o);
    pair_close(&p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_many),
        cmocka_unit_test(test_append_fixed),
        cmocka_unit_test(test_inflate_in_pieces),
        cmocka_unit_test(test_corrupt),
        cmocka_unit_test(test_flip_byte),
        cmocka_unit_test(test_bomb),
        cmocka_unit_test(test_bomb_fixed_sentinel),
        cmocka_unit_test(test_cap_boundary),
        cmocka_unit_test(test_writer_too_small),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_interop_python),
        cmocka_unit_test(test_interop_needs_context),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
