/* SPDX-License-Identifier: Apache-2.0 */
/* Published ports: `-p [hostIP:][hostPort:]containerPort[/tcp|/udp]`, with
 * ranges, parsed into one entry per port. Untrusted input (a user's flag, a
 * stored record): every malformed spec is one clear error. */
#ifndef RL_NETWORK_PORTS_H
#define RL_NETWORK_PORTS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkg/util/error.h"

typedef struct rl_net_port {
    char host_ip[INET6_ADDRSTRLEN]; /* "" = every address of the host */
    uint16_t host_port;             /* 0 = a free one, picked at create */
    uint16_t ctr_port;
    bool udp;
} rl_net_port_t;

typedef struct rl_net_ports {
    rl_net_port_t *v;
    size_t n, cap;
} rl_net_ports_t;

/* Append the ports of one -p spec. */
int rl_net_ports_parse(rl_net_ports_t *ps, const char *spec, rl_error_t *err);
/* Append an image's ExposedPorts key ("80/tcp") or --expose value ("80",
 * "8000-8010/udp") with a host port to be picked (-P). */
int rl_net_ports_parse_exposed(rl_net_ports_t *ps, const char *spec, rl_error_t *err);
/* What `rl run` publishes: each -p, then with -P (all) every --expose and
 * image ExposedPorts entry not published already, on a host port to be
 * picked (0). Two entries on one host port are an error. */
int rl_net_ports_resolve(rl_net_ports_t *ps, char *const *publish, char *const *expose,
                         char *const *image_exposed, bool all, rl_error_t *err);
/* Where the host listens, as podman shows it: "0.0.0.0:8080", "[::1]:8080". */
#define RL_PORT_HOST_TEXT (INET6_ADDRSTRLEN + 8)
void rl_net_port_host_text(const rl_net_port_t *p, char out[RL_PORT_HOST_TEXT]);
/* "hostIP:hostPort:ctrPort/proto", the form kept in the record. */
char *rl_net_port_format(const rl_net_port_t *p);
/* Two entries on one host address and port and protocol (a clash). */
bool rl_net_port_same_host(const rl_net_port_t *a, const rl_net_port_t *b);
/* Parse entries in the record's form (malformed ones are skipped). */
void rl_net_ports_from_strv(rl_net_ports_t *ps, char *const *v);
/* As `podman ps` shows them: "0.0.0.0:8080->80/tcp, ..." with runs of
 * consecutive ports as one range; ports not bound yet (0) left out. */
char *rl_net_ports_summary(const rl_net_ports_t *ps);
void rl_net_ports_clear(rl_net_ports_t *ps);

#endif
