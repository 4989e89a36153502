/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * agent_fuzz.c: libFuzzer harness for the agent reply parsers
 * (draft-miller-ssh-agent 6.3 IDENTITIES_ANSWER and 6.5 SIGN_RESPONSE). The
 * first input byte selects the parser (even: identities answer, odd: sign
 * response); the rest is one reply body as it follows the uint32 frame
 * length. Checks the parsers' promises: on success the count is within the
 * caps and the bytes, and the signature views lie inside the input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "agent/agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static int
inside(const struct s2_rd *v, const uint8_t *p, size_t n)
{
    return v->p >= p && v->left <= n && (size_t)(v->p - p) <= n - v->left;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    const uint8_t *msg;
    size_t msg_len;
    int rc;

    if (len < 1) {
        return 0;
    }
    msg = data + 1;
    msg_len = len - 1;
    if ((data[0] & 1) == 0) {
        uint32_t num = 0;
        rc = s2_agent_parse_identities(msg, msg_len, &num);
        if (rc != 0 && (rc != LIBSSH2_ERROR_AGENT_PROTOCOL || num != 0)) {
            abort();
        }
        if (rc == 0 && (num > S2_AGENT_IDS_MAX || num > msg_len / 8)) {
            abort();
        }
    } else {
        struct s2_agent_sig sig;
        rc = s2_agent_parse_sign_response(msg, msg_len, &sig);
        if (rc != 0 && rc != LIBSSH2_ERROR_AGENT_PROTOCOL) {
            abort();
        }
        if (rc == 0 &&
            (!inside(&sig.blob, msg, msg_len) || !inside(&sig.alg, msg, msg_len) ||
             !inside(&sig.sig, msg, msg_len) || sig.alg.left == 0 || sig.alg.left > S2_NAME_MAX)) {
            abort();
        }
    }
    return 0;
}
