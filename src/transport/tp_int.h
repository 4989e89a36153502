/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to the transport: the transport object, the KEX object with its
 * state enum, per-direction keys, and the KEX method table.
 */
#ifndef S2_TP_INT_H
#define S2_TP_INT_H

#include "crypto/crypto.h"
#include "keys/keys.h"
#include "transport/comp_int.h"
#include "transport/ssh_msg.h"
#include "transport/tp_parse_int.h"
#include "transport/transport.h"

#define S2_MAC_MAX_LEN 64u
#define S2_BLOCK_MAX 16u
#define S2_REKEY_BYTES_DEFAULT (1ull << 30)  /* 1 GiB, RFC 4253 9 / RFC 4344 3.2 */
#define S2_REKEY_SECONDS_DEFAULT 3600l
#define S2_REKEY_PACKETS (1ul << 31)         /* RFC 4344 3.1, as OpenSSH */
#define S2_PREF_MAX 1024u

enum s2_tp_state {
    S2_TP_INIT,  /* nothing queued; s2_tp_start leaves it */
    S2_TP_IDENT, /* our ident and KEXINIT queued; reading the server's ident line */
    S2_TP_KEX,   /* binary packets flow; the first key exchange is running */
    S2_TP_READY, /* keys in use; a rekey may be running (see kex.state) */
    S2_TP_DEAD   /* terminal; tp->dead holds the code */
};

enum s2_kex_state {
    S2_KEX_IDLE,          /* no key exchange running */
    S2_KEX_WAIT_KEXINIT,  /* our KEXINIT sent; waiting for theirs */
    S2_KEX_WAIT_GEX_GROUP, /* GEX request sent; waiting for KEX_DH_GEX_GROUP */
    S2_KEX_WAIT_REPLY,    /* our public value sent; waiting for the server's reply */
    S2_KEX_WAIT_NEWKEYS   /* reply verified, our NEWKEYS sent; waiting for theirs */
};

struct s2_mac_alg {
    const char *name;
    enum s2_hash_alg hash;
    uint8_t key_len;
    uint8_t mac_len;
    uint8_t etm;
};

/* One direction's keys and counters. */
struct s2_dir {
    const struct s2_cipher_alg *calg; /* NULL: no encryption yet */
    struct s2_cipher *cipher;
    const struct s2_mac_alg *malg;    /* NULL for AEAD ciphers and before keys */
    struct s2_mac *mac;
    struct s2_comp *comp;             /* NULL: no compression */
    int comp_delayed;                 /* zlib@openssh.com waiting for auth */
    uint32_t seq;                     /* packet sequence number, wraps */
    uint64_t bytes;                   /* bytes since the last key exchange */
    uint64_t packets;                 /* packets since the last key exchange */
};

/* PQ_MLKEM and PQ_SNTRUP are the hybrids with X25519 (kex_methods.c). */
/* Input buffer: an idle session keeps S2_IN_MIN; it doubles while reads
 * fill it, up to one largest packet plus S2_IN_MAX_READ. */
#define S2_IN_MIN (8u * 1024u)
/* Output queue: starts at S2_OUT_MIN and grows with what is queued. */
#define S2_OUT_MIN (8u * 1024u)
#define S2_IN_MAX_READ (256u * 1024u)

enum s2_kex_kind {
    S2_KEXK_CURVE25519,
    S2_KEXK_ECDH,
    S2_KEXK_DH,
    S2_KEXK_GEX,
    S2_KEXK_PQ_MLKEM,
    S2_KEXK_PQ_SNTRUP
};

struct s2_kex_method {
    const char *name;
    enum s2_kex_kind kind;
    enum s2_hash_alg hash;
    int param; /* curve for ECDH, group number for DH */
};

struct s2_kex {
    enum s2_kex_state state;
    const struct s2_kex_method *method;
    const struct s2_sig_alg *hostkey_alg;
    struct s2_wr i_c;            /* our KEXINIT payload */
    struct s2_wr i_s;            /* their KEXINIT payload */
    int drop_guess;              /* server guessed wrong: drop its next KEX packet */
    char names[S2_KL_COUNT][S2_NAME_MAX + 1]; /* negotiated names */
    /* method state */
    uint8_t x25519_priv[32];
    uint8_t x25519_pub[32];
    struct s2_ecdh *ecdh;
    struct s2_dh *dh;
    struct s2_wr gex_p;          /* GEX group received (magnitudes) */
    struct s2_wr gex_g;
    uint8_t *pq;                 /* hybrids: KEM secret key || our init value */
    size_t pq_len;
    /* results, kept until NEWKEYS switches each direction */
    struct s2_dir next_tx;
    struct s2_dir next_rx;
    int first;                   /* this is the first key exchange */
    uint32_t kexinit_seq;        /* sequence number our KEXINIT went out with */
};

struct s2_tp {
    struct s2_env *env;
    struct s2_io *io;
    struct s2_tp_callbacks cb;
    enum s2_tp_state state;
    int dead;
    struct s2_ident ident;
    char client_ident[S2_IDENT_LINE_MAX + 1];
    char prefs[S2_KL_COUNT][S2_PREF_MAX];
    int compress;
    int strict;                  /* strict KEX negotiated */
    int authenticated;
    int kex_count;
    int ext_info_count;
    int ext_info_allowed;        /* the next packet may be EXT_INFO */
    char *server_sig_algs;
    struct s2_kex kex;
    struct s2_dir tx;
    struct s2_dir rx;
    uint64_t rekey_bytes;
    long rekey_seconds;
    int64_t last_kex_ms;
    uint8_t session_id[S2_HASH_MAX_LEN];
    size_t session_id_len;
    uint8_t *hostkey;
    size_t hostkey_len;
    /* output queue: bytes [out_sent, out_len) are waiting to be sent */
    uint8_t *out;
    size_t out_cap;
    size_t out_len;
    size_t out_sent;
    size_t pkt_start;            /* offset of the open packet, when pkt_open */
    int pkt_open;
    struct s2_wr pkt;            /* writer over the open packet's payload */
    /* random padding comes from this pool, refilled from the CSPRNG when it
     * runs out: one getrandom() per few dozen packets, not one per packet */
    uint8_t pad_pool[512];
    size_t pad_pos;              /* next unused byte; sizeof pad_pool = empty */
    /* input buffer: bytes [in_pos, in_len) are unprocessed */
    uint8_t *in;
    size_t in_cap;
    int in_grow;                 /* the last read filled the buffer */
    size_t in_len;
    size_t in_pos;
    size_t rx_done;              /* bytes of the current packet already decrypted */
    uint32_t rx_pktlen;          /* packet_length of the current packet, once known */
    int rx_have_len;
    struct s2_wr inflated;       /* decompressed payload */
    struct s2_wr comp_tmp;       /* compression scratch */
};

/* tp.c */
void s2_tp_set_state(struct s2_tp *tp, enum s2_tp_state st, int line);
int s2_tp_grow_out(struct s2_tp *tp, size_t need) S2_MUST_CHECK;
void s2_dir_cleanup(struct s2_tp *tp, struct s2_dir *d);

/* kex.c */
int s2_kex_start(struct s2_tp *tp) S2_MUST_CHECK;
/* s2_kex_on_packet handles KEXINIT, NEWKEYS and 30..49; |r| is after the
 * message byte, |whole| the whole payload. */
int s2_kex_on_packet(struct s2_tp *tp, uint8_t msg, struct s2_rd *r,
                     const struct s2_rd *whole) S2_MUST_CHECK;
void s2_kex_cleanup(struct s2_tp *tp);
const struct s2_kex_method *s2_kex_method_find(const char *name);
const struct s2_mac_alg *s2_mac_alg_find(const char *name);
void s2_kex_set_state(struct s2_tp *tp, enum s2_kex_state st, int line);

/* kex_methods.c: the method math; each returns 0 or an error. */
int s2_kexm_send_init(struct s2_tp *tp) S2_MUST_CHECK;
int s2_kexm_on_gex_group(struct s2_tp *tp, struct s2_rd *r) S2_MUST_CHECK;
/* s2_kexm_on_reply parses the reply (|r| after the message byte), computes
 * the shared secret and appends the method's part of the exchange hash input
 * plus the encoded K to |h| (K also to |k|). Sets *hostkey to the K_S view
 * and *sig to the signature view. */
int s2_kexm_on_reply(struct s2_tp *tp, struct s2_rd *r, struct s2_rd *hostkey,
                     struct s2_wr *hash_tail, struct s2_wr *k, struct s2_rd *sig) S2_MUST_CHECK;
void s2_kexm_cleanup(struct s2_tp *tp);

#define TP_SET_STATE(tp, st) s2_tp_set_state((tp), (st), __LINE__)
#define KEX_SET_STATE(tp, st) s2_kex_set_state((tp), (st), __LINE__)

#endif /* S2_TP_INT_H */
