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
 * The list endpoint carries no description: each posting asks for its detail, GET
 * …/companies/X/postings/ID, whose jobAd sections (HTML) give the digest and the pay stated in
 * them, and whose compensation object ({min, max, currency, period}, or the same under
 * "salary") wins over the text. releasedDate and jobAdId mark a changed list row. The link is
 * postingUrl when given, else the public page https://jobs.smartrecruiters.com/COMPANY/ID
 * (ref is the API's own URL, not a page for people). Pure: no I/O. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "pay.h"
#include "source_common.h"
#include "url.h"
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

static int sr_first(const struct source_target *src, struct source_walk *w,
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

static char *link_of(const struct source_target *src, const struct jv *post, const char *id)
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
static char *location_of(const struct jv *loc)
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

static const char *label_of(const struct jv *post, const char *key)
{
	return source_json_str(source_json_obj(post, key), "label");
}

/* "key: value" lines of what the list says about a posting, for its digest. */
static char *list_text(const struct jv *post)
{
	static const char *const labelled[] = {"typeOfEmployment", "experienceLevel", "function",
					       "industry", "department"};
	struct buf b = BUF_INIT;
	const struct jv *f;
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

static void pay_from_compensation(struct posting *p, const struct jv *c)
{
	static const struct source_pay_keys keys = {"min", "max", "currency", "period"};
	struct pay pay;

	/* {min, max, currency, period}, or the same one level down under "salary" */
	if (c && !jv_has(c, "min") && !jv_has(c, "max") && source_json_obj(c, "salary"))
		c = source_json_obj(c, "salary");
	if (source_pay_fields(c, &keys, "smartrecruiters:compensation", &pay))
		posting_add_range(p, NULL, &pay);
}

static void parse_posting(const struct source_target *src, const struct jv *post,
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
	if (jv_get(post, "jobAd") == NULL) { /* the list's rows: the detail has the ad */
		p->detail_ref = xstrdup(id);
		char *key = xasprintf(
		    "%s %s",
		    source_json_str(post, "releasedDate") ? source_json_str(post, "releasedDate")
							  : "",
		    source_json_str(post, "jobAdId") ? source_json_str(post, "jobAdId") : "");
		p->detail_key = source_clean(key);
		free(key);
	}
}

/* The page's mark: its size and first and last ids, to see a page served twice. */
static void page_key(const struct jv *content, char *out, size_t outlen)
{
	size_t n = jv_array_size(content);
	char *first = source_json_id(jv_get(jv_array_get(content, 0), "id"));
	char *last = source_json_id(jv_get(jv_array_get(content, n - 1), "id"));

	snprintf(out, outlen, "%zu:%.28s:%.28s", n, first ? first : "", last ? last : "");
	free(first);
	free(last);
}

static int sr_parse(const struct source_target *src, struct source_walk *w, const char *body,
		    size_t len, struct posting_list *out, struct source_request *next, char *err,
		    size_t errlen)
{
	struct jv *root = source_json_load(body, len, SR_ENVELOPE, err, errlen);
	const struct jv *content, *post;
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
		const struct jv *total = jv_get(root, "totalFound");
		w->total = jv_is_integer(total) && jv_int(total) >= 0 ? (long)jv_int(total) : -1;
	}
	jv_array_foreach(content, i, post)
	{
		parse_posting(src, post, out);
	}

	const struct jv *lim = jv_get(root, "limit");
	long limit = jv_is_integer(lim) && jv_int(lim) > 0 ? (long)jv_int(lim) : SR_PAGE_LIMIT;
	w->seen += (long)n;
	w->offset += (long)n;
	if (n > 0 && (long)n >= limit && (w->total < 0 || w->offset < w->total))
		next->url = page_url(src->url, w->offset);
	jv_free(root);
	return 0;
}

/* GET …/companies/X/postings/ID: the configured URL up to its query, then the id. */
static int sr_detail_request(const struct source_target *src, const char *external_id,
			     const char *detail_ref, struct source_request *req, char *err,
			     size_t errlen)
{
	if (src == NULL || str_empty(src->url)) {
		snprintf(err, errlen, "source has no url");
		return -1;
	}
	size_t n = strcspn(src->url, "?#");
	while (n > 0 && src->url[n - 1] == '/')
		n--;
	char *id = source_url_escape(detail_ref ? detail_ref : external_id);
	memset(req, 0, sizeof(*req));
	req->url = xasprintf("%.*s/%s", (int)n, src->url, id);
	req->accept = xstrdup("application/json");
	free(id);
	return 0;
}

/* The sections of the ad that describe the role, in order: the company's own blurb is left
 * out of the pay text (funding and customer counts are not pay) but kept in the digest. */
static const char *const sr_sections[] = {"companyDescription", "jobDescription", "qualifications",
					  "additionalInformation"};

static int sr_detail_parse(const struct source_target *src, const char *body, size_t len,
			   struct posting *out, char *err, size_t errlen)
{
	struct jv *root =
	    source_json_load(body, len, "a JSON SmartRecruiters posting", err, errlen);

	if (root == NULL)
		return -1;
	const struct jv *sections = source_json_obj(source_json_obj(root, "jobAd"), "sections");
	/* a posting without an ad states no pay but what compensation says */
	if (sections == NULL && !jv_has(root, "id")) {
		snprintf(err, errlen,
			 "expected a SmartRecruiters posting with jobAd.sections, got %s without",
			 source_json_kind(root));
		jv_free(root);
		return -1;
	}
	struct buf all = BUF_INIT, role = BUF_INIT;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(sr_sections); i++) {
		const char *html =
		    source_json_str(source_json_obj(sections, sr_sections[i]), "text");
		if (str_empty(html))
			continue;
		buf_puts(&all, html);
		buf_puts(&all, "\n<br>\n");
		if (i > 0) {
			buf_puts(&role, html);
			buf_puts(&role, "\n<br>\n");
		}
	}
	out->department = source_clean(label_of(root, "department"));
	if (out->department == NULL)
		out->department = source_clean(label_of(root, "function"));
	out->location = location_of(source_json_obj(root, "location"));
	pay_from_compensation(out, source_json_obj(root, "compensation"));
	/* the pay of the role's sections, the digest of the whole ad */
	if (!pay_is_set(&out->pay) && role.len)
		source_set_description(out, role.data);
	char *plain = html_to_text(all.data ? all.data : "", all.len);
	char *text = source_fold_text(plain, strlen(plain));
	source_set_digest(out, text);
	free(text);
	free(plain);
	buf_free(&all);
	buf_free(&role);
	jv_free(root);
	return 0;
}

/* api.smartrecruiters.com/v1/companies/… is the API; careers. and jobs.smartrecruiters.com/
 * COMPANY its boards. */
static bool sr_recognise(const char *url, const struct url_parts *u, char **api_url)
{
	char company[URL_MAX_NAME];

	if (url_host_is(u, "api.smartrecruiters.com") && url_path_starts(u, "/v1/companies/")) {
		*api_url = xstrdup(url);
		return true;
	}
	if ((url_host_is(u, "careers.smartrecruiters.com") ||
	     url_host_is(u, "jobs.smartrecruiters.com")) &&
	    url_seg(u, 0, company, sizeof(company))) {
		*api_url = source_board_url("smartrecruiters", company);
		return true;
	}
	return false;
}

const struct source_adapter source_smartrecruiters = {
    .type = "smartrecruiters",
    .first = sr_first,
    .parse = sr_parse,
    .detail_request = sr_detail_request,
    .detail_parse = sr_detail_parse,
    .board = {"https://api.smartrecruiters.com/v1/companies/", "/postings"},
    .recognise = sr_recognise,
    .name = {.seg = 3},
};
