/* common.c - what every adapter needs and none should write twice: JSON getters that check
 * types (a source that changes a field's type must drop a field, not crash), error messages
 * that say what a wrong envelope actually was, folding of titles and texts so that
 * whitespace-only edits are not changes, the tracking parameters a link sheds before it
 * becomes an id, and the glue from description text to the pay parser. Pure: no I/O. */
#include "source_common.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xxhash.h>

#include "buf.h"
#include "digest.h"
#include "html.h"
#include "pay.h"
#include "util.h"

/* How much of a wrong body an error message quotes. */
#define SOURCE_SNIPPET_LEN 40

const char *source_json_kind(const struct jv *v)
{
	switch (jv_type(v)) {
	case JV_OBJECT:
		return "an object";
	case JV_ARRAY:
		return "an array";
	case JV_STRING:
		return "a string";
	case JV_INTEGER:
	case JV_REAL:
		return "a number";
	case JV_BOOLEAN:
		return "a boolean";
	case JV_NULL:
		return "null";
	}
	return "an unknown value";
}

/* The first bytes of s with control characters and non-ASCII made harmless for a log line. */
static void snippet(const char *s, size_t len, char *out, size_t outlen)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n < SOURCE_SNIPPET_LEN && n + 1 < outlen; i++) {
		unsigned char c = (unsigned char)s[i];
		out[n++] = (c >= 0x20 && c < 0x7f && c != '"') ? (char)c : ' ';
	}
	out[n] = '\0';
}

struct jv *source_json_load(const char *body, size_t len, const char *expected, char *err,
			    size_t errlen)
{
	char jmsg[128];
	int jline;
	size_t i = 0;
	char snip[SOURCE_SNIPPET_LEN + 1];

	if (body == NULL)
		body = "", len = 0;
	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0) /* a BOM is no reason to fail */
		body += 3, len -= 3;
	struct jv *root = jv_parse(body, len, &jline, jmsg, sizeof(jmsg));
	if (root)
		return root;
	/* jv_parse refuses such a body before parsing; here the message can say what was
	 * expected. Asked only on failure, so a body that parses is counted once, not twice. */
	if (!jv_fits(body, len)) {
		snprintf(err, errlen,
			 "expected %s, found JSON of more objects and arrays than its size can "
			 "hold: refused",
			 expected);
		return NULL;
	}
	while (i < len && isspace((unsigned char)body[i]))
		i++;
	if (i == len) {
		snprintf(err, errlen, "expected %s, found an empty body", expected);
		return NULL;
	}
	snippet(body + i, len - i, snip, sizeof(snip));
	if (body[i] == '<')
		snprintf(err, errlen, "expected %s, found HTML (%s…)", expected, snip);
	else
		snprintf(err, errlen, "expected %s, found invalid JSON at line %d: %s (%s…)",
			 expected, jline, jmsg, snip);
	return NULL;
}

const char *source_json_str(const struct jv *obj, const char *key)
{
	return jv_str(jv_get(obj, key));
}

struct jv *source_json_obj(const struct jv *obj, const char *key)
{
	struct jv *v = jv_get(obj, key);

	return jv_is_object(v) ? v : NULL;
}

char *source_json_id(const struct jv *v)
{
	if (jv_is_integer(v))
		return xasprintf("%" PRId64, jv_int(v));
	if (jv_is_real(v)) {
		double d = jv_number(v);
		if (d == floor(d) && fabs(d) < 1e15)
			return xasprintf("%.0f", d);
		return NULL;
	}
	return source_clean(jv_str(v));
}

/* "$120,000", "USD 95000.50", "120000 €": one amount, thousands commas allowed. */
static bool parse_amount(const char *s, double *out)
{
	struct buf digits = BUF_INIT;
	const char *p = s;
	bool ok = false;

	while (*p && !isdigit((unsigned char)*p)) {
		if (*p == '-' || *p == '.') /* negative or ".5": not a salary */
			return false;
		p++;
	}
	for (; *p && (isdigit((unsigned char)*p) || *p == ',' || *p == '.'); p++)
		if (*p != ',')
			buf_putc(&digits, *p);
	double scale = 1;
	while (*p == ' ')
		p++;
	if ((*p == 'k' || *p == 'K') && !isalpha((unsigned char)p[1])) /* "$120k" */
		scale = 1000;
	/* What follows may be a currency, never a second number ("100000-120000"). */
	for (const char *q = p; *q; q++)
		if (isdigit((unsigned char)*q) || *q == '-')
			goto out;
	if (digits.len) {
		char *end;
		errno = 0;
		double d = strtod(digits.data, &end);
		if (errno == 0 && *end == '\0' && isfinite(d)) {
			*out = d * scale;
			ok = true;
		}
	}
out:
	buf_free(&digits);
	return ok;
}

bool source_json_amount(const struct jv *v, double *out)
{
	if (jv_is_number(v)) {
		double d = jv_number(v);
		if (!isfinite(d) || d < 0)
			return false;
		*out = d;
		return true;
	}
	if (jv_is_string(v))
		return parse_amount(jv_str(v), out);
	return false;
}

/* A blank of 1 byte or NBSP (2 bytes) at s; 0 when s is no blank. */
static size_t blank_width(const char *s)
{
	unsigned char c = (unsigned char)s[0];

	if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
		return 1;
	if (c == 0xc2 && (unsigned char)s[1] == 0xa0)
		return 2;
	return 0;
}

/* n cut back to the start of a UTF-8 sequence of s: a cut field stays valid text. */
static size_t utf8_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

char *source_clean(const char *s)
{
	struct buf out = BUF_INIT;
	bool space = false;

	if (s == NULL)
		return NULL;
	while (*s && out.len <= SOURCE_MAX_TEXT) {
		size_t w = *s == '\n' ? 1 : blank_width(s);
		if (w) {
			space = out.len > 0;
			s += w;
			continue;
		}
		if (space)
			buf_putc(&out, ' ');
		space = false;
		buf_putc(&out, *s++);
	}
	if (out.len == 0) {
		buf_free(&out);
		return NULL;
	}
	if (out.len > SOURCE_MAX_TEXT) {
		out.len = utf8_cut(out.data, SOURCE_MAX_TEXT);
		while (out.len > 0 && out.data[out.len - 1] == ' ')
			out.len--;
		out.data[out.len] = '\0';
	}
	return buf_steal(&out);
}

char *source_fold_text(const char *s, size_t len)
{
	return html_fold_text(s ? s : "", s ? strnlen(s, len) : 0);
}

void source_set_currency(char out[4], const char *code)
{
	out[0] = '\0';
	if (code == NULL || strlen(code) != 3)
		return;
	for (int i = 0; i < 3; i++) {
		if (!isalpha((unsigned char)code[i])) {
			out[0] = '\0';
			return;
		}
		out[i] = (char)toupper((unsigned char)code[i]);
	}
	out[3] = '\0';
}

/* Parameters that say how a reader arrived, not which posting it is: a board that changes
 * one must not make its postings new (issue 21.15). A name ending in '*' is a prefix. Kept,
 * because they name the posting: gh_jid (the Greenhouse job id on employer-hosted pages),
 * lever's posting path, any id=, jobId=, job=, token=. The same table is in
 * jobwatch.conf(5). */
static const char *const tracking_params[] = {
    /* analytics and ad clicks */
    "utm_*",
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "twclid",
    "li_fat_id",
    "igshid",
    "yclid",
    "_ga",
    "_gl",
    "ref",
    "source",
    /* Greenhouse */
    "gh_src",
    /* Lever */
    "lever-source",
    "lever-source[]",
    "lever-origin",
    "lever-via",
    /* LinkedIn */
    "trk",
    "trkInfo",
    "trackingId",
    "refId",
    "lipi",
    "midToken",
    "midSig",
    "eBP",
    /* HubSpot */
    "_hsenc",
    "_hsmi",
    "hsCtaTracking",
    "__hstc",
    "__hssc",
    "__hsfp",
    "hsa_*",
    /* Mailchimp */
    "mc_cid",
    "mc_eid",
    /* Marketo, Matomo, Piwik */
    "mkt_tok",
    "mtm_*",
    "pk_*",
    "piwik_*",
};

static bool tracking_param(const char *name, size_t len)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(tracking_params); i++) {
		const char *t = tracking_params[i];
		size_t n = strlen(t);
		if (t[n - 1] == '*' ? len >= n - 1 && strncasecmp(name, t, n - 1) == 0
				    : n == len && strncasecmp(name, t, len) == 0)
			return true;
	}
	return false;
}

char *source_url_strip_tracking(const char *url)
{
	if (url == NULL)
		return NULL;
	const char *q = strchr(url, '?');
	if (q == NULL)
		return xstrdup(url);
	const char *frag = strchr(q, '#');
	const char *end = frag ? frag : q + strlen(q);
	struct buf out = BUF_INIT;
	const char *p = q + 1;
	bool first = true;

	buf_append(&out, url, (size_t)(q - url));
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		size_t namelen = (size_t)((eq ? eq : stop) - p);

		if (stop > p && !tracking_param(p, namelen)) {
			buf_putc(&out, first ? '?' : '&');
			buf_append(&out, p, (size_t)(stop - p));
			first = false;
		}
		p = stop + 1;
	}
	if (frag)
		buf_puts(&out, frag);
	return buf_steal(&out);
}

void source_set_digest(struct posting *p, const char *text)
{
	if (str_empty(text))
		p->digest[0] = '\0';
	else
		digest_sha256_hex(text, strlen(text), p->digest);
}

bool source_pay_from_text(struct posting *p, const char *text, const char *src_name)
{
	struct pay_text_range r[PAY_TEXT_MAX_RANGES];
	struct buf written = BUF_INIT;
	size_t n, len;

	if (str_empty(text))
		return false;
	len = strlen(text);
	/* a source's own pay element needs no pay word; a description does */
	n = pay_parse_text_all(text, len, p->location, strcmp(src_name, "text") != 0, r,
			       PAY_TEXT_MAX_RANGES);
	for (size_t i = 0; i < n; i++) {
		snprintf(r[i].pay.source, sizeof(r[i].pay.source), "%s", src_name);
		/* a label tells ranges apart; one range needs none ("Salary Range: …") */
		posting_add_range(p, n > 1 ? r[i].label : NULL, &r[i].pay);
		if (i > 0)
			buf_puts(&written, "; ");
		buf_append(&written, text + r[i].off, r[i].len);
	}
	if (n == 0)
		return false;
	free(p->pay_text);
	p->pay_text = source_clean(written.data);
	buf_free(&written);
	return true;
}

void source_set_description(struct posting *p, const char *html)
{
	char *plain = html_to_text(html ? html : "", html ? strlen(html) : 0);
	char *text = source_fold_text(plain, strlen(plain));

	source_set_digest(p, text);
	if (!pay_is_set(&p->pay)) /* structured pay wins over prose */
		source_pay_from_text(p, text, "text");
	free(text);
	free(plain);
}

char *source_url_origin(const char *url)
{
	const char *host = url ? strstr(url, "://") : NULL;

	if (host == NULL || host == url || host[3] == '\0' || strchr("/?#", host[3]))
		return NULL;
	host += 3;
	return xstrndup(url, (size_t)(host - url) + strcspn(host, "/?#"));
}

int source_first_url(const struct source_target *src, struct source_walk *w,
		     struct source_request *req, char *err, size_t errlen)
{
	if (src == NULL || str_empty(src->url)) {
		snprintf(err, errlen, "source has no url");
		return -1;
	}
	memset(req, 0, sizeof(*req));
	req->url = xstrdup(src->url);
	return 0;
}

/* Name what came instead of {key: […]}: "an array", "\"jobs\" holding null", "an object
 * without it (keys: id, title)". */
static void envelope_error(const struct jv *root, const char *key, const char *expected, char *err,
			   size_t errlen)
{
	const struct jv *v = jv_get(root, key);

	if (!jv_is_object(root)) {
		snprintf(err, errlen, "expected %s, found %s", expected, source_json_kind(root));
	} else if (jv_has(root, key)) {
		snprintf(err, errlen, "expected %s, found \"%s\" holding %s", expected, key,
			 source_json_kind(v));
	} else {
		struct buf keys = BUF_INIT;
		const char *k[6];
		size_t n = jv_keys(root, k, 6);

		for (size_t i = 0; i < n && i < 5; i++)
			buf_printf(&keys, "%s%.32s", i ? ", " : "", k[i]);
		if (n == 6)
			buf_puts(&keys, ", …");
		snprintf(err, errlen, "expected %s, found an object without it (keys: %s)",
			 expected, keys.len ? keys.data : "none");
		buf_free(&keys);
	}
}

struct jv *source_json_envelope(const struct jv *root, const char *key, const char *expected,
				char *err, size_t errlen)
{
	struct jv *v = jv_get(root, key);

	if (jv_is_object(root) && jv_is_array(v))
		return v;
	envelope_error(root, key, expected, err, errlen);
	return NULL;
}

char *source_clean_unescaped(const char *s)
{
	if (s == NULL)
		return NULL;
	char *plain = html_unescape(s, strlen(s));
	char *clean = source_clean(plain);
	free(plain);
	return clean;
}

const char *source_json_name(const struct jv *v)
{
	return jv_is_string(v) ? jv_str(v) : source_json_str(v, "name");
}

void source_join(struct buf *b, const char *part, const char *sep)
{
	char *s = b->len < SOURCE_MAX_TEXT ? source_clean(part) : NULL;

	if (s == NULL)
		return;
	if (b->len && b->len + strlen(sep) + strlen(s) > SOURCE_MAX_TEXT) {
		free(s);
		return;
	}
	if (b->len)
		buf_puts(b, sep);
	buf_puts(b, s);
	free(s);
}

void source_join_each(struct buf *b, const struct jv *arr, const char *key, const char *sep)
{
	const struct jv *v;
	size_t i;

	jv_array_foreach(arr, i, v)
	{
		source_join(b, key ? source_json_str(v, key) : jv_str(v), sep);
	}
}

void source_add_unique(struct buf *b, const char *part, const char *sep)
{
	size_t n = strlen(part), seplen = strlen(sep);

	if (b->len + (b->len ? seplen : 0) + n > SOURCE_MAX_TEXT)
		return;
	for (const char *s = b->len ? b->data : NULL; s;) {
		const char *end = strstr(s, sep);
		size_t len = end ? (size_t)(end - s) : strlen(s);
		if (len == n && strncmp(s, part, n) == 0)
			return;
		s = end ? end + seplen : NULL;
	}
	if (b->len)
		buf_puts(b, sep);
	buf_puts(b, part);
}

/* The seed of a list's items: the build's, and which list of which source type it is. */
static bool source_list_seed(const struct source_json_list *list, uint64_t *seed)
{
	uint64_t build;

	if (!list->alone || !digest_build_seed(&build))
		return false;
	*seed = XXH3_64bits_withSeed(list->expected, strlen(list->expected), build) ^
		(list->key ? XXH3_64bits(list->key, strlen(list->key)) : 0);
	return true;
}

/* Hand item to list->each, and mark the postings it adds with the item's fingerprint (a
 * fingerprint of 0 is none: that item is parsed on every poll). */
static void source_json_item(const struct source_json_list *list, const struct jv *item, void *ctx,
			     const uint64_t *fp, size_t later_item, struct posting_list *out)
{
	size_t before = out->len;

	list->each(item, ctx, out);
	if (fp)
		posting_list_mark(out, before, *fp, later_item);
}

/* The items of a body left for posting_list_settle: the body's tree lives as long. */
struct source_later {
	struct posting_later base;
	const struct source_json_list *list; /* static, as every adapter's is */
	struct jv *root;
	const struct jv **items;
	uint64_t *fp;
};

static void source_later_parse(struct posting_later *later, size_t i, struct posting_list *out)
{
	struct source_later *sl = (struct source_later *)later;

	source_json_item(sl->list, sl->items[i], NULL, &sl->fp[i], i + 1, out);
}

static void source_later_free(struct posting_later *later)
{
	struct source_later *sl = (struct source_later *)later;

	jv_free(sl->root);
	free(sl->items);
	free(sl->fp);
	free(sl);
}

int source_json_each(const struct source_json_list *list, const char *body, size_t len, void *ctx,
		     struct posting_list *out, char *err, size_t errlen)
{
	struct jv *root = source_json_load(body, len, list->expected, err, errlen);
	const struct jv *items, *item;
	char what[256];
	uint64_t seed, fp;
	size_t i;

	if (root == NULL)
		return -1;
	items = list->key == NULL ? root : jv_is_object(root) ? jv_get(root, list->key) : NULL;
	if (!jv_is_array(items)) {
		if (jv_is_object(root) && (list->key == NULL || !jv_has(root, list->key)) &&
		    list->says && list->says(root, what, sizeof(what)))
			snprintf(err, errlen, "expected %s, found %s", list->expected, what);
		else if (list->key)
			envelope_error(root, list->key, list->expected, err, errlen);
		else
			snprintf(err, errlen, "expected %s, found %s", list->expected,
				 source_json_kind(root));
		jv_free(root);
		return -1;
	}
	bool fingerprints = ctx == NULL && source_list_seed(list, &seed);
	if (fingerprints && out->later_ok && jv_array_size(items) > 0) {
		struct source_later *sl = xcalloc(1, sizeof(*sl));
		size_t n = jv_array_size(items);

		posting_list_settle(out, NULL, NULL); /* a list holds one body's items at most */
		sl->list = list;
		sl->root = root;
		sl->items = xcalloc(n, sizeof(*sl->items));
		sl->fp = xcalloc(n, sizeof(*sl->fp));
		jv_array_foreach(items, i, item)
		{
			sl->items[i] = item;
			sl->fp[i] = jv_fingerprint(item, seed);
		}
		sl->base = (struct posting_later){.n = n,
						  .bytes = len,
						  .fp = sl->fp,
						  .parse = source_later_parse,
						  .free = source_later_free};
		out->later = &sl->base;
		return 0;
	}
	jv_array_foreach(items, i, item)
	{
		if (fingerprints)
			fp = jv_fingerprint(item, seed);
		source_json_item(list, item, ctx, fingerprints ? &fp : NULL, 0, out);
	}
	jv_free(root);
	return 0;
}

struct posting *source_posting_add(struct posting_list *out, char *id, char *title)
{
	if (id == NULL || title == NULL) {
		free(id);
		free(title);
		out->dropped++;
		return NULL;
	}
	struct posting *p = posting_list_add(out);
	p->external_id = id;
	p->title = title;
	return p;
}

bool source_pay_fields(const struct jv *obj, const struct source_pay_keys *keys, const char *source,
		       struct pay *pay)
{
	double v;

	pay_clear(pay);
	if (keys->min && source_json_amount(jv_get(obj, keys->min), &v))
		pay->min = v;
	if (keys->max && source_json_amount(jv_get(obj, keys->max), &v))
		pay->max = v;
	if (keys->currency)
		source_set_currency(pay->currency, source_json_str(obj, keys->currency));
	if (keys->period)
		pay->period = pay_period_parse(source_json_str(obj, keys->period));
	snprintf(pay->source, sizeof(pay->source), "%s", source);
	return pay_is_set(pay);
}

struct posting *source_posting_add_once(struct posting_list *out, char *id, char *title,
					struct posting **seen)
{
	*seen = id && title ? posting_list_find(out, id) : NULL;
	if (*seen) {
		free(id);
		free(title);
		return NULL;
	}
	return source_posting_add(out, id, title);
}

char *source_url_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf out = BUF_INIT;

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
		    (c == '%' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2]))) {
			buf_putc(&out, (char)c); /* "%20" is escaped already: kept, not "%2520" */
		} else {
			buf_putc(&out, '%');
			buf_putc(&out, hex[c >> 4]);
			buf_putc(&out, hex[c & 15]);
		}
	}
	return buf_steal(&out);
}
