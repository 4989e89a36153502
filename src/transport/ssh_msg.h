/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SSH message numbers, named as in the RFCs: RFC 4250 4.1 (the whole table),
 * RFC 4419 (DH group exchange), RFC 5656 (ECDH), RFC 4462 (GSS-API userauth),
 * RFC 8308 (EXT_INFO, NEWCOMPRESS) and OpenSSH PROTOCOL (PING/PONG). The
 * disconnect reason codes SSH_DISCONNECT_* and SSH_EXTENDED_DATA_STDERR are
 * in the public libssh2.h and are not repeated here. Number ranges per
 * RFC 4250 4.1.2 are given as S2_MSG_*_FIRST/LAST for the router.
 */
#ifndef S2_SSH_MSG_H
#define S2_SSH_MSG_H

/* ---- transport layer generic, RFC 4253 (1..19) ---- */
#define SSH_MSG_DISCONNECT 1
#define SSH_MSG_IGNORE 2
#define SSH_MSG_UNIMPLEMENTED 3
#define SSH_MSG_DEBUG 4
#define SSH_MSG_SERVICE_REQUEST 5
#define SSH_MSG_SERVICE_ACCEPT 6
#define SSH_MSG_EXT_INFO 7      /* RFC 8308 2.3 */
#define SSH_MSG_NEWCOMPRESS 8   /* RFC 8308 3.2 */

/* ---- algorithm negotiation, RFC 4253 (20..29) ---- */
#define SSH_MSG_KEXINIT 20
#define SSH_MSG_NEWKEYS 21

/* ---- key-exchange-method specific, (30..49): numbers are reused ---- */
#define SSH_MSG_KEXDH_INIT 30          /* RFC 4253 8 */
#define SSH_MSG_KEXDH_REPLY 31
#define SSH_MSG_KEX_ECDH_INIT 30       /* RFC 5656 7.1; also curve25519, sntrup */
#define SSH_MSG_KEX_ECDH_REPLY 31
#define SSH_MSG_KEX_DH_GEX_REQUEST_OLD 30 /* RFC 4419 5 */
#define SSH_MSG_KEX_DH_GEX_GROUP 31
#define SSH_MSG_KEX_DH_GEX_INIT 32
#define SSH_MSG_KEX_DH_GEX_REPLY 33
#define SSH_MSG_KEX_DH_GEX_REQUEST 34

/* ---- user authentication, RFC 4252 (50..79) ---- */
#define SSH_MSG_USERAUTH_REQUEST 50
#define SSH_MSG_USERAUTH_FAILURE 51
#define SSH_MSG_USERAUTH_SUCCESS 52
#define SSH_MSG_USERAUTH_BANNER 53
/* 60..79: method specific, numbers are reused */
#define SSH_MSG_USERAUTH_PK_OK 60              /* RFC 4252 7 */
#define SSH_MSG_USERAUTH_PASSWD_CHANGEREQ 60   /* RFC 4252 8 */
#define SSH_MSG_USERAUTH_INFO_REQUEST 60       /* RFC 4256 3.2 */
#define SSH_MSG_USERAUTH_INFO_RESPONSE 61      /* RFC 4256 3.4 */
#define SSH_MSG_USERAUTH_GSSAPI_RESPONSE 60    /* RFC 4462 3 */
#define SSH_MSG_USERAUTH_GSSAPI_TOKEN 61
#define SSH_MSG_USERAUTH_GSSAPI_EXCHANGE_COMPLETE 63
#define SSH_MSG_USERAUTH_GSSAPI_ERROR 64
#define SSH_MSG_USERAUTH_GSSAPI_ERRTOK 65
#define SSH_MSG_USERAUTH_GSSAPI_MIC 66

/* ---- connection protocol, RFC 4254 (80..127) ---- */
#define SSH_MSG_GLOBAL_REQUEST 80
#define SSH_MSG_REQUEST_SUCCESS 81
#define SSH_MSG_REQUEST_FAILURE 82
#define SSH_MSG_CHANNEL_OPEN 90
#define SSH_MSG_CHANNEL_OPEN_CONFIRMATION 91
#define SSH_MSG_CHANNEL_OPEN_FAILURE 92
#define SSH_MSG_CHANNEL_WINDOW_ADJUST 93
#define SSH_MSG_CHANNEL_DATA 94
#define SSH_MSG_CHANNEL_EXTENDED_DATA 95
#define SSH_MSG_CHANNEL_EOF 96
#define SSH_MSG_CHANNEL_CLOSE 97
#define SSH_MSG_CHANNEL_REQUEST 98
#define SSH_MSG_CHANNEL_SUCCESS 99
#define SSH_MSG_CHANNEL_FAILURE 100

/* ---- local extensions (192..255), OpenSSH PROTOCOL 1.9 ---- */
#define SSH_MSG_PING 192
#define SSH_MSG_PONG 193

/* ---- channel open failure reason codes, RFC 4254 5.1 ---- */
#define SSH_OPEN_ADMINISTRATIVELY_PROHIBITED 1
#define SSH_OPEN_CONNECT_FAILED 2
#define SSH_OPEN_UNKNOWN_CHANNEL_TYPE 3
#define SSH_OPEN_RESOURCE_SHORTAGE 4

/* ---- message number ranges, RFC 4250 4.1.2 ---- */
#define S2_MSG_TRANSPORT_GENERIC_FIRST 1   /* disconnect, ignore, ... */
#define S2_MSG_TRANSPORT_GENERIC_LAST 19
#define S2_MSG_ALG_NEGOTIATION_FIRST 20    /* KEXINIT, NEWKEYS */
#define S2_MSG_ALG_NEGOTIATION_LAST 29
#define S2_MSG_KEX_METHOD_FIRST 30         /* KEX method specific */
#define S2_MSG_KEX_METHOD_LAST 49
#define S2_MSG_USERAUTH_FIRST 50
#define S2_MSG_USERAUTH_LAST 79
#define S2_MSG_CONNECTION_FIRST 80
#define S2_MSG_CONNECTION_LAST 127
#define S2_MSG_LOCAL_FIRST 192             /* local extensions */
#define S2_MSG_LOCAL_LAST 255

#endif /* S2_SSH_MSG_H */
