/* SPDX-License-Identifier: BSD-3-Clause */
/* Base64: RFC 4648 section 10 vectors both ways, whitespace, bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
static const char *const coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};

static void
test_rfc4648_vectors(void **state)
{
    struct s2_allocator a;
    size_t i;
    (void)state;
    s2_allocator_default(&a, NULL);
    for (i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        struct s2_wr w;
        s2_wr_dyn(&w, &a, 1024);
        s2_base64_encode(&w, plain[i], strlen(plain[i]));
        assert_int_equal(s2_wr_ok(&w), 0);
        assert_int_equal(w.len, strlen(coded[i]));
        assert_memory_equal(w.p != NULL ? (const char *)w.p : "", coded[i], w.len);
        s2_wr_reset(&w);
        assert_int_equal(s2_base64_decode(&w, coded[i], strlen(coded[i])), 0);
        assert_int_equal(w.len, strlen(plain[i]));
        if (w.len > 0) {
            assert_memory_equal(w.p, plain[i], w.len);
        }
        s2_wr_free(&w);
    }
}

static void
test_decode_whitespace_and_unpadded(void **state)
{
    uint8_t buf[16];
    struct s2_wr w;
    (void)state;
    s2_wr_fixed(&w, buf, sizeof buf);
    assert_int_equal(s2_base64_decode(&w, " Zm9v\r\nYmE\t", 11), 0);
    assert_int_equal(w.len, 5);
    assert_memory_equal(buf, "fooba", 5);
}

static void
test_decode_rejects(void **state)
{
    static const char *const bad[] = {"Z", "Zm9vY", "Zg=", "Zg===", "Zm=8", "Zm9v*", "Zg==Zg==",
                                      "Zm9\x80", "=Zg="};
    uint8_t buf[16];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct s2_wr w;
        s2_wr_fixed(&w, buf, sizeof buf);
        assert_int_not_equal(s2_base64_decode(&w, bad[i], strlen(bad[i])), 0);
    }
}

static void
test_decode_overflow(void **state)
{
    uint8_t buf[2];
    struct s2_wr w;
    (void)state;
    s2_wr_fixed(&w, buf, sizeof buf);
    assert_int_equal(s2_base64_decode(&w, "Zm9v", 4), LIBSSH2_ERROR_BUFFER_TOO_SMALL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4648_vectors),
        cmocka_unit_test(test_decode_whitespace_and_unpadded),
        cmocka_unit_test(test_decode_rejects),
        cmocka_unit_test(test_decode_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
