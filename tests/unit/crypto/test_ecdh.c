/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_ecdh.c: s2_ecdh_* on NIST P-256/384/521 (RFC 5656 4).
 *
 * - Two s2_ecdh objects agree on every curve; public points are 0x04 || X
 *   || Y of the right length and pass s2_ecdsa_point_ok.
 * - Known answer (RFC 5903 8.1 P-256, 8.2 P-384): the harness first checks
 *   the RFC vector itself with mbedTLS directly (d_i * G = g^i and
 *   d_i * g^r has x = g^ir), then gives our s2_ecdh the initiator's public
 *   value g^i and compares its secret with d_i * (our public point) computed
 *   by mbedTLS. P-521 does the same with a fresh mbedTLS key.
 * - Refused with KEX_FAILURE: a byte of Y flipped (off the curve), lengths
 *   0, 1, n-1, n+1, the compressed forms (33 bytes 0x02/0x03, and 65 bytes
 *   with prefix 0x02/0x03/0x06/0x07), the point at infinity (single 0x00 and
 *   an all-zero point), coordinates >= p, a point of another curve.
 * - Buffer too small, allocation failure without leaks, NULL free.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"
#include "failalloc.h"

static struct s2_allocator alloc;
static struct fa_state fa;

static size_t
unhex(const char *hex, uint8_t *out, size_t max)
{
    size_t n = strlen(hex) / 2;
    size_t i;
    unsigned int v;

    assert_true(n <= max);
    for (i = 0; i < n; i++) {
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

static int
setup(void **state)
{
    (void)state;
    fa_init(&fa, 0);
    fa_allocator(&alloc, &fa);
    return s2_crypto_init();
}

static const enum s2_curve curves[] = {S2_CURVE_P256, S2_CURVE_P384, S2_CURVE_P521};
static const size_t curve_bytes[] = {32, 48, 66};

static void
load(mbedtls_ecp_group *grp, enum s2_curve c)
{
    mbedtls_ecp_group_init(grp);
    assert_int_equal(s2_curve_load(grp, c), 0);
}

/* mb_shared: x coordinate of d * point (point uncompressed), with mbedTLS
 * directly; the reference the library is compared with. */
static void
mb_shared(enum s2_curve c, const mbedtls_mpi *d, const uint8_t *point, size_t point_len,
          uint8_t *out, size_t n)
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q, r;

    load(&grp, c);
    mbedtls_ecp_point_init(&q);
    mbedtls_ecp_point_init(&r);
    assert_int_equal(mbedtls_ecp_point_read_binary(&grp, &q, point, point_len), 0);
    assert_int_equal(mbedtls_ecp_check_pubkey(&grp, &q), 0);
    assert_int_equal(mbedtls_ecp_mul(&grp, &r, d, &q, s2_mbedtls_rng, NULL), 0);
    assert_int_equal(mbedtls_mpi_write_binary(&r.X, out, n), 0);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_point_free(&r);
    mbedtls_ecp_group_free(&grp);
}

/* mb_public: d * G, uncompressed. */
static void
mb_public(enum s2_curve c, const mbedtls_mpi *d, uint8_t *out, size_t *out_len)
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;

    load(&grp, c);
    mbedtls_ecp_point_init(&q);
    assert_int_equal(mbedtls_ecp_mul(&grp, &q, d, &grp.G, s2_mbedtls_rng, NULL), 0);
    assert_int_equal(mbedtls_ecp_point_write_binary(&grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, out_len,
                                                    out, S2_EC_POINT_MAX),
                     0);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
}

static void
test_round_trip(void **state)
{
    size_t i;
    int rep;

    (void)state;
    for (i = 0; i < 3; i++) {
        for (rep = 0; rep < 3; rep++) {
            struct s2_ecdh *a = NULL, *b = NULL;
            uint8_t pa[S2_EC_POINT_MAX], pb[S2_EC_POINT_MAX];
            uint8_t ka[S2_EC_SECRET_MAX], kb[S2_EC_SECRET_MAX];
            size_t la = 0, lb = 0, kla = 0, klb = 0;

            assert_int_equal(s2_ecdh_new(&alloc, curves[i], &a), 0);
            assert_int_equal(s2_ecdh_new(&alloc, curves[i], &b), 0);
            assert_int_equal(s2_ecdh_public(a, pa, sizeof pa, &la), 0);
            assert_int_equal(s2_ecdh_public(b, pb, sizeof pb, &lb), 0);
            assert_int_equal(la, 1 + 2 * curve_bytes[i]);
            assert_int_equal(lb, la);
            assert_int_equal(pa[0], 0x04);
            assert_memory_not_equal(pa, pb, la);
            assert_int_equal(s2_ecdsa_point_ok(curves[i], pa, la), 0);
            assert_int_equal(s2_ecdh_shared(a, pb, lb, ka, sizeof ka, &kla), 0);
            assert_int_equal(s2_ecdh_shared(b, pa, la, kb, sizeof kb, &klb), 0);
            assert_int_equal(kla, curve_bytes[i]);
            assert_int_equal(klb, curve_bytes[i]);
            assert_memory_equal(ka, kb, kla);
            /* the secret may be computed again with the same key */
            assert_int_equal(s2_ecdh_shared(a, pb, lb, kb, sizeof kb, &klb), 0);
            assert_memory_equal(ka, kb, kla);
            s2_ecdh_free(&alloc, a);
            s2_ecdh_free(&alloc, b);
        }
    }
    assert_int_equal(fa.blocks, 0);
}

/* RFC 5903 8.1 / 8.2: initiator private i, its public g^i, responder public
 * g^r, shared x coordinate g^ir */
struct kat {
    enum s2_curve curve;
    const char *i, *gix, *giy, *grx, *gry, *girx;
};

static const struct kat kats[] = {
    {S2_CURVE_P256, "c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433",
     "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180",
     "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3",
     "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63",
     "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab",
     "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de"},
    {S2_CURVE_P384,
     "099f3c7034d4a2c699884d73a375a67f7624ef7c6b3c0f16"
     "0647b67414dce655e35b538041e649ee3faef896783ab194",
     "667842d7d180ac2cde6f74f37551f55755c7645c20ef73e3"
     "1634fe72b4c55ee6de3ac808acb4bdb4c88732aee95f41aa",
     "9482ed1fc0eeb9cafc4984625ccfc23f65032149e0e144ad"
     "a024181535a0f38eeb9fcff3c2c947dae69b4c634573a81c",
     "e558dbef53eecde3d3fccfc1aea08a89a987475d12fd950d"
     "83cfa41732bc509d0d1ac43a0336def96fda41d0774a3571",
     "dcfbec7aacf3196472169e838430367f66eebe3c6e70c416"
     "dd5f0c68759dd1fff83fa40142209dff5eaad96db9e6386c",
     "11187331c279962d93d604243fd592cb9d0a926f422e4718"
     "7521287e7156c5c4d603135569b9e9d09cf5d4a270f59746"},
};

static size_t
point_from_hex(const char *x, const char *y, uint8_t *out)
{
    size_t n;
    out[0] = 0x04;
    n = unhex(x, out + 1, S2_EC_SECRET_MAX);
    assert_int_equal(unhex(y, out + 1 + n, S2_EC_SECRET_MAX), n);
    return 1 + 2 * n;
}

static void
check_against_mbedtls(enum s2_curve c, const mbedtls_mpi *d, const uint8_t *dpub, size_t dpub_len)
{
    struct s2_ecdh *e = NULL;
    uint8_t ours[S2_EC_POINT_MAX], want[S2_EC_SECRET_MAX], got[S2_EC_SECRET_MAX];
    size_t ours_len = 0, got_len = 0;
    size_t n = s2_curve_bytes(c);

    assert_int_equal(s2_ecdh_new(&alloc, c, &e), 0);
    assert_int_equal(s2_ecdh_public(e, ours, sizeof ours, &ours_len), 0);
    mb_shared(c, d, ours, ours_len, want, n);
    assert_int_equal(s2_ecdh_shared(e, dpub, dpub_len, got, sizeof got, &got_len), 0);
    assert_int_equal(got_len, n);
    assert_memory_equal(got, want, n);
    s2_ecdh_free(&alloc, e);
}

static void
test_rfc5903_known_answer(void **state)
{
    size_t k;

    (void)state;
    for (k = 0; k < sizeof kats / sizeof kats[0]; k++) {
        const struct kat *t = &kats[k];
        uint8_t buf[S2_EC_SECRET_MAX], gi[S2_EC_POINT_MAX], gr[S2_EC_POINT_MAX];
        uint8_t calc[S2_EC_POINT_MAX], x[S2_EC_SECRET_MAX], want[S2_EC_SECRET_MAX];
        size_t gi_len, gr_len, calc_len = 0, n;
        mbedtls_mpi d;

        /* the vector itself, through mbedTLS: validates the harness */
        mbedtls_mpi_init(&d);
        n = unhex(t->i, buf, sizeof buf);
        assert_int_equal(n, s2_curve_bytes(t->curve));
        assert_int_equal(mbedtls_mpi_read_binary(&d, buf, n), 0);
        gi_len = point_from_hex(t->gix, t->giy, gi);
        gr_len = point_from_hex(t->grx, t->gry, gr);
        mb_public(t->curve, &d, calc, &calc_len);
        assert_int_equal(calc_len, gi_len);
        assert_memory_equal(calc, gi, gi_len);
        mb_shared(t->curve, &d, gr, gr_len, x, n);
        assert_int_equal(unhex(t->girx, want, sizeof want), n);
        assert_memory_equal(x, want, n);
        /* the RFC points are valid for the library too */
        assert_int_equal(s2_ecdsa_point_ok(t->curve, gi, gi_len), 0);
        assert_int_equal(s2_ecdsa_point_ok(t->curve, gr, gr_len), 0);

        /* our side against the RFC initiator */
        check_against_mbedtls(t->curve, &d, gi, gi_len);
        mbedtls_mpi_free(&d);
    }
}

static void
test_p521_against_mbedtls(void **state)
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    mbedtls_mpi d;
    uint8_t pub[S2_EC_POINT_MAX];
    size_t pub_len = 0;

    (void)state;
    load(&grp, S2_CURVE_P521);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&d);
    assert_int_equal(mbedtls_ecp_gen_keypair(&grp, &d, &q, s2_mbedtls_rng, NULL), 0);
    assert_int_equal(mbedtls_ecp_point_write_binary(&grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &pub_len,
                                                    pub, sizeof pub),
                     0);
    assert_int_equal(pub_len, 133);
    check_against_mbedtls(S2_CURVE_P521, &d, pub, pub_len);
    mbedtls_mpi_free(&d);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
}

/* expect_refused: |peer| is refused with KEX_FAILURE and no output length */
static void
expect_refused(struct s2_ecdh *e, const uint8_t *peer, size_t len)
{
    uint8_t out[S2_EC_SECRET_MAX];
    size_t out_len = 12345;

    assert_int_equal(s2_ecdh_shared(e, peer, len, out, sizeof out, &out_len),
                     LIBSSH2_ERROR_KEX_FAILURE);
    assert_int_equal(out_len, 12345);
}

static void
test_bad_points(void **state)
{
    size_t i, j;

    (void)state;
    for (i = 0; i < 3; i++) {
        struct s2_ecdh *a = NULL, *b = NULL;
        uint8_t pb[S2_EC_POINT_MAX + 8], bad[S2_EC_POINT_MAX + 8];
        uint8_t k[S2_EC_SECRET_MAX];
        size_t lb = 0, kl = 0;
        size_t n = curve_bytes[i];
        const uint8_t prefixes[] = {0x00, 0x02, 0x03, 0x05, 0x06, 0x07, 0xff};

        assert_int_equal(s2_ecdh_new(&alloc, curves[i], &a), 0);
        assert_int_equal(s2_ecdh_new(&alloc, curves[i], &b), 0);
        assert_int_equal(s2_ecdh_public(b, pb, sizeof pb, &lb), 0);
        memset(pb + lb, 0, sizeof pb - lb);

        /* a byte of Y flipped: off the curve (each of a few positions) */
        for (j = 1 + n; j < lb; j += 7) {
            memcpy(bad, pb, lb);
            bad[j] ^= 0x01;
            expect_refused(a, bad, lb);
            assert_int_equal(s2_ecdsa_point_ok(curves[i], bad, lb), LIBSSH2_ERROR_HOSTKEY_INIT);
        }
        /* a byte of X flipped */
        memcpy(bad, pb, lb);
        bad[5] ^= 0x80;
        expect_refused(a, bad, lb);
        /* wrong lengths: every one from 0 to lb + 1 except lb */
        for (j = 0; j <= lb + 1; j++) {
            if (j != lb) {
                expect_refused(a, pb, j);
                assert_int_equal(s2_ecdsa_point_ok(curves[i], pb, j), LIBSSH2_ERROR_HOSTKEY_INIT);
            }
        }
        /* compressed encoding of the same point (SEC1 2.3.3): refused */
        bad[0] = (uint8_t)(0x02 | (pb[lb - 1] & 1));
        memcpy(bad + 1, pb + 1, n);
        expect_refused(a, bad, 1 + n);
        /* other prefixes on an otherwise valid point */
        for (j = 0; j < sizeof prefixes; j++) {
            memcpy(bad, pb, lb);
            bad[0] = prefixes[j];
            expect_refused(a, bad, lb);
        }
        /* the point at infinity: one zero byte, and an all-zero point */
        bad[0] = 0x00;
        expect_refused(a, bad, 1);
        memset(bad, 0, sizeof bad);
        bad[0] = 0x04;
        expect_refused(a, bad, lb);
        assert_int_equal(s2_ecdsa_point_ok(curves[i], bad, 1), LIBSSH2_ERROR_HOSTKEY_INIT);
        /* coordinates all-ones (>= p) */
        memset(bad, 0xff, sizeof bad);
        bad[0] = 0x04;
        expect_refused(a, bad, lb);
        /* NULL peer */
        expect_refused(a, NULL, 0);
        /* our own point is valid, and a still works after all the refusals */
        assert_int_equal(s2_ecdh_shared(a, pb, lb, k, sizeof k, &kl), 0);
        assert_int_equal(kl, n);
        /* output buffer too small */
        assert_int_equal(s2_ecdh_shared(a, pb, lb, k, n - 1, &kl), LIBSSH2_ERROR_BUFFER_TOO_SMALL);
        assert_int_not_equal(s2_ecdh_public(a, bad, lb - 1, &kl), 0);
        s2_ecdh_free(&alloc, a);
        s2_ecdh_free(&alloc, b);
    }
    assert_int_equal(fa.blocks, 0);
}

/* a valid point of one curve given to another */
static void
test_cross_curve(void **state)
{
    struct s2_ecdh *a = NULL, *b = NULL;
    uint8_t p256[S2_EC_POINT_MAX], p384[S2_EC_POINT_MAX];
    size_t l256 = 0, l384 = 0;

    (void)state;
    assert_int_equal(s2_ecdh_new(&alloc, S2_CURVE_P256, &a), 0);
    assert_int_equal(s2_ecdh_new(&alloc, S2_CURVE_P384, &b), 0);
    assert_int_equal(s2_ecdh_public(a, p256, sizeof p256, &l256), 0);
    assert_int_equal(s2_ecdh_public(b, p384, sizeof p384, &l384), 0);
    expect_refused(a, p384, l384);
    expect_refused(b, p256, l256);
    /* the P-256 point padded to P-384 size: not on P-384 */
    assert_int_equal(s2_ecdsa_point_ok(S2_CURVE_P384, p256, l256), LIBSSH2_ERROR_HOSTKEY_INIT);
    s2_ecdh_free(&alloc, a);
    s2_ecdh_free(&alloc, b);
}

static void
test_alloc_failure(void **state)
{
    struct s2_ecdh *e = NULL;

    (void)state;
    fa_init(&fa, 1);
    assert_int_equal(s2_ecdh_new(&alloc, S2_CURVE_P256, &e), LIBSSH2_ERROR_ALLOC);
    assert_null(e);
    assert_int_equal(fa.blocks, 0);
    fa_init(&fa, 0);
    s2_ecdh_free(&alloc, NULL);
}

static void
test_curve_hash(void **state)
{
    (void)state;
    assert_int_equal(s2_curve_hash(S2_CURVE_P256), S2_HASH_SHA256);
    assert_int_equal(s2_curve_hash(S2_CURVE_P384), S2_HASH_SHA384);
    assert_int_equal(s2_curve_hash(S2_CURVE_P521), S2_HASH_SHA512);
    assert_int_equal(s2_curve_bytes(S2_CURVE_P256), 32);
    assert_int_equal(s2_curve_bytes(S2_CURVE_P384), 48);
    assert_int_equal(s2_curve_bytes(S2_CURVE_P521), 66);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_curve_hash),           cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_rfc5903_known_answer), cmocka_unit_test(test_p521_against_mbedtls),
        cmocka_unit_test(test_bad_points),           cmocka_unit_test(test_cross_curve),
        cmocka_unit_test(test_alloc_failure),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
