/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto.c: bench_crypto, one table of single-core throughput (MB/s,
 * 10^6 bytes per second) for every transport primitive in every
 * implementation this CPU can run: AES-GCM (our VAES and AES-NI kernels,
 * libsodium, mbedTLS), chacha20-poly1305@openssh.com, AES-CTR (our VAES
 * and AES-NI kernels, mbedTLS; and through s2_cipher), HMAC and
 * the plain hashes. Hashes and HMAC go through s2_hash / s2_mac, measured
 * once as dispatched and once with SSH2CORE_CPU_MASK turning every CPU
 * extension off (s2_cpu_reset_for_tests between rows), so whatever kernels
 * hash.c selects are compared with the portable code.
 *
 * Each row is the best of five slices of thread CPU time, since the
 * machine is shared.
 *
 * Usage: bench_crypto [-s bytes-per-call] [-t milliseconds-per-row]
 *        bench_crypto --smoke   (tiny size and time: a CTest that it runs)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

static void *
b_alloc(size_t n, void **abstract)
{
    (void)abstract;
    return malloc(n);
}

static void *
b_realloc(void *p, size_t n, void **abstract)
{
    (void)abstract;
    return realloc(p, n);
}

static void
b_free(void *p, void **abstract)
{
    (void)abstract;
    free(p);
}

static void *abstract_slot;
static const struct s2_allocator ba = { b_alloc, b_realloc, b_free, &abstract_slot };

static size_t buf_len = 32768;
static double row_ms = 400.0;
static uint8_t *buf;
static uint8_t key[64], iv[16], tag[64];

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* per core, whatever else runs */
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
set_mask(const char *m)
{
    if (m == NULL) {
        unsetenv("SSH2CORE_CPU_MASK");
    } else {
        setenv("SSH2CORE_CPU_MASK", m, 1);
    }
    s2_cpu_reset_for_tests();
}

/* one measured operation over buf[0..buf_len) */
typedef int (*op_fn)(void *ctx);

/* Runs |op| for about row_ms in TRIALS slices and prints the best slice:
 * the machine is shared, and interference only ever slows a slice down. */
#define TRIALS 5

static void
row(const char *prim, const char *impl, op_fn op, void *ctx)
{
    double t0, t, best = 0.0, rate, limit = row_ms / 1000.0 / TRIALS;
    unsigned long n, batch, i;
    int trial;

    if (op(ctx) != 0) { /* warm-up, and a sanity check */
        printf("%-32s %-22s %12s\n", prim, impl, "error");
        return;
    }
    for (trial = 0; trial < TRIALS; trial++) {
        n = 0;
        batch = 1;
        t0 = now();
        do {
            for (i = 0; i < batch; i++) {
                if (op(ctx) != 0) {
                    printf("%-32s %-22s %12s\n", prim, impl, "error");
                    return;
                }
            }
            n += batch;
            if (batch < 64) {
                batch *= 2;
            }
            t = now() - t0;
        } while (t < limit);
        rate = (double)n * (double)buf_len / t / 1e6;
        if (rate > best) {
            best = rate;
        }
    }
    printf("%-32s %-22s %12.0f\n", prim, impl, best);
    fflush(stdout);
}

/* ---- AES-GCM, one context per implementation ---- */
static int
gcm_seal_op(void *ctx)
{
    return s2_gcm_seal(ctx, buf, buf_len, tag);
}

static int
gcm_open_op(void *ctx)
{
    struct s2_gcm_ctx *g = ctx;

    /* no valid tag: measures decrypt + hash + compare (+ wipe), and the
     * counter does not advance; the cost is that of a good packet */
    return s2_gcm_open(g, buf, buf_len, tag) == LIBSSH2_ERROR_INVALID_MAC ? 0 : -1;
}

static void
bench_gcm(void)
{
    static const enum s2_gcm_impl impls[] = { S2_GCM_VAES, S2_GCM_NI, S2_GCM_SODIUM,
                                              S2_GCM_MBEDTLS };
    struct s2_gcm_ctx *g = malloc(sizeof(*g));
    char name[64];
    size_t kl, i;

    if (g == NULL) {
        return;
    }
    for (kl = 16; kl <= 32; kl += 16) {
        for (i = 0; i < sizeof(impls) / sizeof(impls[0]); i++) {
            if (s2_gcm_init_impl(g, key, kl, iv, impls[i]) != 0) {
                s2_gcm_cleanup(g);
                continue;
            }
            snprintf(name, sizeof(name), "aes%u-gcm seal", (unsigned)kl * 8);
            row(name, s2_gcm_impl_name(impls[i]), gcm_seal_op, g);
            snprintf(name, sizeof(name), "aes%u-gcm open", (unsigned)kl * 8);
            row(name, s2_gcm_impl_name(impls[i]), gcm_open_op, g);
            s2_gcm_cleanup(g);
        }
    }
    free(g);
}

/* ---- AES-CTR, one context per implementation ---- */
static int
ctr_op(void *ctx)
{
    return s2_aes_crypt(ctx, buf, buf_len);
}

static void
bench_ctr(void)
{
    static const enum s2_aes_impl impls[] = { S2_AES_VAES, S2_AES_NI, S2_AES_MBEDTLS };
    struct s2_aes_ctx *c = malloc(sizeof(*c));
    char name[64];
    size_t kl, i;

    if (c == NULL) {
        return;
    }
    for (kl = 16; kl <= 32; kl += 8) {
        for (i = 0; i < sizeof(impls) / sizeof(impls[0]); i++) {
            if (s2_aes_init_ctr_impl(c, key, kl, iv, impls[i]) != 0) {
                s2_aes_cleanup(c);
                continue;
            }
            snprintf(name, sizeof(name), "aes%u-ctr", (unsigned)kl * 8);
            row(name, s2_aes_impl_name(impls[i]), ctr_op, c);
            s2_aes_cleanup(c);
        }
    }
    free(c);
}

/* ---- the cipher API: chacha20-poly1305, AES-CTR as dispatched ---- */
static int
aead_seal_op(void *ctx)
{
    return s2_aead_seal(ctx, 7, buf, buf_len, tag);
}

static int
crypt_op(void *ctx)
{
    return s2_cipher_crypt(ctx, buf, buf_len);
}

static void
bench_cipher(const char *name, op_fn op, const char *impl)
{
    const struct s2_cipher_alg *alg = s2_cipher_find(name, strlen(name));
    struct s2_cipher *c = NULL;

    if (alg == NULL || s2_cipher_new(&ba, alg, 1, key, iv, &c) != 0) {
        printf("%-32s %-22s %12s\n", name, impl, "n/a");
        return;
    }
    row(name, impl, op, c);
    s2_cipher_free(&ba, c);
}

/* ---- hashes and HMAC ---- */
static int
hash_op(void *ctx)
{
    return s2_hash_once(*(enum s2_hash_alg *)ctx, buf, buf_len, tag);
}

static int
mac_op(void *ctx)
{
    s2_mac_packet(ctx, 7, buf, buf_len, tag);
    return 0;
}

static void
bench_hashes(const char *impl)
{
    static const struct {
        enum s2_hash_alg alg;
        const char *hash, *hmac;
    } algs[] = {
        { S2_HASH_SHA1, "sha1", "hmac-sha1" },
        { S2_HASH_SHA256, "sha256", "hmac-sha2-256" },
        { S2_HASH_SHA512, "sha512", "hmac-sha2-512" },
    };
    struct s2_mac *m = NULL;
    enum s2_hash_alg alg;
    size_t i;

    for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
        alg = algs[i].alg;
        row(algs[i].hash, impl, hash_op, &alg);
        if (s2_mac_new(&ba, alg, key, s2_hash_len(alg), &m) != 0) {
            printf("%-32s %-22s %12s\n", algs[i].hmac, impl, "n/a");
            continue;
        }
        row(algs[i].hmac, impl, mac_op, m);
        s2_mac_free(&ba, m);
        m = NULL;
    }
}

static const char *
features(char *out, size_t n)
{
    unsigned f = s2_cpu_features();

    snprintf(out, n, "%s%s%s%s%s%s", (f & S2_CPU_AESNI) ? " aesni" : "",
             (f & S2_CPU_PCLMUL) ? " pclmul" : "", (f & S2_CPU_SHANI) ? " sha" : "",
             (f & S2_CPU_AVX2) ? " avx2" : "", (f & S2_CPU_VAES) ? " vaes" : "",
             (f & S2_CPU_AVX512) ? " avx512" : "");
    return out;
}

int
main(int argc, char **argv)
{
    const char *orig_mask = getenv("SSH2CORE_CPU_MASK");
    char fbuf[128];
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--smoke") == 0) {
            buf_len = 1000;
            row_ms = 2.0;
        } else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
            buf_len = strtoul(argv[++i], NULL, 0);
        } else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
            row_ms = strtod(argv[++i], NULL);
        } else {
            fprintf(stderr, "usage: %s [-s bytes] [-t ms-per-row] [--smoke]\n", argv[0]);
            return 2;
        }
    }
    /* 16-byte multiple for CTR; at least the 4-byte AEAD length field */
    buf_len = (buf_len + 15) & ~(size_t)15;
    if (buf_len < 16) {
        buf_len = 16;
    }
    if (s2_crypto_init() != 0) {
        fprintf(stderr, "s2_crypto_init failed\n");
        return 1;
    }
    buf = malloc(buf_len);
    if (buf == NULL) {
        return 1;
    }
    memset(buf, 0xa5, buf_len);
    memset(key, 0x42, sizeof(key));
    memset(iv, 0x24, sizeof(iv));

    printf("bench_crypto: %zu bytes per call, %.0f ms per row; CPU:%s\n", buf_len, row_ms,
           features(fbuf, sizeof(fbuf)));
    printf("%-32s %-22s %12s\n", "primitive", "implementation", "MB/s");
    bench_gcm();
    bench_cipher("chacha20-poly1305@openssh.com", aead_seal_op, "libsodium");
    bench_ctr();
    bench_cipher("aes128-ctr", crypt_op, "s2_cipher (dispatched)");

    bench_hashes(s2_cpu_features() != 0 ? "s2 (all cpu features)" : "s2 (no cpu features)");
    set_mask("0x3f");
    bench_hashes("s2 (MASK=0x3f)");
    set_mask(orig_mask);
    free(buf);
    return 0;
}
