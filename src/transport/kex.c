/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The key exchange engine (RFC 4253 7-9, RFC 4344, OpenSSH PROTOCOL 1.9):
 * KEXINIT exchange and negotiation, guessed packets, the exchange hash, host
 * key verification, key derivation and NEWKEYS for both directions, strict
 * KEX. The method-specific math lives in kex_methods.c; a new method is one
 * entry in kex_methods[] plus its math there.
 *
 * State (enum s2_kex_state): IDLE -> WAIT_KEXINIT (our KEXINIT sent) ->
 * [WAIT_GEX_GROUP ->] WAIT_REPLY -> WAIT_NEWKEYS (our NEWKEYS sent) -> IDLE.
 */
#include <string.h>

#include "transport/tp_int.h"

static const char *const kex_state_name[] = {"IDLE", "WAIT_KEXINIT", "WAIT_GEX_GROUP",
                                             "WAIT_REPLY", "WAIT_NEWKEYS"};

static const char *const list_name[S2_KL_COUNT] = {
    "key exchange method",          "host key algorithm",
    "cipher (client to server)",    "cipher (server to client)",
    "MAC (client to server)",       "MAC (server to client)",
    "compression (client to server)", "compression (server to client)",
    "language (client to server)",  "language (server to client)"};

static const struct s2_kex_method kex_methods[] = {
    {"mlkem768x25519-sha256", S2_KEXK_PQ_MLKEM, S2_HASH_SHA256, 0},
    {"sntrup761x25519-sha512", S2_KEXK_PQ_SNTRUP, S2_HASH_SHA512, 0},
    {"sntrup761x25519-sha512@openssh.com", S2_KEXK_PQ_SNTRUP, S2_HASH_SHA512, 0},
    {"curve25519-sha256", S2_KEXK_CURVE25519, S2_HASH_SHA256, 0},
    {"curve25519-sha256@libssh.org", S2_KEXK_CURVE25519, S2_HASH_SHA256, 0},
    {"ecdh-sha2-nistp256", S2_KEXK_ECDH, S2_HASH_SHA256, S2_CURVE_P256},
    {"ecdh-sha2-nistp384", S2_KEXK_ECDH, S2_HASH_SHA384, S2_CURVE_P384},
    {"ecdh-sha2-nistp521", S2_KEXK_ECDH, S2_HASH_SHA512, S2_CURVE_P521},
    {"diffie-hellman-group-exchange-sha256", S2_KEXK_GEX, S2_HASH_SHA256, 0},
    {"diffie-hellman-group16-sha512", S2_KEXK_DH, S2_HASH_SHA512, 16},
    {"diffie-hellman-group18-sha512", S2_KEXK_DH, S2_HASH_SHA512, 18},
    {"diffie-hellman-group14-sha256", S2_KEXK_DH, S2_HASH_SHA256, 14},
    {"diffie-hellman-group14-sha1", S2_KEXK_DH, S2_HASH_SHA1, 14},
    {"diffie-hellman-group-exchange-sha1", S2_KEXK_GEX, S2_HASH_SHA1, 0},
    {"diffie-hellman-group1-sha1", S2_KEXK_DH, S2_HASH_SHA1, 1},
};

static const struct s2_mac_alg mac_algs[] = {
    {"hmac-sha2-256-etm@openssh.com", S2_HASH_SHA256, 32, 32, 1},
    {"hmac-sha2-512-etm@openssh.com", S2_HASH_SHA512, 64, 64, 1},
    {"hmac-sha1-etm@openssh.com", S2_HASH_SHA1, 20, 20, 1},
    {"hmac-sha2-256", S2_HASH_SHA256, 32, 32, 0},
    {"hmac-sha2-512", S2_HASH_SHA512, 64, 64, 0},
    {"hmac-sha1", S2_HASH_SHA1, 20, 20, 0},
};

#define STRICT_C "kex-strict-c-v00@openssh.com"
#define STRICT_S "kex-strict-s-v00@openssh.com"
#define EXT_INFO_C "ext-info-c"

const struct s2_kex_method *
s2_kex_method_find(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof kex_methods / sizeof kex_methods[0]; i++) {
        if (strcmp(kex_methods[i].name, name) == 0) {
            return &kex_methods[i];
        }
    }
    return NULL;
}

const struct s2_mac_alg *
s2_mac_alg_find(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof mac_algs / sizeof mac_algs[0]; i++) {
        if (strcmp(mac_algs[i].name, name) == 0) {
            return &mac_algs[i];
        }
    }
    return NULL;
}

void
s2_kex_set_state(struct s2_tp *tp, enum s2_kex_state st, int line)
{
    s2_tracef(tp->env, LIBSSH2_TRACE_KEX, "kex: %s -> %s (line %d)", kex_state_name[tp->kex.state],
              kex_state_name[st], line);
    tp->kex.state = st;
}

static int
kex_fail(struct s2_tp *tp, int code, const char *msg)
{
    return s2_tp_fatal(tp, code, SSH_DISCONNECT_KEY_EXCHANGE_FAILED, msg);
}

void
s2_kex_cleanup(struct s2_tp *tp)
{
    s2_kexm_cleanup(tp);
    s2_wr_free(&tp->kex.gex_p);
    s2_wr_free(&tp->kex.gex_g);
    s2_dir_cleanup(tp, &tp->kex.next_tx);
    s2_dir_cleanup(tp, &tp->kex.next_rx);
}

int
s2_kex_start(struct s2_tp *tp)
{
    struct s2_kex *kex = &tp->kex;
    const char *lists[S2_KL_COUNT];
    char kexlist[S2_PREF_MAX + 64];
    uint8_t cookie[16];
    size_t n;
    int i, r;

    if (kex->state != S2_KEX_IDLE) {
        return 0;
    }
    KEX_SET_STATE(tp, S2_KEX_WAIT_KEXINIT); /* before sending: no re-entry */
    for (i = 0; i < S2_KL_COUNT; i++) {
        lists[i] = tp->prefs[i];
    }
    if (kex->first) {
        /* RFC 8308 2.1 and OpenSSH PROTOCOL 1.9: in the first KEXINIT only */
        n = strlen(tp->prefs[S2_KL_KEX]);
        memcpy(kexlist, tp->prefs[S2_KL_KEX], n);
        memcpy(kexlist + n, "," EXT_INFO_C "," STRICT_C, sizeof("," EXT_INFO_C "," STRICT_C));
        lists[S2_KL_KEX] = kexlist;
    }
    r = s2_random(cookie, sizeof cookie);
    if (r != 0) {
        return kex_fail(tp, r, "random number generator failed");
    }
    s2_wr_reset(&kex->i_c);
    s2_kexinit_build(&kex->i_c, cookie, lists);
    if (s2_wr_ok(&kex->i_c) != 0) {
        return kex_fail(tp, LIBSSH2_ERROR_ALLOC, "unable to build KEXINIT");
    }
    kex->kexinit_seq = tp->tx.seq;
    r = s2_tp_send(tp, 1, kex->i_c.p, kex->i_c.len);
    if (r != 0) {
        return r;
    }
    s2_tracef(tp->env, LIBSSH2_TRACE_KEX, "kex: KEXINIT sent");
    return 0;
}

static int
negotiate(struct s2_tp *tp, const struct s2_kexinit *ki)
{
    struct s2_kex *kex = &tp->kex;
    char offer[512];
    int i, r;
    for (i = 0; i < S2_KL_COUNT; i++) {
        if (i >= S2_KL_LANG_CS) {
            kex->names[i][0] = '\0'; /* we send no languages: nothing to agree on */
            continue;
        }
        r = s2_kex_negotiate(tp->prefs[i], &ki->list[i], kex->names[i], sizeof kex->names[i]);
        if (r != 0) {
            s2_escape(offer, sizeof offer, ki->list[i].p, ki->list[i].left);
            s2_tp_fatal(tp, LIBSSH2_ERROR_KEX_FAILURE, SSH_DISCONNECT_KEY_EXCHANGE_FAILED,
                        "key exchange: no common algorithm");
            return s2_err_setf(tp->env, LIBSSH2_ERROR_KEX_FAILURE,
                               "key exchange: no common %s; we offer %s; server offers %s",
                               list_name[i], tp->prefs[i], offer);
        }
    }
    kex->method = s2_kex_method_find(kex->names[S2_KL_KEX]);
    kex->hostkey_alg = s2_sig_alg_find(kex->names[S2_KL_HOSTKEY], strlen(kex->names[S2_KL_HOSTKEY]));
    if (kex->method == NULL || kex->hostkey_alg == NULL) {
        return kex_fail(tp, LIBSSH2_ERROR_KEX_FAILURE, "negotiated an unknown algorithm");
    }
    s2_tracef(tp->env, LIBSSH2_TRACE_KEX, "kex: %s, host key %s, %s/%s, %s/%s, %s/%s",
              kex->names[0], kex->names[1], kex->names[2], kex->names[3], kex->names[4],
              kex->names[5], kex->names[6], kex->names[7]);
    return 0;
}

static int
on_kexinit(struct s2_tp *tp, struct s2_rd *r, const struct s2_rd *whole)
{
    struct s2_kex *kex = &tp->kex;
    struct s2_kexinit ki;
    int rc;

    if (kex->state != S2_KEX_IDLE && kex->state != S2_KEX_WAIT_KEXINIT) {
        return kex_fail(tp, LIBSSH2_ERROR_PROTO, "KEXINIT during a key exchange");
    }
    if (kex->i_s.len != 0) {
        return kex_fail(tp, LIBSSH2_ERROR_PROTO, "second KEXINIT from the server");
    }
    rc = s2_kexinit_parse(r, &ki);
    if (rc != 0) {
        return kex_fail(tp, LIBSSH2_ERROR_KEX_FAILURE, "malformed KEXINIT from the server");
    }
    if (kex->first) {
        tp->strict = s2_namelist_has((const char *)ki.list[S2_KL_KEX].p, ki.list[S2_KL_KEX].left,
                                     STRICT_S, strlen(STRICT_S));
        if (tp->strict && tp->rx.seq != 1) {
            return kex_fail(tp, LIBSSH2_ERROR_PROTO, "strict KEX: KEXINIT was not the first packet");
        }
        s2_tracef(tp->env, LIBSSH2_TRACE_KEX, "kex: strict KEX %s", tp->strict ? "on" : "off");
    }
    s2_wr_raw(&kex->i_s, whole->p, whole->left);
    if (s2_wr_ok(&kex->i_s) != 0) {
        return kex_fail(tp, LIBSSH2_ERROR_ALLOC, "out of memory for KEXINIT");
    }
    if (kex->state == S2_KEX_IDLE) {
        rc = s2_kex_start(tp); /* the server started a rekey */
        if (rc != 0) {
            return rc;
        }
    }
    rc = negotiate(tp, &ki);
    if (rc != 0) {
        return rc;
    }
    kex->drop_guess = ki.first_kex_follows &&
                      !s2_kex_guess_ok(tp->prefs[S2_KL_KEX], tp->prefs[S2_KL_HOSTKEY], &ki);
    return s2_kexm_send_init(tp);
}

/* derive computes HASH(K || H || letter || session_id) and extends it to
 * |need| bytes (RFC 4253 7.2). */
static int
derive(struct s2_tp *tp, const struct s2_wr *k, const uint8_t *h, size_t h_len, char letter,
       uint8_t *out, size_t need)
{
    enum s2_hash_alg alg = tp->kex.method->hash;
    size_t hl = s2_hash_len(alg);
    uint8_t buf[S2_HASH_MAX_LEN * 4];
    size_t have = 0;
    struct s2_hash hs;
    int r;
    if (need > sizeof buf - hl) {
        return LIBSSH2_ERROR_KEX_FAILURE;
    }
    while (have < need) {
        r = s2_hash_init(&hs, alg);
        if (r != 0) {
            return r;
        }
        s2_hash_update(&hs, k->p, k->len);
        s2_hash_update(&hs, h, h_len);
        if (have == 0) {
            s2_hash_update(&hs, &letter, 1);
            s2_hash_update(&hs, tp->session_id, tp->session_id_len);
        } else {
            s2_hash_update(&hs, buf, have);
        }
        s2_hash_final(&hs, buf + have);
        have += hl;
    }
    memcpy(out, buf, need);
    s2_wipe(buf, sizeof buf);
    return 0;
}

/* make_dir keys one direction from the negotiated names. */
static int
make_dir(struct s2_tp *tp, struct s2_dir *d, int encrypt, const struct s2_wr *k, const uint8_t *h,
         size_t h_len, const char *cipher, const char *mac, const char *comp, char iv_l,
         char key_l, char mac_l)
{
    const struct s2_allocator *a = &tp->env->alloc;
    uint8_t iv[S2_HASH_MAX_LEN * 3], key[S2_HASH_MAX_LEN * 3], mkey[S2_HASH_MAX_LEN * 3];
    int r;

    memset(d, 0, sizeof *d);
    d->calg = s2_cipher_find(cipher, strlen(cipher));
    if (d->calg == NULL) {
        return LIBSSH2_ERROR_KEX_FAILURE;
    }
    if (d->calg->tag_len == 0) {
        d->malg = s2_mac_alg_find(mac);
        if (d->malg == NULL) {
            return LIBSSH2_ERROR_KEX_FAILURE;
        }
    }
    r = derive(tp, k, h, h_len, iv_l, iv, d->calg->iv_len);
    if (r == 0) {
        r = derive(tp, k, h, h_len, key_l, key, d->calg->key_len);
    }
    if (r == 0) {
        r = s2_cipher_new(a, d->calg, encrypt, key, iv, &d->cipher);
    }
    if (r == 0 && d->malg != NULL) {
        r = derive(tp, k, h, h_len, mac_l, mkey, d->malg->key_len);
        if (r == 0) {
            r = s2_mac_new(a, d->malg->hash, mkey, d->malg->key_len, &d->mac);
        }
    }
    if (r == 0 && strcmp(comp, "none") != 0) {
        r = s2_comp_new(a, encrypt, &d->comp);
        d->comp_delayed = strcmp(comp, "zlib@openssh.com") == 0 && !tp->authenticated;
    }
    s2_wipe(iv, sizeof iv);
    s2_wipe(key, sizeof key);
    s2_wipe(mkey, sizeof mkey);
    return r;
}

/* hash_prefix writes V_C, V_S, I_C, I_S, K_S (RFC 4253 8). */
static void
hash_prefix(struct s2_tp *tp, struct s2_wr *h, const struct s2_rd *ks)
{
    s2_wr_cstr(h, tp->client_ident);
    s2_wr_str(h, tp->ident.version, tp->ident.version_len);
    s2_wr_str(h, tp->kex.i_c.p, tp->kex.i_c.len);
    s2_wr_str(h, tp->kex.i_s.p, tp->kex.i_s.len);
    s2_wr_str(h, ks->p, ks->left);
}

static int
check_hostkey(struct s2_tp *tp, const struct s2_rd *ks, struct s2_pubkey *pk)
{
    int r = s2_pubkey_parse(ks->p, ks->left, pk);
    if (r != 0) {
        return kex_fail(tp, r, "unable to parse the server's host key");
    }
    if (pk->type != tp->kex.hostkey_alg->type) {
        return kex_fail(tp, LIBSSH2_ERROR_KEX_FAILURE,
                        "host key type does not match the negotiated algorithm");
    }
    if (tp->hostkey != NULL &&
        (tp->hostkey_len != ks->left || memcmp(tp->hostkey, ks->p, ks->left) != 0)) {
        return kex_fail(tp, LIBSSH2_ERROR_KEX_FAILURE, "the host key changed during a rekey");
    }
    return 0;
}

static int
on_reply(struct s2_tp *tp, struct s2_rd *r)
{
    struct s2_kex *kex = &tp->kex;
    struct s2_rd ks, sig;
    struct s2_pubkey pk;
    struct s2_wr tail, k, h;
    uint8_t hash[S2_HASH_MAX_LEN];
    size_t hl = s2_hash_len(kex->method->hash);
    uint8_t newkeys = SSH_MSG_NEWKEYS;
    int rc;

    s2_wr_dyn(&tail, &tp->env->alloc, 8 * S2_MPINT_MAX + 4096);
    s2_wr_dyn(&k, &tp->env->alloc, 2 * S2_MPINT_MAX);
    s2_wr_dyn(&h, &tp->env->alloc, 2 * S2_PACKET_MAX + S2_HOSTKEY_MAX + 16 * S2_MPINT_MAX);
    tail.secret = 1;
    k.secret = 1;
    h.secret = 1;
    rc = s2_kexm_on_reply(tp, r, &ks, &tail, &k, &sig);
    if (rc != 0) {
        goto out;
    }
    rc = check_hostkey(tp, &ks, &pk);
    if (rc != 0) {
        goto out;
    }
    hash_prefix(tp, &h, &ks);
    s2_wr_raw(&h, tail.p, tail.len);
    if (s2_wr_ok(&h) != 0) {
        rc = kex_fail(tp, LIBSSH2_ERROR_ALLOC, "out of memory for the exchange hash");
        goto out;
    }
    rc = s2_hash_once(kex->method->hash, h.p, h.len, hash);
    if (rc != 0) {
        rc = kex_fail(tp, rc, "unable to compute the exchange hash");
        goto out;
    }
    rc = s2_pubkey_verify(&pk, kex->hostkey_alg, sig.p, sig.left, hash, hl);
    if (rc != 0) {
        rc = kex_fail(tp, LIBSSH2_ERROR_HOSTKEY_SIGN,
                      "the server's signature over the exchange hash is invalid");
        goto out;
    }
    if (tp->session_id_len == 0) {
        memcpy(tp->session_id, hash, hl);
        tp->session_id_len = hl;
    }
    if (tp->hostkey == NULL) {
        tp->hostkey = (uint8_t *)s2_memdup(&tp->env->alloc, ks.p, ks.left);
        if (tp->hostkey == NULL) {
            rc = kex_fail(tp, LIBSSH2_ERROR_ALLOC, "out of memory for the host key");
            goto out;
        }
        tp->hostkey_len = ks.left;
    }
    rc = make_dir(tp, &kex->next_tx, 1, &k, hash, hl, kex->names[S2_KL_ENC_CS],
                  kex->names[S2_KL_MAC_CS], kex->names[S2_KL_COMP_CS], 'A', 'C', 'E');
    if (rc == 0) {
        rc = make_dir(tp, &kex->next_rx, 0, &k, hash, hl, kex->names[S2_KL_ENC_SC],
                      kex->names[S2_KL_MAC_SC], kex->names[S2_KL_COMP_SC], 'B', 'D', 'F');
    }
    if (rc != 0) {
        rc = kex_fail(tp, rc, "unable to set up the new keys");
        goto out;
    }
    s2_kexm_cleanup(tp);
    rc = s2_tp_send(tp, 1, &newkeys, 1);
    if (rc != 0) {
        goto out;
    }
    /* everything after our NEWKEYS goes out under the new keys */
    kex->next_tx.seq = tp->strict ? 0 : tp->tx.seq;
    s2_dir_cleanup(tp, &tp->tx);
    tp->tx = kex->next_tx;
    memset(&kex->next_tx, 0, sizeof kex->next_tx);
    KEX_SET_STATE(tp, S2_KEX_WAIT_NEWKEYS);
out:
    s2_wipe(hash, sizeof hash);
    s2_wr_free(&tail);
    s2_wr_free(&k);
    s2_wr_free(&h);
    return rc;
}

static int
on_newkeys(struct s2_tp *tp, struct s2_rd *r)
{
    struct s2_kex *kex = &tp->kex;
    if (kex->state != S2_KEX_WAIT_NEWKEYS) {
        return kex_fail(tp, LIBSSH2_ERROR_PROTO, "unexpected NEWKEYS");
    }
    if (s2_rd_finish(r) != 0) {
        return kex_fail(tp, LIBSSH2_ERROR_PROTO, "malformed NEWKEYS");
    }
    kex->next_rx.seq = tp->strict ? 0 : tp->rx.seq;
    s2_dir_cleanup(tp, &tp->rx);
    tp->rx = kex->next_rx;
    memset(&kex->next_rx, 0, sizeof kex->next_rx);
    s2_wr_reset(&kex->i_s);
    tp->kex_count++;
    tp->last_kex_ms = s2_now_ms();
    tp->ext_info_allowed = kex->first;
    kex->first = 0;
    KEX_SET_STATE(tp, S2_KEX_IDLE);
    if (tp->state == S2_TP_KEX) {
        TP_SET_STATE(tp, S2_TP_READY);
    }
    s2_tracef(tp->env, LIBSSH2_TRACE_KEX, "kex: new keys in use (key exchange %d)",
              tp->kex_count);
    return 0;
}

int
s2_kex_on_packet(struct s2_tp *tp, uint8_t msg, struct s2_rd *r, const struct s2_rd *whole)
{
    struct s2_kex *kex = &tp->kex;
    if (msg == SSH_MSG_KEXINIT) {
        return on_kexinit(tp, r, whole);
    }
    if (msg == SSH_MSG_NEWKEYS) {
        return on_newkeys(tp, r);
    }
    if (msg < 30 || msg > 49) {
        return kex_fail(tp, LIBSSH2_ERROR_PROTO, "unexpected transport message");
    }
    if (kex->drop_guess && (kex->state == S2_KEX_WAIT_GEX_GROUP || kex->state == S2_KEX_WAIT_REPLY)) {
        kex->drop_guess = 0; /* RFC 4253 7: the server guessed wrong */
        return 0;
    }
    if (kex->state == S2_KEX_WAIT_GEX_GROUP && msg == SSH_MSG_KEX_DH_GEX_GROUP) {
        return s2_kexm_on_gex_group(tp, r);
    }
    if (kex->state == S2_KEX_WAIT_REPLY &&
        msg == (kex->method->kind == S2_KEXK_GEX ? SSH_MSG_KEX_DH_GEX_REPLY : SSH_MSG_KEXDH_REPLY)) {
        return on_reply(tp, r);
    }
    return kex_fail(tp, LIBSSH2_ERROR_PROTO, "key exchange message out of order");
}
