/* SPDX-License-Identifier: Apache-2.0 */
/* Generated container names: adjective_noun, as docker and podman make them. */
#ifndef RL_ENGINE_NAMES_H
#define RL_ENGINE_NAMES_H
char *rl_engine_random_name(void);
#endif
