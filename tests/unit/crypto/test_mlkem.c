/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_mlkem.c: ML-KEM-768 (FIPS 203) against the NIST ACVP vectors in
 * tests/data/mlkem/acvp_mlkem768.txt (made by scripts/extract_mlkem_acvp.py):
 * 25 key generations (d, z -> ek, dk), 25 encapsulations (ek, m -> c, K),
 * 10 decapsulations (dk, c -> K) of which 5 take a modified ciphertext and
 * must give the implicit-rejection key J(z || c). Plus: modified
 * ciphertexts give J(z || c'); the encapsulation key modulus check (7.2)
 * and the decapsulation key hash check (7.3) refuse bad keys with
 * LIBSSH2_ERROR_INVAL; random round trips. Prints the time per operation
 * (informational; nothing is asserted on it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "crypto/crypto.h"

#define PK_LEN S2_MLKEM768_PK_LEN
#define SK_LEN S2_MLKEM768_SK_LEN
#define CT_LEN S2_MLKEM768_CT_LEN
#define SS_LEN S2_MLKEM768_SS_LEN

static void
unhex(const char *hex, size_t hex_len, uint8_t *out, size_t out_len)
{
    size_t i;
    unsigned int v;
    char two[3];

    assert_int_equal(hex_len, 2 * out_len);
    two[2] = 0;
    for (i = 0; i < out_len; i++) {
        two[0] = hex[2 * i];
        two[1] = hex[2 * i + 1];
        assert_int_equal(sscanf(two, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

static char *
read_data(size_t *len)
{
    char path[1024];
    const char *me = __FILE__;
    const char *cut = strstr(me, "tests/unit/crypto/");
    FILE *f;
    long n;
    char *buf;

    assert_non_null(cut);
    snprintf(path, sizeof path, "%.*stests/data/mlkem/acvp_mlkem768.txt", (int)(cut - me), me);
    f = fopen(path, "rb");
    if (f == NULL) {
        fail_msg("cannot open %s", path);
    }
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n > 0);
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

/* One record of the data file: up to 8 "name = hex" fields. */
struct rec {
    char kind[16];
    char reason[32];
    size_t nf;
    struct {
        char name[8];
        const char *hex;
        size_t hex_len;
    } f[8];
};

static void
field(const struct rec *r, const char *name, uint8_t *out, size_t out_len)
{
    size_t i;

    for (i = 0; i < r->nf; i++) {
        if (strcmp(r->f[i].name, name) == 0) {
            unhex(r->f[i].hex, r->f[i].hex_len, out, out_len);
            return;
        }
    }
    fail_msg("record has no field %s", name);
}

struct counts {
    int keygen;
    int encaps;
    int decaps;
    int rejected;
};

/* J(z || c): the implicit-rejection key of FIPS 203 Algorithm 18. */
static void
reject_key(uint8_t out[32], const uint8_t sk[SK_LEN], const uint8_t ct[CT_LEN])
{
    static uint8_t zc[32 + CT_LEN];

    memcpy(zc, sk + SK_LEN - 32, 32);
    memcpy(zc + 32, ct, CT_LEN);
    s2_shake256(zc, sizeof zc, out, 32);
}

static void
run_record(const struct rec *r, struct counts *c)
{
    static uint8_t pk[PK_LEN], sk[SK_LEN], ct[CT_LEN];
    static uint8_t pk2[PK_LEN], sk2[SK_LEN], ct2[CT_LEN];
    uint8_t d[32], z[32], m[32], k[SS_LEN], k2[SS_LEN], j[32];

    if (strcmp(r->kind, "keygen") == 0) {
        field(r, "d", d, sizeof d);
        field(r, "z", z, sizeof z);
        field(r, "ek", pk, sizeof pk);
        field(r, "dk", sk, sizeof sk);
        s2_mlkem768_keypair_derand(pk2, sk2, d, z);
        assert_memory_equal(pk2, pk, PK_LEN);
        assert_memory_equal(sk2, sk, SK_LEN);
        c->keygen++;
    } else if (strcmp(r->kind, "encaps") == 0) {
        field(r, "ek", pk, sizeof pk);
        field(r, "m", m, sizeof m);
        field(r, "c", ct, sizeof ct);
        field(r, "k", k, sizeof k);
        assert_int_equal(s2_mlkem768_encaps_derand(ct2, k2, pk, m), 0);
        assert_memory_equal(ct2, ct, CT_LEN);
        assert_memory_equal(k2, k, SS_LEN);
        c->encaps++;
    } else if (strcmp(r->kind, "decaps") == 0) {
        field(r, "dk", sk, sizeof sk);
        field(r, "c", ct, sizeof ct);
        field(r, "k", k, sizeof k);
        assert_int_equal(s2_mlkem768_decaps(k2, ct, sk), 0);
        assert_memory_equal(k2, k, SS_LEN);
        reject_key(j, sk, ct);
        if (strcmp(r->reason, "modify ciphertext") == 0) {
            assert_memory_equal(k2, j, 32);
            c->rejected++;
        } else {
            assert_string_equal(r->reason, "no modification");
            assert_memory_not_equal(k2, j, 32);
        }
        c->decaps++;
    } else {
        fail_msg("unknown record kind %s", r->kind);
    }
}

static int
is_name(const char *line, size_t name_len, const char *name)
{
    return name_len == strlen(name) && strncmp(line, name, name_len) == 0;
}

static void
test_acvp(void **state)
{
    size_t len;
    char *data = read_data(&len);
    char *line = data;
    char *nl;
    char *eq;
    struct rec r;
    struct counts c;
    size_t name_len;

    (void)state;
    memset(&r, 0, sizeof r);
    memset(&c, 0, sizeof c);
    while (line < data + len) {
        nl = strchr(line, '\n');
        if (nl == NULL) {
            nl = data + len;
        }
        *nl = 0;
        if (line[0] == 0) {
            if (r.kind[0] != 0) {
                run_record(&r, &c);
            }
            memset(&r, 0, sizeof r);
        } else if (line[0] != '#') {
            eq = strstr(line, " = ");
            assert_non_null(eq);
            name_len = (size_t)(eq - line);
            if (is_name(line, name_len, "kind")) {
                snprintf(r.kind, sizeof r.kind, "%s", eq + 3);
            } else if (is_name(line, name_len, "reason")) {
                snprintf(r.reason, sizeof r.reason, "%s", eq + 3);
            } else if (!is_name(line, name_len, "tcId")) {
                assert_true(r.nf < 8);
                assert_true(name_len < sizeof r.f[0].name);
                memcpy(r.f[r.nf].name, line, name_len);
                r.f[r.nf].name[name_len] = 0;
                r.f[r.nf].hex = eq + 3;
                r.f[r.nf].hex_len = strlen(eq + 3);
                r.nf++;
            }
        }
        line = nl + 1;
    }
    if (r.kind[0] != 0) {
        run_record(&r, &c);
    }
    free(data);
    assert_int_equal(c.keygen, 25);
    assert_int_equal(c.encaps, 25);
    assert_int_equal(c.decaps, 10);
    assert_int_equal(c.rejected, 5);
}

/* Modified ciphertexts give J(z || c'), not K; the original still works. */
static void
test_modified_ciphertext(void **state)
{
    static uint8_t pk[PK_LEN], sk[SK_LEN], ct[CT_LEN];
    static const size_t pos[] = {0, 1, 479, 959, 960, 1000, CT_LEN - 1};
    uint8_t k[SS_LEN], k2[SS_LEN], j[32];
    size_t i;
    unsigned bit;

    (void)state;
    assert_int_equal(s2_mlkem768_keypair(pk, sk), 0);
    assert_int_equal(s2_mlkem768_encaps(ct, k, pk), 0);
    for (i = 0; i < sizeof pos / sizeof pos[0]; i++) {
        for (bit = 0; bit < 8; bit += 7) {
            ct[pos[i]] ^= (uint8_t)(1u << bit);
            assert_int_equal(s2_mlkem768_decaps(k2, ct, sk), 0);
            assert_memory_not_equal(k2, k, SS_LEN);
            reject_key(j, sk, ct);
            assert_memory_equal(k2, j, 32);
            ct[pos[i]] ^= (uint8_t)(1u << bit);
        }
    }
    assert_int_equal(s2_mlkem768_decaps(k2, ct, sk), 0);
    assert_memory_equal(k2, k, SS_LEN);
    reject_key(j, sk, ct);
    assert_memory_not_equal(k2, j, 32);
    /* a different z changes only the rejection key */
    sk[SK_LEN - 1] ^= 1;
    assert_int_equal(s2_mlkem768_decaps(k2, ct, sk), 0);
    assert_memory_equal(k2, k, SS_LEN);
    /* a corrupted dk_pke (not covered by the hash) decrypts wrongly and
     * falls back to the rejection key */
    sk[SK_LEN - 1] ^= 1;
    sk[5] ^= 0x10;
    assert_int_equal(s2_mlkem768_decaps(k2, ct, sk), 0);
    reject_key(j, sk, ct);
    assert_memory_equal(k2, j, 32);
    assert_memory_not_equal(k2, k, SS_LEN);
}

/* Sets coefficient |i| (0..767) of t-hat in |pk| to the 12-bit |v|. */
static void
set_coeff(uint8_t *pk, size_t i, unsigned v)
{
    uint8_t *p = pk + 3 * (i / 2);

    if (i % 2 == 0) {
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)((p[1] & 0xf0) | (v >> 8));
    } else {
        p[1] = (uint8_t)((p[1] & 0x0f) | ((v & 0x0f) << 4));
        p[2] = (uint8_t)(v >> 4);
    }
}

/* FIPS 203 7.2: a t-hat coefficient >= q makes the key invalid. */
static void
test_encaps_key_check(void **state)
{
    static uint8_t pk[PK_LEN], sk[SK_LEN], bad[PK_LEN], ct[CT_LEN];
    static const size_t idx[] = {0, 1, 255, 256, 511, 512, 766, 767};
    static const unsigned vals[] = {3329, 3330, 4095};
    uint8_t m[32], k[SS_LEN];
    size_t i;
    size_t v;

    (void)state;
    memset(m, 7, sizeof m);
    assert_int_equal(s2_mlkem768_keypair(pk, sk), 0);
    for (i = 0; i < sizeof idx / sizeof idx[0]; i++) {
        for (v = 0; v < sizeof vals / sizeof vals[0]; v++) {
            memcpy(bad, pk, PK_LEN);
            set_coeff(bad, idx[i], vals[v]);
            assert_int_equal(s2_mlkem768_encaps_derand(ct, k, bad, m), LIBSSH2_ERROR_INVAL);
            assert_int_equal(s2_mlkem768_encaps(ct, k, bad), LIBSSH2_ERROR_INVAL);
        }
        /* boundary: q - 1 and 0 are fine */
        memcpy(bad, pk, PK_LEN);
        set_coeff(bad, idx[i], 3328);
        assert_int_equal(s2_mlkem768_encaps_derand(ct, k, bad, m), 0);
        set_coeff(bad, idx[i], 0);
        assert_int_equal(s2_mlkem768_encaps_derand(ct, k, bad, m), 0);
    }
    /* all coefficients q - 1, any rho: valid */
    for (i = 0; i < 768; i++) {
        set_coeff(bad, i, 3328);
    }
    assert_int_equal(s2_mlkem768_encaps_derand(ct, k, bad, m), 0);
    /* the rho part is never checked */
    memcpy(bad, pk, PK_LEN);
    memset(bad + 1152, 0xff, 32);
    assert_int_equal(s2_mlkem768_encaps_derand(ct, k, bad, m), 0);
}

/* FIPS 203 7.3: dk's H(ek) must match the ek inside dk. */
static void
test_decaps_key_check(void **state)
{
    static uint8_t pk[PK_LEN], sk[SK_LEN], ct[CT_LEN];
    static const size_t pos[] = {1152, 1152 + 1000, 1152 + PK_LEN - 1, /* ek */
                                 1152 + PK_LEN, 1152 + PK_LEN + 31};   /* H(ek) */
    uint8_t k[SS_LEN], k2[SS_LEN];
    size_t i;

    (void)state;
    assert_int_equal(s2_mlkem768_keypair(pk, sk), 0);
    assert_int_equal(s2_mlkem768_encaps(ct, k, pk), 0);
    for (i = 0; i < sizeof pos / sizeof pos[0]; i++) {
        sk[pos[i]] ^= 0x01;
        memset(k2, 0xaa, sizeof k2);
        assert_int_equal(s2_mlkem768_decaps(k2, ct, sk), LIBSSH2_ERROR_INVAL);
        sk[pos[i]] ^= 0x01;
    }
    assert_int_equal(s2_mlkem768_decaps(k2, ct, sk), 0);
    assert_memory_equal(k2, k, SS_LEN);
}

static double
now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Random keys: decaps(encaps(pk)) agrees; fresh encapsulations differ. */
static void
test_roundtrip(void **state)
{
    static uint8_t pk[PK_LEN], sk[SK_LEN], ct[CT_LEN], ct2[CT_LEN];
    uint8_t k[SS_LEN], k2[SS_LEN], k3[SS_LEN];
    double t0, tk = 0, te = 0, td = 0;
    int i;
    const int n = 200;

    (void)state;
    for (i = 0; i < n; i++) {
        t0 = now_us();
        assert_int_equal(s2_mlkem768_keypair(pk, sk), 0);
        tk += now_us() - t0;
        t0 = now_us();
        assert_int_equal(s2_mlkem768_encaps(ct, k, pk), 0);
        te += now_us() - t0;
        t0 = now_us();
        assert_int_equal(s2_mlkem768_decaps(k2, ct, sk), 0);
        td += now_us() - t0;
        assert_memory_equal(k, k2, SS_LEN);
        assert_int_equal(s2_mlkem768_encaps(ct2, k3, pk), 0);
        assert_memory_not_equal(ct, ct2, CT_LEN);
        assert_memory_not_equal(k, k3, SS_LEN);
    }
    printf("ml-kem-768: keygen %.1f us, encaps %.1f us, decaps %.1f us (mean of %d)\n", tk / n,
           te / n, td / n, n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_acvp),
        cmocka_unit_test(test_modified_ciphertext),
        cmocka_unit_test(test_encaps_key_check),
        cmocka_unit_test(test_decaps_key_check),
        cmocka_unit_test(test_roundtrip),
    };

    if (s2_crypto_init() != 0) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
