#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Regenerates src/crypto/dh_groups.c body: python3 scripts/gen_dh_groups.py OUT.inc
# Computes the RFC 2409 / RFC 3526 MODP primes from their published formula
# p = 2^n - 2^(n-64) - 1 + 2^64 * ( floor(2^(n-130) * pi) + k ), and checks them.
def pi_fixed(bits):
    # Machin: pi = 16 atan(1/5) - 4 atan(1/239), in fixed point with guard bits
    one = 1 << (bits + 64)
    def atan_inv(x):
        total, term, n, sign = 0, one // x, 1, 1
        x2 = x * x
        while term:
            total += sign * (term // n)
            term //= x2
            n += 2
            sign = -sign
        return total
    return (16 * atan_inv(5) - 4 * atan_inv(239)) >> 64   # pi * 2^bits

import random
def is_probable_prime(n, rounds=16):
    if n % 2 == 0: return False
    d, s = n - 1, 0
    while d % 2 == 0: d //= 2; s += 1
    for _ in range(rounds):
        a = random.randrange(2, n - 2)
        x = pow(a, d, n)
        if x in (1, n - 1): continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1: break
        else: return False
    return True

groups = {1: (1024, 129093), 14: (2048, 124476), 16: (4096, 240904), 18: (8192, 4743158)}
out = []
for g, (n, k) in groups.items():
    pi = pi_fixed(n - 130)
    p = 2**n - 2**(n - 64) - 1 + 2**64 * (pi + k)
    assert p.bit_length() == n
    assert is_probable_prime(p, 4) and is_probable_prime((p - 1) // 2, 4), g
    b = p.to_bytes(n // 8, 'big')
    lines = []
    for i in range(0, len(b), 12):
        lines.append('    ' + ', '.join('0x%02x' % x for x in b[i:i+12]) + ',')
    out.append((g, n, '\n'.join(lines), b.hex()[:16], b.hex()[-16:]))
import sys
with open(sys.argv[1], 'w') as f:
    for g, n, body, _, _ in out:
        f.write('static const uint8_t group%d_p[%d] = {\n%s\n};\n\n' % (g, n // 8, body))
for g, n, _, h, t in out:
    print(g, n, h, t)
