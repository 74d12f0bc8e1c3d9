/* SPDX-License-Identifier: GPL-2.0 */
/*
 * crcore: a small JSON writer, indented, keys in the order written.
 */
#ifndef CRCORE_JSON_H
#define CRCORE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE *f;
	int depth;
	bool first;	/* nothing written yet at this depth */
};

void json_init(struct json *j, FILE *f);
void json_finish(struct json *j);
/* @key is NULL inside arrays. */
void json_open(struct json *j, const char *key, char bracket);
void json_close(struct json *j, char bracket);
void json_string(struct json *j, const char *key, const char *s);
void json_stringn(struct json *j, const char *key, const char *s, size_t len);
void json_uint(struct json *j, const char *key, uint64_t v);
void json_int(struct json *j, const char *key, int64_t v);
void json_hex(struct json *j, const char *key, uint64_t v);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);

#endif /* CRCORE_JSON_H */
