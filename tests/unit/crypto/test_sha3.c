/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sha3.c: SHA3-256, SHA3-512, SHAKE128, SHAKE256 (FIPS 202) against the
 * NIST example values (empty message, "abc", the 1600-bit message of 200
 * bytes 0xa3), long SHAKE outputs (bytes 480..511 of 512), inputs of
 * rate - 1, rate, rate + 1 and 2 * rate bytes (values from an independent
 * implementation, Python's hashlib), and the incremental sponge of
 * crypto_int.h: absorbing split at every offset and squeezing in pieces of
 * every size give the one-shot result; a flipped input bit changes it. The
 * four-way sponge (AVX2 and the portable fallback) against four one-shots.
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

enum alg { ALG_SHA3_256, ALG_SHA3_512, ALG_SHAKE128, ALG_SHAKE256 };

static void
unhex(const char *hex, uint8_t *out, size_t *out_len)
{
    size_t n = strlen(hex) / 2;
    size_t i;
    unsigned int v;

    for (i = 0; i < n; i++) {
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    *out_len = n;
}

/* Runs |alg| on |msg|, writing |out_len| bytes (fixed for SHA-3). */
static void
run(enum alg alg, const uint8_t *msg, size_t len, uint8_t *out, size_t out_len)
{
    switch (alg) {
    case ALG_SHA3_256:
        assert_int_equal(out_len, 32);
        s2_sha3_256(msg, len, out);
        break;
    case ALG_SHA3_512:
        assert_int_equal(out_len, 64);
        s2_sha3_512(msg, len, out);
        break;
    case ALG_SHAKE128:
        s2_shake128(msg, len, out, out_len);
        break;
    case ALG_SHAKE256:
        s2_shake256(msg, len, out, out_len);
        break;
    }
}

static void
check(enum alg alg, const uint8_t *msg, size_t len, const char *hex)
{
    uint8_t want[64];
    uint8_t got[64];
    size_t n;

    unhex(hex, want, &n);
    memset(got, 0, sizeof got);
    run(alg, msg, len, got, n);
    assert_memory_equal(got, want, n);
}

static const uint8_t *
a3_200(void)
{
    static uint8_t m[200];

    memset(m, 0xa3, sizeof m);
    return m;
}

static void
test_fips202_examples(void **state)
{
    const uint8_t *a3 = a3_200();
    const uint8_t *abc = (const uint8_t *)"abc";

    (void)state;
    check(ALG_SHA3_256, abc, 0, "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
    check(ALG_SHA3_256, abc, 3, "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
    check(ALG_SHA3_256, a3, 200,
          "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787");
    check(ALG_SHA3_512, abc, 0,
          "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a6"
          "15b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26");
    check(ALG_SHA3_512, abc, 3,
          "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e"
          "10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0");
    check(ALG_SHA3_512, a3, 200,
          "e76dfad22084a8b1467fcf2ffa58361bec7628edf5f3fdc0e4805dc48caeeca8"
          "1b7c13c30adf52a3659584739a2df46be589c51ca1a4a8416df6545a1ce8ba00");
    check(ALG_SHAKE128, abc, 0, "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26");
    check(ALG_SHAKE128, a3, 200,
          "131ab8d2b594946b9c81333f9bb6e0ce75c3b93104fa3469d3917457385da037");
    check(ALG_SHAKE256, abc, 0,
          "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f"
          "d75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be");
    check(ALG_SHAKE256, a3, 200,
          "cd8a920ed141aa0407a22d59288652e9d9f1a7ee0c1e7c1ca699424da84a904d");
}

/* Bytes 480..511 of a 512-byte output (the end of NIST's 4096-bit examples). */
static void
test_long_output(void **state)
{
    static const struct {
        enum alg alg;
        size_t msg_len;
        const char *tail;
    } v[] = {
        {ALG_SHAKE128, 0, "43e41b45a653f2a5c4492c1add544512dda2529833462b71a41a45be97290b6f"},
        {ALG_SHAKE256, 0, "ab0bae316339894304e35877b0c28a9b1fd166c796b9cc258a064a8f57e27f2a"},
        {ALG_SHAKE128, 200, "44c9fb359fd56ac0a9a75a743cff6862f17d7259ab075216c0699511643b6439"},
        {ALG_SHAKE256, 200, "6a1a9d7846436e4dca5728b6f760eef0ca92bf0be5615e96959d767197a0beeb"},
    };
    const uint8_t *a3 = a3_200();
    uint8_t out[512];
    uint8_t want[32];
    size_t n;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof v / sizeof v[0]; i++) {
        run(v[i].alg, a3, v[i].msg_len, out, sizeof out);
        unhex(v[i].tail, want, &n);
        assert_memory_equal(out + 480, want, 32);
    }
}

/* Message bytes 0, 1, 2, ... of rate - 1, rate, rate + 1 and 2 * rate. */
static void
test_rate_boundaries(void **state)
{
    static const struct {
        enum alg alg;
        size_t len;
        const char *digest;
    } v[] = {
        {ALG_SHA3_256, 135, "fded8fd9d6551c601eeb3b7c6bc5e5cfd8aad1d015b7e9aaa9c9b9475231d5e2"},
        {ALG_SHA3_256, 136, "cf3ccff92480a29160c2d38317c430e14749bfee1788106957dfe73f8c4930e5"},
        {ALG_SHA3_256, 137, "ce9d7dc90913ee5d92745019479a5352c6d6279bef18ed07dc0a83ee8084daca"},
        {ALG_SHA3_256, 272, "0b21ec4a8eff6d179e09ba9fe0ab08515b24e0923fbf419f5c30a38e64577db5"},
        {ALG_SHA3_512, 71,
         "3ccc850d53a1287af7b4560b2ef0d43eb5d9a80d62a0e9cf1dbc040135921104"
         "d4395168e90bfc871773ebb34bca1bd67056e1cc7dc7a48ff7c3167d389f117c"},
        {ALG_SHA3_512, 72,
         "5d63f2bbe971a983ac6847480106e4e1264ee3a0befd79954914e1d86e795b2e"
         "18238f12fc5e46cb9cc78efdec610a93647cc04e1c23d8caaa6a58c21dd26c07"},
        {ALG_SHA3_512, 73,
         "921d9b7b2b0f3066a1646dbb058c979cb3925dec0f8c269faaa7f9648e73465a"
         "e55ec527257d5d5e1cfdbf5d6799bea1004b6186f5108c74e3b92fe924166558"},
        {ALG_SHA3_512, 144,
         "e1951b8bcb58ca75a34af80a7a2b765cad4257fe383a79b55bf21f180b75f6e5"
         "b08f09598851eeea7d13486387618d6c6bf88cf23c0088a3f783f59a06d60493"},
        {ALG_SHAKE128, 167, "1e552791cc4e93a0d4a8dc47ae49228c2faa869e40e628f6ace477aec3f1ca7a"},
        {ALG_SHAKE128, 168, "f15277eb61c4908d44a2853f3cde071ae2ed7a23461fbe162a1a98cf6875059c"},
        {ALG_SHAKE128, 169, "015be3338c986d9846affa0f94b4afc2a76bc289c709e1a596ec9eccf090a773"},
        {ALG_SHAKE128, 336, "1ec1f8887fb8a5ecd8fc2692203320267a3be636509f5a0065ef594341b84998"},
        {ALG_SHAKE256, 135, "c45dae624ad8a2f5aa7bac9d7557737fd91c96eedb70a6be5574d57a844eade0"},
        {ALG_SHAKE256, 136, "b7ff4073b3f5a8eabd6e17705ca7f6761a31058f9df781a6a47e3a3063b9d67a"},
        {ALG_SHAKE256, 137, "01d90952c642a5eb2a8fc9d713f843a45d7ac05132dddcb2efc9bebc27e37bcb"},
        {ALG_SHAKE256, 272, "8379a36d10791291fbc946794bf8009519fd0b2ff6c0bd99a2b014e8422abef0"},
    };
    uint8_t msg[400];
    uint8_t want[64];
    uint8_t got[64];
    size_t n;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof msg; i++) {
        msg[i] = (uint8_t)i;
    }
    for (i = 0; i < sizeof v / sizeof v[0]; i++) {
        check(v[i].alg, msg, v[i].len, v[i].digest);
        /* negative: one flipped bit, in the last byte, changes the digest */
        msg[v[i].len - 1] ^= 0x80;
        unhex(v[i].digest, want, &n);
        run(v[i].alg, msg, v[i].len, got, n);
        assert_memory_not_equal(got, want, n);
        msg[v[i].len - 1] ^= 0x80;
    }
}

/* The incremental sponge: absorb split at every offset, squeeze in pieces. */
static void
test_incremental(void **state)
{
    static const struct {
        size_t rate;
        uint8_t ds;
        enum alg alg;
    } modes[] = {
        {136, 0x06, ALG_SHA3_256},
        {72, 0x06, ALG_SHA3_512},
        {S2_SHAKE128_RATE, 0x1f, ALG_SHAKE128},
        {S2_SHAKE256_RATE, 0x1f, ALG_SHAKE256},
    };
    uint8_t msg[350];
    uint8_t want[700];
    uint8_t got[700];
    struct s2_keccak k;
    size_t m;
    size_t cut;
    size_t piece;
    size_t off;
    size_t out_len;

    (void)state;
    for (off = 0; off < sizeof msg; off++) {
        msg[off] = (uint8_t)(off * 7 + 3);
    }
    for (m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        out_len = modes[m].alg == ALG_SHA3_256 ? 32 : modes[m].alg == ALG_SHA3_512 ? 64 : 700;
        run(modes[m].alg, msg, sizeof msg, want, out_len);
        for (cut = 0; cut <= sizeof msg; cut++) {
            s2_keccak_init(&k, modes[m].rate);
            s2_keccak_absorb(&k, msg, cut);
            s2_keccak_absorb(&k, msg + cut, sizeof msg - cut);
            s2_keccak_finish(&k, modes[m].ds);
            s2_keccak_squeeze(&k, got, out_len);
            assert_memory_equal(got, want, out_len);
        }
        for (piece = 1; piece <= 200; piece++) {
            s2_keccak_init(&k, modes[m].rate);
            for (off = 0; off < sizeof msg; off += 13) {
                s2_keccak_absorb(&k, msg + off, sizeof msg - off < 13 ? sizeof msg - off : 13);
            }
            s2_keccak_finish(&k, modes[m].ds);
            for (off = 0; off < out_len; off += piece) {
                s2_keccak_squeeze(&k, got + off, out_len - off < piece ? out_len - off : piece);
            }
            assert_memory_equal(got, want, out_len);
        }
        /* whole blocks straight from the state */
        s2_keccak_init(&k, modes[m].rate);
        s2_keccak_absorb(&k, msg, sizeof msg);
        s2_keccak_finish(&k, modes[m].ds);
        s2_keccak_squeeze_blocks(&k, got, 2);
        s2_keccak_squeeze_blocks(&k, got + 2 * modes[m].rate, 1);
        assert_memory_equal(got, want, out_len < 3 * modes[m].rate ? out_len : 3 * modes[m].rate);
        s2_keccak_wipe(&k);
        assert_int_equal(k.a[0] | k.a[24], 0);
    }
}

/* Output lengths 0 and 1 and a prefix property: shorter output is a prefix. */
static void
test_shake_prefix(void **state)
{
    uint8_t a[300];
    uint8_t b[300];
    size_t n;

    (void)state;
    memset(a, 0x55, sizeof a);
    s2_shake128((const uint8_t *)"abc", 3, a, 0);
    assert_int_equal(a[0], 0x55); /* nothing written */
    s2_shake256((const uint8_t *)"abc", 3, b, sizeof b);
    for (n = 1; n < sizeof a; n += 37) {
        memset(a, 0, sizeof a);
        s2_shake256((const uint8_t *)"abc", 3, a, n);
        assert_memory_equal(a, b, n);
        assert_int_equal(a[n], 0);
    }
}

/* Four sponges at once match four one-shot runs; lanes continue alone. */
static void
check_x4(void)
{
    static const size_t lens[] = {0, 1, 33, 34, 71, 135, 136, 137, 167, 168, 169, 300};
    static const size_t rates[] = {S2_SHAKE128_RATE, S2_SHAKE256_RATE};
    uint8_t msg[4][300];
    uint8_t got[4][5 * S2_SHAKE128_RATE];
    uint8_t want[5 * S2_SHAKE128_RATE];
    const uint8_t *const in[4] = {msg[0], msg[1], msg[2], msg[3]};
    uint8_t *const out[4] = {got[0], got[1], got[2], got[3]};
    struct s2_keccak_x4 k4;
    struct s2_keccak one;
    size_t r;
    size_t l;
    size_t i;
    unsigned lane;

    for (lane = 0; lane < 4; lane++) {
        for (i = 0; i < sizeof msg[0]; i++) {
            msg[lane][i] = (uint8_t)(i * 13 + lane * 101 + 1);
        }
    }
    for (r = 0; r < 2; r++) {
        for (l = 0; l < sizeof lens / sizeof lens[0]; l++) {
            s2_keccak_x4_absorb_once(&k4, rates[r], 0x1f, in, lens[l]);
            s2_keccak_x4_squeeze_blocks(&k4, out, 3);
            for (lane = 0; lane < 4; lane++) {
                s2_keccak_x4_lane(&k4, lane, &one);
                s2_keccak_squeeze_blocks(&one, got[lane] + 3 * rates[r], 1);
                s2_keccak_squeeze(&one, got[lane] + 4 * rates[r], 5);
                run(r == 0 ? ALG_SHAKE128 : ALG_SHAKE256, msg[lane], lens[l], want,
                    4 * rates[r] + 5);
                assert_memory_equal(got[lane], want, 4 * rates[r] + 5);
            }
            /* the lanes really are independent (distinct inputs) */
            if (lens[l] > 0) {
                assert_memory_not_equal(got[0], got[1], rates[r]);
            }
        }
    }
    s2_keccak_x4_wipe(&k4);
    assert_int_equal(k4.a[0][0] | k4.a[24][3], 0);
}

static void
test_x4(void **state)
{
    (void)state;
    check_x4(); /* AVX2 where the CPU has it */
    assert_int_equal(setenv("SSH2CORE_CPU_MASK", "0x8", 1), 0);
    s2_cpu_reset_for_tests();
    assert_int_equal(s2_cpu_features() & S2_CPU_AVX2, 0);
    check_x4(); /* the portable fallback */
    assert_int_equal(unsetenv("SSH2CORE_CPU_MASK"), 0);
    s2_cpu_reset_for_tests();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fips202_examples), cmocka_unit_test(test_long_output),
        cmocka_unit_test(test_rate_boundaries),  cmocka_unit_test(test_incremental),
        cmocka_unit_test(test_shake_prefix),     cmocka_unit_test(test_x4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
