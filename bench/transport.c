/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transport benchmark client (issue 9), written against the public libssh2 API
 * only, so the same source builds against ssh2core (bench_transport_s2) and
 * against the system's libssh2 1.10 (bench_transport_ref). It can also drive
 * OpenSSH's `ssh` as a child process, so every client is timed by the same code.
 *
 *   bench_transport MODE [options]
 *
 * Modes (libssh2 API):
 *   download   exec "cat FILE", blocking libssh2_channel_read() into a 256 KiB
 *              buffer until EOF; BYTES is the expected size (checked)
 *   upload     exec "cat > /dev/null", libssh2_channel_write() of 256 KiB chunks,
 *              BYTES in all, then send_eof
 *   connect    COUNT x (connect + handshake + ed25519 auth + exec "true" + exit
 *              status + disconnect), each timed; median reported
 *   exec       one authenticated session, then COUNT x exec "true" on it
 *   sessions   COUNT idle authenticated non-blocking sessions in this process:
 *              heap bytes per session (allocator hook and mallinfo2) and RSS
 * Modes (OpenSSH `ssh` as a child; wall clock and wait4() rusage):
 *   ssh-download, ssh-upload, ssh-connect, ssh-exec (ControlMaster mux)
 *
 * Options: --host H --port P --user U --key PRIV [--pub PUB] [--cipher C]
 *          [--mac M] [--kex K] [--bytes N] [--file PATH] [--count N] [--sshd-pid PID]
 *          [--window W] (sessions: handshakes in flight) [--ssh PATH]
 *
 * Output: one JSON object on stdout. Exit status 0 = measured, 3 = the client
 * does not support the requested algorithm (reported as "unsupported"),
 * anything else = failure (message on stderr).
 *
 * Server CPU: with --sshd-pid, utime+stime+cutime+cstime of the sshd listener
 * is read from /proc before and after, once the listener has reaped all of its
 * connection processes; the difference is all CPU the server side spent on
 * the measured connections (sshd processes and the remote `cat`).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* dladdr, RTLD_DEFAULT */
#endif
#include <libssh2.h>

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef BENCH_CLIENT_NAME
#define BENCH_CLIENT_NAME "libssh2"
#endif

#define CHUNK (256u * 1024u)
#define EXIT_UNSUPPORTED 3
#define MAX_SAMPLES 100000

struct opts {
    const char *mode;
    const char *host;
    int port;
    const char *user;
    const char *key;
    const char *pub;
    const char *cipher;
    const char *mac;
    const char *kex;
    const char *file;
    const char *ssh;
    unsigned long long bytes;
    int count;
    int window;
    long sshd_pid;
};

static struct opts o;

/* Key exchange negotiated by the first session of a latency run (reported). */
static char neg_kex_first[128];

/* ---- small helpers ------------------------------------------------------ */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv_s(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_transport (%s): %s\n", BENCH_CLIENT_NAME, what);
    exit(1);
}

static void die_session(LIBSSH2_SESSION *s, const char *what)
{
    char *msg = NULL;
    int rc = 0;
    if (s != NULL) {
        rc = libssh2_session_last_error(s, &msg, NULL, 0);
    }
    fprintf(stderr, "bench_transport (%s): %s: error %d %s\n", BENCH_CLIENT_NAME, what, rc,
            msg != NULL ? msg : "");
    exit(1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    if (n <= 0) {
        return 0.0;
    }
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    if (n % 2 == 1) {
        return v[n / 2];
    }
    return (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static const char *nz(const char *s)
{
    return s != NULL ? s : "";
}

/* Path of the shared object that provides libssh2_init (which library we run). */
static const char *lib_path(void)
{
    Dl_info info;
    void *sym = dlsym(RTLD_DEFAULT, "libssh2_init");
    if (sym != NULL && dladdr(sym, &info) != 0 && info.dli_fname != NULL) {
        return info.dli_fname;
    }
    return "?";
}

/* JSON string output (names and paths only; escapes quotes and backslashes). */
static void json_str(const char *key, const char *val)
{
    const char *p;
    printf("\"%s\":\"", key);
    for (p = val != NULL ? val : ""; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            putchar('\\');
        }
        if ((unsigned char)*p >= 0x20) {
            putchar(*p);
        }
    }
    printf("\",");
}

static void json_head(const char *client, const char *version)
{
    printf("{");
    json_str("client", client);
    json_str("version", version);
    json_str("mode", o.mode);
    json_str("cipher", o.cipher != NULL ? o.cipher : "default");
    json_str("mac", o.mac != NULL ? o.mac : "");
}

/* ---- server CPU accounting through /proc -------------------------------- */

/* utime+stime+cutime+cstime of PID in seconds, or -1. */
static double proc_cpu(long pid)
{
    char path[64];
    char buf[2048];
    FILE *f;
    size_t n;
    char *p;
    unsigned long long ut = 0, st = 0, cut = 0, cst = 0;
    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    f = fopen(path, "r");
    if (f == NULL) {
        return -1.0;
    }
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    p = strrchr(buf, ')');
    if (p == NULL) {
        return -1.0;
    }
    /* after ") ": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt
     * cmajflt utime(14) stime cutime cstime */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu", &ut,
               &st, &cut, &cst) != 4) {
        return -1.0;
    }
    return (double)(ut + st + cut + cst) / (double)sysconf(_SC_CLK_TCK);
}

/* Number of live children of PID (/proc/PID/task/PID/children), or -1. */
static int proc_children(long pid)
{
    char path[96];
    FILE *f;
    int c, n = 0, in_word = 0;
    snprintf(path, sizeof(path), "/proc/%ld/task/%ld/children", pid, pid);
    f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }
    while ((c = fgetc(f)) != EOF) {
        if (c >= '0' && c <= '9') {
            if (!in_word) {
                n++;
            }
            in_word = 1;
        } else {
            in_word = 0;
        }
    }
    fclose(f);
    return n;
}

/* Server CPU so far, after the listener has reaped its connection processes
 * (waits up to 5 s for that); -1 without --sshd-pid. */
static double server_cpu(void)
{
    int i;
    if (o.sshd_pid <= 0) {
        return -1.0;
    }
    for (i = 0; i < 500; i++) {
        if (proc_children(o.sshd_pid) <= 0) {
            break;
        }
        usleep(10000);
    }
    return proc_cpu(o.sshd_pid);
}

/* ---- counting allocator (heap bytes through the libssh2 allocator hook) --- */

struct heap_count {
    long long live;
    long long peak;
    long long calls;
    long long big_bytes; /* live bytes in blocks >= 16 KiB */
};

#define BIG (16u * 1024u)

static struct heap_count heap;

#define HDR 16u

static LIBSSH2_ALLOC_FUNC(count_alloc)
{
    unsigned char *p = malloc(count + HDR);
    (void)abstract;
    if (p == NULL) {
        return NULL;
    }
    memcpy(p, &count, sizeof(count));
    heap.live += (long long)count;
    if (count >= BIG) {
        heap.big_bytes += (long long)count;
    }
    heap.calls++;
    if (heap.live > heap.peak) {
        heap.peak = heap.live;
    }
    return p + HDR;
}

static LIBSSH2_FREE_FUNC(count_free)
{
    unsigned char *p = ptr;
    size_t old;
    (void)abstract;
    if (p == NULL) {
        return;
    }
    p -= HDR;
    memcpy(&old, p, sizeof(old));
    heap.live -= (long long)old;
    if (old >= BIG) {
        heap.big_bytes -= (long long)old;
    }
    free(p);
}

static LIBSSH2_REALLOC_FUNC(count_realloc)
{
    unsigned char *p = ptr;
    unsigned char *q;
    size_t old = 0;
    (void)abstract;
    if (p != NULL) {
        p -= HDR;
        memcpy(&old, p, sizeof(old));
    }
    q = realloc(p, count + HDR);
    if (q == NULL) {
        return NULL;
    }
    memcpy(q, &count, sizeof(count));
    heap.live += (long long)count - (long long)old;
    heap.big_bytes += (count >= BIG ? (long long)count : 0) - (old >= BIG ? (long long)old : 0);
    heap.calls++;
    if (heap.live > heap.peak) {
        heap.peak = heap.live;
    }
    return q + HDR;
}

/* ---- libssh2 client ------------------------------------------------------ */

static int tcp_connect(void)
{
    struct sockaddr_in sa;
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        die("socket");
    }
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)o.port);
    if (inet_pton(AF_INET, o.host, &sa.sin_addr) != 1) {
        die("--host must be an IPv4 address");
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        die("connect");
    }
    /* As curl does for every libssh2 session. */
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0) {
        die("TCP_NODELAY");
    }
    return fd;
}

/* Restrict the cipher (and MAC) both ways; EXIT_UNSUPPORTED if the library
 * does not know the algorithm. */
static void set_prefs(LIBSSH2_SESSION *s)
{
    if (o.kex != NULL && libssh2_session_method_pref(s, LIBSSH2_METHOD_KEX, o.kex) != 0) {
        printf("{\"client\":\"%s\",\"mode\":\"%s\",\"kex\":\"%s\",\"unsupported\":true}\n",
               BENCH_CLIENT_NAME, o.mode, o.kex);
        exit(EXIT_UNSUPPORTED);
    }
    if (o.cipher != NULL) {
        if (libssh2_session_method_pref(s, LIBSSH2_METHOD_CRYPT_CS, o.cipher) != 0 ||
            libssh2_session_method_pref(s, LIBSSH2_METHOD_CRYPT_SC, o.cipher) != 0) {
            printf("{\"client\":\"%s\",\"mode\":\"%s\",\"cipher\":\"%s\",\"unsupported\":true}\n",
                   BENCH_CLIENT_NAME, o.mode, o.cipher);
            exit(EXIT_UNSUPPORTED);
        }
    }
    if (o.mac != NULL && o.mac[0] != '\0') {
        if (libssh2_session_method_pref(s, LIBSSH2_METHOD_MAC_CS, o.mac) != 0 ||
            libssh2_session_method_pref(s, LIBSSH2_METHOD_MAC_SC, o.mac) != 0) {
            printf("{\"client\":\"%s\",\"mode\":\"%s\",\"mac\":\"%s\",\"unsupported\":true}\n",
                   BENCH_CLIENT_NAME, o.mode, o.mac);
            exit(EXIT_UNSUPPORTED);
        }
    }
}

/* A blocking, authenticated session on a new socket. */
static LIBSSH2_SESSION *open_session(int *fd_out)
{
    LIBSSH2_SESSION *s;
    int fd = tcp_connect();
    s = libssh2_session_init_ex(NULL, NULL, NULL, NULL);
    if (s == NULL) {
        die("libssh2_session_init_ex");
    }
    set_prefs(s);
    libssh2_session_set_blocking(s, 1);
    if (libssh2_session_handshake(s, fd) != 0) {
        die_session(s, "handshake");
    }
    if (libssh2_userauth_publickey_fromfile_ex(s, o.user, (unsigned int)strlen(o.user), o.pub,
                                               o.key, NULL) != 0) {
        die_session(s, "publickey auth");
    }
    *fd_out = fd;
    return s;
}

static void close_session(LIBSSH2_SESSION *s, int fd)
{
    libssh2_session_disconnect(s, "bench done");
    libssh2_session_free(s);
    close(fd);
}

/* exec CMD on a new channel; returns the channel. */
static LIBSSH2_CHANNEL *exec_channel(LIBSSH2_SESSION *s, const char *cmd)
{
    LIBSSH2_CHANNEL *ch = libssh2_channel_open_session(s);
    if (ch == NULL) {
        die_session(s, "channel open");
    }
    if (libssh2_channel_exec(ch, cmd) != 0) {
        die_session(s, "exec");
    }
    return ch;
}

/* Drain to EOF, close, return the exit status. */
static int finish_channel(LIBSSH2_SESSION *s, LIBSSH2_CHANNEL *ch, unsigned long long *got)
{
    static char buf[CHUNK];
    ssize_t n;
    int status;
    for (;;) {
        n = libssh2_channel_read(ch, buf, sizeof(buf));
        if (n < 0) {
            die_session(s, "channel read");
        }
        if (n == 0) {
            if (libssh2_channel_eof(ch)) {
                break;
            }
            continue;
        }
        if (got != NULL) {
            *got += (unsigned long long)n;
        }
    }
    if (libssh2_channel_close(ch) != 0) {
        die_session(s, "channel close");
    }
    if (libssh2_channel_wait_closed(ch) != 0) {
        die_session(s, "channel wait_closed");
    }
    status = libssh2_channel_get_exit_status(ch);
    libssh2_channel_free(ch);
    return status;
}

static void print_methods(LIBSSH2_SESSION *s)
{
    json_str("neg_kex", libssh2_session_methods(s, LIBSSH2_METHOD_KEX));
    json_str("neg_cipher", libssh2_session_methods(s, LIBSSH2_METHOD_CRYPT_SC));
    json_str("neg_mac", libssh2_session_methods(s, LIBSSH2_METHOD_MAC_SC));
}

static void run_bulk(int upload)
{
    static char buf[CHUNK];
    struct rusage ru;
    LIBSSH2_SESSION *s;
    LIBSSH2_CHANNEL *ch;
    unsigned long long moved = 0;
    double t0, t1, t2, t3, srv0, srv1;
    int fd, status;
    char cmd[1024];
    char neg[3][128];
    size_t i;

    srv0 = server_cpu();
    t0 = now_s();
    s = open_session(&fd);
    if (upload) {
        ch = exec_channel(s, "cat > /dev/null");
        for (i = 0; i < sizeof(buf); i++) {
            buf[i] = (char)(i * 131u + (i >> 8));
        }
        t1 = now_s();
        while (moved < o.bytes) {
            size_t want = sizeof(buf);
            ssize_t n;
            if (o.bytes - moved < want) {
                want = (size_t)(o.bytes - moved);
            }
            n = libssh2_channel_write(ch, buf, want);
            if (n < 0) {
                die_session(s, "channel write");
            }
            moved += (unsigned long long)n;
        }
        if (libssh2_channel_send_eof(ch) != 0) {
            die_session(s, "send_eof");
        }
        if (libssh2_channel_wait_eof(ch) != 0) {
            die_session(s, "wait_eof");
        }
        status = finish_channel(s, ch, NULL);
    } else {
        snprintf(cmd, sizeof(cmd), "cat '%s'", o.file);
        ch = exec_channel(s, cmd);
        t1 = now_s();
        status = finish_channel(s, ch, &moved);
    }
    t2 = now_s();
    snprintf(neg[0], sizeof(neg[0]), "%s",
             nz(libssh2_session_methods(s, LIBSSH2_METHOD_KEX)));
    snprintf(neg[1], sizeof(neg[1]), "%s",
             nz(libssh2_session_methods(s, LIBSSH2_METHOD_CRYPT_SC)));
    snprintf(neg[2], sizeof(neg[2]), "%s",
             nz(libssh2_session_methods(s, LIBSSH2_METHOD_MAC_SC)));
    close_session(s, fd);
    t3 = now_s();
    srv1 = server_cpu();
    getrusage(RUSAGE_SELF, &ru);
    if (status != 0) {
        fprintf(stderr, "bench_transport: remote cat exited with %d\n", status);
        exit(1);
    }
    if (moved != o.bytes) {
        fprintf(stderr, "bench_transport: moved %llu bytes, expected %llu\n", moved, o.bytes);
        exit(1);
    }
    json_head(BENCH_CLIENT_NAME, libssh2_version(0));
    json_str("neg_kex", neg[0]);
    json_str("neg_cipher", neg[1]);
    json_str("neg_mac", neg[2]);
    json_str("lib", lib_path());
    printf("\"bytes\":%llu,\"seconds\":%.6f,\"xfer_seconds\":%.6f,"
           "\"cpu_user\":%.4f,\"cpu_sys\":%.4f,\"server_cpu\":%.4f}\n",
           moved, t3 - t0, t2 - t1, tv_s(ru.ru_utime), tv_s(ru.ru_stime),
           srv0 >= 0 && srv1 >= 0 ? srv1 - srv0 : -1.0);
}

static void print_samples(const char *client, const char *version, const char *lib, double *ms,
                          int n, double cpu)
{
    double best = 0.0, med;
    int i;
    for (i = 0; i < n; i++) {
        if (i == 0 || ms[i] < best) {
            best = ms[i];
        }
    }
    med = median(ms, n);
    json_head(client, version);
    json_str("lib", lib);
    if (neg_kex_first[0] != '\0') {
        json_str("neg_kex", neg_kex_first);
    }
    printf("\"count\":%d,\"median_ms\":%.4f,\"best_ms\":%.4f,\"p90_ms\":%.4f,"
           "\"cpu_per_op_ms\":%.4f}\n",
           n, med, best, ms[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1], cpu * 1000.0 / n);
}

static void run_connect(void)
{
    double *ms = calloc((size_t)o.count, sizeof(double));
    struct rusage ru;
    int i;
    if (ms == NULL) {
        die("calloc");
    }
    for (i = 0; i < o.count; i++) {
        double t0 = now_s();
        int fd;
        LIBSSH2_SESSION *s = open_session(&fd);
        LIBSSH2_CHANNEL *ch;
        if (i == 0) {
            snprintf(neg_kex_first, sizeof(neg_kex_first), "%s",
                     nz(libssh2_session_methods(s, LIBSSH2_METHOD_KEX)));
        }
        ch = exec_channel(s, "true");
        if (finish_channel(s, ch, NULL) != 0) {
            die("remote true failed");
        }
        close_session(s, fd);
        ms[i] = (now_s() - t0) * 1000.0;
    }
    getrusage(RUSAGE_SELF, &ru);
    print_samples(BENCH_CLIENT_NAME, libssh2_version(0), lib_path(), ms, o.count,
                  tv_s(ru.ru_utime) + tv_s(ru.ru_stime));
    free(ms);
}

static void run_exec(void)
{
    double *ms = calloc((size_t)o.count, sizeof(double));
    struct rusage r0, r1;
    LIBSSH2_SESSION *s;
    int i, fd;
    if (ms == NULL) {
        die("calloc");
    }
    s = open_session(&fd);
    snprintf(neg_kex_first, sizeof(neg_kex_first), "%s",
             nz(libssh2_session_methods(s, LIBSSH2_METHOD_KEX)));
    getrusage(RUSAGE_SELF, &r0);
    for (i = 0; i < o.count; i++) {
        double t0 = now_s();
        LIBSSH2_CHANNEL *ch = exec_channel(s, "true");
        if (finish_channel(s, ch, NULL) != 0) {
            die("remote true failed");
        }
        ms[i] = (now_s() - t0) * 1000.0;
    }
    getrusage(RUSAGE_SELF, &r1);
    close_session(s, fd);
    print_samples(BENCH_CLIENT_NAME, libssh2_version(0), lib_path(), ms, o.count,
                  tv_s(r1.ru_utime) - tv_s(r0.ru_utime) + tv_s(r1.ru_stime) -
                      tv_s(r0.ru_stime));
    free(ms);
}

/* ---- idle sessions -------------------------------------------------------- */

struct idle {
    LIBSSH2_SESSION *s;
    int fd;
    int state; /* 0 handshake, 1 auth, 2 done */
};

static long rss_bytes(void)
{
    long pages_total = 0, pages_res = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL) {
        return -1;
    }
    if (fscanf(f, "%ld %ld", &pages_total, &pages_res) != 2) {
        pages_res = -1;
    }
    fclose(f);
    return pages_res * sysconf(_SC_PAGESIZE);
}

/* Bytes handed out by malloc: small-block arena plus mmap()ed large blocks. */
static size_t malloc_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/* One step of a non-blocking session; returns 1 when it is authenticated. */
static int idle_step(struct idle *it)
{
    int rc;
    if (it->state == 0) {
        rc = libssh2_session_handshake(it->s, it->fd);
        if (rc == LIBSSH2_ERROR_EAGAIN) {
            return 0;
        }
        if (rc != 0) {
            die_session(it->s, "non-blocking handshake");
        }
        it->state = 1;
    }
    if (it->state == 1) {
        rc = libssh2_userauth_publickey_fromfile_ex(it->s, o.user, (unsigned int)strlen(o.user),
                                                    o.pub, o.key, NULL);
        if (rc == LIBSSH2_ERROR_EAGAIN) {
            return 0;
        }
        if (rc != 0) {
            die_session(it->s, "non-blocking auth");
        }
        it->state = 2;
    }
    return it->state == 2;
}

static void idle_start(struct idle *it)
{
    it->fd = tcp_connect();
    it->s = libssh2_session_init_ex(count_alloc, count_free, count_realloc, NULL);
    if (it->s == NULL) {
        die("libssh2_session_init_ex");
    }
    set_prefs(it->s);
    libssh2_session_set_blocking(it->s, 0);
    it->state = 0;
}

/* Bring sessions [from, to) up, with at most WINDOW handshakes in flight. */
static void idle_bring_up(struct idle *v, int from, int to)
{
    struct pollfd *pf = calloc((size_t)o.window, sizeof(*pf));
    int *slot = calloc((size_t)o.window, sizeof(int));
    int next = from, active = 0, done = 0, i;
    if (pf == NULL || slot == NULL) {
        die("calloc");
    }
    while (done < to - from) {
        while (active < o.window && next < to) {
            idle_start(&v[next]);
            slot[active++] = next++;
        }
        for (i = 0; i < active; i++) {
            int d;
            struct idle *it = &v[slot[i]];
            if (idle_step(it)) {
                slot[i] = slot[--active];
                done++;
                i--;
                continue;
            }
            d = libssh2_session_block_directions(it->s);
            pf[i].fd = it->fd;
            pf[i].events = 0;
            if (d & LIBSSH2_SESSION_BLOCK_INBOUND) {
                pf[i].events |= POLLIN;
            }
            if (d & LIBSSH2_SESSION_BLOCK_OUTBOUND) {
                pf[i].events |= POLLOUT;
            }
            if (pf[i].events == 0) {
                pf[i].events = POLLIN;
            }
        }
        if (active > 0) {
            (void)poll(pf, (nfds_t)active, 100);
        }
    }
    free(pf);
    free(slot);
}

static void run_sessions(void)
{
    struct idle *v = calloc((size_t)o.count + 1, sizeof(*v));
    long rss0, rss1;
    long long heap0, heap1, big0;
    size_t mi0, mi1;
    double t0, t1;
    int i;
    if (v == NULL) {
        die("calloc");
    }
    /* One warm-up session first, so one-time library set-up is not counted. */
    idle_bring_up(v, 0, 1);
    malloc_trim(0);
    rss0 = rss_bytes();
    heap0 = heap.live;
    big0 = heap.big_bytes;
    mi0 = malloc_in_use();
    t0 = now_s();
    idle_bring_up(v, 1, o.count + 1);
    t1 = now_s();
    rss1 = rss_bytes();
    heap1 = heap.live;
    mi1 = malloc_in_use();
    json_head(BENCH_CLIENT_NAME, libssh2_version(0));
    print_methods(v[0].s);
    json_str("lib", lib_path());
    printf("\"count\":%d,\"heap_hook_per_session\":%.1f,\"heap_malloc_per_session\":%.1f,"
           "\"rss_per_session\":%.1f,\"setup_seconds\":%.3f,\"heap_hook_calls\":%lld,"
           "\"heap_hook_big_per_session\":%.1f}\n",
           o.count, (double)(heap1 - heap0) / o.count,
           ((double)mi1 - (double)mi0) / o.count, (double)(rss1 - rss0) / o.count, t1 - t0,
           heap.calls, (double)(heap.big_bytes - big0) / o.count);
    fflush(stdout);
    for (i = 0; i <= o.count; i++) {
        libssh2_session_set_blocking(v[i].s, 1);
        libssh2_session_disconnect(v[i].s, "bench done");
        libssh2_session_free(v[i].s);
        close(v[i].fd);
    }
    free(v);
}

/* ---- OpenSSH `ssh` as a child process ------------------------------------ */

static char ssh_version[128] = "OpenSSH";

static void detect_ssh_version(void)
{
    char cmd[600];
    FILE *p;
    snprintf(cmd, sizeof(cmd), "'%s' -V 2>&1", o.ssh);
    p = popen(cmd, "r");
    if (p == NULL) {
        return;
    }
    if (fgets(ssh_version, sizeof(ssh_version), p) != NULL) {
        char *c = strpbrk(ssh_version, ",\n");
        if (c != NULL) {
            *c = '\0';
        }
    }
    pclose(p);
}

/* argv for ssh: the common options, then EXTRA (NULL-terminated), then the
 * remote command. */
static int ssh_argv(const char **av, int max, const char **extra, const char *remote)
{
    static char port[16];
    int n = 0, i;
    snprintf(port, sizeof(port), "%d", o.port);
    av[n++] = o.ssh;
    av[n++] = "-q";
    av[n++] = "-T";
    av[n++] = "-F";
    av[n++] = "/dev/null";
    av[n++] = "-o";
    av[n++] = "BatchMode=yes";
    av[n++] = "-o";
    av[n++] = "StrictHostKeyChecking=no";
    av[n++] = "-o";
    av[n++] = "UserKnownHostsFile=/dev/null";
    av[n++] = "-o";
    av[n++] = "IdentitiesOnly=yes";
    av[n++] = "-i";
    av[n++] = o.key;
    av[n++] = "-p";
    av[n++] = port;
    av[n++] = "-l";
    av[n++] = o.user;
    if (o.cipher != NULL) {
        av[n++] = "-c";
        av[n++] = o.cipher;
    }
    if (o.mac != NULL && o.mac[0] != '\0') {
        av[n++] = "-m";
        av[n++] = o.mac;
    }
    if (o.kex != NULL) {
        static char kexopt[300];
        snprintf(kexopt, sizeof(kexopt), "KexAlgorithms=%s", o.kex);
        av[n++] = "-o";
        av[n++] = kexopt;
    }
    for (i = 0; extra != NULL && extra[i] != NULL && n < max - 3; i++) {
        av[n++] = extra[i];
    }
    av[n++] = o.host;
    if (remote != NULL) {
        av[n++] = remote;
    }
    av[n] = NULL;
    return n;
}

/* Run ssh with stdin from IN_PATH (or /dev/null) and stdout to /dev/null;
 * returns its wall time and adds its rusage to *cpu. */
static double ssh_run(const char **av, const char *in_path, double *cpu)
{
    struct rusage ru;
    double t0 = now_s(), t1;
    int st = 0;
    pid_t pid = fork();
    if (pid < 0) {
        die("fork");
    }
    if (pid == 0) {
        int in = open(in_path != NULL ? in_path : "/dev/null", O_RDONLY);
        int out = open("/dev/null", O_WRONLY);
        if (in < 0 || out < 0) {
            _exit(126);
        }
        dup2(in, 0);
        dup2(out, 1);
        execv(av[0], (char *const *)av);
        _exit(127);
    }
    if (wait4(pid, &st, 0, &ru) != pid) {
        die("wait4");
    }
    t1 = now_s();
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "bench_transport: ssh exited with status %d\n",
                WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
        exit(1);
    }
    if (cpu != NULL) {
        *cpu += tv_s(ru.ru_utime) + tv_s(ru.ru_stime);
    }
    return t1 - t0;
}

static void run_ssh_bulk(int upload)
{
    const char *av[64];
    char remote[1024];
    double cpu = 0.0, t, srv0, srv1;
    struct rusage ru;
    detect_ssh_version();
    if (upload) {
        ssh_argv(av, 64, NULL, "cat > /dev/null");
    } else {
        snprintf(remote, sizeof(remote), "cat '%s'", o.file);
        ssh_argv(av, 64, NULL, remote);
    }
    srv0 = server_cpu();
    t = ssh_run(av, upload ? o.file : NULL, &cpu);
    srv1 = server_cpu();
    getrusage(RUSAGE_CHILDREN, &ru);
    json_head("openssh", ssh_version);
    json_str("lib", o.ssh);
    printf("\"bytes\":%llu,\"seconds\":%.6f,\"xfer_seconds\":%.6f,"
           "\"cpu_user\":%.4f,\"cpu_sys\":%.4f,\"server_cpu\":%.4f}\n",
           o.bytes, t, t, tv_s(ru.ru_utime), tv_s(ru.ru_stime),
           srv0 >= 0 && srv1 >= 0 ? srv1 - srv0 : -1.0);
}

static void run_ssh_connect(void)
{
    const char *av[64];
    double *ms = calloc((size_t)o.count, sizeof(double));
    double cpu = 0.0;
    int i;
    if (ms == NULL) {
        die("calloc");
    }
    detect_ssh_version();
    ssh_argv(av, 64, NULL, "true");
    for (i = 0; i < o.count; i++) {
        ms[i] = ssh_run(av, NULL, &cpu) * 1000.0;
    }
    print_samples("openssh", ssh_version, o.ssh, ms, o.count, cpu);
    free(ms);
}

/* exec "true" through an already open ControlMaster connection: each sample
 * still starts an `ssh` mux client process. */
static void run_ssh_exec(void)
{
    const char *av[64];
    char ctl[256], ctlopt[300];
    const char *master_extra[] = { "-o", "ControlMaster=yes", "-o", NULL, "-f", "-N", NULL };
    const char *client_extra[] = { "-o", NULL, NULL };
    const char *exit_extra[] = { "-o", NULL, "-O", "exit", NULL };
    double *ms = calloc((size_t)o.count, sizeof(double));
    double cpu = 0.0;
    int i;
    if (ms == NULL) {
        die("calloc");
    }
    detect_ssh_version();
    snprintf(ctl, sizeof(ctl), "/tmp/bench-ssh-mux.%ld", (long)getpid());
    snprintf(ctlopt, sizeof(ctlopt), "ControlPath=%s", ctl);
    master_extra[3] = ctlopt;
    client_extra[1] = ctlopt;
    exit_extra[1] = ctlopt;
    ssh_argv(av, 64, master_extra, NULL);
    (void)ssh_run(av, NULL, NULL);
    ssh_argv(av, 64, client_extra, "true");
    for (i = 0; i < o.count; i++) {
        ms[i] = ssh_run(av, NULL, &cpu) * 1000.0;
    }
    ssh_argv(av, 64, exit_extra, NULL);
    (void)ssh_run(av, NULL, NULL);
    print_samples("openssh", ssh_version, o.ssh, ms, o.count, cpu);
    free(ms);
}

/* ---- main ------------------------------------------------------------------ */

static void usage(void)
{
    fprintf(stderr,
            "usage: bench_transport download|upload|connect|exec|sessions|ssh-download|"
            "ssh-upload|ssh-connect|ssh-exec --port P --user U --key PRIV [--pub PUB]\n"
            "       [--host 127.0.0.1] [--cipher C] [--mac M] [--kex K] [--bytes N] [--file PATH]\n"
            "       [--count N] [--window W] [--sshd-pid PID] [--ssh PATH]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int i;
    char pubbuf[1024];
    if (argc < 2) {
        usage();
    }
    o.mode = argv[1];
    o.host = "127.0.0.1";
    o.count = 10;
    o.window = 16;
    o.ssh = "/usr/bin/ssh";
    for (i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (v == NULL) {
            usage();
        }
        if (strcmp(a, "--host") == 0) {
            o.host = v;
        } else if (strcmp(a, "--port") == 0) {
            o.port = atoi(v);
        } else if (strcmp(a, "--user") == 0) {
            o.user = v;
        } else if (strcmp(a, "--key") == 0) {
            o.key = v;
        } else if (strcmp(a, "--pub") == 0) {
            o.pub = v;
        } else if (strcmp(a, "--cipher") == 0) {
            o.cipher = v[0] != '\0' ? v : NULL;
        } else if (strcmp(a, "--mac") == 0) {
            o.mac = v;
        } else if (strcmp(a, "--bytes") == 0) {
            o.bytes = strtoull(v, NULL, 10);
        } else if (strcmp(a, "--kex") == 0) {
            o.kex = v[0] != '\0' ? v : NULL;
        } else if (strcmp(a, "--file") == 0) {
            o.file = v;
        } else if (strcmp(a, "--count") == 0) {
            o.count = atoi(v);
        } else if (strcmp(a, "--window") == 0) {
            o.window = atoi(v);
        } else if (strcmp(a, "--sshd-pid") == 0) {
            o.sshd_pid = atol(v);
        } else if (strcmp(a, "--ssh") == 0) {
            o.ssh = v;
        } else {
            usage();
        }
        i++;
    }
    if (o.port <= 0 || o.user == NULL || o.key == NULL || o.count <= 0 || o.window <= 0 ||
        o.count > MAX_SAMPLES) {
        usage();
    }
    if (o.pub == NULL) {
        snprintf(pubbuf, sizeof(pubbuf), "%s.pub", o.key);
        o.pub = pubbuf;
    }
    signal(SIGPIPE, SIG_IGN);
    if (strncmp(o.mode, "ssh-", 4) != 0 && libssh2_init(0) != 0) {
        die("libssh2_init");
    }
    if (strcmp(o.mode, "download") == 0 || strcmp(o.mode, "ssh-download") == 0) {
        if (o.file == NULL || o.bytes == 0) {
            usage();
        }
    }
    if (strcmp(o.mode, "upload") == 0 || strcmp(o.mode, "ssh-upload") == 0) {
        if (o.bytes == 0 || (o.mode[0] == 's' && o.file == NULL)) {
            usage();
        }
    }
    if (strcmp(o.mode, "download") == 0) {
        run_bulk(0);
    } else if (strcmp(o.mode, "upload") == 0) {
        run_bulk(1);
    } else if (strcmp(o.mode, "connect") == 0) {
        run_connect();
    } else if (strcmp(o.mode, "exec") == 0) {
        run_exec();
    } else if (strcmp(o.mode, "sessions") == 0) {
        run_sessions();
    } else if (strcmp(o.mode, "ssh-download") == 0) {
        run_ssh_bulk(0);
    } else if (strcmp(o.mode, "ssh-upload") == 0) {
        run_ssh_bulk(1);
    } else if (strcmp(o.mode, "ssh-connect") == 0) {
        run_ssh_connect();
    } else if (strcmp(o.mode, "ssh-exec") == 0) {
        run_ssh_exec();
    } else {
        usage();
    }
    if (strncmp(o.mode, "ssh-", 4) != 0) {
        libssh2_exit();
    }
    return 0;
}
