/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Key exchange methods: the messages each sends and parses, and its part of
 * the exchange hash input.
 *   curve25519-sha256 (RFC 8731), ecdh-sha2-* (RFC 5656 4, 7.1):
 *       -> KEX_ECDH_INIT  string Q_C
 *       <- KEX_ECDH_REPLY string K_S, string Q_S, string signature
 *       H tail: string Q_C, string Q_S, mpint K
 *   diffie-hellman-group* (RFC 4253 8, RFC 8268):
 *       -> KEXDH_INIT mpint e;  <- KEXDH_REPLY string K_S, mpint f, string sig
 *       H tail: mpint e, mpint f, mpint K
 *   diffie-hellman-group-exchange-* (RFC 4419 3):
 *       -> KEX_DH_GEX_REQUEST uint32 min, n, max;  <- KEX_DH_GEX_GROUP mpint p, g
 *       -> KEX_DH_GEX_INIT mpint e; <- KEX_DH_GEX_REPLY string K_S, mpint f, string sig
 *       H tail: uint32 min, n, max, mpint p, mpint g, mpint e, mpint f, mpint K
 *   mlkem768x25519-sha256 (RFC 10042), sntrup761x25519-sha512 (and its
 *   @openssh.com name, draft-ietf-sshm-ntruprime-ssh):
 *       -> KEX_HYBRID_INIT (30) string C_INIT = KEM public key || X25519 public
 *       <- KEX_HYBRID_REPLY (31) string K_S, string S_REPLY = KEM ciphertext ||
 *          X25519 public, string signature
 *       K = HASH(KEM secret || X25519 secret), sent as a string, not an mpint
 *       H tail: string C_INIT, string S_REPLY, string K
 */
#include <string.h>

#include "transport/tp_int.h"

#define GEX_MIN 2048u
#define GEX_PREFERRED 3072u
#define GEX_MAX 8192u

static int
method_fail(struct s2_tp *tp, int code, const char *msg)
{
    return s2_tp_fatal(tp, code, SSH_DISCONNECT_KEY_EXCHANGE_FAILED, msg);
}

void
s2_kexm_cleanup(struct s2_tp *tp)
{
    struct s2_kex *kex = &tp->kex;
    s2_wipe(kex->x25519_priv, sizeof kex->x25519_priv);
    s2_ecdh_free(&tp->env->alloc, kex->ecdh);
    kex->ecdh = NULL;
    s2_dh_free(&tp->env->alloc, kex->dh);
    kex->dh = NULL;
    s2_wr_reset(&kex->gex_p);
    s2_wr_reset(&kex->gex_g);
    s2_free_secret(&tp->env->alloc, kex->pq, kex->pq_len);
    kex->pq = NULL;
    kex->pq_len = 0;
}

/* Sizes of a hybrid: KEM secret key, KEM public key (sent), ciphertext. */
struct pq_sizes {
    size_t sk, pk, ct;
};

static struct pq_sizes
pq_sizes(enum s2_kex_kind kind)
{
    struct pq_sizes z;
    if (kind == S2_KEXK_PQ_MLKEM) {
        z.sk = S2_MLKEM768_SK_LEN;
        z.pk = S2_MLKEM768_PK_LEN;
        z.ct = S2_MLKEM768_CT_LEN;
    } else {
        z.sk = S2_SNTRUP761_SK_LEN;
        z.pk = S2_SNTRUP761_PK_LEN;
        z.ct = S2_SNTRUP761_CT_LEN;
    }
    return z;
}

/* pq_init makes the KEM and X25519 key pairs and sends C_INIT. kex->pq holds
 * the KEM secret key followed by C_INIT (needed again for the hash). */
static int
pq_init(struct s2_tp *tp)
{
    struct s2_kex *kex = &tp->kex;
    struct pq_sizes z = pq_sizes(kex->method->kind);
    struct s2_wr *w = NULL;
    uint8_t *init;
    int r;

    s2_free_secret(&tp->env->alloc, kex->pq, kex->pq_len);
    kex->pq_len = z.sk + z.pk + 32;
    kex->pq = s2_alloc(&tp->env->alloc, kex->pq_len);
    if (kex->pq == NULL) {
        kex->pq_len = 0;
        return method_fail(tp, LIBSSH2_ERROR_ALLOC, "out of memory for the KEM key");
    }
    init = kex->pq + z.sk;
    if (kex->method->kind == S2_KEXK_PQ_MLKEM) {
        r = s2_mlkem768_keypair(init, kex->pq);
    } else {
        r = s2_sntrup761_keypair(init, kex->pq);
    }
    if (r == 0) {
        r = s2_x25519_keypair(kex->x25519_priv, init + z.pk);
    }
    if (r != 0) {
        return method_fail(tp, r, "unable to generate the hybrid key exchange keys");
    }
    r = s2_tp_begin(tp, 1, z.pk + 32 + 16, &w);
    if (r != 0) {
        return r;
    }
    s2_wr_u8(w, SSH_MSG_KEX_ECDH_INIT); /* == SSH_MSG_KEX_HYBRID_INIT */
    s2_wr_str(w, init, z.pk + 32);
    return 0;
}

static size_t
priv_bits(const struct s2_tp *tp)
{
    /* twice the hash strength, at least 512 bits (RFC 8268 4) */
    size_t bits = 16 * s2_hash_len(tp->kex.method->hash);
    return bits < 512 ? 512 : bits;
}

/* send_e sends our DH public value in message |msg|. */
static int
send_e(struct s2_tp *tp, uint8_t msg)
{
    uint8_t e[S2_DH_MAX_BYTES];
    size_t e_len = 0;
    struct s2_wr *w = NULL;
    int r = s2_dh_public(tp->kex.dh, e, sizeof e, &e_len);
    if (r != 0) {
        return method_fail(tp, r, "unable to compute our DH public value");
    }
    r = s2_tp_begin(tp, 1, e_len + 16, &w);
    if (r != 0) {
        return r;
    }
    s2_wr_u8(w, msg);
    s2_wr_mpint(w, e, e_len);
    return s2_tp_commit(tp);
}

int
s2_kexm_send_init(struct s2_tp *tp)
{
    struct s2_kex *kex = &tp->kex;
    const struct s2_allocator *a = &tp->env->alloc;
    uint8_t q[S2_EC_POINT_MAX];
    size_t q_len = 0;
    const uint8_t *p = NULL;
    size_t p_len = 0;
    uint8_t g = 2;
    struct s2_wr *w = NULL;
    int r;

    switch (kex->method->kind) {
    case S2_KEXK_CURVE25519:
        r = s2_x25519_keypair(kex->x25519_priv, kex->x25519_pub);
        if (r != 0) {
            return method_fail(tp, r, "unable to generate an X25519 key");
        }
        r = s2_tp_begin(tp, 1, 64, &w);
        if (r != 0) {
            return r;
        }
        s2_wr_u8(w, SSH_MSG_KEX_ECDH_INIT);
        s2_wr_str(w, kex->x25519_pub, sizeof kex->x25519_pub);
        break;
    case S2_KEXK_ECDH:
        r = s2_ecdh_new(a, (enum s2_curve)kex->method->param, &kex->ecdh);
        if (r == 0) {
            r = s2_ecdh_public(kex->ecdh, q, sizeof q, &q_len);
        }
        if (r != 0) {
            return method_fail(tp, r, "unable to generate an ECDH key");
        }
        r = s2_tp_begin(tp, 1, q_len + 16, &w);
        if (r != 0) {
            return r;
        }
        s2_wr_u8(w, SSH_MSG_KEX_ECDH_INIT);
        s2_wr_str(w, q, q_len);
        break;
    case S2_KEXK_DH:
        r = s2_dh_group(kex->method->param, &p, &p_len);
        if (r == 0) {
            r = s2_dh_new(a, p, p_len, &g, 1, kex->method->param == 1 ? 1024 : 2048,
                          priv_bits(tp), &kex->dh);
        }
        if (r != 0) {
            return method_fail(tp, r, "unable to set up the DH group");
        }
        r = send_e(tp, SSH_MSG_KEXDH_INIT);
        if (r == 0) {
            KEX_SET_STATE(tp, S2_KEX_WAIT_REPLY);
        }
        return r;
    case S2_KEXK_PQ_MLKEM:
    case S2_KEXK_PQ_SNTRUP:
        r = pq_init(tp);
        if (r != 0) {
            return r;
        }
        break;
    case S2_KEXK_GEX:
        r = s2_tp_begin(tp, 1, 16, &w);
        if (r != 0) {
            return r;
        }
        s2_wr_u8(w, SSH_MSG_KEX_DH_GEX_REQUEST);
        s2_wr_u32(w, GEX_MIN);
        s2_wr_u32(w, GEX_PREFERRED);
        s2_wr_u32(w, GEX_MAX);
        r = s2_tp_commit(tp);
        if (r == 0) {
            KEX_SET_STATE(tp, S2_KEX_WAIT_GEX_GROUP);
        }
        return r;
    default:
        return method_fail(tp, LIBSSH2_ERROR_KEX_FAILURE, "unknown key exchange method");
    }
    r = s2_tp_commit(tp);
    if (r == 0) {
        KEX_SET_STATE(tp, S2_KEX_WAIT_REPLY);
    }
    return r;
}

int
s2_kexm_on_gex_group(struct s2_tp *tp, struct s2_rd *r)
{
    struct s2_kex *kex = &tp->kex;
    struct s2_rd p, g;
    int rc;
    s2_rd_mpint(r, S2_MPINT_MAX, &p);
    s2_rd_mpint(r, S2_MPINT_MAX, &g);
    if (s2_rd_finish(r) != 0) {
        return method_fail(tp, LIBSSH2_ERROR_KEX_FAILURE, "malformed DH group exchange group");
    }
    /* s2_dh_new checks p odd, GEX_MIN..8192 bits, 1 < g < p-1 (K-12) */
    rc = s2_dh_new(&tp->env->alloc, p.p, p.left, g.p, g.left, GEX_MIN, priv_bits(tp), &kex->dh);
    if (rc != 0) {
        return method_fail(tp, LIBSSH2_ERROR_KEX_FAILURE, "the server's DH group is unacceptable");
    }
    s2_wr_reset(&kex->gex_p);
    s2_wr_reset(&kex->gex_g);
    s2_wr_raw(&kex->gex_p, p.p, p.left);
    s2_wr_raw(&kex->gex_g, g.p, g.left);
    if (s2_wr_ok(&kex->gex_p) != 0 || s2_wr_ok(&kex->gex_g) != 0) {
        return method_fail(tp, LIBSSH2_ERROR_ALLOC, "out of memory for the DH group");
    }
    rc = send_e(tp, SSH_MSG_KEX_DH_GEX_INIT);
    if (rc == 0) {
        KEX_SET_STATE(tp, S2_KEX_WAIT_REPLY);
    }
    return rc;
}

/* ecdh_reply: string K_S, string Q_S, string signature. */
static int
ecdh_reply(struct s2_tp *tp, struct s2_rd *r, struct s2_rd *ks, struct s2_wr *tail,
           struct s2_wr *k, struct s2_rd *sig)
{
    struct s2_kex *kex = &tp->kex;
    struct s2_rd qs;
    uint8_t secret[S2_EC_SECRET_MAX];
    uint8_t q[S2_EC_POINT_MAX];
    size_t s_len = 0, q_len = 0;
    int rc;

    s2_rd_str(r, S2_HOSTKEY_MAX, ks);
    s2_rd_str(r, S2_EC_POINT_MAX, &qs);
    s2_rd_str(r, S2_SIG_MAX, sig);
    if (s2_rd_finish(r) != 0) {
        return method_fail(tp, LIBSSH2_ERROR_KEX_FAILURE, "malformed ECDH reply");
    }
    if (kex->method->kind == S2_KEXK_CURVE25519) {
        if (qs.left != 32) {
            return method_fail(tp, LIBSSH2_ERROR_KEX_FAILURE, "bad X25519 public key length");
        }
        rc = s2_x25519(secret, kex->x25519_priv, qs.p);
        s_len = 32;
        memcpy(q, kex->x25519_pub, 32);
        q_len = 32;
    } else {
        rc = s2_ecdh_shared(kex->ecdh, qs.p, qs.left, secret, sizeof secret, &s_len);
        if (rc == 0) {
            rc = s2_ecdh_public(kex->ecdh, q, sizeof q, &q_len);
        }
    }
    if (rc != 0) {
        s2_wipe(secret, sizeof secret);
        return method_fail(tp, LIBSSH2_ERROR_KEX_FAILURE, "bad ECDH public key from the server");
    }
    s2_wr_str(tail, q, q_len);
    s2_wr_str(tail, qs.p, qs.left);
    s2_wr_mpint(tail, secret, s_len);
    s2_wr_mpint(k, secret, s_len);
    s2_wipe(secret, sizeof secret);
    return 0;
}

/* dh_reply: string K_S, mpint f, string signature. */
static int
dh_reply(struct s2_tp *tp, struct s2_rd *r, struct s2_rd *ks, struct s2_wr *tail,
         struct s2_wr *k, struct s2_rd *sig)
{
    struct s2_kex *kex = &tp->kex;
    struct s2_rd f;
    uint8_t e[S2_DH_MAX_BYTES], secret[S2_DH_MAX_BYTES];
    size_t e_len = 0, s_len = 0;
    int rc;

    s2_rd_str(r, S2_HOSTKEY_MAX, ks);
    s2_rd_mpint(r, S2_DH_MAX_BYTES + 1, &f);
    s2_rd_str(r, S2_SIG_MAX, sig);
    if (s2_rd_finish(r) != 0) {
        return method_fail(tp, LIBSSH2_ERROR_KEX_FAILURE, "malformed DH reply");
    }
    rc = s2_dh_shared(kex->dh, f.p, f.left, secret, sizeof secret, &s_len);
    if (rc == 0) {
        rc = s2_dh_public(kex->dh, e, sizeof e, &e_len);
    }
    if (rc != 0) {
        s2_wipe(secret, sizeof secret);
        return method_fail(tp, LIBSSH2_ERROR_KEX_FAILURE, "bad DH public value from the server");
    }
    if (kex->method->kind == S2_KEXK_GEX) {
        s2_wr_u32(tail, GEX_MIN);
        s2_wr_u32(tail, GEX_PREFERRED);
        s2_wr_u32(tail, GEX_MAX);
        s2_wr_mpint(tail, kex->gex_p.p, kex->gex_p.len);
        s2_wr_mpint(tail, kex->gex_g.p, kex->gex_g.len);
    }
    s2_wr_mpint(tail, e, e_len);
    s2_wr_mpint(tail, f.p, f.left);
    s2_wr_mpint(tail, secret, s_len);
    s2_wr_mpint(k, secret, s_len);
    s2_wipe(secret, sizeof secret);
    return 0;
}

/* pq_reply: string K_S, string S_REPLY (ciphertext || X25519 public),
 * string signature. Lengths are exact; the X25519 result must not be zero
 * (s2_x25519 refuses it). */
static int
pq_reply(struct s2_tp *tp, struct s2_rd *r, struct s2_rd *ks, struct s2_wr *tail,
         struct s2_wr *k, struct s2_rd *sig)
{
    struct s2_kex *kex = &tp->kex;
    struct pq_sizes z = pq_sizes(kex->method->kind);
    struct s2_rd sr;
    struct s2_hash h;
    uint8_t ss[64]; /* KEM secret || X25519 secret */
    uint8_t kk[64]; /* HASH of them */
    size_t klen = s2_hash_len(kex->method->hash);
    int rc;

    s2_rd_str(r, S2_HOSTKEY_MAX, ks);
    s2_rd_str(r, S2_MLKEM768_CT_LEN + 32, &sr);
    s2_rd_str(r, S2_SIG_MAX, sig);
    if (s2_rd_finish(r) != 0) {
        return method_fail(tp, LIBSSH2_ERROR_KEX_FAILURE, "malformed hybrid key exchange reply");
    }
    if (sr.left != z.ct + 32) {
        return method_fail(tp, LIBSSH2_ERROR_KEX_FAILURE,
                           "bad length of the server's hybrid key exchange value");
    }
    if (kex->method->kind == S2_KEXK_PQ_MLKEM) {
        rc = s2_mlkem768_decaps(ss, sr.p, kex->pq);
    } else {
        rc = s2_sntrup761_decaps(ss, sr.p, kex->pq);
    }
    if (rc == 0) {
        rc = s2_x25519(ss + 32, kex->x25519_priv, sr.p + z.ct);
    }
    if (rc == 0) {
        rc = s2_hash_init(&h, kex->method->hash);
    }
    if (rc != 0) {
        s2_wipe(ss, sizeof ss);
        return method_fail(tp, LIBSSH2_ERROR_KEX_FAILURE,
                           "bad hybrid key exchange value from the server");
    }
    s2_hash_update(&h, ss, sizeof ss);
    s2_hash_final(&h, kk);
    s2_wipe(ss, sizeof ss);
    s2_wr_str(tail, kex->pq + z.sk, z.pk + 32);
    s2_wr_str(tail, sr.p, sr.left);
    s2_wr_str(tail, kk, klen);
    s2_wr_str(k, kk, klen);
    s2_wipe(kk, sizeof kk);
    return 0;
}

int
s2_kexm_on_reply(struct s2_tp *tp, struct s2_rd *r, struct s2_rd *ks, struct s2_wr *tail,
                 struct s2_wr *k, struct s2_rd *sig)
{
    int rc;
    enum s2_kex_kind kind = tp->kex.method->kind;
    if (kind == S2_KEXK_CURVE25519 || kind == S2_KEXK_ECDH) {
        rc = ecdh_reply(tp, r, ks, tail, k, sig);
    } else if (kind == S2_KEXK_PQ_MLKEM || kind == S2_KEXK_PQ_SNTRUP) {
        rc = pq_reply(tp, r, ks, tail, k, sig);
    } else {
        rc = dh_reply(tp, r, ks, tail, k, sig);
    }
    if (rc == 0 && (s2_wr_ok(tail) != 0 || s2_wr_ok(k) != 0)) {
        rc = method_fail(tp, LIBSSH2_ERROR_ALLOC, "out of memory in the key exchange");
    }
    return rc;
}
