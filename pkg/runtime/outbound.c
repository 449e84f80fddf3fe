/* SPDX-License-Identifier: Apache-2.0 */
#include "outbound.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_NFQUEUE.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "nl.h"
#include "pkg/util/dl.h"

// clang-format off
#define NFTNL_SYMS(X)                                                                              \
    X(nftnl_batch_begin) X(nftnl_batch_end) X(nftnl_nlmsg_build_hdr)                              \
    X(nftnl_table_alloc) X(nftnl_table_set_str) X(nftnl_table_nlmsg_build_payload)                 \
    X(nftnl_table_free) X(nftnl_chain_alloc) X(nftnl_chain_set_str) X(nftnl_chain_set_u32)         \
    X(nftnl_chain_set_s32) X(nftnl_chain_nlmsg_build_payload) X(nftnl_chain_free)                 \
    X(nftnl_rule_alloc) X(nftnl_rule_set_str) X(nftnl_rule_add_expr)                               \
    X(nftnl_rule_nlmsg_build_payload) X(nftnl_rule_free) X(nftnl_expr_alloc) X(nftnl_expr_set)     \
    X(nftnl_expr_set_u32) X(nftnl_expr_set_str)
#define NFQ_SYMS(X)                                                                                \
    X(nfq_nlmsg_put) X(nfq_nlmsg_cfg_put_cmd) X(nfq_nlmsg_cfg_put_params)
// clang-format on
RL_DL_TABLE(nftnl, NFTNL_SYMS, "libnftnl.so.11", "libnftnl11")
RL_DL_TABLE(nfq, NFQ_SYMS, "libnetfilter_queue.so.1", "libnetfilter-queue1")

#define TABLE "rl"

int rl_outbound_load(rl_error_t *err)
{
    return nftnl_load(err) < 0 || nfq_load(err) < 0 ? -1 : 0;
}

/* --- the rules: expressions into register 1 and tests on it --- */

static void add(struct nftnl_rule *r, struct nftnl_expr *e)
{
    nftnl.nftnl_rule_add_expr(r, e);
}

static void meta(struct nftnl_rule *r, uint32_t key)
{
    struct nftnl_expr *e = nftnl.nftnl_expr_alloc("meta");
    nftnl.nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
    nftnl.nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
    add(r, e);
}

static void payload(struct nftnl_rule *r, uint32_t base, uint32_t offset, uint32_t len)
{
    struct nftnl_expr *e = nftnl.nftnl_expr_alloc("payload");
    nftnl.nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
    nftnl.nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset);
    nftnl.nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
    nftnl.nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
    add(r, e);
}

static void mask(struct nftnl_rule *r, const void *m, uint32_t len)
{
    static const char zero[16];
    struct nftnl_expr *e = nftnl.nftnl_expr_alloc("bitwise");
    nftnl.nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
    nftnl.nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
    nftnl.nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
    nftnl.nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, m, len);
    nftnl.nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, zero, len);
    add(r, e);
}

static void cmp(struct nftnl_rule *r, uint32_t op, const void *data, uint32_t len)
{
    struct nftnl_expr *e = nftnl.nftnl_expr_alloc("cmp");
    nftnl.nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
    nftnl.nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
    nftnl.nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
    add(r, e);
}

/* oifname TAP, meta l4proto tcp, ip daddr != the tap's subnet */
static void match_outbound(struct nftnl_rule *r, const rl_outbound_cfg_t *c)
{
    char ifname[IFNAMSIZ] = {0};
    strncpy(ifname, c->tap, sizeof ifname - 1);
    uint8_t tcp = IPPROTO_TCP;
    meta(r, NFT_META_OIFNAME);
    cmp(r, NFT_CMP_EQ, ifname, sizeof ifname);
    meta(r, NFT_META_L4PROTO);
    cmp(r, NFT_CMP_EQ, &tcp, 1);
    payload(r, NFT_PAYLOAD_NETWORK_HEADER, 16, 4); /* daddr */
    mask(r, &c->netmask, 4);
    cmp(r, NFT_CMP_NEQ, &c->net, 4);
}

/* ... a SYN (no ACK, RST, FIN): queued, bypassed when nobody listens */
static void gate(struct nftnl_rule *r, const rl_outbound_cfg_t *c, uint16_t port)
{
    (void)port;
    match_outbound(r, c);
    uint8_t flags = 0x17, syn = 0x02; /* fin|syn|rst|ack, syn */
    payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 13, 1);
    mask(r, &flags, 1);
    cmp(r, NFT_CMP_EQ, &syn, 1);
    /* the xt target (nft_compat): many kernels build it, unlike nft_queue.
     * libnftnl takes ownership of the info */
    struct xt_NFQ_info_v3 *info = calloc(1, XT_ALIGN(sizeof *info));
    if (info) info->queuenum = c->queue, info->queues_total = 1, info->flags = NFQ_FLAG_BYPASS;
    struct nftnl_expr *e = nftnl.nftnl_expr_alloc("target");
    nftnl.nftnl_expr_set_str(e, NFTNL_EXPR_TG_NAME, "NFQUEUE");
    nftnl.nftnl_expr_set_u32(e, NFTNL_EXPR_TG_REV, 3);
    if (info) nftnl.nftnl_expr_set(e, NFTNL_EXPR_TG_INFO, info, XT_ALIGN(sizeof *info));
    add(r, e);
}

/* meta mark REFUSE reject with tcp reset */
static void refuse(struct nftnl_rule *r, const rl_outbound_cfg_t *c, uint16_t port)
{
    (void)port;
    uint8_t tcp = IPPROTO_TCP;
    meta(r, NFT_META_L4PROTO);
    cmp(r, NFT_CMP_EQ, &tcp, 1);
    meta(r, NFT_META_MARK);
    cmp(r, NFT_CMP_EQ, &c->refuse_mark, 4);
    struct nftnl_expr *e = nftnl.nftnl_expr_alloc("reject");
    nftnl.nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, NFT_REJECT_TCP_RST);
    add(r, e);
}

/* ... redirect to :PORT (127.0.0.1, the listener) */
static void divert(struct nftnl_rule *r, const rl_outbound_cfg_t *c, uint16_t port)
{
    match_outbound(r, c);
    uint16_t p = htons(port);
    struct nftnl_expr *e = nftnl.nftnl_expr_alloc("immediate");
    nftnl.nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_1);
    nftnl.nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, &p, sizeof p);
    add(r, e);
    e = nftnl.nftnl_expr_alloc("redir");
    nftnl.nftnl_expr_set_u32(e, NFTNL_EXPR_REDIR_REG_PROTO_MIN, NFT_REG_1);
    add(r, e);
}

typedef struct batch {
    char buf[8192];
    size_t len;
    uint32_t seq;
} batch_t;

static struct nlmsghdr *next_msg(batch_t *b, uint16_t type)
{
    return nftnl.nftnl_nlmsg_build_hdr(b->buf + b->len, type, NFPROTO_IPV4,
                                       NLM_F_CREATE | NLM_F_ACK, ++b->seq);
}

static void put_table(batch_t *b)
{
    struct nftnl_table *t = nftnl.nftnl_table_alloc();
    nftnl.nftnl_table_set_str(t, NFTNL_TABLE_NAME, TABLE);
    struct nlmsghdr *h = next_msg(b, NFT_MSG_NEWTABLE);
    nftnl.nftnl_table_nlmsg_build_payload(h, t);
    b->len += h->nlmsg_len;
    nftnl.nftnl_table_free(t);
}

typedef void rule_fn(struct nftnl_rule *r, const rl_outbound_cfg_t *c, uint16_t port);

/* A base chain on the output hook and its one rule. */
static void put_chain(batch_t *b, const char *name, const char *type, int prio, rule_fn *fill,
                      const rl_outbound_cfg_t *c, uint16_t port)
{
    struct nftnl_chain *ch = nftnl.nftnl_chain_alloc();
    nftnl.nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, TABLE);
    nftnl.nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, name);
    nftnl.nftnl_chain_set_str(ch, NFTNL_CHAIN_TYPE, type);
    nftnl.nftnl_chain_set_u32(ch, NFTNL_CHAIN_HOOKNUM, NF_INET_LOCAL_OUT);
    nftnl.nftnl_chain_set_s32(ch, NFTNL_CHAIN_PRIO, prio);
    struct nlmsghdr *h = next_msg(b, NFT_MSG_NEWCHAIN);
    nftnl.nftnl_chain_nlmsg_build_payload(h, ch);
    b->len += h->nlmsg_len;
    nftnl.nftnl_chain_free(ch);

    struct nftnl_rule *r = nftnl.nftnl_rule_alloc();
    nftnl.nftnl_rule_set_str(r, NFTNL_RULE_TABLE, TABLE);
    nftnl.nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, name);
    fill(r, c, port);
    h = next_msg(b, NFT_MSG_NEWRULE);
    nftnl.nftnl_rule_nlmsg_build_payload(h, r);
    b->len += h->nlmsg_len;
    nftnl.nftnl_rule_free(r);
}

/* SYNs wait (mangle); refused ones are reset; the rest are redirected
 * (NAT) to the listener. One batch: all or none. */
static int install_rules(int fd, const rl_outbound_cfg_t *c, uint16_t port, rl_error_t *err)
{
    static batch_t b; /* one setup per process */
    b.len = 0;
    b.seq = (uint32_t)time(NULL);
    b.len += nftnl.nftnl_batch_begin(b.buf, b.seq)->nlmsg_len;
    put_table(&b);
    put_chain(&b, "gate", "filter", NF_IP_PRI_MANGLE, gate, c, port);
    put_chain(&b, "divert", "nat", NF_IP_PRI_NAT_DST, divert, c, port);
    /* before NAT: the reset comes from the address the SYN went to */
    put_chain(&b, "refuse", "filter", NF_IP_PRI_MANGLE + 30, refuse, c, port);
    uint32_t last = b.seq;
    b.len += nftnl.nftnl_batch_end(b.buf + b.len, ++b.seq)->nlmsg_len;
    return rl_nl_talk(fd, b.buf, b.len, last, "install the outbound TCP rules", err);
}

/* The queue socket: bound to the queue, sending each SYN's headers. */
static int open_queue(uint16_t queue, rl_error_t *err)
{
    int fd = rl_nl_open(NETLINK_NETFILTER, err);
    if (fd < 0) return -1;
    char buf[256];
    struct nlmsghdr *h = nfq.nfq_nlmsg_put(buf, NFQNL_MSG_CONFIG, queue);
    nfq.nfq_nlmsg_cfg_put_cmd(h, AF_INET, NFQNL_CFG_CMD_BIND);
    h->nlmsg_flags |= NLM_F_ACK;
    h->nlmsg_seq = 1;
    if (rl_nl_talk(fd, h, h->nlmsg_len, 1, "bind the outbound SYN queue", err) < 0) goto fail;
    h = nfq.nfq_nlmsg_put(buf, NFQNL_MSG_CONFIG, queue);
    nfq.nfq_nlmsg_cfg_put_params(h, NFQNL_COPY_PACKET, 128); /* IP and TCP headers */
    h->nlmsg_flags |= NLM_F_ACK;
    h->nlmsg_seq = 2;
    if (rl_nl_talk(fd, h, h->nlmsg_len, 2, "set up the outbound SYN queue", err) < 0) goto fail;
    return fd;
fail:
    close(fd);
    return -1;
}

static int open_listener(uint16_t *port, rl_error_t *err)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, SOMAXCONN) < 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
        rl_error_set(err, errno, "the outbound TCP listener");
        if (fd >= 0) close(fd);
        return -1;
    }
    *port = ntohs(sa.sin_port);
    return fd;
}

int rl_outbound_setup(const rl_outbound_cfg_t *c, int *listen_fd, int *queue_fd, rl_error_t *err)
{
    uint16_t port = 0;
    int l = open_listener(&port, err);
    if (l < 0) return -1;
    int q = open_queue(c->queue, err);
    if (q < 0) return close(l), -1;
    int nl = rl_nl_open(NETLINK_NETFILTER, err);
    int r = nl < 0 ? -1 : install_rules(nl, c, port, err);
    if (nl >= 0) close(nl);
    if (r < 0) return close(l), close(q), -1;
    *listen_fd = l, *queue_fd = q;
    return 0;
}
