/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sntrup.c: sntrup761 (s2_sntrup761_*).
 *
 * Known answers: the NIST KAT procedure (AES-256 CTR_DRBG "randombytes",
 * written here from SP 800-90A as the NIST PQC KAT package uses it: no
 * derivation function, seeded with 48 bytes, Update after every request)
 * drives the *_rng hooks. Count 0 printed as PQClean's nistkat does must
 * hash (SHA-256) to the nistkat-sha256 that PQClean publishes for
 * sntrup761; counts 0..N must equal tests/data/sntrup761/kat.rsp (the NIST
 * kat_kem.rsp format, first counts; SNTRUP761_KAT_OUT=<file> makes this
 * test write it).
 *
 * Also: the key-generation retry after a non-invertible g; round trips for
 * fresh keys; every flipped ciphertext byte (rounded part and confirm hash)
 * gives the implicit-rejection key Hash_0(Hash_3(rho) || ct'), computed
 * here independently; decapsulation is deterministic; out-of-range public
 * keys and garbage ciphertexts are handled.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/aes.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

#define PK_LEN S2_SNTRUP761_PK_LEN
#define SK_LEN S2_SNTRUP761_SK_LEN
#define CT_LEN S2_SNTRUP761_CT_LEN
#define SS_LEN S2_SNTRUP761_SS_LEN
#define SK_RHO (2 * 191 + PK_LEN)

/* PQClean crypto_kem/sntrup761/META.yml, nistkat-sha256 */
#define PQCLEAN_NISTKAT_SHA256 "afc42c3a5b10f4ef69654250097ebda9b9564570f4086744b24a6daf2bd1f89a"

/* ---- AES-256 CTR_DRBG, as in the NIST PQC KAT generator --------------- */

struct drbg {
    uint8_t key[32];
    uint8_t v[16];
    int calls;
};

static void
drbg_inc(uint8_t v[16])
{
    int j;

    for (j = 15; j >= 0; j--) {
        if (v[j] != 0xff) {
            v[j]++;
            return;
        }
        v[j] = 0;
    }
}

static void
drbg_block(const uint8_t key[32], const uint8_t in[16], uint8_t out[16])
{
    mbedtls_aes_context aes;

    mbedtls_aes_init(&aes);
    assert_int_equal(mbedtls_aes_setkey_enc(&aes, key, 256), 0);
    assert_int_equal(mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, in, out), 0);
    mbedtls_aes_free(&aes);
}

/* CTR_DRBG_Update with 48 bytes of provided data (NULL: zeros) */
static void
drbg_update(struct drbg *d, const uint8_t *data)
{
    uint8_t temp[48];
    size_t i;

    for (i = 0; i < 3; i++) {
        drbg_inc(d->v);
        drbg_block(d->key, d->v, temp + 16 * i);
    }
    if (data != NULL) {
        for (i = 0; i < 48; i++) {
            temp[i] ^= data[i];
        }
    }
    memcpy(d->key, temp, 32);
    memcpy(d->v, temp + 32, 16);
}

static void
drbg_init(struct drbg *d, const uint8_t seed[48])
{
    memset(d->key, 0, sizeof d->key);
    memset(d->v, 0, sizeof d->v);
    drbg_update(d, seed);
}

/* randombytes: whole blocks of AES(K, ++V), then Update(NULL) */
static void
drbg_randombytes(struct drbg *d, uint8_t *out, size_t n)
{
    uint8_t block[16];

    while (n > 0) {
        size_t k = n < 16 ? n : 16;

        drbg_inc(d->v);
        drbg_block(d->key, d->v, block);
        memcpy(out, block, k);
        out += k;
        n -= k;
    }
    drbg_update(d, NULL);
    d->calls++;
}

/* one randombytes call per request: the reference code draws the 4p bytes
 * of Small_random / Short_random in one call */
static void
drbg_fill(void *ctx, uint8_t *out, size_t n)
{
    drbg_randombytes(ctx, out, n);
}

/* ---- helpers ---------------------------------------------------------- */

static int
setup(void **state)
{
    (void)state;
    return s2_crypto_init();
}

static void
hexstr(char *dst, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789ABCDEF";
    size_t i;

    for (i = 0; i < n; i++) {
        dst[2 * i] = digits[p[i] >> 4];
        dst[2 * i + 1] = digits[p[i] & 15];
    }
    dst[2 * n] = 0;
}

static void
unhex(const char *hex, uint8_t *out, size_t n)
{
    size_t i;
    unsigned int v;

    assert_int_equal(strlen(hex), 2 * n);
    for (i = 0; i < n; i++) {
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

struct kat {
    uint8_t seed[48];
    uint8_t pk[PK_LEN];
    uint8_t sk[SK_LEN];
    uint8_t ct[CT_LEN];
    uint8_t ss[SS_LEN];
};

/* run_kat derives one count from |seed|. */
static void
run_kat(struct kat *k, const uint8_t seed[48])
{
    struct drbg d;
    struct s2_sntrup761_rng rng = {drbg_fill, NULL, &d};
    uint8_t ss2[SS_LEN];

    memset(&d, 0, sizeof d);
    memcpy(k->seed, seed, 48);
    drbg_init(&d, seed);
    assert_int_equal(s2_sntrup761_keypair_rng(k->pk, k->sk, &rng), 0);
    assert_int_equal(s2_sntrup761_encaps_rng(k->ct, k->ss, k->pk, &rng), 0);
    assert_int_equal(s2_sntrup761_decaps(ss2, k->ct, k->sk), 0);
    assert_memory_equal(ss2, k->ss, SS_LEN);
}

/* print_kat appends one count in the NIST/PQClean text format. */
static size_t
print_kat(char *out, int count, const struct kat *k)
{
    static char hex[2 * SK_LEN + 1];
    size_t n = 0;

    n += (size_t)sprintf(out + n, "count = %d\n", count);
    hexstr(hex, k->seed, 48);
    n += (size_t)sprintf(out + n, "seed = %s\n", hex);
    hexstr(hex, k->pk, PK_LEN);
    n += (size_t)sprintf(out + n, "pk = %s\n", hex);
    hexstr(hex, k->sk, SK_LEN);
    n += (size_t)sprintf(out + n, "sk = %s\n", hex);
    hexstr(hex, k->ct, CT_LEN);
    n += (size_t)sprintf(out + n, "ct = %s\n", hex);
    hexstr(hex, k->ss, SS_LEN);
    n += (size_t)sprintf(out + n, "ss = %s\n", hex);
    return n;
}

static struct kat kat_buf;
static char text_buf[16384];

/* the seeds of counts 0..n-1: randombytes(48) from a DRBG seeded 0..47 */
static void
kat_seeds(uint8_t seeds[][48], size_t n)
{
    struct drbg d;
    uint8_t entropy[48];
    size_t i;

    for (i = 0; i < 48; i++) {
        entropy[i] = (uint8_t)i;
    }
    memset(&d, 0, sizeof d);
    drbg_init(&d, entropy);
    for (i = 0; i < n; i++) {
        drbg_randombytes(&d, seeds[i], 48);
    }
}

/* ---- tests ------------------------------------------------------------ */

static void
test_drbg_seed0(void **state)
{
    uint8_t seeds[1][48], want[48];

    (void)state;
    /* count 0 seed of every NIST PQC kat_*.rsp */
    unhex("061550234D158C5EC95595FE04EF7A25767F2E24CC2BC479D09D86DC9ABCFDE7"
          "056A8C266F9EF97ED08541DBD2E1FFA1",
          want, 48);
    kat_seeds(seeds, 1);
    assert_memory_equal(seeds[0], want, 48);
}

static void
test_kat_pqclean_hash(void **state)
{
    uint8_t seeds[1][48], digest[32], want[32];
    size_t n;

    (void)state;
    unhex(PQCLEAN_NISTKAT_SHA256, want, 32);
    kat_seeds(seeds, 1);
    run_kat(&kat_buf, seeds[0]);
    n = print_kat(text_buf, 0, &kat_buf);
    assert_int_equal(s2_hash_once(S2_HASH_SHA256, text_buf, n, digest), 0);
    assert_memory_equal(digest, want, 32);
}

static char *
read_data(const char *rel)
{
    char path[1024];
    const char *me = __FILE__;
    const char *cut = strstr(me, "tests/unit/crypto/");
    FILE *f;
    char *buf;
    long n;

    assert_non_null(cut);
    snprintf(path, sizeof path, "%.*s%s", (int)(cut - me), me, rel);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* field returns the hex after "<name> = " at or after *pos, advancing *pos */
static void
field(char **pos, const char *name, uint8_t *out, size_t n)
{
    char key[16];
    char *p, *e;

    snprintf(key, sizeof key, "\n%s = ", name);
    p = strstr(*pos, key);
    assert_non_null(p);
    p += strlen(key);
    e = strchr(p, '\n');
    assert_non_null(e);
    *e = 0;
    unhex(p, out, n);
    *e = '\n';
    *pos = e;
}

#define KAT_FILE_COUNTS 10

/* SNTRUP761_KAT_OUT=<file> writes the file instead of checking it */
static void
write_kat_file(const char *path)
{
    uint8_t seeds[KAT_FILE_COUNTS][48];
    FILE *f = fopen(path, "w");
    int i;

    assert_non_null(f);
    kat_seeds(seeds, KAT_FILE_COUNTS);
    fprintf(f, "# sntrup761\n\n");
    for (i = 0; i < KAT_FILE_COUNTS; i++) {
        size_t n;

        run_kat(&kat_buf, seeds[i]);
        n = print_kat(text_buf, i, &kat_buf);
        assert_int_equal(fwrite(text_buf, 1, n, f), n);
        fprintf(f, "\n");
    }
    assert_int_equal(fclose(f), 0);
}

static void
test_kat_file(void **state)
{
    static struct kat want;
    uint8_t seeds[KAT_FILE_COUNTS][48];
    char *text, *pos;
    char head[32];
    int i;

    (void)state;
    if (getenv("SNTRUP761_KAT_OUT") != NULL) {
        write_kat_file(getenv("SNTRUP761_KAT_OUT"));
    }
    text = read_data("tests/data/sntrup761/kat.rsp");
    pos = text;
    kat_seeds(seeds, KAT_FILE_COUNTS);
    for (i = 0; i < KAT_FILE_COUNTS; i++) {
        snprintf(head, sizeof head, "count = %d\n", i);
        pos = strstr(pos, head);
        assert_non_null(pos);
        pos--; /* field() looks for the leading newline */
        field(&pos, "seed", want.seed, 48);
        field(&pos, "pk", want.pk, PK_LEN);
        field(&pos, "sk", want.sk, SK_LEN);
        field(&pos, "ct", want.ct, CT_LEN);
        field(&pos, "ss", want.ss, SS_LEN);
        assert_memory_equal(want.seed, seeds[i], 48);
        run_kat(&kat_buf, want.seed);
        assert_memory_equal(kat_buf.pk, want.pk, PK_LEN);
        assert_memory_equal(kat_buf.sk, want.sk, SK_LEN);
        assert_memory_equal(kat_buf.ct, want.ct, CT_LEN);
        assert_memory_equal(kat_buf.ss, want.ss, SS_LEN);
    }
    free(text);
}

/* a first g of all zeros is not invertible: keygen must draw again and then
 * land on the KAT key of count 0 */
struct retry_rng {
    struct drbg d;
    int served_zero;
    int declassified;
};

static void
retry_fill(void *ctx, uint8_t *out, size_t n)
{
    struct retry_rng *r = ctx;
    size_t i;

    if (!r->served_zero) {
        assert_int_equal(n, 4 * 761);
        for (i = 0; i < n; i += 4) { /* 0x20000000: 3 l / 2^30 = 1, coefficient 0 */
            out[i] = 0;
            out[i + 1] = 0;
            out[i + 2] = 0;
            out[i + 3] = 0x20;
        }
        r->served_zero = 1;
        return;
    }
    drbg_fill(&r->d, out, n);
}

static void
retry_declassify(void *ctx, const void *p, size_t n)
{
    struct retry_rng *r = ctx;

    assert_non_null(p);
    assert_int_equal(n, sizeof(int));
    r->declassified++;
}

static void
test_keygen_retry(void **state)
{
    static uint8_t pk[PK_LEN], sk[SK_LEN];
    struct retry_rng r;
    struct s2_sntrup761_rng rng = {retry_fill, retry_declassify, &r};
    uint8_t seeds[1][48];

    (void)state;
    kat_seeds(seeds, 1);
    run_kat(&kat_buf, seeds[0]);
    memset(&r, 0, sizeof r);
    drbg_init(&r.d, seeds[0]);
    assert_int_equal(s2_sntrup761_keypair_rng(pk, sk, &rng), 0);
    assert_int_equal(r.served_zero, 1);
    assert_int_equal(r.declassified, 2); /* zero g refused, then accepted */
    assert_memory_equal(pk, kat_buf.pk, PK_LEN);
    assert_memory_equal(sk, kat_buf.sk, SK_LEN);
}

/* the implicit-rejection key: Hash_0(Hash_3(rho) || ct) */
static void
rejection_key(uint8_t out[SS_LEN], const uint8_t sk[SK_LEN], const uint8_t *ct)
{
    uint8_t buf[1 + 32 + CT_LEN], h[64];

    buf[0] = 3;
    memcpy(buf + 1, sk + SK_RHO, 191);
    assert_int_equal(s2_hash_once(S2_HASH_SHA512, buf, 1 + 191, h), 0);
    buf[0] = 0;
    memcpy(buf + 1, h, 32);
    memcpy(buf + 33, ct, CT_LEN);
    assert_int_equal(s2_hash_once(S2_HASH_SHA512, buf, sizeof buf, h), 0);
    memcpy(out, h, SS_LEN);
}

static void
test_roundtrip(void **state)
{
    static uint8_t pk[PK_LEN], sk[SK_LEN], ct[CT_LEN];
    uint8_t ss1[SS_LEN], ss2[SS_LEN], rej[SS_LEN];
    int i;

    (void)state;
    for (i = 0; i < 24; i++) {
        assert_int_equal(s2_sntrup761_keypair(pk, sk), 0);
        assert_memory_equal(sk + 2 * 191, pk, PK_LEN); /* pk is inside sk */
        assert_int_equal(s2_sntrup761_encaps(ct, ss1, pk), 0);
        assert_int_equal(s2_sntrup761_decaps(ss2, ct, sk), 0);
        assert_memory_equal(ss1, ss2, SS_LEN);
        rejection_key(rej, sk, ct);
        assert_memory_not_equal(ss1, rej, SS_LEN);
    }
}

static void
test_modified_ciphertext(void **state)
{
    static uint8_t pk[PK_LEN], sk[SK_LEN], ct[CT_LEN], bad[CT_LEN];
    uint8_t ss[SS_LEN], ss2[SS_LEN], ss3[SS_LEN], rej[SS_LEN];
    size_t pos;
    int bit;

    (void)state;
    assert_int_equal(s2_sntrup761_keypair(pk, sk), 0);
    assert_int_equal(s2_sntrup761_encaps(ct, ss, pk), 0);
    for (pos = 0; pos < CT_LEN; pos += (pos < 8 || pos >= 1000) ? 1 : 37) {
        for (bit = 0; bit < 8; bit += 7) {
            memcpy(bad, ct, CT_LEN);
            bad[pos] ^= (uint8_t)(1u << bit);
            assert_int_equal(s2_sntrup761_decaps(ss2, bad, sk), 0);
            assert_memory_not_equal(ss2, ss, SS_LEN);
            rejection_key(rej, sk, bad);
            assert_memory_equal(ss2, rej, SS_LEN);
            /* deterministic, also when rejecting */
            assert_int_equal(s2_sntrup761_decaps(ss3, bad, sk), 0);
            assert_memory_equal(ss3, ss2, SS_LEN);
        }
    }
    /* the untouched ciphertext still decapsulates, twice the same */
    assert_int_equal(s2_sntrup761_decaps(ss2, ct, sk), 0);
    assert_memory_equal(ss2, ss, SS_LEN);
    assert_int_equal(s2_sntrup761_decaps(ss3, ct, sk), 0);
    assert_memory_equal(ss3, ss, SS_LEN);
}

static void
test_wrong_key(void **state)
{
    static uint8_t pk[PK_LEN], sk[SK_LEN], pk2[PK_LEN], sk2[SK_LEN], ct[CT_LEN];
    uint8_t ss[SS_LEN], ss2[SS_LEN], rej[SS_LEN];

    (void)state;
    assert_int_equal(s2_sntrup761_keypair(pk, sk), 0);
    assert_int_equal(s2_sntrup761_keypair(pk2, sk2), 0);
    assert_memory_not_equal(pk, pk2, PK_LEN);
    assert_int_equal(s2_sntrup761_encaps(ct, ss, pk), 0);
    assert_int_equal(s2_sntrup761_decaps(ss2, ct, sk2), 0);
    assert_memory_not_equal(ss2, ss, SS_LEN);
    rejection_key(rej, sk2, ct);
    assert_memory_equal(ss2, rej, SS_LEN);
}

static void
test_garbage_inputs(void **state)
{
    static uint8_t pk[PK_LEN], sk[SK_LEN], ct[CT_LEN];
    uint8_t ss[SS_LEN], ss2[SS_LEN], rej[SS_LEN];
    int fill;

    (void)state;
    /* encodings out of range (every byte 0xff) decode to something valid */
    memset(pk, 0xff, sizeof pk);
    assert_int_equal(s2_sntrup761_encaps(ct, ss, pk), 0);
    assert_int_equal(s2_sntrup761_keypair(pk, sk), 0);
    for (fill = 0; fill < 256; fill += 255) {
        memset(ct, fill, sizeof ct);
        assert_int_equal(s2_sntrup761_decaps(ss, ct, sk), 0);
        rejection_key(rej, sk, ct);
        assert_memory_equal(ss, rej, SS_LEN);
        assert_int_equal(s2_sntrup761_decaps(ss2, ct, sk), 0);
        assert_memory_equal(ss2, ss, SS_LEN);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drbg_seed0), cmocka_unit_test(test_kat_pqclean_hash),
        cmocka_unit_test(test_kat_file),   cmocka_unit_test(test_keygen_retry),
        cmocka_unit_test(test_roundtrip),  cmocka_unit_test(test_modified_ciphertext),
        cmocka_unit_test(test_wrong_key),  cmocka_unit_test(test_garbage_inputs),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
