/* SPDX-License-Identifier: Apache-2.0 */
#include "json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "fs.h"
#include "xalloc.h"

const char *rl_json_type_name(json_type type)
{
    switch (type) {
    case json_type_object:
        return "an object";
    case json_type_array:
        return "an array";
    case json_type_string:
        return "a string";
    case json_type_int:
        return "an integer";
    case json_type_double:
        return "a number";
    case json_type_boolean:
        return "a boolean";
    case json_type_null:
        return "null";
    }
    return "a value";
}

static void line_col(const char *text, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && text[i]; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

/* Only whitespace in text[off, len): bounded by len, as text need not end
 * in a NUL (and may hold one). */
static bool only_space(const char *text, size_t off, size_t len)
{
    for (; off < len; off++)
        if (!strchr(" \t\r\n", text[off]) || !text[off]) return false;
    return true;
}

json_object *rl_json_parse(const char *text, size_t len, const char *name, rl_error_t *err)
{
    if (len > INT32_MAX) {
        rl_error_set(err, 0, "%s: document too large", name);
        return NULL;
    }
    struct json_tokener *tok = json_tokener_new();
    json_object *obj = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t off = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (obj && !only_space(text, off, len)) {
        json_object_put(obj);
        obj = NULL;
        jerr = json_tokener_error_parse_unexpected;
    } else if (!obj && jerr == json_tokener_continue) {
        jerr = json_tokener_error_parse_eof;
    }
    if (!obj) {
        int line, col;
        line_col(text, off, &line, &col);
        rl_error_set(err, 0, "%s: invalid JSON at line %d column %d: %s", name, line, col,
                     json_tokener_error_desc(jerr));
    }
    return obj;
}

json_object *rl_json_parse_file_text(const char *path, size_t max, char **text_out, size_t *len_out,
                                     rl_error_t *err)
{
    rl_autofree char *text = NULL;
    size_t len;
    if (rl_fs_read_file(path, max, &text, &len, err) < 0) return NULL;
    if (memchr(text, '\0', len)) {
        rl_error_set(err, 0, "%s: invalid JSON: contains a NUL byte", path);
        return NULL;
    }
    json_object *o = rl_json_parse(text, len, path, err);
    if (o && text_out) {
        *text_out = rl_steal_ptr(&text);
        *len_out = len;
    }
    return o;
}

json_object *rl_json_parse_file(const char *path, size_t max, rl_error_t *err)
{
    return rl_json_parse_file_text(path, max, NULL, NULL, err);
}

char *rl_json_path_key(const char *path, const char *key)
{
    if (!path || !*path) return xstrdup(key);
    return xasprintf("%s.%s", path, key);
}

char *rl_json_path_idx(const char *path, size_t idx)
{
    return xasprintf("%s[%zu]", path ? path : "", idx);
}

int rl_json_expect(json_object *val, const char *path, json_type type, rl_error_t *err)
{
    json_type t = json_object_get_type(val);
    if (t == type || (type == json_type_double && t == json_type_int)) return 0;
    return rl_error_set(err, 0, "%s: expected %s, got %s", path, rl_json_type_name(type),
                        rl_json_type_name(t));
}

int rl_json_get(json_object *obj, const char *path, const char *key, json_type type, bool required,
                json_object **out, rl_error_t *err)
{
    json_object *val = NULL;
    rl_autofree char *p = rl_json_path_key(path, key);
    if (!obj || !json_object_object_get_ex(obj, key, &val) || !val) {
        if (required) return rl_error_set(err, 0, "%s: required but missing", p);
        return 0;
    }
    if (rl_json_expect(val, p, type, err) < 0) return -1;
    *out = val;
    return 1;
}

int rl_json_str(json_object *obj, const char *path, const char *key, bool required,
                const char **out, rl_error_t *err)
{
    json_object *val;
    int r = rl_json_get(obj, path, key, json_type_string, required, &val, err);
    if (r <= 0) return r;
    /* "\u0000" would silently cut a path or argument short: refuse it. */
    if ((size_t)json_object_get_string_len(val) != strlen(json_object_get_string(val))) {
        rl_autofree char *p = rl_json_path_key(path, key);
        return rl_error_set(err, 0, "%s: contains a NUL character", p);
    }
    *out = json_object_get_string(val);
    return 1;
}

int rl_json_bool(json_object *obj, const char *path, const char *key, bool *out, rl_error_t *err)
{
    json_object *val;
    int r = rl_json_get(obj, path, key, json_type_boolean, false, &val, err);
    if (r > 0) *out = json_object_get_boolean(val);
    return r;
}

int rl_json_i64(json_object *obj, const char *path, const char *key, int64_t min, int64_t max,
                int64_t *out, rl_error_t *err)
{
    json_object *val;
    int r = rl_json_get(obj, path, key, json_type_int, false, &val, err);
    if (r <= 0) return r;
    errno = 0;
    int64_t v = json_object_get_int64(val);
    if (errno || v < min || v > max) {
        rl_autofree char *p = rl_json_path_key(path, key);
        return rl_error_set(err, 0, "%s: %s out of range [%" PRId64 ", %" PRId64 "]", p,
                            json_object_get_string(val), min, max);
    }
    *out = v;
    return 1;
}

int rl_json_u64(json_object *obj, const char *path, const char *key, uint64_t *out, rl_error_t *err)
{
    json_object *val;
    int r = rl_json_get(obj, path, key, json_type_int, false, &val, err);
    if (r <= 0) return r;
    int64_t v = json_object_get_int64(val);
    if (v < 0) {
        rl_autofree char *p = rl_json_path_key(path, key);
        return rl_error_set(err, 0, "%s: must not be negative", p);
    }
    /* json-c keeps values above INT64_MAX as uint64; get_int64 saturates. */
    *out = v == INT64_MAX ? json_object_get_uint64(val) : (uint64_t)v;
    return 1;
}

int rl_json_strv(json_object *obj, const char *path, const char *key, bool required, char ***out,
                 rl_error_t *err)
{
    json_object *arr;
    int r = rl_json_get(obj, path, key, json_type_array, required, &arr, err);
    if (r <= 0) return r;
    rl_autofree char *p = rl_json_path_key(path, key);
    size_t n = json_object_array_length(arr);
    char **v = xcalloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(arr, i);
        if (json_object_get_type(e) != json_type_string ||
            (size_t)json_object_get_string_len(e) != strlen(json_object_get_string(e))) {
            rl_autofree char *pi = rl_json_path_idx(p, i);
            rl_strv_free(v);
            return rl_error_set(err, 0, "%s: expected a string without NUL characters", pi);
        }
        v[i] = xstrdup(json_object_get_string(e));
    }
    *out = v;
    return 1;
}

json_object *rl_json_new_strv(const char *const *v)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; v && v[i]; i++)
        json_object_array_add(a, json_object_new_string(v[i]));
    return a;
}
