/* SPDX-License-Identifier: Apache-2.0 */
/* JSON as the YAML podman prints for `info` (block style, two-space
 * indents, lists of maps as "- key: value"); strings quoted where YAML
 * would read them as something else. */
#ifndef RL_UTIL_YAML_H
#define RL_UTIL_YAML_H

#include <json-c/json.h>

#include "strbuf.h"

void rl_yaml_write(json_object *v, rl_strbuf_t *out);

#endif
