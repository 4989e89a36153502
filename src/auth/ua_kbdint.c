/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "keyboard-interactive" method (RFC 4256). Prompts are bounded by the
 * bytes of the packet, never by the count the server declares; the
 * application answers them through LIBSSH2_USERAUTH_KBDINT_RESPONSE_FUNC,
 * called exactly once per INFO_REQUEST.
 */
#include <string.h>

#include "auth/ua_int.h"

#define RESPONSE_MAX 8192u

static void
free_responses(struct s2_ua *ua)
{
    size_t i;
    if (ua->kb_responses == NULL) {
        return;
    }
    for (i = 0; i < ua->kb_num; i++) {
        if (ua->kb_responses[i].text != NULL) {
            s2_free_secret(&ua->env->alloc, ua->kb_responses[i].text, ua->kb_responses[i].length);
        }
    }
    s2_free(&ua->env->alloc, ua->kb_responses);
    ua->kb_responses = NULL;
}

static void
free_prompts(struct s2_ua *ua)
{
    size_t i;
    free_responses(ua);
    for (i = 0; ua->kb_prompts != NULL && i < ua->kb_num; i++) {
        s2_free(&ua->env->alloc, ua->kb_prompts[i].text);
    }
    s2_free(&ua->env->alloc, ua->kb_prompts);
    ua->kb_prompts = NULL;
    ua->kb_num = 0;
    s2_free(&ua->env->alloc, ua->kb_name);
    s2_free(&ua->env->alloc, ua->kb_instruction);
    ua->kb_name = NULL;
    ua->kb_instruction = NULL;
}

void
s2_ua_kbdint_cleanup(struct s2_ua *ua)
{
    free_prompts(ua);
}

/* string language tag (deprecated, empty), string submethods (empty) */
int
s2_ua_send_kbdint(struct s2_ua *ua)
{
    struct s2_wr *w = NULL;
    int r = s2_ua_begin_request(ua, "keyboard-interactive", 8, &w);
    if (r != 0) {
        return r;
    }
    s2_wr_cstr(w, "");
    s2_wr_cstr(w, "");
    r = s2_tp_commit(ua->tp);
    if (r == 0) {
        UA_SET_STATE(ua, S2_UA_WAIT_REPLY);
    }
    return r;
}

/* SSH_MSG_USERAUTH_INFO_REQUEST (RFC 4256 3.2): string name, string
 * instruction, string language tag, int num-prompts, then per prompt:
 * string prompt, boolean echo */
int
s2_ua_on_info_request(struct s2_ua *ua, struct s2_rd *r)
{
    struct s2_rd name, instr, lang, check, text;
    uint32_t num, i;
    const struct s2_allocator *a = &ua->env->alloc;

    s2_rd_str(r, S2_STRING_MAX, &name);
    s2_rd_str(r, S2_STRING_MAX, &instr);
    s2_rd_str(r, S2_STRING_MAX, &lang);
    num = s2_rd_u32(r);
    /* each prompt takes at least 5 bytes: bound the count by the packet */
    if (s2_rd_ok(r) != 0 || num > r->left / 5) {
        return s2_ua_proto(ua, "malformed keyboard-interactive INFO_REQUEST");
    }
    check = *r;
    for (i = 0; i < num; i++) {
        s2_rd_str(&check, S2_STRING_MAX, &text);
        (void)s2_rd_bool(&check);
    }
    if (s2_rd_finish(&check) != 0) {
        return s2_ua_proto(ua, "malformed keyboard-interactive INFO_REQUEST");
    }
    free_prompts(ua);
    ua->kb_name = s2_rd_strdup(&name, a, S2_STRING_MAX);
    ua->kb_instruction = s2_rd_strdup(&instr, a, S2_STRING_MAX);
    ua->kb_name_len = name.left;
    ua->kb_instruction_len = instr.left;
    ua->kb_prompts = s2_alloc_array(a, num == 0 ? 1 : num, sizeof *ua->kb_prompts);
    if (ua->kb_name == NULL || ua->kb_instruction == NULL || ua->kb_prompts == NULL) {
        free_prompts(ua);
        return s2_tp_fatal(ua->tp, LIBSSH2_ERROR_ALLOC, 0, "out of memory for prompts");
    }
    memset(ua->kb_prompts, 0, (num == 0 ? 1 : num) * sizeof *ua->kb_prompts);
    ua->kb_num = num;
    for (i = 0; i < num; i++) {
        s2_rd_str(r, S2_STRING_MAX, &text);
        ua->kb_prompts[i].echo = (unsigned char)s2_rd_bool(r);
        ua->kb_prompts[i].text = (unsigned char *)s2_rd_strdup(&text, a, S2_STRING_MAX);
        ua->kb_prompts[i].length = text.left;
        if (ua->kb_prompts[i].text == NULL) {
            free_prompts(ua);
            return s2_tp_fatal(ua->tp, LIBSSH2_ERROR_ALLOC, 0, "out of memory for prompts");
        }
    }
    UA_SET_STATE(ua, S2_UA_SEND_PROMPTS);
    return 0;
}

/* SSH_MSG_USERAUTH_INFO_RESPONSE (RFC 4256 3.4): int num-responses, then
 * string response per prompt */
int
s2_ua_send_prompts(struct s2_ua *ua)
{
    struct s2_wr *w = NULL;
    size_t i, room = 16;
    int r;
    if (ua->kb_responses == NULL) {
        /* ask the application once; a retry after EAGAIN reuses its answers */
        ua->kb_responses = s2_alloc_array(&ua->env->alloc, ua->kb_num == 0 ? 1 : ua->kb_num,
                                          sizeof *ua->kb_responses);
        if (ua->kb_responses == NULL) {
            return s2_err_set(ua->env, LIBSSH2_ERROR_ALLOC, "out of memory for responses");
        }
        memset(ua->kb_responses, 0, (ua->kb_num == 0 ? 1 : ua->kb_num) * sizeof *ua->kb_responses);
        ua->kb.cb(ua->kb_name, (int)ua->kb_name_len, ua->kb_instruction,
                  (int)ua->kb_instruction_len, (int)ua->kb_num, ua->kb_prompts, ua->kb_responses,
                  ua->kb.abstract);
    }
    for (i = 0; i < ua->kb_num; i++) {
        if (ua->kb_responses[i].length > RESPONSE_MAX || (ua->kb_responses[i].text == NULL &&
                                                          ua->kb_responses[i].length != 0)) {
            free_prompts(ua);
            return s2_err_set(ua->env, LIBSSH2_ERROR_INVAL, "invalid keyboard-interactive response");
        }
        room += 4 + ua->kb_responses[i].length;
    }
    r = s2_tp_begin(ua->tp, 0, room, &w);
    if (r != 0) {
        return r;
    }
    s2_wr_u8(w, SSH_MSG_USERAUTH_INFO_RESPONSE);
    s2_wr_u32(w, (uint32_t)ua->kb_num);
    for (i = 0; i < ua->kb_num; i++) {
        s2_wr_str(w, ua->kb_responses[i].text, ua->kb_responses[i].length);
    }
    r = s2_tp_commit(ua->tp);
    free_prompts(ua);
    if (r == 0) {
        UA_SET_STATE(ua, S2_UA_WAIT_REPLY);
    }
    return r;
}
