// SPDX-License-Identifier: GPL-2.0
/*
 * crcore: a small JSON writer.
 *
 * Strings from an image are bytes, not necessarily UTF-8: valid UTF-8
 * sequences are written as they are, any other byte as \u00XX (its
 * Latin-1 reading), so that the output is always valid JSON.
 */
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first = true;
}

void json_finish(struct json *j)
{
	fputc('\n', j->f);
}

/* Length of the valid UTF-8 sequence at @s (at most @len bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t len)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

static void json_raw_string(struct json *j, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	fputc('"', j->f);
	while (i < len) {
		unsigned char ch = p[i];
		size_t n;

		if (ch == '"' || ch == '\\') {
			fprintf(j->f, "\\%c", ch);
			i++;
		} else if (ch == '\n') {
			fputs("\\n", j->f);
			i++;
		} else if (ch == '\t') {
			fputs("\\t", j->f);
			i++;
		} else if (ch < 0x20 || ch == 0x7f) {
			fprintf(j->f, "\\u%04x", ch);
			i++;
		} else {
			n = utf8_len(p + i, len - i);
			if (n) {
				fwrite(p + i, 1, n, j->f);
				i += n;
			} else {
				fprintf(j->f, "\\u%04x", ch);
				i++;
			}
		}
	}
	fputc('"', j->f);
}

/* Separator, indentation and key of the next value. */
static void json_key(struct json *j, const char *key)
{
	if (j->depth) {
		fputs(j->first ? "\n" : ",\n", j->f);
		fprintf(j->f, "%*s", 2 * j->depth, "");
	}
	j->first = false;
	if (key) {
		json_raw_string(j, key, strlen(key));
		fputs(": ", j->f);
	}
}

void json_open(struct json *j, const char *key, char bracket)
{
	json_key(j, key);
	fputc(bracket, j->f);
	j->depth++;
	j->first = true;
}

void json_close(struct json *j, char bracket)
{
	j->depth--;
	if (!j->first)
		fprintf(j->f, "\n%*s", 2 * j->depth, "");
	fputc(bracket, j->f);
	j->first = false;
}

void json_stringn(struct json *j, const char *key, const char *s, size_t len)
{
	json_key(j, key);
	json_raw_string(j, s, len);
}

void json_string(struct json *j, const char *key, const char *s)
{
	if (!s)
		json_null(j, key);
	else
		json_stringn(j, key, s, strlen(s));
}

void json_uint(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void json_int(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	fprintf(j->f, "%lld", (long long)v);
}

void json_hex(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	fprintf(j->f, "\"0x%llx\"", (unsigned long long)v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	json_key(j, key);
	fputs("null", j->f);
}
