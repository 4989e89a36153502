/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cpu.c: which instruction-set extensions the crypto kernels may use, read
 * once from CPUID (and XGETBV for the register state the OS saves), minus
 * the bits the SSH2CORE_CPU_MASK environment variable turns off. Tests set
 * that variable to force every fallback kernel on any machine.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "crypto/crypto_int.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

/* xcr0 reads XCR0: which register files the OS saves on context switch. */
static uint64_t
xcr0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

static unsigned
detect(void)
{
    unsigned a = 0, b = 0, c = 0, d = 0, f = 0;
    unsigned max = __get_cpuid_max(0, NULL);
    uint64_t x = 0;
    int ymm = 0, zmm = 0;

    if (max < 1 || !__get_cpuid(1, &a, &b, &c, &d)) {
        return 0;
    }
    if (c & bit_AES) {
        f |= S2_CPU_AESNI;
    }
    if (c & bit_PCLMUL) {
        f |= S2_CPU_PCLMUL;
    }
    if (c & bit_OSXSAVE) {
        x = xcr0();
        ymm = (x & 0x6u) == 0x6u;    /* XMM and YMM state */
        zmm = (x & 0xe6u) == 0xe6u;  /* plus opmask and ZMM state */
    }
    if (max < 7) {
        return f;
    }
    __cpuid_count(7, 0, a, b, c, d);
    if (b & bit_SHA) {
        f |= S2_CPU_SHANI;
    }
    if (ymm && (b & bit_AVX2)) {
        f |= S2_CPU_AVX2;
        if ((c & bit_VAES) && (c & bit_VPCLMULQDQ)) {
            f |= S2_CPU_VAES;
        }
    }
    if (zmm && (b & bit_AVX512F) && (b & bit_AVX512BW) && (b & bit_AVX512VL)) {
        f |= S2_CPU_AVX512;
    }
    return f;
}
#else
static unsigned
detect(void)
{
    return 0;
}
#endif

/* bit 31 marks "computed" so that 0 features is cached too */
#define CPU_DONE 0x80000000u
static _Atomic unsigned cpu_cache;

static unsigned
compute(void)
{
    const char *m = getenv("SSH2CORE_CPU_MASK");
    unsigned f = detect();
    char *end = NULL;
    unsigned long mask;

    if (m != NULL && *m != '\0') {
        mask = strtoul(m, &end, 0);
        if (end != NULL && *end == '\0') {
            f &= ~(unsigned)mask;
        }
    }
    return f & ~CPU_DONE;
}

unsigned
s2_cpu_features(void)
{
    unsigned v = atomic_load_explicit(&cpu_cache, memory_order_relaxed);

    if (v == 0) {
        v = compute() | CPU_DONE;
        atomic_store_explicit(&cpu_cache, v, memory_order_relaxed);
    }
    return v & ~CPU_DONE;
}

void
s2_cpu_reset_for_tests(void)
{
    atomic_store_explicit(&cpu_cache, 0u, memory_order_relaxed);
}

unsigned
s2_crypto_fast(void)
{
    unsigned f = s2_cpu_features();
    unsigned r = 0;
    if ((f & (S2_CPU_AESNI | S2_CPU_PCLMUL)) == (S2_CPU_AESNI | S2_CPU_PCLMUL)) {
        r |= S2_FAST_AES;
    }
    if (f & S2_CPU_SHANI) {
        r |= S2_FAST_SHA256;
    }
    return r;
}
