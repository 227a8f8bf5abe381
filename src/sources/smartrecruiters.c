/* smartrecruiters.c - the SmartRecruiters posting API
 * (api.smartrecruiters.com/v1/companies/X/postings): pages of {offset, limit, totalFound,
 * content: […]}, walked with offset/limit. Owns the walk and the mapping of a posting.
 *
 * The walk asks for 100 postings a page (the API's maximum) and moves offset on by the
 * number a page returned, not by the limit it asked for. It stops at the total the first
 * page claimed, on a short page or on an empty one, whichever comes first; a page that
 * repeats the previous one (a server ignoring offset) does not count as the
 * end (it ends the walk as incomplete: what was read is stored, nothing is closed). The page
 * ceiling is the loop's.
 *
 * The list endpoint carries no description: the digest is taken from what the list does give
 * (title, reference, release date, employment type, level, function, industry, department,
 * location and the custom fields), so an edit of the ad text alone goes unseen, and there is
 * no text to find pay in. Pay is the compensation object {min, max, currency, period}, which
 * real captures show only in the detail response; it is read wherever it appears. The link is
 * postingUrl when given, else the public page https://jobs.smartrecruiters.com/COMPANY/ID
 * (ref is the API's own URL, not a page for people). Pure: no I/O. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pay.h"
#include "source_common.h"
#include "util.h"

#define SR_ENVELOPE   "a JSON object with \"content\""
#define SR_PAGE_LIMIT 100
#define SR_PUBLIC     "https://jobs.smartrecruiters.com/"

/* base without its offset and limit parameters, then ours. */
static char *page_url(const char *base, long offset)
{
	const char *q = strchr(base, '?');
	const char *end = base + strcspn(base, "#");
	struct buf b = BUF_INIT;
	char sep = '?';

	if (q == NULL || q > end)
		q = end;
	buf_append(&b, base, (size_t)(q - base));
	for (const char *p = q < end ? q + 1 : end; p < end;) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		size_t n = (size_t)(stop - p);
		bool ours = (n >= 7 && strncmp(p, "offset=", 7) == 0) ||
			    (n >= 6 && strncmp(p, "limit=", 6) == 0);

		if (n && !ours) {
			buf_putc(&b, sep);
			buf_append(&b, p, n);
			sep = '&';
		}
		p = stop + 1;
	}
	buf_printf(&b, "%coffset=%ld&limit=%d", sep, offset, SR_PAGE_LIMIT);
	return buf_steal(&b);
}

static int sr_first(const struct config_source *src, struct source_walk *w,
		    struct source_request *req, char *err, size_t errlen)
{
	if (src == NULL || str_empty(src->url)) {
		snprintf(err, errlen, "source has no url");
		return -1;
	}
	memset(req, 0, sizeof(*req));
	w->offset = 0;
	w->seen = 0;
	req->url = page_url(src->url, 0);
	return 0;
}

/* The company identifier of the configured URL (…/companies/X/postings); NULL if none. */
static char *company_of_url(const char *url)
{
	const char *s = url ? strstr(url, "/companies/") : NULL;

	if (s == NULL)
		return NULL;
	s += strlen("/companies/");
	size_t n = strcspn(s, "/?#");
	return n ? xstrndup(s, n) : NULL;
}

static char *link_of(const struct config_source *src, const struct json_object *post,
		     const char *id)
{
	char *url = source_clean(source_json_str(post, "postingUrl"));

	if (url)
		return url;
	char *ident = source_clean(source_json_str(source_json_obj(post, "company"), "identifier"));
	/* the configured URL's segment is in URL form already */
	char *company = ident ? source_url_escape(ident) : company_of_url(src->url);
	free(ident);
	if (company == NULL)
		return NULL;
	char *i = source_url_escape(id);
	url = xasprintf(SR_PUBLIC "%s/%s", company, i);
	free(i);
	free(company);
	return url;
}

/* fullLocation, else city, region and country code ("us" → "US"); " (remote)" when the
 * flag says so. */
static char *location_of(const struct json_object *loc)
{
	struct buf b = BUF_INIT;
	char *country = source_clean(source_json_str(loc, "country"));

	source_join(&b, source_json_str(loc, "fullLocation"), ", ");
	if (b.len == 0) {
		source_join(&b, source_json_str(loc, "city"), ", ");
		source_join(&b, source_json_str(loc, "region"), ", ");
		if (country && strlen(country) == 2)
			for (char *c = country; *c; c++)
				*c = (char)toupper((unsigned char)*c);
		source_join(&b, country, ", ");
	}
	free(country);
	if (jv_is_true(jv_get(loc, "remote")))
		buf_puts(&b, b.len ? " (remote)" : "Remote");
	return b.len ? buf_steal(&b) : NULL;
}

static const char *label_of(const struct json_object *post, const char *key)
{
	return source_json_str(source_json_obj(post, key), "label");
}

/* "key: value" lines of what the list says about a posting, for its digest. */
static char *list_text(const struct json_object *post)
{
	static const char *const labelled[] = {"typeOfEmployment", "experienceLevel", "function",
					       "industry", "department"};
	struct buf b = BUF_INIT;
	const struct json_object *f;
	size_t i;

	buf_printf(&b, "name: %s\n", source_json_str(post, "name"));
	if (source_json_str(post, "refNumber"))
		buf_printf(&b, "refNumber: %s\n", source_json_str(post, "refNumber"));
	if (source_json_str(post, "releasedDate"))
		buf_printf(&b, "releasedDate: %s\n", source_json_str(post, "releasedDate"));
	for (i = 0; i < UTIL_ARRAY_LEN(labelled); i++)
		if (label_of(post, labelled[i]))
			buf_printf(&b, "%s: %s\n", labelled[i], label_of(post, labelled[i]));
	if (source_json_str(source_json_obj(post, "location"), "fullLocation"))
		buf_printf(&b, "location: %s\n",
			   source_json_str(source_json_obj(post, "location"), "fullLocation"));
	jv_array_foreach(jv_get(post, "customField"), i, f)
	{
		const char *k = source_json_str(f, "fieldLabel"),
			   *v = source_json_str(f, "valueLabel");
		if (k && v)
			buf_printf(&b, "%s: %s\n", k, v);
	}
	char *text = source_fold_text(b.data, b.len);
	buf_free(&b);
	return text;
}

static void pay_from_compensation(struct posting *p, const struct json_object *c)
{
	struct pay pay;
	double v;

	pay_clear(&pay);
	if (source_json_amount(jv_get(c, "min"), &v))
		pay.min = v;
	if (source_json_amount(jv_get(c, "max"), &v))
		pay.max = v;
	source_set_currency(pay.currency, source_json_str(c, "currency"));
	pay.period = pay_period_parse(source_json_str(c, "period"));
	snprintf(pay.source, sizeof(pay.source), "smartrecruiters:compensation");
	posting_add_range(p, NULL, &pay); /* ignored when it states no amount */
}

static void parse_posting(const struct config_source *src, const struct json_object *post,
			  struct posting_list *out)
{
	char *id = source_json_id(jv_get(post, "id"));
	char *title = source_clean(source_json_str(post, "name"));

	struct posting *p = source_posting_add(out, id, title);

	if (p == NULL)
		return;
	p->department = source_clean(label_of(post, "department"));
	if (p->department == NULL)
		p->department = source_clean(label_of(post, "function"));
	p->location = location_of(source_json_obj(post, "location"));
	p->url = link_of(src, post, id);

	char *text = list_text(post);
	source_set_digest(p, text);
	free(text);
	pay_from_compensation(p, source_json_obj(post, "compensation"));
}

/* The page's mark: its size and first and last ids, to see a page served twice. */
static void page_key(const struct json_object *content, char *out, size_t outlen)
{
	size_t n = jv_array_size(content);
	char *first = source_json_id(jv_get(jv_array_get(content, 0), "id"));
	char *last = source_json_id(jv_get(jv_array_get(content, n - 1), "id"));

	snprintf(out, outlen, "%zu:%.28s:%.28s", n, first ? first : "", last ? last : "");
	free(first);
	free(last);
}

static int sr_parse(const struct config_source *src, struct source_walk *w, const char *body,
		    size_t len, struct posting_list *out, struct source_request *next, char *err,
		    size_t errlen)
{
	struct json_object *root = source_json_load(body, len, SR_ENVELOPE, err, errlen);
	const struct json_object *content, *post;
	char key[sizeof(w->last_key)];
	size_t i;

	if (root == NULL)
		return -1;
	content = source_json_envelope(root, "content", SR_ENVELOPE, err, errlen);
	if (content == NULL) {
		jv_free(root);
		return -1;
	}
	size_t n = jv_array_size(content);
	page_key(content, key, sizeof(key));
	if (n && w->pages > 0 && strcmp(key, w->last_key) == 0) {
		/* the walk cannot go on: what it read stands, but it is not the whole board */
		snprintf(w->incomplete, sizeof(w->incomplete),
			 "the page at offset %ld repeats the previous page (the server ignores "
			 "offset)",
			 w->offset);
		jv_free(root);
		return 0;
	}
	snprintf(w->last_key, sizeof(w->last_key), "%s", key);
	if (w->pages == 0) {
		const struct json_object *total = jv_get(root, "totalFound");
		w->total = jv_is_integer(total) && jv_int(total) >= 0 ? (long)jv_int(total) : -1;
	}
	jv_array_foreach(content, i, post)
	{
		parse_posting(src, post, out);
	}

	const struct json_object *lim = jv_get(root, "limit");
	long limit = jv_is_integer(lim) && jv_int(lim) > 0 ? (long)jv_int(lim) : SR_PAGE_LIMIT;
	w->seen += (long)n;
	w->offset += (long)n;
	if (n > 0 && (long)n >= limit && (w->total < 0 || w->offset < w->total))
		next->url = page_url(src->url, w->offset);
	jv_free(root);
	return 0;
}

const struct source_adapter source_smartrecruiters = {
    .type = "smartrecruiters",
    .first = sr_first,
    .parse = sr_parse,
};
