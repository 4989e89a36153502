/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "publickey" (RFC 4252 7, RFC 8332 3.2) and "hostbased" (RFC 4252 9)
 * methods. Publickey first asks whether the key is acceptable (PK_OK), then
 * sends the signed request; hostbased sends one signed request. The
 * signature covers string session_id followed by the request itself, and is
 * made through the caller's s2_ua_sign_fn.
 *
 * RSA keys sign with rsa-sha2-512 or rsa-sha2-256 when the server lists them
 * in server-sig-algs (RFC 8308), else with ssh-rsa, as OpenSSH does. OpenSSH
 * certificates (*-cert-v01@openssh.com) are sent as the key; the signature is
 * made with the certified key's algorithm.
 */
#include <string.h>

#include "auth/ua_int.h"

#define CERT_SUFFIX "-cert-v01@openssh.com"

void
s2_ua_publickey_cleanup(struct s2_ua *ua)
{
    s2_free(&ua->env->alloc, ua->pubkey);
    s2_free(&ua->env->alloc, ua->host);
    s2_free(&ua->env->alloc, ua->local_user);
    ua->pubkey = NULL;
    ua->host = NULL;
    ua->local_user = NULL;
    ua->pubkey_len = 0;
    ua->sign = NULL;
    ua->sign_ctx = NULL;
    ua->signed_sent = 0;
    ua->key_alg[0] = '\0';
    ua->sig_alg[0] = '\0';
}

/* allowed tells whether |alg| may be used: listed by the server (when it
 * sent server-sig-algs) and by the application's SIGN_ALGO preference. */
static int
allowed(const struct s2_ua *ua, const char *alg)
{
    const char *server = s2_tp_server_sig_algs(ua->tp);
    if (server != NULL && !s2_namelist_has(server, strlen(server), alg, strlen(alg))) {
        return 0;
    }
    if (ua->sig_prefs != NULL &&
        !s2_namelist_has(ua->sig_prefs, strlen(ua->sig_prefs), alg, strlen(alg))) {
        return 0;
    }
    return 1;
}

static int
set_names(struct s2_ua *ua, const char *sig_alg, int cert)
{
    size_t n = strlen(sig_alg);
    if (n + sizeof CERT_SUFFIX > sizeof ua->key_alg || n + 1 > sizeof ua->sig_alg) {
        return LIBSSH2_ERROR_METHOD_NOT_SUPPORTED;
    }
    memcpy(ua->sig_alg, sig_alg, n + 1);
    memcpy(ua->key_alg, sig_alg, n);
    if (cert) {
        memcpy(ua->key_alg + n, CERT_SUFFIX, sizeof CERT_SUFFIX);
    } else {
        ua->key_alg[n] = '\0';
    }
    return 0;
}

int
s2_ua_choose_alg(struct s2_ua *ua)
{
    static const char *const rsa_algs[] = {"rsa-sha2-512", "rsa-sha2-256"};
    struct s2_rd r, name;
    char base[64];
    size_t n, i;
    int cert;

    s2_rd_init(&r, ua->pubkey, ua->pubkey_len);
    s2_rd_str(&r, sizeof base - 1, &name);
    if (s2_rd_ok(&r) != 0 || name.left == 0) {
        return s2_err_set(ua->env, LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED, "malformed public key");
    }
    n = name.left;
    memcpy(base, name.p, n);
    base[n] = '\0';
    cert = n > strlen(CERT_SUFFIX) && strcmp(base + n - strlen(CERT_SUFFIX), CERT_SUFFIX) == 0;
    if (cert) {
        base[n - strlen(CERT_SUFFIX)] = '\0';
    }
    if (strcmp(base, "ssh-rsa") != 0) {
        return set_names(ua, base, cert);
    }
    for (i = 0; i < sizeof rsa_algs / sizeof rsa_algs[0]; i++) {
        if (s2_tp_server_sig_algs(ua->tp) != NULL && allowed(ua, rsa_algs[i])) {
            return set_names(ua, rsa_algs[i], cert);
        }
    }
    if (ua->sig_prefs == NULL || allowed(ua, "ssh-rsa")) {
        return set_names(ua, "ssh-rsa", cert);
    }
    for (i = 0; i < sizeof rsa_algs / sizeof rsa_algs[0]; i++) {
        if (allowed(ua, rsa_algs[i])) {
            return set_names(ua, rsa_algs[i], cert); /* the application insists */
        }
    }
    return s2_err_set(ua->env, LIBSSH2_ERROR_METHOD_NOT_SUPPORTED,
                      "no signature algorithm left for this RSA key");
}

/* boolean FALSE, string algorithm, string public key blob */
int
s2_ua_send_pk_query(struct s2_ua *ua)
{
    struct s2_wr *w = NULL;
    int r;
    if (ua->key_alg[0] == '\0') {
        r = s2_ua_choose_alg(ua);
        if (r != 0) {
            return r;
        }
    }
    r = s2_ua_begin_request(ua, "publickey", ua->pubkey_len + sizeof ua->key_alg + 16, &w);
    if (r != 0) {
        return r;
    }
    s2_wr_bool(w, 0);
    s2_wr_cstr(w, ua->key_alg);
    s2_wr_str(w, ua->pubkey, ua->pubkey_len);
    r = s2_tp_commit(ua->tp);
    if (r == 0) {
        UA_SET_STATE(ua, S2_UA_WAIT_REPLY);
    }
    return r;
}

/* SSH_MSG_USERAUTH_PK_OK: string algorithm, string public key blob (echoed) */
int
s2_ua_on_pk_ok(struct s2_ua *ua, struct s2_rd *r)
{
    struct s2_rd alg, blob;
    s2_rd_str(r, S2_NAME_MAX + 32, &alg);
    s2_rd_str(r, S2_STRING_MAX, &blob);
    if (s2_rd_finish(r) != 0 || ua->signed_sent) {
        return s2_ua_proto(ua, "malformed or unexpected USERAUTH_PK_OK");
    }
    if (!s2_rd_eq(&alg, ua->key_alg) || blob.left != ua->pubkey_len ||
        memcmp(blob.p, ua->pubkey, blob.left) != 0) {
        return s2_ua_proto(ua, "USERAUTH_PK_OK for a different key");
    }
    UA_SET_STATE(ua, S2_UA_SEND_SIGNED);
    return 0;
}

/* s2_ua_send_signed: publickey: boolean TRUE, string algorithm, string key,
 * string signature; hostbased: string algorithm, string key, string client
 * host, string client user, string signature. The signature is over
 * string session_id || the request up to the signature. */
int
s2_ua_send_signed(struct s2_ua *ua)
{
    const struct s2_allocator *a = &ua->env->alloc;
    int hostbased = ua->method == S2_UAM_HOSTBASED;
    struct s2_wr *w = NULL;
    struct s2_wr data, sig;
    const uint8_t *sid;
    size_t sid_len = 0;
    int r;

    if (ua->key_alg[0] == '\0') {
        r = s2_ua_choose_alg(ua);
        if (r != 0) {
            return r;
        }
    }
    r = s2_ua_begin_request(ua, hostbased ? "hostbased" : "publickey",
                            ua->pubkey_len + ua->host_len + ua->local_user_len + S2_SIG_MAX +
                                sizeof ua->key_alg + 64,
                            &w);
    if (r != 0) {
        return r;
    }
    if (!hostbased) {
        s2_wr_bool(w, 1);
    }
    s2_wr_cstr(w, ua->key_alg);
    s2_wr_str(w, ua->pubkey, ua->pubkey_len);
    if (hostbased) {
        s2_wr_str(w, ua->host, ua->host_len);
        s2_wr_str(w, ua->local_user, ua->local_user_len);
    }
    sid = s2_tp_session_id(ua->tp, &sid_len);
    s2_wr_dyn(&data, a, S2_PACKET_MAX);
    s2_wr_dyn(&sig, a, S2_SIG_MAX);
    s2_wr_str(&data, sid, sid_len);
    s2_wr_raw(&data, w->p, w->len);
    r = s2_wr_ok(w) != 0 ? s2_wr_ok(w) : s2_wr_ok(&data);
    if (r == 0) {
        r = ua->sign(ua->sign_ctx, ua->sig_alg, data.p, data.len, &sig);
    }
    if (r == 0 && (s2_wr_ok(&sig) != 0 || sig.len == 0)) {
        r = LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED;
    }
    if (r != 0) {
        s2_tp_abort(ua->tp);
        s2_wr_free(&data);
        s2_wr_free(&sig);
        if (ua->env->err.code != r) {
            s2_err_set(ua->env, r, "unable to sign the authentication request");
        }
        return r;
    }
    s2_wr_str(w, sig.p, sig.len);
    s2_wr_free(&data);
    s2_wr_free(&sig);
    r = s2_tp_commit(ua->tp);
    if (r == 0) {
        ua->signed_sent = 1;
        UA_SET_STATE(ua, S2_UA_WAIT_REPLY);
    }
    return r;
}
