/* SPDX-License-Identifier: Apache-2.0 */
#include "spec_extras.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pkg/network/etcfiles.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/spec/edit.h"
#include "pkg/util/xalloc.h"

static bool executable(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

char *rl_engine_find_init(const char *given, rl_error_t *err)
{
    if (given) {
        if (given[0] == '/' && executable(given)) return xstrdup(given);
        rl_error_set(err, 0, "--init-path '%s': not an executable file (give an absolute path)",
                     given);
        return NULL;
    }
    static const char *const known[] = {"/usr/libexec/rl/catatonit", "/usr/bin/catatonit",
                                        "/usr/libexec/podman/catatonit",
                                        "/usr/local/libexec/podman/catatonit"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (executable(known[i])) return xstrdup(known[i]);
    rl_error_set(err, 0,
                 "--init: no catatonit found (install the catatonit package, or give "
                 "--init-path)");
    return NULL;
}

/* args become INIT -- args: catatonit forwards signals to the command and
 * reaps what else dies in the container */
void rl_engine_spec_init(json_object *spec, const char *init_path)
{
    static const char *const front[] = {RL_INIT_IN_CONTAINER, "--", NULL};
    rl_spec_prepend_args(spec, front);
    rl_spec_add_bind(spec, init_path, RL_INIT_IN_CONTAINER, true);
}

int rl_engine_spec_notify(json_object *spec, const char *socket_path, rl_error_t *err)
{
    struct stat st;
    if (socket_path[0] != '/' || stat(socket_path, &st) < 0 || !S_ISSOCK(st.st_mode))
        return rl_error_set(err, 0,
                            "NOTIFY_SOCKET '%s': --sdnotify=container needs a socket file "
                            "(use --sdnotify=conmon)",
                            socket_path);
    rl_spec_add_env(spec, "NOTIFY_SOCKET=" RL_NOTIFY_IN_CONTAINER);
    rl_spec_add_bind(spec, socket_path, RL_NOTIFY_IN_CONTAINER, false);
    return 0;
}

static int write_bind(json_object *spec, const char *dir, const char *file, const char *text,
                      bool durable, rl_error_t *err)
{
    rl_autofree char *src = xasprintf("%s/%s", dir, file);
    rl_autofree char *dst = xasprintf("/etc/%s", file);
    if (rl_fs_write_replace(src, text, strlen(text), 0644, durable, err) < 0) return -1;
    rl_spec_add_bind(spec, src, dst, false);
    return 0;
}

int rl_engine_spec_etc(json_object *spec, const char *dir, const rl_spec_run_opts_t *o,
                       bool durable, rl_error_t *err)
{
    rl_net_mode_t net;
    if (rl_net_mode_parse(o->network, &net, err) < 0) return -1;
    const char *h = rl_spec_hostname(spec);
    char ip[16];
    rl_net_etc_opts_t e = {.net = &net,
                           .host_ip = rl_net_etc_host_ip(ip),
                           .hostname = h ? h : "localhost",
                           .name = o->name,
                           .dns = o->dns,
                           .dns_search = o->dns_search,
                           .dns_opts = o->dns_opts,
                           .add_hosts = o->add_hosts,
                           .host_resolv = "/etc/resolv.conf",
                           .host_hosts = "/etc/hosts"};
    /* container:ID (an id by now): the files of the container whose
     * network it joins, as they were made for it */
    rl_autofree char *tr = NULL, *th = NULL;
    if (net.kind == RL_NET_CONTAINER) {
        e.host_resolv = tr = xasprintf("%s/../%s/resolv.conf", dir, net.container);
        e.host_hosts = th = xasprintf("%s/../%s/hosts", dir, net.container);
    }
    if (rl_net_etc_check(&e, err) < 0) return -1;
    rl_autofree char *resolv = rl_net_etc_resolv_conf(&e);
    rl_autofree char *hosts = o->no_hosts ? NULL : rl_net_etc_hosts(&e);
    rl_autofree char *hostname = xasprintf("%s\n", e.hostname);
    if (write_bind(spec, dir, "resolv.conf", resolv, durable, err) < 0 ||
        (hosts && write_bind(spec, dir, "hosts", hosts, durable, err) < 0))
        return -1;
    /* with the host's uts namespace, the host's name stays */
    return h ? write_bind(spec, dir, "hostname", hostname, durable, err) : 0;
}
