/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ct_mlkem.c: constant-time check of ML-KEM-768 under valgrind memcheck
 * (ctgrind). The secret inputs are marked undefined: d and z for key
 * generation, m for encapsulation, the whole decapsulation key and the
 * ciphertext for decapsulation (both a valid and a modified ciphertext, so
 * both outcomes of the implicit-rejection select run). Memcheck then
 * reports any branch or memory index that depends on them. Outputs are
 * marked defined again before they are looked at. Everything runs twice:
 * with the CPU's Keccak kernel (AVX2 where present) and with the portable
 * one (SSH2CORE_CPU_MASK).
 *
 * mlkem768.c is compiled into this program (its public names renamed, so
 * they do not clash with the library's copy) with S2_CT_DECLASSIFY defined
 * as VALGRIND_MAKE_MEM_DEFINED: the library branches on two values that are
 * public although computed from secret-marked bytes, the matrix seed rho
 * (it is the end of ek) and the result of the 7.3 hash check on ek.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/memcheck.h>

#define S2_CT_DECLASSIFY(p, n)     ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#define s2_mlkem768_keypair        ct_mlkem768_keypair
#define s2_mlkem768_keypair_derand ct_mlkem768_keypair_derand
#define s2_mlkem768_encaps         ct_mlkem768_encaps
#define s2_mlkem768_encaps_derand  ct_mlkem768_encaps_derand
#define s2_mlkem768_decaps         ct_mlkem768_decaps
#include "crypto/mlkem768.c"

#define SECRET(p, n) ((void)VALGRIND_MAKE_MEM_UNDEFINED((p), (n)))
#define PUBLIC(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))

static uint8_t pk[S2_MLKEM768_PK_LEN];
static uint8_t sk[S2_MLKEM768_SK_LEN];
static uint8_t ct[S2_MLKEM768_CT_LEN];

static int
run(void)
{
    uint8_t d[32];
    uint8_t z[32];
    uint8_t m[32];
    uint8_t k_enc[32];
    uint8_t k_dec[32];
    uint8_t k_rej[32];
    int r;
    int round;

    for (round = 0; round < 2; round++) {
        memset(d, 0x11 + round, sizeof d);
        memset(z, 0x22 + round, sizeof z);
        memset(m, 0x33 + round, sizeof m);

        /* key generation: d and z secret */
        SECRET(d, sizeof d);
        SECRET(z, sizeof z);
        s2_mlkem768_keypair_derand(pk, sk, d, z);
        PUBLIC(pk, sizeof pk);
        PUBLIC(sk, sizeof sk);

        /* encapsulation: m secret (ek public) */
        SECRET(m, sizeof m);
        r = s2_mlkem768_encaps_derand(ct, k_enc, pk, m);
        PUBLIC(&r, sizeof r);
        PUBLIC(ct, sizeof ct);
        PUBLIC(k_enc, sizeof k_enc);
        if (r != 0) {
            fprintf(stderr, "encaps failed\n");
            return 1;
        }

        /* decapsulation: dk and c secret */
        SECRET(sk, sizeof sk);
        SECRET(ct, sizeof ct);
        r = s2_mlkem768_decaps(k_dec, ct, sk);
        PUBLIC(&r, sizeof r);
        PUBLIC(k_dec, sizeof k_dec);
        if (r != 0 || memcmp(k_dec, k_enc, 32) != 0) {
            fprintf(stderr, "decaps mismatch\n");
            return 1;
        }

        /* a modified ciphertext: the implicit-rejection path */
        PUBLIC(ct, sizeof ct);
        ct[100] ^= 0x04;
        SECRET(sk, sizeof sk);
        SECRET(ct, sizeof ct);
        r = s2_mlkem768_decaps(k_rej, ct, sk);
        PUBLIC(&r, sizeof r);
        PUBLIC(k_rej, sizeof k_rej);
        PUBLIC(sk, sizeof sk);
        PUBLIC(ct, sizeof ct);
        if (r != 0 || memcmp(k_rej, k_enc, 32) == 0) {
            fprintf(stderr, "modified ciphertext accepted\n");
            return 1;
        }
    }
    return 0;
}

int
main(void)
{
    if (s2_crypto_init() != 0) {
        return 1;
    }
    /* once with the CPU's Keccak kernel (AVX2 if present), once portable */
    printf("ct_mlkem: avx2 %s\n", (s2_cpu_features() & S2_CPU_AVX2) ? "yes" : "no");
    if (run() != 0) {
        return 1;
    }
    if (setenv("SSH2CORE_CPU_MASK", "0x8", 1) != 0) {
        return 1;
    }
    s2_cpu_reset_for_tests();
    printf("ct_mlkem: avx2 %s\n", (s2_cpu_features() & S2_CPU_AVX2) ? "yes" : "no");
    if (run() != 0) {
        return 1;
    }
    printf("ct_mlkem: ok\n");
    return 0;
}
