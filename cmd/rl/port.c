/* SPDX-License-Identifier: Apache-2.0 */
/* `rl port [-a|-l] [CONTAINER [PRIVATE_PORT[/PROTO]]]`: published ports, as
 * podman prints them → pkg/engine/ctr.h (rl_engine_ctr_ports). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pkg/engine/ctr.h"
#include "pkg/util/cleanup.h"

/* "80" or "80/udp" */
static int parse_private(const char *s, rl_net_port_t *want)
{
    rl_net_ports_t one = {0};
    rl_error_t err = RL_ERROR_INIT;
    int r = rl_net_ports_parse_exposed(&one, s, &err);
    if (r == 0 && one.n != 1) r = rl_error_set(&err, 0, "port '%s': give one port", s);
    if (r == 0) *want = one.v[0];
    rl_net_ports_clear(&one);
    if (r < 0) return rl_cli_fail(&err);
    return 0;
}

static void print_port(const rl_net_port_t *p, const char *id, bool all, bool bare)
{
    char host[RL_PORT_HOST_TEXT];
    rl_net_port_host_text(p, host);
    if (all) printf("%.12s\t", id);
    if (!bare) printf("%u/%s -> ", (unsigned)p->ctr_port, p->udp ? "udp" : "tcp");
    printf("%s\n", host);
}

/* One container's ports (want: only that private port). */
static int show(rl_store_t *s, const char *id, const rl_net_port_t *want, bool all, rl_error_t *err)
{
    rl_ctr_rec_t rec;
    rl_ctr_state_t st;
    if (rl_engine_ctr_get(s, id, &rec, &st, err) < 0) return -1;
    rl_net_ports_t ps = {0};
    rl_engine_ctr_ports(&rec, &st, &ps);
    size_t shown = 0;
    for (size_t i = 0; i < ps.n; i++) {
        const rl_net_port_t *p = &ps.v[i];
        if (!p->host_port || (want && (p->ctr_port != want->ctr_port || p->udp != want->udp)))
            continue;
        print_port(p, id, all, want != NULL);
        shown++;
    }
    rl_net_ports_clear(&ps);
    rl_ctr_rec_clear(&rec);
    rl_ctr_state_clear(&st);
    if (want && !shown)
        return rl_error_set(err, 0, "container %.12s does not publish port %u/%s", id,
                            (unsigned)want->ctr_port, want->udp ? "udp" : "tcp");
    return 0;
}

static int show_all(rl_store_t *s, rl_error_t *err)
{
    rl_ctr_rec_t *recs;
    size_t n;
    rl_ctr_list(s, &recs, &n);
    int r = 0;
    for (size_t i = 0; i < n && r == 0; i++)
        r = show(s, recs[i].id, NULL, true, err);
    rl_ctr_list_free(recs, n);
    return r;
}

/* -l: the container created last */
static int latest_id(rl_store_t *s, char id[65], rl_error_t *err)
{
    rl_ctr_rec_t *recs;
    size_t n, best = 0;
    rl_ctr_list(s, &recs, &n);
    for (size_t i = 1; i < n; i++)
        if (strcmp(recs[i].created, recs[best].created) > 0) best = i;
    if (n) snprintf(id, 65, "%s", recs[best].id);
    rl_ctr_list_free(recs, n);
    return n ? 0 : rl_error_set(err, 0, "no containers (see rl ps -a)");
}

typedef struct port_opts {
    bool all, latest;
} port_opts_t;

static const rl_cli_opt_t port_opts[] = {
    RL_FLAG("all", 'a', port_opts_t, all, "every running container's ports"),
    RL_FLAG("latest", 'l', port_opts_t, latest, "the container created last"),
    RL_OPT_END,
};

const rl_cli_cmd_t rl_cli_port = {"port", "list a container's published ports",
                                  "[CONTAINER [PRIVATE_PORT[/PROTO]]]", port_opts, true};

int rl_cmd_port(int argc, char **argv)
{
    port_opts_t o = {0};
    if (rl_cli_parse(&rl_cli_port, argc, argv, &o) < 0) return RL_EXIT_FAILURE;
    bool all = o.all, latest = o.latest;
    int nargs = argc - optind;
    if (all ? nargs != 0 : nargs < (latest ? 0 : 1) || nargs > (latest ? 1 : 2))
        return rl_cli_usage("port", all ? "-a takes no container" : "give one container");
    rl_net_port_t want;
    const char *priv = latest       ? (nargs ? argv[optind] : NULL)
                       : nargs == 2 ? argv[optind + 1]
                                    : NULL;
    if (priv && parse_private(priv, &want)) return RL_EXIT_FAILURE;
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_error_t err = RL_ERROR_INIT;
    char id[65];
    int r;
    if (all)
        r = show_all(s, &err);
    else if (latest)
        r = latest_id(s, id, &err) < 0 ? -1 : show(s, id, priv ? &want : NULL, false, &err);
    else
        r = rl_engine_ctr_find(s, argv[optind], id, &err) < 0
                ? -1
                : show(s, id, priv ? &want : NULL, false, &err);
    return r < 0 ? rl_cli_fail(&err) : 0;
}
