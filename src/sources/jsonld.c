/* jsonld.c - schema.org JobPosting JSON-LD in a careers page: every
 * <script type="application/ld+json"> on the page is read, and every JobPosting in it (top
 * level, in an array, in an @graph) becomes a posting. Owns the many shapes the wild gives
 * these properties: identifier as PropertyValue, string or number; jobLocation as one Place
 * or many, address as PostalAddress or text, with placeholders like "UNAVAILABLE"; baseSalary
 * as MonetaryAmount, number or string. A script that is not valid JSON is skipped, so one
 * broken block (an Organization, a breadcrumb) does not hide the posting. Pure: no I/O. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "buf.h"
#include "html.h"
#include "pay.h"
#include "source_common.h"
#include "util.h"

#define JSONLD_PARSE_FLAGS                                                                         \
	(HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_RECOVER)
/* JobPostings sit at most a few levels down (array, @graph); deeper is not a page. */
#define JSONLD_MAX_DEPTH 8

struct jsonld_page {
	const char *page_url; /* tracking parameters stripped */
	struct posting_list *out;
	size_t found; /* JobPosting objects seen, kept or dropped */
};

static bool is_job_posting_type(const char *t)
{
	/* "JobPosting", "schema:JobPosting", "http://schema.org/JobPosting" */
	return t && str_endswith_ci(t, "JobPosting") &&
	       (strlen(t) == 10 || t[strlen(t) - 11] == ':' || t[strlen(t) - 11] == '/');
}

static bool is_job_posting(const struct jv *obj)
{
	const struct jv *type = jv_get(obj, "@type");
	const struct jv *t;
	size_t i;

	if (jv_is_string(type))
		return is_job_posting_type(jv_str(type));
	jv_array_foreach(type, i, t)
	{
		if (is_job_posting_type(jv_str(t)))
			return true;
	}
	return false;
}

static void append_part(struct buf *b, const char *part, const char *sep)
{
	char *p = source_clean_unescaped(part);

	/* iCIMS fills unknown address fields with "UNAVAILABLE". */
	if (p && strcasecmp(p, "UNAVAILABLE") != 0)
		source_add_unique(b, p, sep);
	free(p);
}

static void append_place(struct buf *b, const struct jv *place)
{
	const struct jv *addr = jv_is_object(place) ? jv_get(place, "address") : place;
	struct buf one = BUF_INIT;

	if (jv_is_string(addr)) {
		append_part(&one, jv_str(addr), ", ");
	} else if (jv_is_object(addr)) {
		append_part(&one, source_json_name(jv_get(addr, "addressLocality")), ", ");
		append_part(&one, source_json_name(jv_get(addr, "addressRegion")), ", ");
		append_part(&one, source_json_name(jv_get(addr, "addressCountry")), ", ");
	}
	if (one.len == 0)
		append_part(&one, source_json_str(place, "name"), ", ");
	if (one.len)
		append_part(b, one.data, "; ");
	buf_free(&one);
}

/* "Locality, Region, Country" for each Place, "; " between Places. */
static char *location_of(const struct jv *job)
{
	const struct jv *loc = jv_get(job, "jobLocation");
	struct buf b = BUF_INIT;
	const struct jv *place;
	size_t i;

	if (jv_is_array(loc)) {
		jv_array_foreach(loc, i, place)
		{
			append_place(&b, place);
		}
	} else if (loc) {
		append_place(&b, loc);
	}
	if (b.len == 0) {
		const char *type = source_json_str(job, "jobLocationType");
		if (type && strcasecmp(type, "TELECOMMUTE") == 0)
			buf_puts(&b, "Remote");
	}
	return b.len ? buf_steal(&b) : NULL;
}

static char *department_of(const struct jv *job)
{
	char *dep = source_clean_unescaped(source_json_name(jv_get(job, "department")));

	if (dep == NULL)
		dep = source_clean_unescaped(source_json_name(
		    jv_get(source_json_obj(job, "hiringOrganization"), "department")));
	return dep;
}

/* baseSalary: MonetaryAmount {currency, value: QuantitativeValue | amount}, or a bare amount. */
static bool pay_from_salary(struct posting *p, const struct jv *job)
{
	const struct jv *sal = jv_get(job, "baseSalary");
	const struct jv *qv = jv_is_object(sal) ? jv_get(sal, "value") : sal;
	const char *unit = source_json_str(sal, "unitText");
	const char *currency = source_json_str(sal, "currency");
	double lo, hi, v;
	bool has_lo = false, has_hi = false;

	if (sal == NULL)
		return false;
	if (jv_is_object(qv)) {
		has_lo = source_json_amount(jv_get(qv, "minValue"), &lo);
		has_hi = source_json_amount(jv_get(qv, "maxValue"), &hi);
		if (!has_lo && !has_hi && source_json_amount(jv_get(qv, "value"), &v)) {
			lo = hi = v;
			has_lo = has_hi = true;
		}
		if (source_json_str(qv, "unitText"))
			unit = source_json_str(qv, "unitText");
	} else if (source_json_amount(qv, &v)) {
		lo = hi = v;
		has_lo = has_hi = true;
	} else if (jv_is_object(sal)) {
		has_lo = source_json_amount(jv_get(sal, "minValue"), &lo);
		has_hi = source_json_amount(jv_get(sal, "maxValue"), &hi);
	}
	if (currency == NULL)
		currency = source_json_str(job, "salaryCurrency");
	if (!has_lo && !has_hi) {
		/* A range written as text ("$100,000 - $120,000 a year") is the pay parser's. */
		if (!jv_is_string(qv))
			return false;
		return source_pay_from_text(p, jv_str(qv), "jsonld:baseSalary");
	}
	struct pay pay;
	pay_clear(&pay);
	if (has_lo)
		pay.min = lo;
	if (has_hi)
		pay.max = hi;
	source_set_currency(pay.currency, currency);
	pay.period = pay_period_parse(unit);
	snprintf(pay.source, sizeof(pay.source), "jsonld:baseSalary");
	posting_add_range(p, NULL, &pay);
	return pay_is_set(&pay);
}

/* identifier's value, else the posting's url, else the page's. */
static char *id_of(const struct jv *job, const char *url)
{
	const struct jv *ident = jv_get(job, "identifier");
	char *id =
	    jv_is_object(ident) ? source_json_id(jv_get(ident, "value")) : source_json_id(ident);

	return id ? id : xstrdup(url);
}

static void parse_posting(const struct jv *job, struct jsonld_page *pg)
{
	char *title = source_clean_unescaped(source_json_str(job, "title"));

	pg->found++;
	if (title == NULL) {
		pg->out->dropped++;
		return;
	}
	struct posting *p = posting_list_add(pg->out);
	char *raw_url = source_clean(source_json_str(job, "url"));
	char *own_url = source_url_strip_tracking(raw_url);

	free(raw_url);
	p->title = title;
	p->url = own_url ? own_url : xstrdup(pg->page_url);
	p->external_id = id_of(job, p->url);
	p->location = location_of(job);
	p->department = department_of(job);

	const char *desc = source_json_str(job, "description");
	char *html = NULL;
	/* Some pages escape the description's markup once more: "&lt;p&gt;…". */
	if (desc && !strchr(desc, '<') && strstr(desc, "&lt;"))
		html = html_unescape(desc, strlen(desc));
	else
		html = xstrdup(desc ? desc : "");
	char *text = html_to_text(html, strlen(html));
	source_set_digest(p, text);
	if (!pay_from_salary(p, job))
		source_pay_from_text(p, text, "text");
	free(text);
	free(html);
}

static void visit(const struct jv *v, int depth, struct jsonld_page *pg)
{
	const struct jv *item;
	size_t i;

	if (depth > JSONLD_MAX_DEPTH)
		return;
	if (jv_is_array(v)) {
		jv_array_foreach(v, i, item)
		{
			visit(item, depth + 1, pg);
		}
	} else if (jv_is_object(v)) {
		if (is_job_posting(v))
			parse_posting(v, pg);
		else if (jv_get(v, "@graph"))
			visit(jv_get(v, "@graph"), depth + 1, pg);
	}
}

static bool is_ld_json(const xmlChar *type)
{
	const char *t = (const char *)type;

	while (t && isspace((unsigned char)*t))
		t++;
	return t && strncasecmp(t, "application/ld+json", 19) == 0 &&
	       (t[19] == '\0' || t[19] == ';' || isspace((unsigned char)t[19]));
}

/* Parse one script. Raw control characters are common on pages: jv_parse reads them inside
 * strings, and elsewhere (a form feed between values) the script is read again with them
 * blanked. */
static struct jv *load_script(char *text)
{
	char msg[128];
	int line;
	struct jv *v = jv_parse(text, strlen(text), &line, msg, sizeof(msg));

	if (v)
		return v;
	for (char *s = text; *s; s++)
		if ((unsigned char)*s < 0x20)
			*s = ' ';
	return jv_parse(text, strlen(text), &line, msg, sizeof(msg));
}

static void scan_scripts(xmlDocPtr doc, struct jsonld_page *pg)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr res =
	    ctx ? xmlXPathEvalExpression(BAD_CAST "//script[@type]", ctx) : NULL;
	xmlNodeSetPtr nodes = res ? res->nodesetval : NULL;

	for (int i = 0; nodes && i < nodes->nodeNr; i++) {
		xmlChar *type = xmlGetProp(nodes->nodeTab[i], BAD_CAST "type");
		if (is_ld_json(type)) {
			xmlChar *text = xmlNodeGetContent(nodes->nodeTab[i]);
			struct jv *v = text ? load_script((char *)text) : NULL;
			visit(v, 0, pg);
			jv_free(v);
			xmlFree(text);
		}
		xmlFree(type);
	}
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
}

static int jsonld_parse(const struct source_target *src, struct source_walk *w, const char *body,
			size_t len, struct posting_list *out, struct source_request *next,
			char *err, size_t errlen)
{
	htmlDocPtr doc = NULL;

	if (body && len > 0 && !html_tree_fits(body, len)) {
		snprintf(err, errlen, "no JobPosting JSON-LD read: " HTML_TREE_REFUSED);
		return -1;
	}
	if (body && len > 0 && len <= INT_MAX)
		doc = htmlReadMemory(body, (int)len, NULL, "UTF-8", JSONLD_PARSE_FLAGS);
	if (doc == NULL) {
		snprintf(err, errlen, "no JobPosting JSON-LD found (empty page)");
		return -1;
	}
	char *page_url = source_url_strip_tracking(w->page_url ? w->page_url : src->url);
	struct jsonld_page pg = {.page_url = page_url ? page_url : "", .out = out};

	scan_scripts(doc, &pg);
	xmlFreeDoc(doc);
	free(page_url);
	if (pg.found == 0) {
		snprintf(err, errlen, "no JobPosting JSON-LD found");
		return -1;
	}
	return 0;
}

const struct source_adapter source_jsonld = {
    .type = "jsonld",
    .first = source_first_url,
    .parse = jsonld_parse,
};
