/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scripted SSH-2 server of peer.h. Written from RFC 4253 (4.2 ident,
 * 6 binary packets, 7 KEXINIT and key derivation, 8 exchange hash),
 * RFC 8731 (curve25519-sha256), RFC 8709 (ssh-ed25519), OpenSSH PROTOCOL
 * 1.6 (ETM), 1.9 (strict KEX) and PROTOCOL.chacha20poly1305. Test code:
 * it uses libc, libsodium and the library's crypto primitives freely.
 */
#include "peer.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define STRICT_S "kex-strict-s-v00@openssh.com"
#define STRICT_C "kex-strict-c-v00@openssh.com"

/* ---- small helpers ---- */

static void
fail(struct peer *p, const char *msg)
{
    if (p->error == 0) {
        p->error = 1;
        snprintf(p->errmsg, sizeof p->errmsg, "%s", msg);
        fprintf(stderr, "peer: %s\n", msg);
    }
}

static void
dir_cleanup(struct peer *p, struct peer_dir *d)
{
    s2_cipher_free(&p->alloc, d->cipher);
    s2_mac_free(&p->alloc, d->mac);
    memset(d, 0, sizeof *d);
}

static void
out_append(struct peer *p, const void *buf, size_t len)
{
    if (p->out_cap - p->out_len < len) {
        size_t cap = p->out_cap == 0 ? 65536 : p->out_cap;
        uint8_t *np;
        while (cap - p->out_len < len) {
            cap *= 2;
        }
        np = realloc(p->out, cap);
        if (np == NULL) {
            fail(p, "out of memory");
            return;
        }
        p->out = np;
        p->out_cap = cap;
    }
    memcpy(p->out + p->out_len, buf, len);
    p->out_len += len;
}

int
peer_init(struct peer *p)
{
    int sv[2];
    uint8_t seed[32];
    int i;

    memset(p, 0, sizeof *p);
    p->fd = -1;
    p->client_fd = -1;
    if (sodium_init() < 0) {
        return -1;
    }
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
        return -1;
    }
    p->fd = sv[0];
    p->client_fd = sv[1];
    if (fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL, 0) | O_NONBLOCK) != 0) {
        return -1;
    }
    s2_allocator_default(&p->alloc, NULL);
    p->ident = "SSH-2.0-HostilePeer_1.0";
    p->kex_list = "curve25519-sha256";
    p->hostkey_list = "ssh-ed25519";
    p->cipher_list = "chacha20-poly1305@openssh.com";
    p->mac_list = "hmac-sha2-256-etm@openssh.com,hmac-sha2-256";
    p->comp_list = "none";
    p->auto_kexinit = 1;
    p->open_window = 2u * 1024u * 1024u;
    p->open_maxpacket = 32768;
    for (i = 0; i < 2; i++) {
        memset(seed, 0x41 + i, sizeof seed);
        crypto_sign_ed25519_seed_keypair(p->hk_pk[i], p->hk_sk[i], seed);
    }
    s2_wr_dyn(&p->i_c, &p->alloc, 1u << 20);
    s2_wr_dyn(&p->i_s, &p->alloc, 1u << 20);
    s2_wr_dyn(&p->k, &p->alloc, 4096);
    return 0;
}

void
peer_free(struct peer *p)
{
    if (p->fd >= 0) {
        close(p->fd);
    }
    if (p->client_fd >= 0) {
        close(p->client_fd);
    }
    p->fd = -1;
    p->client_fd = -1;
    dir_cleanup(p, &p->tx);
    dir_cleanup(p, &p->rx);
    dir_cleanup(p, &p->next_tx);
    dir_cleanup(p, &p->next_rx);
    s2_wr_free(&p->i_c);
    s2_wr_free(&p->i_s);
    s2_wr_free(&p->k);
    free(p->in);
    free(p->out);
    p->in = NULL;
    p->out = NULL;
}

/* ---- sending ---- */

void
peer_send_raw(struct peer *p, const void *buf, size_t len)
{
    out_append(p, buf, len);
}

static int
is_aead(const struct peer_dir *d)
{
    return d->calg != NULL && d->calg->tag_len != 0;
}

void
peer_send_frame(struct peer *p, const void *payload, size_t len, const struct peer_frame *f)
{
    struct peer_dir *d = &p->tx;
    size_t block = d->calg != NULL ? d->calg->block_len : 8;
    size_t covered, pad, plen, maclen = 0, total;
    uint8_t *buf;
    int r = 0;

    if (block < 8) {
        block = 8;
    }
    covered = 1 + len + ((is_aead(d) || d->etm) ? 0 : 4);
    pad = block - covered % block;
    if (pad < 4) {
        pad += block;
    }
    if (f != NULL && f->set_nbytes_pad) {
        pad = f->nbytes_pad;
    }
    plen = 1 + len + pad;
    if (d->calg != NULL) {
        maclen = is_aead(d) ? d->calg->tag_len : d->mac_len;
    }
    total = 4 + plen + maclen;
    buf = calloc(1, total);
    if (buf == NULL) {
        fail(p, "out of memory");
        return;
    }
    s2_put_u32(buf, (uint32_t)plen);
    if (f != NULL && f->set_len) {
        s2_put_u32(buf, f->len);
    }
    buf[4] = (uint8_t)pad;
    if (f != NULL && f->set_padlen) {
        buf[4] = f->padlen;
    }
    if (len > 0) {
        memcpy(buf + 5, payload, len);
    }
    randombytes_buf(buf + 5 + len, pad);
    if (d->calg == NULL) {
        /* plaintext: no MAC */
    } else if (is_aead(d)) {
        r = s2_aead_seal(d->cipher, d->seq, buf, 4 + plen, buf + 4 + plen);
    } else if (d->etm) {
        r = s2_cipher_crypt(d->cipher, buf + 4, plen);
        s2_mac_packet(d->mac, d->seq, buf, 4 + plen, buf + 4 + plen);
    } else {
        s2_mac_packet(d->mac, d->seq, buf, 4 + plen, buf + 4 + plen);
        r = s2_cipher_crypt(d->cipher, buf, 4 + plen);
    }
    if (r != 0) {
        fail(p, "encryption failed");
    }
    if (f != NULL && f->flip_mac && maclen > 0) {
        buf[4 + plen + (f->flip_off % maclen)] ^= 0x01;
    }
    if (f != NULL && f->flip_body) {
        buf[f->body_off % (4 + plen)] ^= 0x01;
    }
    if (f != NULL && f->truncate && f->keep < total) {
        total = f->keep;
    }
    out_append(p, buf, total);
    free(buf);
    p->tx_seq_of_last = d->seq;
    d->seq++;
}

void
peer_send(struct peer *p, const void *payload, size_t len)
{
    peer_send_frame(p, payload, len, NULL);
}

void
peer_send_msg(struct peer *p, uint8_t msg, const void *extra, size_t extra_len)
{
    uint8_t *buf = malloc(1 + extra_len);
    if (buf == NULL) {
        fail(p, "out of memory");
        return;
    }
    buf[0] = msg;
    if (extra_len > 0) {
        memcpy(buf + 1, extra, extra_len);
    }
    peer_send(p, buf, 1 + extra_len);
    free(buf);
}

void
peer_send_ignore(struct peer *p, size_t n)
{
    uint8_t *buf = calloc(1, 5 + n);
    if (buf == NULL) {
        fail(p, "out of memory");
        return;
    }
    buf[0] = 2; /* SSH_MSG_IGNORE, string data */
    s2_put_u32(buf + 1, (uint32_t)n);
    peer_send(p, buf, 5 + n);
    free(buf);
}

/* auto_send sends an upper-layer payload, or defers it while our key
 * exchange runs (RFC 4253 7.1). */
static void
auto_send(struct peer *p, const void *payload, size_t len)
{
    if (p->in_kex) {
        if (p->ndefer >= PEER_MAX_DEFER || len > PEER_DEFER_MAX_LEN) {
            fail(p, "defer queue full");
            return;
        }
        memcpy(p->defer[p->ndefer], payload, len);
        p->defer_len[p->ndefer] = len;
        p->ndefer++;
        return;
    }
    peer_send(p, payload, len);
}

static int
hook(struct peer *p, enum peer_event ev)
{
    if (p->hook == NULL) {
        return 0;
    }
    return p->hook(p, ev, p->hook_arg);
}

void
peer_send_ident(struct peer *p)
{
    if (p->ident_raw != NULL) {
        peer_send_raw(p, p->ident_raw, p->ident_raw_len);
    } else {
        peer_send_raw(p, p->ident, strlen(p->ident));
        peer_send_raw(p, "\r\n", 2);
    }
    p->sent_ident = 1;
}

void
peer_build_kexinit(struct peer *p, struct s2_wr *w, const char *kex, const char *hostkey,
                   const char *cipher, const char *mac, int first_follows, uint32_t reserved)
{
    uint8_t cookie[16];
    char *kexbuf = NULL;
    int add_strict = p->strict && (p->kex_done == 0 || p->strict_in_rekey);

    randombytes_buf(cookie, sizeof cookie);
    if (kex == NULL) {
        size_t n = strlen(p->kex_list) + sizeof "," STRICT_S;
        kexbuf = malloc(n);
        if (kexbuf == NULL) {
            fail(p, "out of memory");
            return;
        }
        snprintf(kexbuf, n, "%s%s", p->kex_list, add_strict ? "," STRICT_S : "");
        kex = kexbuf;
    }
    s2_wr_u8(w, 20);
    s2_wr_raw(w, cookie, sizeof cookie);
    s2_wr_cstr(w, kex);
    s2_wr_cstr(w, hostkey != NULL ? hostkey : p->hostkey_list);
    s2_wr_cstr(w, cipher != NULL ? cipher : p->cipher_list);
    s2_wr_cstr(w, cipher != NULL ? cipher : p->cipher_list);
    s2_wr_cstr(w, mac != NULL ? mac : p->mac_list);
    s2_wr_cstr(w, mac != NULL ? mac : p->mac_list);
    s2_wr_cstr(w, p->comp_list);
    s2_wr_cstr(w, p->comp_list);
    s2_wr_cstr(w, "");
    s2_wr_cstr(w, "");
    s2_wr_bool(w, first_follows);
    s2_wr_u32(w, reserved);
    free(kexbuf);
}

void
peer_send_kexinit(struct peer *p)
{
    s2_wr_reset(&p->i_s);
    peer_build_kexinit(p, &p->i_s, NULL, NULL, NULL, NULL, p->first_follows, p->reserved);
    if (s2_wr_ok(&p->i_s) != 0) {
        fail(p, "unable to build KEXINIT");
        return;
    }
    peer_send(p, p->i_s.p, p->i_s.len);
    p->sent_kexinit = 1;
    p->in_kex = 1;
}

/* derive: RFC 4253 7.2, HASH = SHA-256. */
static void
derive(struct peer *p, char letter, uint8_t *out, size_t need)
{
    uint8_t buf[32 * 8];
    size_t have = 0;
    struct s2_hash hs;
    while (have < need && have + 32 <= sizeof buf) {
        if (s2_hash_init(&hs, S2_HASH_SHA256) != 0) {
            fail(p, "hash init");
            return;
        }
        s2_hash_update(&hs, p->k.p, p->k.len);
        s2_hash_update(&hs, p->h, 32);
        if (have == 0) {
            s2_hash_update(&hs, &letter, 1);
            s2_hash_update(&hs, p->session_id, 32);
        } else {
            s2_hash_update(&hs, buf, have);
        }
        s2_hash_final(&hs, buf + have);
        have += 32;
    }
    memcpy(out, buf, need);
}

static const struct { const char *name; size_t key; size_t len; int etm; } macs[] = {
    {"hmac-sha2-256-etm@openssh.com", 32, 32, 1},
    {"hmac-sha2-256", 32, 32, 0},
};

static void
make_dir(struct peer *p, struct peer_dir *d, int encrypt, const char *cipher, const char *mac,
         char iv_l, char key_l, char mac_l)
{
    uint8_t iv[64], key[64], mkey[64];
    size_t i;

    memset(d, 0, sizeof *d);
    d->calg = s2_cipher_find(cipher, strlen(cipher));
    if (d->calg == NULL) {
        fail(p, "unknown cipher negotiated");
        return;
    }
    derive(p, iv_l, iv, d->calg->iv_len);
    derive(p, key_l, key, d->calg->key_len);
    if (s2_cipher_new(&p->alloc, d->calg, encrypt, key, iv, &d->cipher) != 0) {
        fail(p, "cipher_new");
        return;
    }
    if (d->calg->tag_len == 0) {
        for (i = 0; i < sizeof macs / sizeof macs[0]; i++) {
            if (strcmp(macs[i].name, mac) == 0) {
                break;
            }
        }
        if (i == sizeof macs / sizeof macs[0]) {
            fail(p, "unknown MAC negotiated");
            return;
        }
        derive(p, mac_l, mkey, macs[i].key);
        if (s2_mac_new(&p->alloc, S2_HASH_SHA256, mkey, macs[i].key, &d->mac) != 0) {
            fail(p, "mac_new");
            return;
        }
        d->mac_len = macs[i].len;
        d->etm = macs[i].etm;
    }
}

void
peer_send_reply(struct peer *p, const struct peer_reply_mut *mut)
{
    static const struct peer_reply_mut none;
    uint8_t s_priv[32], q_s[S2_MLKEM768_CT_LEN + 33], k[32], sig[64];
    uint8_t ss[64];
    size_t q_len = 32;
    size_t x_off = 0; /* where the X25519 value sits in Q_S */
    int hybrid = p->q_c_len == S2_MLKEM768_PK_LEN + 32;
    struct s2_wr ks, h, reply, sigblob;
    int key = p->use_second_key_on_rekey && p->kex_done > 0 ? 1 : 0;
    int have_k;

    if (mut == NULL) {
        mut = &none;
    }
    if (mut->other_hostkey) {
        key = 1;
    }
    randombytes_buf(s_priv, sizeof s_priv);
    if (hybrid) {
        /* mlkem768x25519-sha256: S_REPLY = ciphertext || X25519 public */
        x_off = S2_MLKEM768_CT_LEN;
        q_len = x_off + 32;
        if (s2_mlkem768_encaps(q_s, ss, p->q_c) != 0) {
            fail(p, "mlkem768 encaps");
        }
    }
    crypto_scalarmult_curve25519_base(q_s + x_off, s_priv);
    q_s[x_off + 32] = 0x09;
    have_k = crypto_scalarmult_curve25519(k, s_priv,
                                          p->q_c + (hybrid ? S2_MLKEM768_PK_LEN : 0)) == 0;
    if (mut->q_zero) {
        memset(q_s + x_off, 0, 33);
    }
    if (mut->flip_ct) {
        q_s[100] ^= 0x01;
    }
    if (mut->q_len > 0) {
        q_len = (size_t)mut->q_len;
    } else if (mut->q_len < 0) {
        q_len = 0; /* an empty Q_S */
    }
    s2_wr_dyn(&ks, &p->alloc, 4096);
    s2_wr_dyn(&h, &p->alloc, 1u << 21);
    s2_wr_dyn(&reply, &p->alloc, 8192);
    s2_wr_dyn(&sigblob, &p->alloc, 4096);
    /* K_S: string "ssh-ed25519", string key (RFC 8709 4) */
    s2_wr_cstr(&ks, "ssh-ed25519");
    s2_wr_str(&ks, p->hk_pk[key], 32);
    /* K as mpint (RFC 8731 3.1: the X25519 output as a big-endian number) */
    s2_wr_reset(&p->k);
    if (hybrid) {
        /* K = SHA-256(ML-KEM secret || X25519 secret), as a string */
        memcpy(ss + 32, k, 32);
        if (s2_hash_once(S2_HASH_SHA256, ss, sizeof ss, k) != 0) {
            fail(p, "hybrid K");
        }
        s2_wr_str(&p->k, k, 32);
        sodium_memzero(ss, sizeof ss);
    } else {
        s2_wr_mpint(&p->k, k, have_k ? 32 : 0);
    }
    /* H = HASH(V_C, V_S, I_C, I_S, K_S, Q_C, Q_S, K) */
    s2_wr_str(&h, p->v_c, p->v_c_len);
    s2_wr_cstr(&h, p->ident);
    s2_wr_str(&h, p->i_c.p, p->i_c.len);
    s2_wr_str(&h, p->i_s.p, p->i_s.len);
    s2_wr_str(&h, ks.p, ks.len);
    s2_wr_str(&h, p->q_c, p->q_c_len);
    s2_wr_str(&h, q_s, q_len);
    s2_wr_raw(&h, p->k.p, p->k.len);
    if (s2_wr_ok(&h) != 0 || s2_wr_ok(&ks) != 0 ||
        s2_hash_once(S2_HASH_SHA256, h.p, h.len, p->h) != 0) {
        fail(p, "exchange hash");
    }
    if (!p->have_session_id) {
        memcpy(p->session_id, p->h, 32);
        p->have_session_id = 1;
    }
    crypto_sign_ed25519_detached(sig, NULL, p->h, 32, p->hk_sk[key]);
    if (mut->flip_sig) {
        sig[10] ^= 0x04;
    }
    s2_wr_cstr(&sigblob, mut->sig_alg != NULL ? mut->sig_alg : "ssh-ed25519");
    s2_wr_str(&sigblob, sig, sizeof sig);
    s2_wr_u8(&reply, 31); /* SSH_MSG_KEX_ECDH_REPLY */
    s2_wr_str(&reply, ks.p, ks.len);
    s2_wr_str(&reply, q_s, q_len);
    s2_wr_str(&reply, sigblob.p, sigblob.len);
    if (mut->trailing) {
        s2_wr_u8(&reply, 0);
    }
    peer_send(p, reply.p, reply.len);
    /* next keys: server to client B, D, F; client to server A, C, E */
    dir_cleanup(p, &p->next_tx);
    dir_cleanup(p, &p->next_rx);
    make_dir(p, &p->next_tx, 1, p->neg_cipher_sc, p->neg_mac_sc, 'B', 'D', 'F');
    make_dir(p, &p->next_rx, 0, p->neg_cipher_cs, p->neg_mac_cs, 'A', 'C', 'E');
    p->have_next = 1;
    s2_wr_free(&ks);
    s2_wr_free(&h);
    s2_wr_free(&reply);
    s2_wr_free(&sigblob);
    sodium_memzero(s_priv, sizeof s_priv);
}

static void
round_done(struct peer *p)
{
    /* a KEXINIT of ours sent before the client's last NEWKEYS arrived
     * already belongs to the next round (in_kex): keep it */
    if (!p->in_kex) {
        s2_wr_reset(&p->i_s);
        p->sent_kexinit = 0;
    }
    s2_wr_reset(&p->i_c);
    p->got_kexinit = 0;
    p->tx_newkeys_round = 0;
    p->rx_newkeys_round = 0;
}

static void
flush_deferred(struct peer *p)
{
    int i;
    for (i = 0; i < p->ndefer; i++) {
        peer_send(p, p->defer[i], p->defer_len[i]);
    }
    p->ndefer = 0;
}

void
peer_send_newkeys(struct peer *p)
{
    uint8_t nk = 21;
    uint32_t seq = p->tx.seq;
    peer_send(p, &nk, 1);
    if (!p->have_next) {
        fail(p, "NEWKEYS without keys");
        return;
    }
    seq = p->tx.seq;
    dir_cleanup(p, &p->tx);
    p->tx = p->next_tx;
    memset(&p->next_tx, 0, sizeof p->next_tx);
    p->tx.seq = (p->strict_on && !p->no_seq_reset) ? 0 : seq;
    p->in_kex = 0;
    p->kex_done++;
    p->tx_newkeys_round = 1;
    if (p->rx_newkeys_round) {
        round_done(p);
    }
}

int
peer_seen(const struct peer *p, uint8_t msg)
{
    int i, n = 0;
    for (i = 0; i < p->nlog; i++) {
        if (p->log_type[i] == msg) {
            n++;
        }
    }
    return n;
}

/* ---- receiving ---- */

static void
read_socket(struct peer *p, int *progress)
{
    for (;;) {
        ssize_t n;
        if (p->in_cap - p->in_len < 65536) {
            size_t cap = p->in_cap == 0 ? 131072 : p->in_cap * 2;
            uint8_t *np = realloc(p->in, cap);
            if (np == NULL) {
                fail(p, "out of memory");
                return;
            }
            p->in = np;
            p->in_cap = cap;
        }
        n = recv(p->fd, p->in + p->in_len, p->in_cap - p->in_len, 0);
        if (n > 0) {
            p->in_len += (size_t)n;
            *progress = 1;
            continue;
        }
        if (n == 0) {
            if (!p->eof) {
                *progress = 1;
            }
            p->eof = 1;
        }
        return;
    }
}

static void
consume(struct peer *p, size_t n)
{
    memmove(p->in, p->in + n, p->in_len - n);
    p->in_len -= n;
}

/* next_packet decrypts the next client packet in place. Returns 1 with
 * *payload / *plen / *total set, 0 when incomplete, -1 on error. */
static int
next_packet(struct peer *p, uint8_t **payload, size_t *plen, size_t *total)
{
    struct peer_dir *d = &p->rx;
    size_t maclen = 0, block = d->calg != NULL ? d->calg->block_len : 8;
    uint32_t len;
    uint8_t mac[64];
    uint8_t padlen;

    if (d->calg != NULL) {
        maclen = is_aead(d) ? d->calg->tag_len : d->mac_len;
    }
    if (!p->rx_have_len) {
        if (d->calg == NULL || d->etm) {
            if (p->in_len < 4) {
                return 0;
            }
            len = s2_get_u32(p->in);
        } else if (is_aead(d)) {
            if (p->in_len < 4) {
                return 0;
            }
            if (s2_aead_length(d->cipher, d->seq, p->in, &len) != 0) {
                fail(p, "aead length");
                return -1;
            }
        } else {
            if (p->in_len < block) {
                return 0;
            }
            if (s2_cipher_crypt(d->cipher, p->in, block) != 0) {
                fail(p, "decrypt");
                return -1;
            }
            p->rx_done = block;
            len = s2_get_u32(p->in);
        }
        if (len < 5 || len > S2_PACKET_MAX) {
            fail(p, "client sent a bad packet length");
            return -1;
        }
        p->rx_pktlen = len;
        p->rx_have_len = 1;
    }
    len = p->rx_pktlen;
    if (p->in_len < 4 + (size_t)len + maclen) {
        return 0;
    }
    if (d->calg == NULL) {
        /* plaintext */
    } else if (is_aead(d)) {
        if (s2_aead_open(d->cipher, d->seq, p->in, 4 + len, p->in + 4 + len) != 0) {
            fail(p, "client packet: bad AEAD tag");
            return -1;
        }
    } else if (d->etm) {
        s2_mac_packet(d->mac, d->seq, p->in, 4 + len, mac);
        if (memcmp(mac, p->in + 4 + len, maclen) != 0) {
            fail(p, "client packet: bad ETM MAC");
            return -1;
        }
        if (s2_cipher_crypt(d->cipher, p->in + 4, len) != 0) {
            fail(p, "decrypt");
            return -1;
        }
    } else {
        if (s2_cipher_crypt(d->cipher, p->in + p->rx_done, 4 + len - p->rx_done) != 0) {
            fail(p, "decrypt");
            return -1;
        }
        s2_mac_packet(d->mac, d->seq, p->in, 4 + len, mac);
        if (memcmp(mac, p->in + 4 + len, maclen) != 0) {
            fail(p, "client packet: bad MAC");
            return -1;
        }
    }
    padlen = p->in[4];
    if (padlen < 4 || (size_t)padlen + 1 >= len) {
        fail(p, "client packet: bad padding");
        return -1;
    }
    p->rx_have_len = 0;
    p->rx_done = 0;
    d->seq++;
    *payload = p->in + 5;
    *plen = len - 1 - padlen;
    *total = 4 + len + maclen;
    return 1;
}

/* negotiate: the first name on the client's list that is on ours. */
static void
negotiate(struct peer *p, const struct s2_rd *client, const char *ours, char *out, size_t out_max)
{
    struct s2_rd r = *client;
    const uint8_t *start = r.p;
    size_t n = 0;
    out[0] = '\0';
    while (r.left > 0 || n > 0) {
        uint8_t c = r.left > 0 ? s2_rd_u8(&r) : ',';
        if (c == ',') {
            if (n > 0 && s2_namelist_has(ours, strlen(ours), (const char *)start, n)) {
                if (n < out_max) {
                    memcpy(out, start, n);
                    out[n] = '\0';
                }
                return;
            }
            start = r.p;
            n = 0;
            if (r.left == 0) {
                break;
            }
        } else {
            n++;
        }
    }
    /* no common name: the client is expected to fail; make_dir reports it
     * if the exchange ever gets that far */
    (void)p;
}

static void
on_client_kexinit(struct peer *p, const uint8_t *payload, size_t len)
{
    struct s2_rd r, lists[10];
    int i;

    s2_wr_reset(&p->i_c);
    s2_wr_raw(&p->i_c, payload, len);
    p->got_kexinit = 1;
    s2_rd_init(&r, payload + 1, len - 1);
    s2_rd_skip(&r, 16);
    for (i = 0; i < 10; i++) {
        s2_rd_str(&r, S2_NAMELIST_MAX, &lists[i]);
    }
    if (s2_rd_ok(&r) != 0) {
        fail(p, "malformed client KEXINIT");
        return;
    }
    if (p->kex_done == 0) {
        p->client_strict = s2_namelist_has((const char *)lists[0].p, lists[0].left, STRICT_C,
                                           strlen(STRICT_C));
        p->strict_on = p->client_strict && p->strict;
    }
    negotiate(p, &lists[2], p->cipher_list, p->neg_cipher_cs, sizeof p->neg_cipher_cs);
    negotiate(p, &lists[3], p->cipher_list, p->neg_cipher_sc, sizeof p->neg_cipher_sc);
    if (s2_cipher_find(p->neg_cipher_cs, strlen(p->neg_cipher_cs)) != NULL &&
        s2_cipher_find(p->neg_cipher_cs, strlen(p->neg_cipher_cs))->tag_len == 0) {
        negotiate(p, &lists[4], p->mac_list, p->neg_mac_cs, sizeof p->neg_mac_cs);
    }
    if (s2_cipher_find(p->neg_cipher_sc, strlen(p->neg_cipher_sc)) != NULL &&
        s2_cipher_find(p->neg_cipher_sc, strlen(p->neg_cipher_sc))->tag_len == 0) {
        negotiate(p, &lists[5], p->mac_list, p->neg_mac_sc, sizeof p->neg_mac_sc);
    }
    if (!p->sent_kexinit) {
        if (hook(p, PEER_EV_KEXINIT) == 0) {
            peer_send_kexinit(p);
        }
    }
}

static void
finish_kex_send(struct peer *p)
{
    int first = p->kex_done == 0;
    if (hook(p, PEER_EV_NEWKEYS) == 0) {
        peer_send_newkeys(p);
    } else {
        return;
    }
    (void)hook(p, PEER_EV_AFTER_NEWKEYS);
    if (first && p->send_ext_info) {
        static const uint8_t ext[] = {
            7, 0, 0, 0, 1,                                       /* EXT_INFO, 1 extension */
            0, 0, 0, 15, 's', 'e', 'r', 'v', 'e', 'r', '-', 's', 'i', 'g', '-', 'a', 'l', 'g',
            's', 0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1', '9'};
        peer_send(p, ext, sizeof ext);
    }
    flush_deferred(p);
}

static void
on_client_ecdh_init(struct peer *p, const uint8_t *payload, size_t len)
{
    struct s2_rd r, q;
    s2_rd_init(&r, payload + 1, len - 1);
    s2_rd_str(&r, sizeof p->q_c, &q);
    if (s2_rd_finish(&r) != 0 || (q.left != 32 && q.left != sizeof p->q_c)) {
        fail(p, "malformed ECDH_INIT / HYBRID_INIT");
        return;
    }
    memcpy(p->q_c, q.p, q.left);
    p->q_c_len = q.left;
    if (hook(p, PEER_EV_REPLY) == 0) {
        peer_send_reply(p, &p->mut);
        finish_kex_send(p);
    }
}

static void
on_client_newkeys(struct peer *p)
{
    uint32_t seq = p->rx.seq;
    if (!p->have_next && p->next_rx.calg == NULL) {
        fail(p, "client NEWKEYS before our reply");
        return;
    }
    dir_cleanup(p, &p->rx);
    p->rx = p->next_rx;
    memset(&p->next_rx, 0, sizeof p->next_rx);
    p->rx.seq = p->strict_on ? 0 : seq; /* no_seq_reset affects only what we send */
    p->rx_newkeys++;
    p->have_next = 0;
    p->rx_newkeys_round = 1;
    if (p->tx_newkeys_round) {
        round_done(p);
    }
}

/* ---- the connection layer (RFC 4254) ---- */

struct peer_chan *
peer_chan(struct peer *p, uint32_t client_id)
{
    if (client_id >= PEER_CHANS || !p->chans[client_id].used) {
        return NULL;
    }
    return &p->chans[client_id];
}

/* chan_by_recipient maps our id in a client message back to the entry. */
static struct peer_chan *
chan_by_recipient(struct peer *p, uint32_t recipient)
{
    struct peer_chan *c;
    if (recipient < PEER_CHAN_BASE || recipient - PEER_CHAN_BASE >= PEER_CHANS) {
        fail(p, "client used a channel id that is not ours");
        return NULL;
    }
    c = &p->chans[recipient - PEER_CHAN_BASE];
    if (!c->used) {
        fail(p, "client used a channel that is not open");
        return NULL;
    }
    return c;
}

static void
send_wr(struct peer *p, struct s2_wr *w)
{
    if (s2_wr_ok(w) != 0) {
        fail(p, "unable to build a connection message");
    } else {
        auto_send(p, w->p, w->len);
    }
    s2_wr_free(w);
}

void
peer_chan_data(struct peer *p, uint32_t client_id, int ext_type, const void *buf, size_t len)
{
    struct s2_wr w;
    s2_wr_dyn(&w, &p->alloc, S2_PACKET_MAX);
    s2_wr_u8(&w, ext_type < 0 ? 94 : 95);
    s2_wr_u32(&w, client_id);
    if (ext_type >= 0) {
        s2_wr_u32(&w, (uint32_t)ext_type);
    }
    s2_wr_str(&w, buf, len);
    if (s2_wr_ok(&w) != 0) {
        fail(p, "unable to build CHANNEL_DATA");
    } else {
        peer_send(p, w.p, w.len);
    }
    s2_wr_free(&w);
}

void
peer_chan_msg(struct peer *p, uint8_t msg, uint32_t client_id)
{
    uint8_t b[5];
    size_t i;
    b[0] = msg;
    s2_put_u32(b + 1, client_id);
    for (i = 0; msg == 97 && i < PEER_CHANS; i++) {
        if (p->chans[i].used && p->chans[i].client_id == client_id) {
            p->chans[i].close_sent = 1;
            break;
        }
    }
    auto_send(p, b, sizeof b);
}

void
peer_chan_adjust(struct peer *p, uint32_t client_id, uint32_t n)
{
    uint8_t b[9];
    b[0] = 93;
    s2_put_u32(b + 1, client_id);
    s2_put_u32(b + 5, n);
    auto_send(p, b, sizeof b);
}

void
peer_chan_request(struct peer *p, uint32_t client_id, const char *name, int want_reply,
                  const void *data, size_t len)
{
    struct s2_wr w;
    s2_wr_dyn(&w, &p->alloc, S2_PACKET_MAX);
    s2_wr_u8(&w, 98);
    s2_wr_u32(&w, client_id);
    s2_wr_cstr(&w, name);
    s2_wr_bool(&w, want_reply);
    s2_wr_raw(&w, data, len);
    send_wr(p, &w);
}

void
peer_chan_exit_status(struct peer *p, uint32_t client_id, uint32_t status)
{
    uint8_t b[4];
    s2_put_u32(b, status);
    peer_chan_request(p, client_id, "exit-status", 0, b, sizeof b);
}

static void
copy_name(char *out, const struct s2_rd *name)
{
    size_t n = name->left < PEER_REQ_NAME_MAX - 1 ? name->left : PEER_REQ_NAME_MAX - 1;
    memcpy(out, name->p, n);
    out[n] = '\0';
}

/* CHANNEL_OPEN: confirm (or refuse, with open_fail_reason) */
static void
conn_open(struct peer *p, struct s2_rd *r)
{
    struct s2_rd type;
    uint32_t sender, window, maxpkt;
    struct s2_wr w;
    s2_rd_str(r, 256, &type);
    sender = s2_rd_u32(r);
    window = s2_rd_u32(r);
    maxpkt = s2_rd_u32(r);
    if (s2_rd_ok(r) != 0) {
        fail(p, "malformed CHANNEL_OPEN from the client");
        return;
    }
    p->nopen++;
    p->last_open_id = sender;
    s2_wr_dyn(&w, &p->alloc, S2_PACKET_MAX);
    if (p->open_fail_reason != 0) {
        s2_wr_u8(&w, 92);
        s2_wr_u32(&w, sender);
        s2_wr_u32(&w, p->open_fail_reason);
        s2_wr_cstr(&w, p->open_fail_text != NULL ? p->open_fail_text : "");
        s2_wr_cstr(&w, "");
        send_wr(p, &w);
        return;
    }
    if (sender >= PEER_CHANS) {
        s2_wr_free(&w);
        fail(p, "client channel id beyond PEER_CHANS");
        return;
    }
    if (p->chans[sender].used && !(p->chans[sender].close_sent && p->chans[sender].close_recv)) {
        s2_wr_free(&w);
        fail(p, "client reused a channel id before both CLOSEs");
        return;
    }
    memset(&p->chans[sender], 0, sizeof p->chans[sender]);
    p->chans[sender].used = 1;
    p->chans[sender].client_id = sender;
    p->chans[sender].window = window;
    p->chans[sender].maxpacket = maxpkt;
    s2_wr_u8(&w, 91);
    s2_wr_u32(&w, sender);
    s2_wr_u32(&w, PEER_CHAN_BASE + sender);
    s2_wr_u32(&w, p->open_window);
    s2_wr_u32(&w, p->open_maxpacket);
    send_wr(p, &w);
}

static void
conn_request(struct peer *p, struct peer_chan *c, struct s2_rd *r)
{
    struct s2_rd name;
    int want;
    s2_rd_str(r, 256, &name);
    want = s2_rd_bool(r);
    if (s2_rd_ok(r) != 0) {
        fail(p, "malformed CHANNEL_REQUEST from the client");
        return;
    }
    c->nreq++;
    copy_name(c->last_req, &name);
    c->last_want_reply = want;
    c->last_req_data_len = r->left < sizeof c->last_req_data ? r->left : sizeof c->last_req_data;
    memcpy(c->last_req_data, r->p, c->last_req_data_len);
    if (want) {
        peer_chan_msg(p, p->req_fail ? 100 : 99, c->client_id);
    }
    if (!p->req_fail && p->exec_out != NULL &&
        (strcmp(c->last_req, "exec") == 0 || strcmp(c->last_req, "shell") == 0)) {
        peer_chan_data(p, c->client_id, -1, p->exec_out, strlen(p->exec_out));
        peer_chan_exit_status(p, c->client_id, p->exec_status);
        peer_chan_msg(p, 96, c->client_id);
        peer_chan_msg(p, 97, c->client_id);
    }
}

static void
conn_handle(struct peer *p, const uint8_t *payload, size_t len)
{
    struct s2_rd r, name, d;
    struct peer_chan *c;
    uint32_t v;
    uint8_t msg = payload[0];
    s2_rd_init(&r, payload + 1, len - 1);
    switch (msg) {
    case 80: /* GLOBAL_REQUEST */
        s2_rd_str(&r, 256, &name);
        v = (uint32_t)s2_rd_bool(&r);
        p->nglobal++;
        copy_name(p->last_global, &name);
        if (v) {
            uint8_t b = p->global_ok ? 81 : 82;
            auto_send(p, &b, 1);
        }
        return;
    case 81:
    case 82:
        p->ngreply++;
        return;
    case 90:
        conn_open(p, &r);
        return;
    case 91:
        /* the client accepted an open of ours: uint32 recipient (our id),
         * uint32 sender (its id), uint32 window, uint32 max packet. With
         * our id PEER_CHAN_BASE + k, entry k tracks it from now on. */
        p->nopen_confirm++;
        v = s2_rd_u32(&r);
        if (v >= PEER_CHAN_BASE && v - PEER_CHAN_BASE < PEER_CHANS) {
            c = &p->chans[v - PEER_CHAN_BASE];
            memset(c, 0, sizeof *c);
            c->used = 1;
            c->client_id = s2_rd_u32(&r);
            c->window = s2_rd_u32(&r);
            c->maxpacket = s2_rd_u32(&r);
        }
        return;
    case 92:
        p->nopen_failure++;
        p->last_open_failure_recipient = s2_rd_u32(&r);
        p->last_open_failure_reason = s2_rd_u32(&r);
        return;
    default:
        break;
    }
    if (msg < 93 || msg > 100) {
        return;
    }
    c = chan_by_recipient(p, s2_rd_u32(&r));
    if (c == NULL) {
        return;
    }
    switch (msg) {
    case 93:
        v = s2_rd_u32(&r);
        c->adjust_total += v;
        c->nadjust++;
        break;
    case 94:
    case 95:
        if (msg == 95) {
            (void)s2_rd_u32(&r);
        }
        s2_rd_str(&r, S2_PACKET_MAX, &d);
        if (s2_rd_ok(&r) != 0) {
            fail(p, "malformed channel data from the client");
            return;
        }
        if (c->eof_recv || c->close_recv) {
            fail(p, "client sent data after EOF or CLOSE");
            return;
        }
        if (msg == 94) {
            size_t room = sizeof c->data_head - c->data_head_len;
            size_t n = d.left < room ? d.left : room;
            memcpy(c->data_head + c->data_head_len, d.p, n);
            c->data_head_len += n;
            c->rx_data += d.left;
        } else {
            c->rx_ext += d.left;
        }
        break;
    case 96:
        c->eof_recv = 1;
        break;
    case 97:
        c->close_recv++;
        if (c->close_recv > 1) {
            fail(p, "client sent CLOSE twice");
            return;
        }
        if (!c->close_sent && !p->no_close_reply) {
            c->close_sent = 1;
            peer_chan_msg(p, 97, c->client_id);
        }
        break;
    case 98:
        conn_request(p, c, &r);
        break;
    case 99:
        c->nsuccess++;
        break;
    case 100:
        c->nfailure++;
        break;
    default:
        break;
    }
}

static void
handle(struct peer *p, uint8_t *payload, size_t len)
{
    struct s2_rd r;
    if (len == 0) {
        fail(p, "client sent an empty payload");
        return;
    }
    if (p->nlog < PEER_LOG_MAX) {
        p->log_type[p->nlog++] = payload[0];
    }
    if (p->got_kexinit && !p->rx_newkeys_round &&
        (payload[0] >= 50 || (payload[0] >= 5 && payload[0] <= 7))) {
        p->rx_in_kex++;
    }
    if (payload[0] >= 50 && p->msg_hook != NULL &&
        p->msg_hook(p, payload, len, p->msg_hook_arg) != 0) {
        return;
    }
    if (payload[0] >= 80 && p->conn_auto) {
        conn_handle(p, payload, len);
        return;
    }
    switch (payload[0]) {
    case 1: /* DISCONNECT */
        s2_rd_init(&r, payload + 1, len - 1);
        p->got_disconnect = 1;
        p->disconnect_reason = s2_rd_u32(&r);
        break;
    case 3: /* UNIMPLEMENTED */
        s2_rd_init(&r, payload + 1, len - 1);
        if (p->nunimpl < 16) {
            p->unimpl_seq[p->nunimpl++] = s2_rd_u32(&r);
        }
        break;
    case 5: /* SERVICE_REQUEST */
        if (hook(p, PEER_EV_SERVICE_ACCEPT) == 0) {
            static const uint8_t acc[] = {6, 0, 0, 0, 12, 's', 's', 'h', '-', 'u', 's', 'e', 'r',
                                          'a', 'u', 't', 'h'};
            auto_send(p, acc, sizeof acc);
        }
        break;
    case 20:
        on_client_kexinit(p, payload, len);
        break;
    case 21:
        on_client_newkeys(p);
        break;
    case 30:
        on_client_ecdh_init(p, payload, len);
        break;
    case 50: /* USERAUTH_REQUEST */
        if (p->auth_ok) {
            uint8_t ok = 52; /* USERAUTH_SUCCESS */
            auto_send(p, &ok, 1);
        } else if (hook(p, PEER_EV_UA_FAILURE) == 0) {
            static const uint8_t f[] = {51, 0, 0, 0, 18, 'p', 'u', 'b', 'l', 'i', 'c', 'k', 'e',
                                        'y', ',', 'p', 'a', 's', 's', 'w', 'o', 'r', 'd', 0};
            auto_send(p, f, sizeof f);
        }
        break;
    default:
        break;
    }
}

static void
flush_out(struct peer *p, int *progress)
{
    while (p->out_sent < p->out_len && !p->closed) {
        size_t want = p->out_len - p->out_sent;
        ssize_t n;
        if (p->one_byte) {
            want = 1;
        }
        n = send(p->fd, p->out + p->out_sent, want, MSG_NOSIGNAL);
        if (n <= 0) {
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                p->eof = 1; /* the client went away */
                p->out_sent = p->out_len;
            }
            break;
        }
        p->out_sent += (size_t)n;
        *progress = 1;
        if (p->one_byte) {
            break;
        }
    }
    if (p->out_sent == p->out_len) {
        p->out_sent = 0;
        p->out_len = 0;
    }
}

int
peer_step(struct peer *p)
{
    int progress = 0;

    if (p->closed) {
        return 0;
    }
    if (!p->sent_ident) {
        progress = 1;
        if (hook(p, PEER_EV_IDENT) == 0) {
            peer_send_ident(p);
        }
        p->sent_ident = 1;
        if (p->auto_kexinit && !p->sent_kexinit) {
            if (hook(p, PEER_EV_KEXINIT) == 0) {
                peer_send_kexinit(p);
            }
        }
    }
    read_socket(p, &progress);
    if (!p->got_ident && !p->error) {
        uint8_t *lf = memchr(p->in, '\n', p->in_len);
        if (lf != NULL) {
            size_t n = (size_t)(lf - p->in);
            size_t keep = n;
            if (keep > 0 && p->in[keep - 1] == '\r') {
                keep--;
            }
            if (keep >= sizeof p->v_c) {
                fail(p, "client ident too long");
                return -1;
            }
            memcpy(p->v_c, p->in, keep);
            p->v_c[keep] = '\0';
            p->v_c_len = keep;
            p->got_ident = 1;
            consume(p, n + 1);
            progress = 1;
        }
    }
    while (p->got_ident && !p->error) {
        uint8_t *payload = NULL;
        size_t plen = 0, total = 0;
        int r = next_packet(p, &payload, &plen, &total);
        if (r <= 0) {
            break;
        }
        handle(p, payload, plen);
        consume(p, total);
        progress = 1;
    }
    flush_out(p, &progress);
    return p->error ? -1 : progress;
}

void
peer_close(struct peer *p)
{
    int progress = 0;
    int saved = p->one_byte;
    p->one_byte = 0;
    flush_out(p, &progress);
    p->one_byte = saved;
    if (p->fd >= 0) {
        close(p->fd);
    }
    p->fd = -1;
    p->closed = 1;
}
