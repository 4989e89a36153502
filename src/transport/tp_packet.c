/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The binary packet protocol (RFC 4253 6, RFC 4344, OpenSSH PROTOCOL 1.6
 * (ETM) and PROTOCOL.chacha20poly1305, RFC 5647 as OpenSSH uses it).
 *
 * Receive: packet_length is bounded before any arithmetic, the MAC or AEAD
 * tag is verified before the plaintext is used, everything happens in place
 * in the input buffer. Send: upper layers write the payload straight into
 * the output queue (s2_tp_begin), then s2_tp_commit pads, MACs and encrypts
 * it in place. No allocation per packet.
 */
#include <string.h>

#include "transport/tp_int.h"

#define MIN_PACKET_LEN 5u /* padding_length byte + 4 bytes of padding */

static size_t
rx_block(const struct s2_dir *d)
{
    return d->calg != NULL ? d->calg->block_len : 8;
}

static size_t
rx_maclen(const struct s2_dir *d)
{
    if (d->calg != NULL && d->calg->tag_len != 0) {
        return d->calg->tag_len;
    }
    return d->malg != NULL ? d->malg->mac_len : 0;
}

static int
aead(const struct s2_dir *d)
{
    return d->calg != NULL && d->calg->tag_len != 0;
}

static int
etm(const struct s2_dir *d)
{
    return d->malg != NULL && d->malg->etm;
}

static int
framing_error(struct s2_tp *tp, int code, const char *msg)
{
    return s2_tp_fatal(tp, code,
                       code == LIBSSH2_ERROR_INVALID_MAC ? SSH_DISCONNECT_MAC_ERROR
                                                         : SSH_DISCONNECT_PROTOCOL_ERROR,
                       msg);
}

/* read_length learns packet_length from the first bytes of a packet. */
static int
read_length(struct s2_tp *tp, uint8_t *p, size_t avail)
{
    struct s2_dir *rx = &tp->rx;
    size_t block = rx_block(rx);
    uint32_t len;
    int r;

    if (rx->calg == NULL || etm(rx)) {
        if (avail < 4) {
            return 0;
        }
        len = s2_get_u32(p);
    } else if (aead(rx)) {
        if (avail < 4) {
            return 0;
        }
        r = s2_aead_length(rx->cipher, rx->seq, p, &len);
        if (r != 0) {
            return framing_error(tp, r, "unable to decrypt the packet length");
        }
    } else {
        /* CTR/CBC with MAC-then-encrypt: decrypt the first block */
        if (avail < block) {
            return 0;
        }
        r = s2_cipher_crypt(rx->cipher, p, block);
        if (r != 0) {
            return framing_error(tp, LIBSSH2_ERROR_DECRYPT, "unable to decrypt a packet");
        }
        tp->rx_done = block;
        len = s2_get_u32(p);
    }
    /* bound packet_length before any arithmetic uses it (T-04, T-05) */
    if (len < MIN_PACKET_LEN || len > S2_PACKET_MAX) {
        return framing_error(tp, LIBSSH2_ERROR_OUT_OF_BOUNDARY,
                             "packet length out of bounds");
    }
    if (rx->calg == NULL || (!aead(rx) && !etm(rx))) {
        if ((len + 4) % block != 0) {
            return framing_error(tp, LIBSSH2_ERROR_PROTO, "packet not a multiple of the block");
        }
    } else if (len % block != 0) {
        return framing_error(tp, LIBSSH2_ERROR_PROTO, "packet not a multiple of the block");
    }
    tp->rx_pktlen = len;
    tp->rx_have_len = 1;
    return 1;
}

/* open_packet verifies and decrypts a whole packet of |total| bytes at |p|. */
static int
open_packet(struct s2_tp *tp, uint8_t *p, size_t len)
{
    struct s2_dir *rx = &tp->rx;
    uint8_t mac[S2_MAC_MAX_LEN];
    size_t maclen = rx_maclen(rx);
    int r;

    if (rx->calg == NULL) {
        return 0;
    }
    if (aead(rx)) {
        r = s2_aead_open(rx->cipher, rx->seq, p, len, p + len);
        if (r != 0) {
            return framing_error(tp, LIBSSH2_ERROR_INVALID_MAC, "packet authentication failed");
        }
        return 0;
    }
    if (etm(rx)) {
        s2_mac_packet(rx->mac, rx->seq, p, len, mac);
        if (!s2_ct_eq(mac, p + len, maclen)) {
            return framing_error(tp, LIBSSH2_ERROR_INVALID_MAC, "packet MAC verification failed");
        }
        r = s2_cipher_crypt(rx->cipher, p + 4, len - 4);
        if (r != 0) {
            return framing_error(tp, LIBSSH2_ERROR_DECRYPT, "unable to decrypt a packet");
        }
        return 0;
    }
    r = s2_cipher_crypt(rx->cipher, p + tp->rx_done, len - tp->rx_done);
    if (r != 0) {
        return framing_error(tp, LIBSSH2_ERROR_DECRYPT, "unable to decrypt a packet");
    }
    s2_mac_packet(rx->mac, rx->seq, p, len, mac);
    if (!s2_ct_eq(mac, p + len, maclen)) {
        return framing_error(tp, LIBSSH2_ERROR_INVALID_MAC, "packet MAC verification failed");
    }
    return 0;
}

static int
rekey_due(const struct s2_tp *tp, const struct s2_dir *d)
{
    return d->bytes >= tp->rekey_bytes || d->packets >= S2_REKEY_PACKETS;
}

static int
maybe_rekey(struct s2_tp *tp, const struct s2_dir *d)
{
    if (tp->state == S2_TP_READY && tp->kex.state == S2_KEX_IDLE && rekey_due(tp, d)) {
        s2_tracef(tp->env, LIBSSH2_TRACE_KEX, "rekey: volume limit reached");
        return s2_kex_start(tp);
    }
    return 0;
}

int
s2_tp_next(struct s2_tp *tp, struct s2_rd *payload)
{
    struct s2_dir *rx = &tp->rx;
    uint8_t *p;
    size_t avail, len, total, padlen;
    int r;

    if (tp->state == S2_TP_DEAD) {
        return tp->dead;
    }
    if (tp->state == S2_TP_INIT || tp->state == S2_TP_IDENT) {
        return 0;
    }
    p = tp->in + tp->in_pos;
    avail = tp->in_len - tp->in_pos;
    if (!tp->rx_have_len) {
        r = read_length(tp, p, avail);
        if (r <= 0) {
            return r;
        }
    }
    len = 4 + (size_t)tp->rx_pktlen;
    total = len + rx_maclen(rx);
    if (avail < total) {
        return 0;
    }
    r = open_packet(tp, p, len);
    if (r != 0) {
        return r;
    }
    padlen = p[4];
    if (padlen < 4 || padlen + 1 >= tp->rx_pktlen) {
        /* T-06, T-08: bad padding, or no room for a message number */
        return framing_error(tp, LIBSSH2_ERROR_PROTO, "bad packet padding");
    }
    tp->in_pos += total;
    tp->rx_have_len = 0;
    tp->rx_done = 0;
    rx->seq++;
    rx->bytes += total;
    rx->packets++;
    if (rx->seq == 0 && tp->state == S2_TP_KEX) {
        return framing_error(tp, LIBSSH2_ERROR_PROTO,
                             "sequence number wrapped during the initial key exchange");
    }
    s2_rd_init(payload, p + 5, tp->rx_pktlen - 1 - padlen);
    if (rx->comp != NULL && !rx->comp_delayed) {
        s2_wr_reset(&tp->inflated);
        r = s2_comp_inflate(rx->comp, payload->p, payload->left, &tp->inflated, S2_PAYLOAD_MAX);
        if (r != 0) {
            return s2_tp_fatal(tp, r, SSH_DISCONNECT_COMPRESSION_ERROR,
                               r == LIBSSH2_ERROR_COMPRESS ? "decompressed packet too large"
                                                           : "corrupt compressed data");
        }
        if (tp->inflated.len == 0) {
            return framing_error(tp, LIBSSH2_ERROR_PROTO, "empty decompressed payload");
        }
        s2_rd_init(payload, tp->inflated.p, tp->inflated.len);
    }
    r = maybe_rekey(tp, rx);
    if (r != 0) {
        return r;
    }
    return 1;
}

/* ---- sending ---- */

int
s2_tp_begin(struct s2_tp *tp, int kex_ok, size_t max_payload, struct s2_wr **w)
{
    size_t room, need;
    int r;
    if (tp->state == S2_TP_DEAD) {
        return tp->dead;
    }
    if (tp->pkt_open) {
        return s2_err_set(tp->env, LIBSSH2_ERROR_BAD_USE, "a packet is already open");
    }
    if (max_payload > S2_PAYLOAD_MAX) {
        max_payload = S2_PAYLOAD_MAX;
    }
    if (!kex_ok && (tp->state != S2_TP_READY || tp->kex.state != S2_KEX_IDLE ||
                    tp->out_len - tp->out_sent > S2_OUTQ_HIGH)) {
        return LIBSSH2_ERROR_EAGAIN;
    }
    /* payload (plus deflate's worst-case growth), header, padding, MAC */
    room = max_payload + max_payload / 1000 + 64;
    need = 5 + room + 2 * S2_BLOCK_MAX + S2_MAC_MAX_LEN;
    r = s2_tp_grow_out(tp, need);
    if (r != 0) {
        return s2_tp_fatal(tp, r, 0, "out of memory for the output queue");
    }
    tp->pkt_start = tp->out_len;
    tp->pkt_open = 1;
    s2_wr_fixed(&tp->pkt, tp->out + tp->out_len + 5, max_payload);
    *w = &tp->pkt;
    return 0;
}

static int
tx_compress(struct s2_tp *tp, uint8_t *payload, size_t *len, size_t room)
{
    int r;
    s2_wr_reset(&tp->comp_tmp);
    r = s2_comp_deflate(tp->tx.comp, payload, *len, &tp->comp_tmp);
    if (r != 0) {
        return r;
    }
    if (tp->comp_tmp.len > room) {
        return LIBSSH2_ERROR_COMPRESS;
    }
    memcpy(payload, tp->comp_tmp.p, tp->comp_tmp.len);
    *len = tp->comp_tmp.len;
    return 0;
}

/* pad_fill writes |n| (<= 255) random padding bytes from tp's pool. */
static int
pad_fill(struct s2_tp *tp, uint8_t *out, size_t n)
{
    int r;
    if (n > sizeof tp->pad_pool - tp->pad_pos) {
        r = s2_random(tp->pad_pool, sizeof tp->pad_pool);
        if (r != 0) {
            return r;
        }
        tp->pad_pos = 0;
    }
    memcpy(out, tp->pad_pool + tp->pad_pos, n);
    tp->pad_pos += n;
    return 0;
}

int
s2_tp_commit(struct s2_tp *tp)
{
    struct s2_dir *tx = &tp->tx;
    uint8_t *p = tp->out + tp->pkt_start;
    size_t payload_len = tp->pkt.len;
    size_t block = rx_block(tx);
    size_t maclen = rx_maclen(tx);
    size_t pad, covered, plen;
    int r;

    if (!tp->pkt_open) {
        return s2_err_set(tp->env, LIBSSH2_ERROR_BAD_USE, "no packet is open");
    }
    tp->pkt_open = 0;
    if (tp->pkt.err != 0) {
        return s2_err_set(tp->env, tp->pkt.err, "unable to build a packet");
    }
    if (tx->comp != NULL && !tx->comp_delayed) {
        size_t room = tp->out_cap - tp->pkt_start - 5 - 2 * S2_BLOCK_MAX - S2_MAC_MAX_LEN;
        r = tx_compress(tp, p + 5, &payload_len, room);
        if (r != 0) {
            return s2_tp_fatal(tp, r, 0, "compression failed");
        }
    }
    /* RFC 4253 6: 4..255 bytes of padding; with AEAD and ETM the length
     * field is outside the padded part */
    covered = 1 + payload_len + ((aead(tx) || etm(tx)) ? 0 : 4);
    pad = block - covered % block;
    if (pad < 4) {
        pad += block;
    }
    plen = 1 + payload_len + pad;
    s2_put_u32(p, (uint32_t)plen);
    p[4] = (uint8_t)pad;
    r = pad_fill(tp, p + 5 + payload_len, pad);
    if (r != 0) {
        return s2_tp_fatal(tp, r, 0, "random number generator failed");
    }
    if (tx->calg == NULL) {
        maclen = 0;
    } else if (aead(tx)) {
        r = s2_aead_seal(tx->cipher, tx->seq, p, 4 + plen, p + 4 + plen);
    } else if (etm(tx)) {
        r = s2_cipher_crypt(tx->cipher, p + 4, plen);
        s2_mac_packet(tx->mac, tx->seq, p, 4 + plen, p + 4 + plen);
    } else {
        s2_mac_packet(tx->mac, tx->seq, p, 4 + plen, p + 4 + plen);
        r = s2_cipher_crypt(tx->cipher, p, 4 + plen);
    }
    if (r != 0) {
        return s2_tp_fatal(tp, LIBSSH2_ERROR_ENCRYPT, 0, "unable to encrypt a packet");
    }
    tp->out_len = tp->pkt_start + 4 + plen + maclen;
    tx->seq++;
    tx->bytes += 4 + plen + maclen;
    tx->packets++;
    return maybe_rekey(tp, tx);
}

void
s2_tp_abort(struct s2_tp *tp)
{
    if (tp->pkt_open) {
        s2_wipe(tp->out + tp->pkt_start, tp->pkt.len + 5);
        tp->pkt_open = 0;
    }
}

int
s2_tp_send(struct s2_tp *tp, int kex_ok, const uint8_t *payload, size_t len)
{
    struct s2_wr *w = NULL;
    int r = s2_tp_begin(tp, kex_ok, len, &w);
    if (r != 0) {
        return r;
    }
    s2_wr_raw(w, payload, len);
    return s2_tp_commit(tp);
}
