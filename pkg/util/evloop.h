/* SPDX-License-Identifier: Apache-2.0 */
/* An event loop of registered sources: each fd watched with a callback of
 * its own (epoll underneath), so that what a monitor serves (the
 * container's exit and output, attach clients, signals, published ports,
 * and later healthcheck timers, shared networks, pods) plugs in without
 * the loop knowing what it is. One thread; callbacks may add and remove
 * sources, their own included. */
#ifndef RL_UTIL_EVLOOP_H
#define RL_UTIL_EVLOOP_H

#include <stdint.h>

typedef struct rl_ev rl_ev_t;
/* events: EPOLLIN, EPOLLOUT, EPOLLHUP, ... as they came */
typedef void (*rl_ev_fn)(void *arg, int fd, uint32_t events);

rl_ev_t *rl_ev_new(void);
void rl_ev_free(rl_ev_t *ev);
/* Watch fd for events (0: registered, nothing wanted yet); < 0 with errno. */
int rl_ev_add(rl_ev_t *ev, int fd, uint32_t events, rl_ev_fn fn, void *arg);
int rl_ev_mod(rl_ev_t *ev, int fd, uint32_t events);
/* Stop watching fd (the caller closes it); an event already taken for it
 * is not delivered. */
void rl_ev_del(rl_ev_t *ev, int fd);
/* The epoll fd: readable when a source has an event (for a caller that
 * polls other fds with it, as libslirp's). */
int rl_ev_fd(const rl_ev_t *ev);
/* Wait up to timeout ms (-1: no limit) and run the callbacks of what is
 * ready; the number run, or -1 with errno. */
int rl_ev_run(rl_ev_t *ev, int timeout);

#endif
