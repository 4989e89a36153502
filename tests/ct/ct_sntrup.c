/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ct_sntrup.c: sntrup761 under memcheck (ctgrind). The randomness handed
 * to key generation and encapsulation and the secret key are marked
 * undefined; memcheck then reports any branch or memory index that depends
 * on them. The only values declassified inside are the keygen retry flag
 * (through the hook's declassify callback: public by design); outputs are
 * declassified after each call returns: the public key and ciphertext are
 * public, the session keys are compared to check the run. Decapsulation is
 * run on the honest ciphertext and on modified ones (implicit rejection).
 * Exit status 0 on success; memcheck's --error-exitcode flags leaks.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <valgrind/memcheck.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

static void
secret_fill(void *ctx, uint8_t *out, size_t n)
{
    (void)ctx;
    if (s2_random(out, n) != 0) {
        memset(out, 0x5a, n);
    }
    VALGRIND_MAKE_MEM_UNDEFINED(out, n);
}

static void
declassify(void *ctx, const void *p, size_t n)
{
    (void)ctx;
    VALGRIND_MAKE_MEM_DEFINED(p, n);
}

int
main(void)
{
    static uint8_t pk[S2_SNTRUP761_PK_LEN], sk[S2_SNTRUP761_SK_LEN];
    static uint8_t ct[S2_SNTRUP761_CT_LEN], bad[S2_SNTRUP761_CT_LEN];
    uint8_t ss_e[S2_SNTRUP761_SS_LEN], ss_d[S2_SNTRUP761_SS_LEN];
    const struct s2_sntrup761_rng rng = {secret_fill, declassify, NULL};
    int round, fails = 0;

    if (s2_crypto_init() != 0) {
        return 2;
    }
    for (round = 0; round < 2; round++) {
        if (s2_sntrup761_keypair_rng(pk, sk, &rng) != 0) {
            return 2;
        }
        VALGRIND_MAKE_MEM_DEFINED(pk, sizeof pk);   /* public */
        VALGRIND_MAKE_MEM_UNDEFINED(sk, sizeof sk); /* all of it secret */

        if (s2_sntrup761_encaps_rng(ct, ss_e, pk, &rng) != 0) {
            return 2;
        }
        VALGRIND_MAKE_MEM_DEFINED(ct, sizeof ct); /* public */

        if (s2_sntrup761_decaps(ss_d, ct, sk) != 0) {
            return 2;
        }
        VALGRIND_MAKE_MEM_DEFINED(ss_e, sizeof ss_e);
        VALGRIND_MAKE_MEM_DEFINED(ss_d, sizeof ss_d);
        if (memcmp(ss_e, ss_d, sizeof ss_e) != 0) {
            fails++;
        }

        /* a modified ciphertext: the rejection path, in the rounded part
         * and in the confirm hash */
        memcpy(bad, ct, sizeof bad);
        bad[round == 0 ? 5 : S2_SNTRUP761_CT_LEN - 3] ^= 0x10;
        if (s2_sntrup761_decaps(ss_d, bad, sk) != 0) {
            return 2;
        }
        VALGRIND_MAKE_MEM_DEFINED(ss_d, sizeof ss_d);
        if (memcmp(ss_e, ss_d, sizeof ss_e) == 0) {
            fails++;
        }
    }
    if (fails != 0) {
        fprintf(stderr, "ct_sntrup: %d wrong session keys\n", fails);
        return 1;
    }
    return 0;
}
