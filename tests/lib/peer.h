/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * peer: a scripted in-memory SSH-2 server for hostile-input tests (H1 of
 * docs HOSTILE-CASES 2.0). It lives in the test process on one end of a
 * socketpair; the client under test gets the other end. Single-threaded:
 * the test calls the client API (non-blocking), then peer_step() lets the
 * peer read what arrived, react and write, and so on.
 *
 * The peer does a real key exchange: curve25519-sha256 (RFC 8731) with an
 * ssh-ed25519 host key (RFC 8709) signing the real exchange hash
 * (RFC 4253 8), key derivation (RFC 4253 7.2), NEWKEYS, and then speaks
 * chacha20-poly1305@openssh.com, aes*-gcm@openssh.com or aes*-ctr with
 * hmac-sha2-256(-etm@openssh.com), using the library's own crypto
 * primitives (and libsodium for the server-side X25519 and signing).
 *
 * Well-behaved by default ("auto" mode): it answers KEXINIT, ECDH_INIT,
 * NEWKEYS, SERVICE_REQUEST (SERVICE_ACCEPT) and USERAUTH_REQUEST
 * (USERAUTH_FAILURE "publickey,password"). Misbehaviour comes from:
 *   - configuration fields (lists, strict marker, ident bytes, guesses),
 *   - a hook called before each scripted message (return 1 to replace it
 *     with whatever the hook sends itself),
 *   - a reply mutation struct for KEX_ECDH_REPLY,
 *   - the raw senders: peer_send_raw(), peer_send(), peer_send_frame().
 */
#ifndef S2_TEST_PEER_H
#define S2_TEST_PEER_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "crypto/crypto.h"

#define PEER_MAX_DEFER 8
#define PEER_DEFER_MAX_LEN 2048
#define PEER_LOG_MAX 256

/* Events at which the hook runs, before the peer sends the message. */
enum peer_event {
    PEER_EV_IDENT,          /* before our identification line */
    PEER_EV_KEXINIT,        /* before our KEXINIT */
    PEER_EV_REPLY,          /* before KEX_ECDH_REPLY */
    PEER_EV_NEWKEYS,        /* before our NEWKEYS */
    PEER_EV_AFTER_NEWKEYS,  /* right after our NEWKEYS (new keys in use) */
    PEER_EV_SERVICE_ACCEPT, /* before SERVICE_ACCEPT */
    PEER_EV_UA_FAILURE      /* before USERAUTH_FAILURE */
};

struct peer;

/* The connection layer (RFC 4254) in the peer, off unless conn_auto is set:
 * one entry per client channel id below PEER_CHANS. Our (server) channel
 * id for client id i is PEER_CHAN_BASE + i, so a client that puts its own
 * id where ours belongs is caught. */
#define PEER_CHANS 128
#define PEER_CHAN_BASE 1000u
#define PEER_REQ_NAME_MAX 48

struct peer_chan {
    int used;               /* the client opened it and we confirmed */
    uint32_t client_id;     /* the client's id: the recipient of what we send */
    uint32_t window;        /* the client's initial window, as announced */
    uint32_t maxpacket;     /* the client's maximum packet, as announced */
    uint64_t rx_data;       /* CHANNEL_DATA bytes received */
    uint64_t rx_ext;        /* CHANNEL_EXTENDED_DATA bytes received */
    uint64_t adjust_total;  /* WINDOW_ADJUST bytes received */
    int nadjust;            /* WINDOW_ADJUST messages received */
    int eof_recv;           /* the client's EOF */
    int close_recv;         /* CLOSE messages received (more than 1 is a client bug) */
    int close_sent;         /* we sent CLOSE */
    int nreq;               /* CHANNEL_REQUEST messages received */
    char last_req[PEER_REQ_NAME_MAX]; /* the last request's name */
    int last_want_reply;
    uint8_t last_req_data[256];       /* its type-specific data (first 256 bytes) */
    size_t last_req_data_len;
    uint8_t data_head[64];  /* the first bytes of CHANNEL_DATA received */
    size_t data_head_len;
    int nfailure;           /* CHANNEL_FAILURE received from the client */
    int nsuccess;           /* CHANNEL_SUCCESS received from the client */
};

/* A message hook sees every client payload of the userauth and connection
 * layers (message numbers 50 and up) before the peer's own handling;
 * return 1 to skip that handling. */
typedef int (*peer_msg_fn)(struct peer *p, const uint8_t *payload, size_t len, void *arg);

/* A hook returns 0 to let the peer send its message, 1 to skip it (the hook
 * may have sent something else instead). */
typedef int (*peer_hook_fn)(struct peer *p, enum peer_event ev, void *arg);

/* How to damage one outgoing packet (peer_send_frame). Zero = honest. */
struct peer_frame {
    int set_len;         /* write |len| as packet_length instead of the real one */
    uint32_t len;
    int set_padlen;      /* write |padlen| as padding_length */
    uint8_t padlen;
    int set_nbytes_pad;  /* append exactly |nbytes_pad| padding bytes */
    size_t nbytes_pad;
    int flip_mac;        /* flip a bit of the MAC / tag byte at |flip_off| */
    size_t flip_off;
    int flip_body;       /* flip a bit of the encrypted body at |body_off| */
    size_t body_off;
    int truncate;        /* send only the first |keep| bytes */
    size_t keep;
};

/* Changes to KEX_ECDH_REPLY. */
struct peer_reply_mut {
    int q_len;           /* >0: send Q_S with this many bytes (31, 33); <0: empty */
    int q_zero;          /* send an all-zero Q_S (small-order point) */
    int flip_sig;        /* flip a bit in the signature */
    const char *sig_alg; /* name written in the signature blob */
    int other_hostkey;   /* sign with (and send) the second host key */
    int trailing;        /* append a byte after the signature */
    int flip_ct;         /* mlkem768x25519: flip a ciphertext bit after encapsulating */
};

/* One direction's keys inside the peer. */
struct peer_dir {
    const struct s2_cipher_alg *calg;
    struct s2_cipher *cipher;
    struct s2_mac *mac;
    size_t mac_len;
    int etm;
    uint32_t seq;
};

struct peer {
    int fd;                     /* our end of the socketpair (non-blocking) */
    int client_fd;              /* the client's end (the test hands it over) */
    struct s2_allocator alloc;  /* libc; never the failing allocator */
    /* ---- configuration (set between peer_init and the first step) ---- */
    const char *ident;          /* our ident line without CR LF */
    const uint8_t *ident_raw;   /* if set: sent instead of ident + CR LF */
    size_t ident_raw_len;
    const char *kex_list;       /* our KEXINIT lists */
    const char *hostkey_list;
    const char *cipher_list;
    const char *mac_list;
    const char *comp_list;
    int strict;                 /* advertise kex-strict-s-v00@openssh.com */
    int strict_in_rekey;        /* advertise it in later KEXINITs too */
    int no_seq_reset;           /* with strict: (wrongly) keep seqnos */
    int first_follows;          /* first_kex_packet_follows */
    uint32_t reserved;          /* KEXINIT reserved field */
    int send_ext_info;          /* EXT_INFO right after the first NEWKEYS */
    int one_byte;               /* write at most one byte per step */
    int auto_kexinit;           /* send KEXINIT right after the ident (1) */
    int use_second_key_on_rekey; /* H-07 */
    struct peer_reply_mut mut;  /* applied to every reply while set */
    peer_hook_fn hook;
    void *hook_arg;
    peer_msg_fn msg_hook;       /* every client payload (see peer_msg_fn) */
    void *msg_hook_arg;
    /* ---- userauth and the connection layer (all off by default) ---- */
    int auth_ok;                /* answer USERAUTH_REQUEST with USERAUTH_SUCCESS */
    int conn_auto;              /* run the connection layer (below) */
    uint32_t open_window;       /* our window in OPEN_CONFIRMATION (default 2 MiB) */
    uint32_t open_maxpacket;    /* our max packet in OPEN_CONFIRMATION (default 32768) */
    uint32_t open_fail_reason;  /* non-zero: refuse opens with OPEN_FAILURE */
    const char *open_fail_text;
    int req_fail;               /* answer channel requests with CHANNEL_FAILURE */
    int no_close_reply;         /* do not answer the client's CLOSE */
    int global_ok;              /* answer global requests with REQUEST_SUCCESS */
    const char *exec_out;       /* on "exec"/"shell": send this, exit-status, EOF, CLOSE */
    uint32_t exec_status;
    int nopen;                  /* CHANNEL_OPEN received */
    uint32_t last_open_id;      /* the client's id in the last CHANNEL_OPEN */
    int nglobal;                /* GLOBAL_REQUEST received */
    char last_global[PEER_REQ_NAME_MAX];
    int ngreply;                /* REQUEST_SUCCESS / FAILURE received */
    int nopen_failure;          /* CHANNEL_OPEN_FAILURE received from the client */
    uint32_t last_open_failure_recipient;
    uint32_t last_open_failure_reason;
    int rx_in_kex;              /* client messages >= 50 (or 5..7) received between its
                                 * KEXINIT and its NEWKEYS (RFC 4253 7.1 forbids them) */
    int nopen_confirm;          /* CHANNEL_OPEN_CONFIRMATION received; for our
                                 * id PEER_CHAN_BASE + k, chans[k] tracks the
                                 * channel (client_id: the client's id) */
    struct peer_chan chans[PEER_CHANS];
    /* ---- host keys ---- */
    uint8_t hk_pk[2][32];
    uint8_t hk_sk[2][64];
    /* ---- protocol state ---- */
    char v_c[256];              /* client ident without CR LF */
    size_t v_c_len;
    int got_ident;
    int sent_ident;
    struct s2_wr i_c;           /* client KEXINIT payload of this round */
    struct s2_wr i_s;           /* our KEXINIT payload of this round */
    int sent_kexinit;           /* this round */
    int got_kexinit;            /* this round */
    int in_kex;                 /* our KEXINIT sent, our NEWKEYS not yet */
    int strict_on;              /* both sides advertised strict */
    int client_strict;
    int kex_done;               /* completed key exchanges (our NEWKEYS out) */
    int rx_newkeys;             /* client NEWKEYS received (count) */
    int tx_newkeys_round;       /* our NEWKEYS sent in this round */
    int rx_newkeys_round;       /* the client's NEWKEYS received in this round */
    uint8_t q_c[1216];          /* the client's X25519 public key, or (1216
                                 * bytes) its mlkem768x25519 C_INIT */
    size_t q_c_len;
    char neg_cipher_cs[65], neg_cipher_sc[65], neg_mac_cs[65], neg_mac_sc[65];
    uint8_t session_id[32];
    int have_session_id;
    uint8_t h[32];
    struct s2_wr k;             /* mpint K of this round */
    struct peer_dir tx, rx, next_tx, next_rx;
    int have_next;
    /* ---- I/O ---- */
    uint8_t *in;                /* bytes from the client not yet consumed */
    size_t in_len, in_cap;
    size_t rx_done;             /* first block already decrypted (CTR) */
    uint32_t rx_pktlen;
    int rx_have_len;
    uint8_t *out;               /* bytes queued for the client */
    size_t out_len, out_cap, out_sent;
    int eof;                    /* the client closed its end */
    int closed;                 /* we closed our end */
    int error;                  /* peer-side failure (a test bug or client misbehaviour) */
    char errmsg[160];
    /* deferred upper-layer payloads (sent after our NEWKEYS) */
    uint8_t defer[PEER_MAX_DEFER][PEER_DEFER_MAX_LEN];
    size_t defer_len[PEER_MAX_DEFER];
    int ndefer;
    /* ---- what the client sent ---- */
    uint8_t log_type[PEER_LOG_MAX];  /* message numbers, in order */
    int nlog;
    uint32_t unimpl_seq[16];    /* seqnos named by the client's UNIMPLEMENTED */
    int nunimpl;
    int got_disconnect;
    uint32_t disconnect_reason;
    uint32_t tx_seq_of_last;    /* seqno of the last packet we sent */
};

/* peer_init creates the socketpair and fixed host keys; the client end is
 * p->client_fd. Returns 0 or -1. */
int peer_init(struct peer *p);
/* peer_free closes both socket ends and frees everything. */
void peer_free(struct peer *p);
/* peer_step reads what the client sent, reacts to complete packets in
 * auto mode, and writes queued bytes (one byte in one_byte mode). Returns
 * 1 when something happened, 0 when nothing did, -1 on a peer error. */
int peer_step(struct peer *p);
/* peer_close closes our end (the client sees EOF) after flushing. */
void peer_close(struct peer *p);

/* ---- sending ---- */
/* peer_send_raw queues raw bytes (no framing). */
void peer_send_raw(struct peer *p, const void *buf, size_t len);
/* peer_send frames, MACs and encrypts |payload| with the current keys. */
void peer_send(struct peer *p, const void *payload, size_t len);
/* peer_send_frame is peer_send with damage described by |f|. */
void peer_send_frame(struct peer *p, const void *payload, size_t len, const struct peer_frame *f);
/* peer_send_ident sends our identification line (or ident_raw). */
void peer_send_ident(struct peer *p);
/* peer_send_kexinit sends our KEXINIT (starts a round; a server-initiated
 * rekey after the first exchange). */
void peer_send_kexinit(struct peer *p);
/* peer_build_kexinit writes a KEXINIT payload with the given lists into
 * |w| (NULL entries: the configured list). */
void peer_build_kexinit(struct peer *p, struct s2_wr *w, const char *kex, const char *hostkey,
                        const char *cipher, const char *mac, int first_follows,
                        uint32_t reserved);
/* peer_send_reply computes K and H and sends KEX_ECDH_REPLY for the last
 * ECDH_INIT; then the keys for NEWKEYS are ready. */
void peer_send_reply(struct peer *p, const struct peer_reply_mut *mut);
/* peer_send_newkeys sends NEWKEYS and switches to the new outgoing keys. */
void peer_send_newkeys(struct peer *p);
/* peer_send_ignore sends SSH_MSG_IGNORE with |n| bytes of data. */
void peer_send_ignore(struct peer *p, size_t n);
/* peer_send_msg sends a payload made of the message number |msg| followed
 * by |extra_len| bytes of |extra|. */
void peer_send_msg(struct peer *p, uint8_t msg, const void *extra, size_t extra_len);

/* peer_seen tells how many times the client sent message |msg|. */
int peer_seen(const struct peer *p, uint8_t msg);

/* ---- the connection layer ---- */
/* peer_chan returns the entry for client channel |client_id| (NULL when
 * it is out of range or was never opened). */
struct peer_chan *peer_chan(struct peer *p, uint32_t client_id);
/* peer_chan_data sends CHANNEL_DATA (ext_type < 0) or CHANNEL_EXTENDED_DATA
 * with |ext_type| to client channel |client_id|. */
void peer_chan_data(struct peer *p, uint32_t client_id, int ext_type, const void *buf,
                    size_t len);
/* peer_chan_msg sends a message that carries only the recipient (EOF,
 * CLOSE, SUCCESS, FAILURE); CLOSE is remembered in close_sent. */
void peer_chan_msg(struct peer *p, uint8_t msg, uint32_t client_id);
/* peer_chan_adjust sends CHANNEL_WINDOW_ADJUST of |n| bytes. */
void peer_chan_adjust(struct peer *p, uint32_t client_id, uint32_t n);
/* peer_chan_request sends CHANNEL_REQUEST |name| with raw |data|. */
void peer_chan_request(struct peer *p, uint32_t client_id, const char *name, int want_reply,
                       const void *data, size_t len);
/* peer_chan_exit_status sends the "exit-status" request (RFC 4254 6.10). */
void peer_chan_exit_status(struct peer *p, uint32_t client_id, uint32_t status);

#endif /* S2_TEST_PEER_H */
