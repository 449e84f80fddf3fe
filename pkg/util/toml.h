/* SPDX-License-Identifier: Apache-2.0 */
/* The TOML subset that registries.conf, storage.conf and containers.conf
 * use, parsed into json-c objects (no packaged C TOML library exists in
 * Debian; rl writes its own): comments, [tables], [[arrays of tables]],
 * bare/quoted/dotted keys, basic and literal strings, integers, booleans,
 * arrays (multi-line) and inline tables. Errors name file, line and column. */
#ifndef RL_IMAGE_TOML_H
#define RL_IMAGE_TOML_H

#include <json-c/json.h>
#include <stddef.h>

#include "pkg/util/error.h"

json_object *rl_toml_parse(const char *text, size_t len, const char *name, rl_error_t *err);

#endif
