/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sntrup761.c: Streamlined NTRU Prime with p = 761, q = 4591, w = 286, the
 * KEM of OpenSSH's sntrup761x25519-sha512 (the "sntrup761" of SUPERCOP and
 * of the NIST round-3 submission "NTRU Prime: round 3"). Written from that
 * specification: Core (KeyGen, Encrypt, Decrypt in R/q and R/3), the
 * mixed-radix Encode/Decode, the hashes Hash_b = first 32 bytes of
 * SHA-512(b || input), and the KEM with the plaintext confirmation hash and
 * implicit rejection through rho.
 *
 * Polynomials live in R = Z[x]/(x^p - x - 1). A "small" polynomial has
 * coefficients in {-1, 0, 1} (int8_t); a "short" one is small with exactly w
 * non-zero coefficients; an element of R/q has centred coefficients in
 * [-(q-1)/2, (q-1)/2] (int16_t).
 *
 * Constant time: nothing secret selects a branch or a memory index. The
 * reciprocals use the fixed-length (2p - 1 steps) divstep iteration, Short
 * generation sorts with a bitonic network of branch-free compare-exchanges,
 * reductions are multiply-and-shift, and loop-invariant secret masks pass
 * through opaque() so the optimiser cannot turn them back into branches.
 * Only the key-generation retry (a non-invertible g, rare) depends on the
 * randomness, and that fact is public by design (the discarded g is never
 * used). Encode/Decode of R/q and rounded elements branch
 * on the moduli (public) only.
 */
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

#define P    761
#define Q    4591
#define W    286
#define Q12  ((Q - 1) / 2)
#define QINV 15631 /* q^-1 mod 2^16 */

#define SMALL_BYTES   191  /* (p + 3) / 4 */
#define RQ_BYTES      1158 /* Encode of p elements mod q */
#define ROUNDED_BYTES 1007 /* Encode of p elements mod (q + 2) / 3 */
#define HASH_BYTES    32
#define CT_BYTES      (ROUNDED_BYTES + HASH_BYTES)

/* secret key layout: f, 1/g in R/3, pk, rho, Hash_4(pk) */
#define SK_F     0
#define SK_V     SMALL_BYTES
#define SK_PK    (2 * SMALL_BYTES)
#define SK_RHO   (SK_PK + RQ_BYTES)
#define SK_CACHE (SK_RHO + SMALL_BYTES)

#if SK_CACHE + HASH_BYTES != S2_SNTRUP761_SK_LEN || CT_BYTES != S2_SNTRUP761_CT_LEN
#error "sntrup761 sizes"
#endif

/* ---- masks and reductions ------------------------------------------- */

/* -1 when x != 0, else 0 */
static int32_t
nonzero_mask(int32_t x)
{
    return (int32_t)(((uint32_t)x | (0u - (uint32_t)x)) >> 31) * -1;
}

/* -1 when x < 0, else 0 (|x| < 2^31) */
static int32_t
negative_mask(int32_t x)
{
    return (int32_t)((uint32_t)x >> 31) * -1;
}

/* opaque hides a secret mask from the optimiser, so that a loop using a
 * loop-invariant mask is not split into "mask = 0" and "mask = -1"
 * versions (clang does that otherwise) */
static inline int32_t
opaque(int32_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    __asm__("" : "+r"(x));
#else
    volatile int32_t v = x;
    x = v;
#endif
    return x;
}

/* fq_freeze reduces |x| < 2^28 to the centred residue mod q. */
static int16_t
fq_freeze(int32_t x)
{
    int32_t t = (int32_t)(((int64_t)x * 935519 + ((int64_t)1 << 31)) >> 32);
    int32_t r = x - t * Q;

    r -= Q & ~negative_mask(Q12 - r);
    r += Q & negative_mask(r + Q12);
    return (int16_t)r;
}

/* f3_freeze reduces |x| < 19998 to the centred residue mod 3. */
static int8_t
f3_freeze(int32_t x)
{
    int32_t t = (x * 21846 + 32768) >> 16;

    return (int8_t)(x - 3 * t);
}

/* mulhi is the high half of the 32-bit product of two int16 values. */
static inline int16_t
mulhi(int16_t a, int16_t b)
{
    return (int16_t)(((int32_t)a * b) >> 16);
}

/* mullo is the low half, as int16. */
static inline int16_t
mullo(int16_t a, int16_t b)
{
    return (int16_t)(uint16_t)((uint32_t)(int32_t)a * (uint32_t)(int32_t)b);
}

/* fq_recip returns 1/a mod q (a^(q-2)), 0 for a = 0; centred. */
static int16_t
fq_recip(int16_t a)
{
    int32_t r = 1;
    int bit;

    for (bit = 12; bit >= 0; bit--) { /* q - 2 = 4589 < 2^13 */
        r = fq_freeze(r * r);
        if (((Q - 2) >> bit) & 1) {
            r = fq_freeze(r * a);
        }
    }
    return (int16_t)r;
}

/* ---- sorting network ------------------------------------------------ */

#define SORT_N 1024 /* p padded to a power of two */

/* cswap puts the smaller of *a, *b in *a. */
static inline void
cswap_u32(uint32_t *a, uint32_t *b)
{
    uint32_t x = *a;
    uint32_t y = *b;
    uint32_t m = 0u - (uint32_t)(((uint64_t)y - x) >> 63); /* y < x */
    uint32_t t = (x ^ y) & m;

    *a = x ^ t;
    *b = y ^ t;
}

/* sort_u32 sorts SORT_N words ascending: a bitonic network whose first
 * stage of each merge compares mirrored positions, so every comparator
 * points the same way. Indices depend only on the loop counters. */
static void
sort_u32(uint32_t *x)
{
    size_t k, j, i, b;

    for (k = 2; k <= SORT_N; k <<= 1) {
        for (b = 0; b < SORT_N; b += k) {
            for (i = 0; i < k / 2; i++) {
                cswap_u32(&x[b + i], &x[b + k - 1 - i]);
            }
        }
        for (j = k >> 2; j > 0; j >>= 1) {
            for (b = 0; b < SORT_N; b += 2 * j) {
                for (i = b; i < b + j; i++) {
                    cswap_u32(&x[i], &x[i + j]);
                }
            }
        }
    }
}

/* ---- random small and short polynomials ----------------------------- */

static uint32_t
load_le32(const uint8_t *b)
{
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}

/* small_from_words: Small_random, coefficient i = floor(3 (L_i mod 2^30) / 2^30) - 1 */
static void
small_from_words(int8_t out[P], const uint8_t bytes[4 * P])
{
    size_t i;

    for (i = 0; i < P; i++) {
        uint32_t l = load_le32(bytes + 4 * i) & 0x3fffffffu;

        out[i] = (int8_t)((int32_t)((l * 3) >> 30) - 1);
    }
}

/* short_from_words: Short_fromlist. The first w words are forced even
 * (low bits 00 or 10: coefficient -1 or +1), the rest to low bits 01
 * (coefficient 0); sorting shuffles them. */
static void
short_from_words(int8_t out[P], const uint8_t bytes[4 * P], uint32_t work[SORT_N])
{
    size_t i;

    for (i = 0; i < P; i++) {
        uint32_t l = load_le32(bytes + 4 * i);

        work[i] = i < W ? (l & ~1u) : ((l & ~3u) | 1u);
    }
    for (i = P; i < SORT_N; i++) {
        work[i] = 0xffffffffu; /* above every real entry (at most 0xfffffffe) */
    }
    sort_u32(work);
    for (i = 0; i < P; i++) {
        out[i] = (int8_t)((int32_t)(work[i] & 3) - 1);
    }
}

/* ---- arithmetic in R/3 and R/q -------------------------------------- */

/* The products below run over padded copies (MPAD entries, zeros past p)
 * so that the inner loops have a fixed, vector-friendly length. */
#define MPAD 768

/* rq_mult_small: h = f * g in R/q, g small. */
static void
rq_mult_small(int16_t h[P], const int16_t f[P], const int8_t g[P])
{
    int32_t fg[2 * MPAD];
    int16_t fp[MPAD];
    size_t i, j;

    memset(fg, 0, sizeof fg);
    memset(fp, 0, sizeof fp);
    memcpy(fp, f, P * sizeof f[0]);
    for (i = 0; i < P; i++) {
        int32_t gi = g[i];
        int32_t *acc = fg + i;

        for (j = 0; j < MPAD; j++) {
            acc[j] += fp[j] * gi;
        }
    }
    for (i = 2 * P - 2; i >= P; i--) { /* x^p = x + 1 */
        fg[i - P] += fg[i];
        fg[i - P + 1] += fg[i];
    }
    for (i = 0; i < P; i++) {
        h[i] = fq_freeze(fg[i]);
    }
    s2_wipe(fg, sizeof fg);
    s2_wipe(fp, sizeof fp);
}

/* r3_mult: h = f * g in R/3. */
static void
r3_mult(int8_t h[P], const int8_t f[P], const int8_t g[P])
{
    int16_t fg[2 * MPAD];
    int16_t fp[MPAD];
    size_t i, j;

    memset(fg, 0, sizeof fg);
    memset(fp, 0, sizeof fp);
    for (i = 0; i < P; i++) {
        fp[i] = f[i];
    }
    for (i = 0; i < P; i++) {
        int16_t gi = g[i];
        int16_t *acc = fg + i;

        for (j = 0; j < MPAD; j++) {
            acc[j] = (int16_t)(acc[j] + fp[j] * gi);
        }
    }
    for (i = 2 * P - 2; i >= P; i--) {
        fg[i - P] = (int16_t)(fg[i - P] + fg[i]);
        fg[i - P + 1] = (int16_t)(fg[i - P + 1] + fg[i]);
    }
    for (i = 0; i < P; i++) {
        h[i] = f3_freeze(fg[i]);
    }
    s2_wipe(fg, sizeof fg);
    s2_wipe(fp, sizeof fp);
}

/*
 * The reciprocals follow the constant-time gcd of the specification
 * (Bernstein-Yang divsteps on reversed polynomials). f starts as the
 * reversal of x^p - x - 1, g as the reversal of the input (degree < p); v
 * and r track the multipliers of the input, r starting at the wanted
 * scale. Each of the 2p - 1 steps multiplies v by x, swaps (f, v) with
 * (g, r) when delta > 0 and g(0) != 0 (negating delta), adds one to delta,
 * and replaces g by (f(0) g - g(0) f) / x and r by f(0) r - g(0) v. The
 * input is invertible exactly when delta ends at 0; then f is a constant
 * and the reversal of v / f(0) is the reciprocal.
 */

/* The working polynomials have p + 1 coefficients; the loops run over a
 * padded length that is a multiple of the vector width (entries past p
 * stay zero), so the compiler vectorises them without scalar tails. */
#define NPAD 768
#define NBUF (NPAD + 16)

/* r3_recip: out = 1/in in R/3. 0 on success, -1 when in is not invertible
 * (out is then garbage). */
static int
r3_recip(int8_t out[P], const int8_t in[P])
{
    int8_t f[NBUF], g[NBUF], v[NBUF], r[NBUF];
    int32_t delta = 1, swap, sign, f0;
    size_t i;
    int loop;

    memset(f, 0, sizeof f);
    memset(g, 0, sizeof g);
    memset(v, 0, sizeof v);
    memset(r, 0, sizeof r);
    r[0] = 1;
    f[0] = 1;
    f[P - 1] = -1;
    f[P] = -1;
    for (i = 0; i < P; i++) {
        g[P - 1 - i] = in[i];
    }

    for (loop = 0; loop < 2 * P - 1; loop++) {
        int8_t m8, nz, ng;

        memmove(v + 1, v, P);
        v[0] = 0;

        swap = negative_mask(-delta) & nonzero_mask(g[0]);
        delta ^= swap & (delta ^ -delta);
        delta += 1;
        m8 = (int8_t)opaque(swap);
        for (i = 0; i < NPAD; i++) {
            int8_t t = (int8_t)(m8 & (f[i] ^ g[i]));
            f[i] = (int8_t)(f[i] ^ t);
            g[i] = (int8_t)(g[i] ^ t);
            t = (int8_t)(m8 & (v[i] ^ r[i]));
            v[i] = (int8_t)(v[i] ^ t);
            r[i] = (int8_t)(r[i] ^ t);
        }

        /* f(0) = +-1, so g <- f(0) (f(0) g - g(0) f) = g + sign f with
         * sign = -f(0) g(0); sign * x is done with masks */
        sign = -g[0] * f[0];
        nz = (int8_t)opaque(nonzero_mask(sign));
        ng = (int8_t)opaque(negative_mask(sign));
        for (i = 0; i < NPAD; i++) {
            int8_t x = (int8_t)(g[i + 1] + (((f[i + 1] & nz) ^ ng) - ng));
            int8_t lo = (int8_t)(0 - (x < -1));
            int8_t hi = (int8_t)(0 - (x > 1));

            g[i] = (int8_t)(x + (3 & lo) - (3 & hi));
        }
        for (i = 0; i < NPAD; i++) {
            int8_t x = (int8_t)(r[i] + (((v[i] & nz) ^ ng) - ng));
            int8_t lo = (int8_t)(0 - (x < -1));
            int8_t hi = (int8_t)(0 - (x > 1));

            r[i] = (int8_t)(x + (3 & lo) - (3 & hi));
        }
    }

    f0 = f[0];
    for (i = 0; i < P; i++) {
        out[i] = (int8_t)(f0 * v[P - 1 - i]);
    }
    s2_wipe(f, sizeof f);
    s2_wipe(g, sizeof g);
    s2_wipe(v, sizeof v);
    s2_wipe(r, sizeof r);
    swap = nonzero_mask(delta);
    delta = 0;
    return (int)swap;
}

/*
 * rq_recip3: out = 1/(3 in) in R/q (always exists: x^p - x - 1 is
 * irreducible mod q). The update works in Montgomery form on int16 lanes:
 * g <- (f0 g - g0 f) / 2^16 and r likewise; the common factor 2^-16 leaves
 * the pairs (g, r) proportional, which is all the algorithm needs. Every
 * entry stays below 2q in absolute value, so the Montgomery products stay
 * below q.
 */
static void
rq_recip3(int16_t out[P], const int8_t in[P])
{
    int16_t f[NBUF], g[NBUF], v[NBUF], r[NBUF];
    int32_t delta = 1, swap;
    int16_t f0, g0, f0q, g0q, scale;
    size_t i;
    int loop;

    memset(f, 0, sizeof f);
    memset(g, 0, sizeof g);
    memset(v, 0, sizeof v);
    memset(r, 0, sizeof r);
    r[0] = -1530; /* 1/3 mod q */
    f[0] = 1;
    f[P - 1] = -1;
    f[P] = -1;
    for (i = 0; i < P; i++) {
        g[P - 1 - i] = in[i];
    }

    for (loop = 0; loop < 2 * P - 1; loop++) {
        int16_t m16;

        memmove(v + 1, v, P * sizeof v[0]);
        v[0] = 0;

        swap = negative_mask(-delta) & nonzero_mask(fq_freeze(g[0]));
        delta ^= swap & (delta ^ -delta);
        delta += 1;
        m16 = (int16_t)opaque(swap);
        for (i = 0; i < NPAD; i++) {
            int16_t t = (int16_t)(m16 & (f[i] ^ g[i]));
            f[i] = (int16_t)(f[i] ^ t);
            g[i] = (int16_t)(g[i] ^ t);
            t = (int16_t)(m16 & (v[i] ^ r[i]));
            v[i] = (int16_t)(v[i] ^ t);
            r[i] = (int16_t)(r[i] ^ t);
        }

        f0 = f[0];
        g0 = g[0];
        f0q = mullo(f0, QINV);
        g0q = mullo(g0, QINV);
        for (i = 0; i < NPAD; i++) {
            int16_t fi = f[i + 1];
            int16_t gi = g[i + 1];
            int16_t hi = (int16_t)(mulhi(f0, gi) - mulhi(g0, fi));
            int16_t lo = (int16_t)(mulhi(mullo(f0q, gi), Q) - mulhi(mullo(g0q, fi), Q));

            g[i] = (int16_t)(hi - lo);
        }
        for (i = 0; i < NPAD; i++) {
            int16_t vi = v[i];
            int16_t ri = r[i];
            int16_t hi = (int16_t)(mulhi(f0, ri) - mulhi(g0, vi));
            int16_t lo = (int16_t)(mulhi(mullo(f0q, ri), Q) - mulhi(mullo(g0q, vi), Q));

            r[i] = (int16_t)(hi - lo);
        }
    }

    scale = fq_recip(fq_freeze(f[0]));
    for (i = 0; i < P; i++) {
        out[i] = fq_freeze(scale * v[P - 1 - i]);
    }
    s2_wipe(f, sizeof f);
    s2_wipe(g, sizeof g);
    s2_wipe(v, sizeof v);
    s2_wipe(r, sizeof r);
}

/* ---- Encode / Decode (specification section "Encoding") ------------- */

/* encode_mr is Encode(R, M) for |len| entries R[i] < M[i] <= 2^14: pairs
 * are merged into one radix M[i] M[i+1], whose low bytes go out while it is
 * at least 2^14; recursing until one entry is left, whose bytes close the
 * string. Branches only on the moduli. |r| and |m| are clobbered. Returns
 * the number of bytes written. */
static size_t
encode_mr(uint8_t *out, uint32_t *r, uint32_t *m, size_t len)
{
    size_t n = 0, i, k;

    while (len > 1) {
        for (i = 0, k = 0; i + 1 < len; i += 2, k++) {
            uint32_t mm = m[i] * m[i + 1];
            uint32_t x = r[i] + m[i] * r[i + 1];

            while (mm >= 16384) {
                out[n++] = (uint8_t)x;
                x >>= 8;
                mm = (mm + 255) >> 8;
            }
            r[k] = x;
            m[k] = mm;
        }
        if (len & 1) {
            r[k] = r[len - 1];
            m[k] = m[len - 1];
            k++;
        }
        len = k;
    }
    if (len == 1) {
        uint32_t x = r[0];
        uint32_t mm = m[0];

        while (mm > 1) {
            out[n++] = (uint8_t)x;
            x >>= 8;
            mm = (mm + 255) >> 8;
        }
    }
    return n;
}

/* decode_mr is Decode(S, M): the inverse of encode_mr, reducing every
 * output into [0, M[i]) whatever the input bytes. |len| <= P moduli in
 * |m0|; results go to |r|. Branches and divides on public data only. */
static void
decode_mr(uint32_t *r, const uint8_t *s, const uint32_t *m0, size_t len)
{
    uint32_t mbuf[2 * P + 16], bot_r[P], bot_t[P], a[P], b[P];
    size_t lens[16], moff[16], boff[16];
    size_t levels = 0, pos = 0, bo = 0, i, k, l;
    uint32_t *cur = a;

    memcpy(mbuf, m0, len * sizeof *m0);
    lens[0] = len;
    moff[0] = 0;
    while (lens[levels] > 1) { /* going up: the low bytes of each pair */
        size_t n = lens[levels];
        const uint32_t *m = mbuf + moff[levels];
        uint32_t *mn = mbuf + moff[levels] + n;

        boff[levels] = bo;
        for (i = 0, k = 0; i + 1 < n; i += 2, k++) {
            uint32_t mm = m[i] * m[i + 1];
            uint32_t x = 0, t = 1;

            while (mm >= 16384) {
                x += (uint32_t)s[pos++] * t;
                t <<= 8;
                mm = (mm + 255) >> 8;
            }
            bot_r[bo] = x;
            bot_t[bo] = t;
            bo++;
            mn[k] = mm;
        }
        if (n & 1) {
            mn[k++] = m[n - 1];
        }
        lens[levels + 1] = k;
        moff[levels + 1] = moff[levels] + n;
        levels++;
    }
    {
        uint32_t m = mbuf[moff[levels]];
        uint32_t mm = m, x = 0, t = 1;

        while (mm > 1) {
            x += (uint32_t)s[pos++] * t;
            t <<= 8;
            mm = (mm + 255) >> 8;
        }
        a[0] = x % m;
    }
    for (l = levels; l-- > 0;) { /* going down: split each entry in two */
        size_t n = lens[l];
        const uint32_t *m = mbuf + moff[l];
        uint32_t *dst = l == 0 ? r : (cur == a ? b : a);

        if (n & 1) {
            dst[n - 1] = cur[n / 2] % m[n - 1];
        }
        for (i = 0; i < n / 2; i++) {
            uint32_t x = bot_r[boff[l] + i] + bot_t[boff[l] + i] * cur[i];

            dst[2 * i] = x % m[2 * i];
            dst[2 * i + 1] = (x / m[2 * i]) % m[2 * i + 1];
        }
        cur = dst;
    }
}

/* ---- element encodings ---------------------------------------------- */

static void
small_encode(uint8_t out[SMALL_BYTES], const int8_t f[P])
{
    size_t i;

    for (i = 0; i < P / 4; i++) {
        const int8_t *c = f + 4 * i;

        out[i] = (uint8_t)((c[0] + 1) | ((c[1] + 1) << 2) | ((c[2] + 1) << 4) | ((c[3] + 1) << 6));
    }
    out[P / 4] = (uint8_t)(f[P - 1] + 1);
}

static void
small_decode(int8_t f[P], const uint8_t in[SMALL_BYTES])
{
    size_t i;

    for (i = 0; i < P / 4; i++) {
        uint8_t b = in[i];

        f[4 * i] = (int8_t)((b & 3) - 1);
        f[4 * i + 1] = (int8_t)(((b >> 2) & 3) - 1);
        f[4 * i + 2] = (int8_t)(((b >> 4) & 3) - 1);
        f[4 * i + 3] = (int8_t)(((b >> 6) & 3) - 1);
    }
    f[P - 1] = (int8_t)((in[P / 4] & 3) - 1);
}

static void
rq_encode(uint8_t out[RQ_BYTES], const int16_t h[P])
{
    uint32_t r[P], m[P];
    size_t i;

    for (i = 0; i < P; i++) {
        r[i] = (uint32_t)(h[i] + Q12);
        m[i] = Q;
    }
    (void)encode_mr(out, r, m, P);
}

static void
rq_decode(int16_t h[P], const uint8_t in[RQ_BYTES])
{
    uint32_t r[P], m[P];
    size_t i;

    for (i = 0; i < P; i++) {
        m[i] = Q;
    }
    decode_mr(r, in, m, P);
    for (i = 0; i < P; i++) {
        h[i] = (int16_t)((int32_t)r[i] - Q12);
    }
}

/* rounded_encode: c has coefficients that are multiples of 3 in [-q12, q12];
 * (c + q12) / 3 lies in [0, 1530]. Constant time (the re-encryption in
 * decapsulation is secret). */
static void
rounded_encode(uint8_t out[ROUNDED_BYTES], const int16_t c[P])
{
    uint32_t r[P], m[P];
    size_t i;

    for (i = 0; i < P; i++) {
        r[i] = ((uint32_t)(c[i] + Q12) * 10923) >> 15;
        m[i] = (Q + 2) / 3;
    }
    (void)encode_mr(out, r, m, P);
    s2_wipe(r, sizeof r);
}

static void
rounded_decode(int16_t c[P], const uint8_t in[ROUNDED_BYTES])
{
    uint32_t r[P], m[P];
    size_t i;

    for (i = 0; i < P; i++) {
        m[i] = (Q + 2) / 3;
    }
    decode_mr(r, in, m, P);
    for (i = 0; i < P; i++) {
        c[i] = (int16_t)((int32_t)r[i] * 3 - Q12);
    }
}

/* ---- Core ----------------------------------------------------------- */

/* encrypt: c = Round(h r). */
static void
core_encrypt(int16_t c[P], const int8_t r[P], const int16_t h[P])
{
    int16_t hr[P];
    size_t i;

    rq_mult_small(hr, h, r);
    for (i = 0; i < P; i++) {
        c[i] = (int16_t)(hr[i] - f3_freeze(hr[i]));
    }
    s2_wipe(hr, sizeof hr);
}

/* decrypt: e = 3 f c mod 3, r = e v when it has weight w, else the fixed
 * vector (1 x w, 0 ...). */
static void
core_decrypt(int8_t r[P], const int16_t c[P], const int8_t f[P], const int8_t v[P])
{
    int16_t cf[P];
    int8_t e[P], ev[P];
    int32_t weight = 0, mask;
    size_t i;

    rq_mult_small(cf, c, f);
    for (i = 0; i < P; i++) {
        e[i] = f3_freeze(fq_freeze(3 * cf[i]));
    }
    r3_mult(ev, e, v);
    for (i = 0; i < P; i++) {
        weight += ev[i] & 1;
    }
    mask = opaque(nonzero_mask(weight - W)); /* -1 on the wrong weight */
    for (i = 0; i < W; i++) {
        r[i] = (int8_t)(((ev[i] ^ 1) & ~mask) ^ 1);
    }
    for (i = W; i < P; i++) {
        r[i] = (int8_t)(ev[i] & ~mask);
    }
    s2_wipe(cf, sizeof cf);
    s2_wipe(e, sizeof e);
    s2_wipe(ev, sizeof ev);
}

/* ---- hashes --------------------------------------------------------- */

/* hash_prefix: out = first 32 bytes of SHA-512(b || a || c) (c may be
 * empty). */
static int
hash_prefix(uint8_t out[HASH_BYTES], uint8_t b, const uint8_t *a, size_t alen, const uint8_t *c,
            size_t clen)
{
    struct s2_hash h;
    uint8_t full[64];
    int rc;

    rc = s2_hash_init(&h, S2_HASH_SHA512);
    if (rc != 0) {
        return rc;
    }
    s2_hash_update(&h, &b, 1);
    s2_hash_update(&h, a, alen);
    if (clen > 0) {
        s2_hash_update(&h, c, clen);
    }
    s2_hash_final(&h, full);
    memcpy(out, full, HASH_BYTES);
    s2_wipe(full, sizeof full);
    return 0;
}

/* hash_confirm: Hash_2(Hash_3(r_enc) || Hash_4(pk)). */
static int
hash_confirm(uint8_t out[HASH_BYTES], const uint8_t r_enc[SMALL_BYTES],
             const uint8_t cache[HASH_BYTES])
{
    uint8_t x[HASH_BYTES];
    int rc;

    rc = hash_prefix(x, 3, r_enc, SMALL_BYTES, NULL, 0);
    if (rc == 0) {
        rc = hash_prefix(out, 2, x, HASH_BYTES, cache, HASH_BYTES);
    }
    s2_wipe(x, sizeof x);
    return rc;
}

/* hash_session: Hash_b(Hash_3(r_enc) || ct). */
static int
hash_session(uint8_t out[HASH_BYTES], uint8_t b, const uint8_t r_enc[SMALL_BYTES],
             const uint8_t ct[CT_BYTES])
{
    uint8_t x[HASH_BYTES];
    int rc;

    rc = hash_prefix(x, 3, r_enc, SMALL_BYTES, NULL, 0);
    if (rc == 0) {
        rc = hash_prefix(out, b, x, HASH_BYTES, ct, CT_BYTES);
    }
    s2_wipe(x, sizeof x);
    return rc;
}

/* hide: ct = Encode(Round(h r)) || HashConfirm(r, pk); r_enc = Encode(r). */
static int
hide(uint8_t ct[CT_BYTES], uint8_t r_enc[SMALL_BYTES], const int8_t r[P],
     const uint8_t pk[RQ_BYTES], const uint8_t cache[HASH_BYTES])
{
    int16_t h[P], c[P];
    int rc;

    small_encode(r_enc, r);
    rq_decode(h, pk);
    core_encrypt(c, r, h);
    rounded_encode(ct, c);
    rc = hash_confirm(ct + ROUNDED_BYTES, r_enc, cache);
    s2_wipe(c, sizeof c);
    return rc;
}

/* ---- randomness ----------------------------------------------------- */

static int
rng_fill(const struct s2_sntrup761_rng *rng, uint8_t *out, size_t n)
{
    if (rng != NULL) {
        rng->fill(rng->ctx, out, n);
        return 0;
    }
    return s2_random(out, n);
}

/* ---- KEM ------------------------------------------------------------ */

struct keygen_scratch {
    uint8_t bytes[4 * P];
    uint32_t words[SORT_N];
    int8_t f[P], g[P], v[P];
    int16_t finv[P], h[P];
};

int
s2_sntrup761_keypair_rng(uint8_t pk[S2_SNTRUP761_PK_LEN], uint8_t sk[S2_SNTRUP761_SK_LEN],
                         const struct s2_sntrup761_rng *rng)
{
    struct keygen_scratch s;
    int rc, bad;

    for (;;) {
        rc = rng_fill(rng, s.bytes, sizeof s.bytes);
        if (rc != 0) {
            goto out;
        }
        small_from_words(s.g, s.bytes);
        bad = r3_recip(s.v, s.g);
        if (rng != NULL && rng->declassify != NULL) {
            rng->declassify(rng->ctx, &bad, sizeof bad);
        }
        if (bad == 0) {
            break;
        }
    }
    rc = rng_fill(rng, s.bytes, sizeof s.bytes);
    if (rc != 0) {
        goto out;
    }
    short_from_words(s.f, s.bytes, s.words);
    rq_recip3(s.finv, s.f);
    rq_mult_small(s.h, s.finv, s.g); /* h = g / (3 f) */

    rq_encode(pk, s.h);
    small_encode(sk + SK_F, s.f);
    small_encode(sk + SK_V, s.v);
    memcpy(sk + SK_PK, pk, RQ_BYTES);
    rc = rng_fill(rng, sk + SK_RHO, SMALL_BYTES);
    if (rc == 0) {
        rc = hash_prefix(sk + SK_CACHE, 4, pk, RQ_BYTES, NULL, 0);
    }
out:
    s2_wipe(&s, sizeof s);
    if (rc != 0) {
        s2_wipe(sk, S2_SNTRUP761_SK_LEN);
    }
    return rc;
}

int
s2_sntrup761_keypair(uint8_t pk[S2_SNTRUP761_PK_LEN], uint8_t sk[S2_SNTRUP761_SK_LEN])
{
    return s2_sntrup761_keypair_rng(pk, sk, NULL);
}

int
s2_sntrup761_encaps_rng(uint8_t ct[S2_SNTRUP761_CT_LEN], uint8_t ss[S2_SNTRUP761_SS_LEN],
                        const uint8_t pk[S2_SNTRUP761_PK_LEN], const struct s2_sntrup761_rng *rng)
{
    uint8_t bytes[4 * P];
    uint32_t words[SORT_N];
    uint8_t cache[HASH_BYTES], r_enc[SMALL_BYTES];
    int8_t r[P];
    int rc;

    rc = hash_prefix(cache, 4, pk, RQ_BYTES, NULL, 0);
    if (rc == 0) {
        rc = rng_fill(rng, bytes, sizeof bytes);
    }
    if (rc == 0) {
        short_from_words(r, bytes, words);
        rc = hide(ct, r_enc, r, pk, cache);
    }
    if (rc == 0) {
        rc = hash_session(ss, 1, r_enc, ct);
    }
    s2_wipe(bytes, sizeof bytes);
    s2_wipe(words, sizeof words);
    s2_wipe(r_enc, sizeof r_enc);
    s2_wipe(r, sizeof r);
    if (rc != 0) {
        s2_wipe(ss, S2_SNTRUP761_SS_LEN);
    }
    return rc;
}

int
s2_sntrup761_encaps(uint8_t ct[S2_SNTRUP761_CT_LEN], uint8_t ss[S2_SNTRUP761_SS_LEN],
                    const uint8_t pk[S2_SNTRUP761_PK_LEN])
{
    return s2_sntrup761_encaps_rng(ct, ss, pk, NULL);
}

int
s2_sntrup761_decaps(uint8_t ss[S2_SNTRUP761_SS_LEN], const uint8_t ct[S2_SNTRUP761_CT_LEN],
                    const uint8_t sk[S2_SNTRUP761_SK_LEN])
{
    int8_t f[P], v[P], r[P];
    int16_t c[P];
    uint8_t r_enc[SMALL_BYTES], cnew[CT_BYTES];
    uint32_t diff = 0;
    uint8_t mask;
    size_t i;
    int rc;

    small_decode(f, sk + SK_F);
    small_decode(v, sk + SK_V);
    rounded_decode(c, ct);
    core_decrypt(r, c, f, v);
    rc = hide(cnew, r_enc, r, sk + SK_PK, sk + SK_CACHE);
    for (i = 0; i < CT_BYTES; i++) {
        diff |= (uint32_t)(ct[i] ^ cnew[i]);
    }
    mask = (uint8_t)opaque((int32_t)(0u - ((0u - diff) >> 31))); /* 0xff: ct != cnew */
    for (i = 0; i < SMALL_BYTES; i++) {
        r_enc[i] = (uint8_t)(r_enc[i] ^ (mask & (r_enc[i] ^ sk[SK_RHO + i])));
    }
    if (rc == 0) { /* only fails if SHA-512 is unavailable */
        rc = hash_session(ss, (uint8_t)(1 + (int8_t)mask), r_enc, ct);
    }
    s2_wipe(f, sizeof f);
    s2_wipe(v, sizeof v);
    s2_wipe(r, sizeof r);
    s2_wipe(r_enc, sizeof r_enc);
    s2_wipe(cnew, sizeof cnew);
    if (rc != 0) {
        s2_wipe(ss, S2_SNTRUP761_SS_LEN);
    }
    return rc;
}
