/* SPDX-License-Identifier: Apache-2.0 */
/* Type-checked access to json-c values that names the JSON path in errors:
 * "process.args[2]: expected a string". Getters return 1 when the key is
 * present, 0 when absent or null (out untouched), -1 on a type error. */
#ifndef RL_UTIL_JSON_H
#define RL_UTIL_JSON_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"

static inline void rl_json_putp(json_object **o)
{
    if (*o) json_object_put(*o);
}
#define rl_autojson __attribute__((cleanup(rl_json_putp)))

/* Parse text; syntax errors name line and column. name is used in messages. */
json_object *rl_json_parse(const char *text, size_t len, const char *name, rl_error_t *err);
/* rl_json_parse_file, and the text it parsed (caller frees) */
json_object *rl_json_parse_file_text(const char *path, size_t max, char **text_out, size_t *len_out,
                                     rl_error_t *err);
json_object *rl_json_parse_file(const char *path, size_t max, rl_error_t *err);

/* "a.b" + "c" → "a.b.c"; "" + "c" → "c"; index: "a[3]". Caller frees. */
char *rl_json_path_key(const char *path, const char *key);
char *rl_json_path_idx(const char *path, size_t idx);

int rl_json_get(json_object *obj, const char *path, const char *key, json_type type, bool required,
                json_object **out, rl_error_t *err);
int rl_json_str(json_object *obj, const char *path, const char *key, bool required,
                const char **out, rl_error_t *err);
int rl_json_bool(json_object *obj, const char *path, const char *key, bool *out, rl_error_t *err);
int rl_json_i64(json_object *obj, const char *path, const char *key, int64_t min, int64_t max,
                int64_t *out, rl_error_t *err);
int rl_json_u64(json_object *obj, const char *path, const char *key, uint64_t *out,
                rl_error_t *err);
/* An array of strings as a NULL-terminated vector the caller frees. */
int rl_json_strv(json_object *obj, const char *path, const char *key, bool required, char ***out,
                 rl_error_t *err);
/* A JSON array of the strings of a NULL-terminated vector (NULL: empty). */
json_object *rl_json_new_strv(const char *const *v);

/* Value checks for array elements, with their own path. */
int rl_json_expect(json_object *val, const char *path, json_type type, rl_error_t *err);

const char *rl_json_type_name(json_type type);

#endif
