/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Error state and tracing (STYLE.md section 5; libssh2_trace). Messages are
 * static strings or formatted into the session's buffer; peer text reaches a
 * message only through s2_escape().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"

void
s2_assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "ssh2core: internal invariant failed: %s at %s:%d\n", expr, file, line);
    abort();
}

int
s2_err_set(struct s2_env *env, int code, const char *msg)
{
    env->err.code = code;
    env->err.msg = msg;
    if (code != 0 && code != LIBSSH2_ERROR_EAGAIN) {
        s2_tracef(env, LIBSSH2_TRACE_ERROR, "error %d: %s", code, msg != NULL ? msg : "");
    }
    return code;
}

int
s2_err_setf(struct s2_env *env, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(env->err.buf, sizeof env->err.buf, fmt, ap);
    va_end(ap);
    return s2_err_set(env, code, env->err.buf);
}

void
s2_escape(char *out, size_t out_max, const void *p, size_t n)
{
    const uint8_t *s = p;
    size_t i, o = 0;
    if (out_max == 0) {
        return;
    }
    for (i = 0; i < n && o + 1 < out_max; i++) {
        out[o++] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';
    }
    out[o] = '\0';
}

int
s2_trace_on(const struct s2_env *env, int mask)
{
    return (env->trace.mask & mask) != 0;
}

void
s2_tracef(const struct s2_env *env, int mask, const char *fmt, ...)
{
    char line[600];
    va_list ap;
    int n;
    if (!s2_trace_on(env, mask)) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    if ((size_t)n >= sizeof line) {
        n = (int)sizeof line - 1;
    }
    if (env->trace.handler != NULL) {
        env->trace.handler(env->trace.session, env->trace.context, line, (size_t)n);
    } else {
        fprintf(stderr, "[ssh2core] %s\n", line);
    }
}

int64_t
s2_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
