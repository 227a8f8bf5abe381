/* html_source.c - type "html": any careers page, read with XPath expressions from the config.
 * `item` selects each posting's element; title, link, location, department, pay and id are
 * read relative to it. libxml2's recovering HTML parser does the tag soup, with the network
 * off; the page's own charset declaration decides its encoding, so what comes out is UTF-8.
 * Links are resolved against the page's URL (or its <base href>) and shed tracking
 * parameters; the link is the id unless an `id` expression says otherwise.
 * A page where item matches nothing fails the poll unless the source allows an empty board:
 * far more often than a board with no openings, it is a new layout, a captcha or a page that
 * builds its list with JavaScript, and none of those may close postings. Its registry entry
 * declares the config keys (the expressions, allow_empty) and their checks. This file is the
 * only user of libxml2's XPath for configured expressions.
 * Pure: no I/O, and libxml2's error printing is switched off. */
#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>

#include "buf.h"
#include "html.h"
#include "source_common.h"
#include "util.h"

#define HTML_SOURCE_PARSE_FLAGS                                                                    \
	(HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_RECOVER)
/* XPath steps one page may cost, all expressions and items together, in proportion to its
 * size: measured, 20,000 items in 4.9 MB cost 6.2 million steps and 200,000 small items in
 * 9.8 MB 17 million (under 2 per byte), while an expression that searches the whole page
 * from every item ("//b" for title) grows with the square of the page. The limit stops that
 * at a small multiple of a real page's cost. */
#define HTML_SOURCE_OPS_BASE	 10000000UL
#define HTML_SOURCE_OPS_PER_BYTE 8UL
/* How much of a page's <title> an error quotes. */
#define HTML_SOURCE_TITLE_QUOTE 60

/* The fields an expression fills; field_names spells them as the config does. */
enum html_field { F_ITEM, F_TITLE, F_LINK, F_LOCATION, F_DEPARTMENT, F_PAY, F_ID, F_COUNT };

static const char *const field_names[F_COUNT] = {
    "item", "title", "link", "location", "department", "pay", "id",
};

struct html_xpath_error {
	int code; /* libxml2's XML_XPATH_* code of the last error, 0 when none */
};

struct html_page {
	const struct source_target *src;
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
	xmlXPathCompExprPtr expr[F_COUNT]; /* NULL: the field is not read */
	struct html_xpath_error xerr;
	xmlChar *base; /* absolute URL relative links resolve against */
	struct posting_list *out;
	char *err;
	size_t errlen;
	bool failed; /* an expression failed while running; err says which */
};

static void quiet_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void keep_xpath_error(void *ud, xmlErrorPtr e)
{
	struct html_xpath_error *xe = ud;

	if (e && e->domain == XML_FROM_XPATH)
		xe->code = e->code;
}

/* What libxml2's XPath error code means, in our words (its own text is not handed out). */
static const char *xpath_error_text(int code)
{
	static const char *const text[] = {
	    [XPATH_NUMBER_ERROR] = "a number is malformed",
	    [XPATH_UNFINISHED_LITERAL_ERROR] = "a string is not closed",
	    [XPATH_START_LITERAL_ERROR] = "a string does not start right",
	    [XPATH_VARIABLE_REF_ERROR] = "a variable name is malformed",
	    [XPATH_UNDEF_VARIABLE_ERROR] = "variables are not available",
	    [XPATH_INVALID_PREDICATE_ERROR] = "a predicate [ ] is malformed",
	    [XPATH_EXPR_ERROR] = "the expression is malformed",
	    [XPATH_UNCLOSED_ERROR] = "a bracket is not closed",
	    [XPATH_UNKNOWN_FUNC_ERROR] = "a function is unknown (XPath 1.0 functions only)",
	    [XPATH_INVALID_OPERAND] = "an operand has the wrong type",
	    [XPATH_INVALID_TYPE] = "a value has the wrong type",
	    [XPATH_INVALID_ARITY] = "a function has the wrong number of arguments",
	    [XPATH_UNDEF_PREFIX_ERROR] = "a namespace prefix is unknown",
	    [XPATH_INVALID_CHAR_ERROR] = "a character is not allowed",
	    [XPATH_OP_LIMIT_EXCEEDED] = "it needed too much work on this page",
	    [XPATH_RECURSION_LIMIT_EXCEEDED] = "it nests too deeply",
	};
	int i = code - XML_XPATH_EXPRESSION_OK;

	if (i > 0 && (size_t)i < UTIL_ARRAY_LEN(text) && text[i])
		return text[i];
	return "the expression is malformed";
}

static xmlXPathContextPtr new_context(xmlDocPtr doc, struct html_xpath_error *xe)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);

	if (ctx == NULL)
		fatal("out of memory (XPath context)");
	ctx->error = keep_xpath_error;
	ctx->userData = xe;
	ctx->opLimit = HTML_SOURCE_OPS_BASE;
	/* Some failures (an unknown function) only reach libxml2's generic error printer. */
	xmlSetGenericErrorFunc(NULL, quiet_generic);
	return ctx;
}

static htmlDocPtr read_html(const char *body, size_t len)
{
	if (body == NULL || len == 0 || len > INT_MAX)
		return NULL;
	/* No encoding given: a declared charset is honoured, undeclared bytes are read as UTF-8
	 * where they are valid and as Latin-1 where not, so the text is always UTF-8. */
	return htmlReadMemory(body, (int)len, NULL, NULL, HTML_SOURCE_PARSE_FLAGS);
}

/* Run comp at node; NULL and xe->code set when it failed. */
static xmlXPathObjectPtr eval_at(xmlXPathContextPtr ctx, struct html_xpath_error *xe,
				 xmlXPathCompExprPtr comp, xmlNodePtr node)
{
	xe->code = 0;
	ctx->node = node;
	xmlXPathObjectPtr res = xmlXPathCompiledEval(comp, ctx);
	if (res && xe->code) {
		xmlXPathFreeObject(res);
		res = NULL;
	}
	if (res == NULL && xe->code == 0) /* the limits reach only the generic error printer */
		xe->code = ctx->opLimit && ctx->opCount >= ctx->opLimit
			       ? XML_XPATH_EXPRESSION_OK + XPATH_OP_LIMIT_EXCEEDED
			       : XML_XPATH_EXPR_ERROR;
	return res;
}

bool source_html_xpath_check(const char *expr, bool selects_nodes, char *err, size_t errlen)
{
	static const char probe[] =
	    "<html><head><title>t</title></head><body><p>p</p></body></html>";
	struct html_xpath_error xe = {0};
	htmlDocPtr doc = read_html(probe, sizeof(probe) - 1);
	xmlXPathContextPtr ctx = new_context(doc, &xe);
	xmlXPathCompExprPtr comp = xmlXPathCtxtCompile(ctx, BAD_CAST expr);
	xmlXPathObjectPtr res = NULL;
	bool ok = false;

	/* Compiling checks the syntax; running it once on a small page finds what only shows
	 * then: unknown functions, variables, operands of the wrong type. */
	if (comp == NULL)
		snprintf(err, errlen, "does not compile: %s",
			 xpath_error_text(xe.code ? xe.code : XML_XPATH_EXPR_ERROR));
	else if ((res = eval_at(ctx, &xe, comp, (xmlNodePtr)doc)) == NULL)
		snprintf(err, errlen, "does not run: %s", xpath_error_text(xe.code));
	else if (selects_nodes && res->type != XPATH_NODESET)
		snprintf(err, errlen, "must select elements (it gives a %s)",
			 res->type == XPATH_STRING    ? "string"
			 : res->type == XPATH_NUMBER  ? "number"
			 : res->type == XPATH_BOOLEAN ? "boolean"
						      : "value");
	else
		ok = true;
	xmlXPathFreeObject(res);
	xmlXPathFreeCompExpr(comp);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return ok;
}

/* The configured expression of a field, or its default. */
static const char *field_expr(const struct source_target *src, enum html_field f)
{
	switch (f) {
	case F_ITEM:
		return src->xpath_item;
	case F_TITLE:
		return src->xpath_title ? src->xpath_title : SOURCE_HTML_TITLE_DEFAULT;
	case F_LINK:
		return src->xpath_link ? src->xpath_link : SOURCE_HTML_LINK_DEFAULT;
	case F_LOCATION:
		return src->xpath_location;
	case F_DEPARTMENT:
		return src->xpath_department;
	case F_PAY:
		return src->xpath_pay;
	case F_ID:
		return src->xpath_id;
	case F_COUNT:
		break;
	}
	return NULL;
}

static int compile_all(const struct source_target *src, struct html_page *pg)
{
	for (int f = 0; f < F_COUNT; f++) {
		const char *e = field_expr(src, (enum html_field)f);
		if (e == NULL) {
			if (f == F_ITEM) {
				snprintf(pg->err, pg->errlen, "no item XPath configured");
				return -1;
			}
			continue;
		}
		pg->xerr.code = 0;
		if ((pg->expr[f] = xmlXPathCtxtCompile(pg->ctx, BAD_CAST e)) == NULL) {
			snprintf(
			    pg->err, pg->errlen, "%s XPath does not compile: %s", field_names[f],
			    xpath_error_text(pg->xerr.code ? pg->xerr.code : XML_XPATH_EXPR_ERROR));
			return -1;
		}
	}
	return 0;
}

/* Reading text walks a subtree outside libxml2's count of XPath steps: it is charged to the
 * same limit, a step a byte. Items nested in each other each hold most of the page, and 200 of
 * them in 16 MB cost 5 s (issue 21.7); a page's items are charged about its size. False, and
 * the page failed, once the limit is spent. */
static bool charge_text(struct html_page *pg, const char *text)
{
	unsigned long n = text ? (unsigned long)strlen(text) : 0;

	pg->ctx->opCount += n;
	if (pg->ctx->opCount < pg->ctx->opLimit)
		return true;
	snprintf(pg->err, pg->errlen,
		 "items' text needed too much work on this page (do items nest in each other? "
		 "make item select only the innermost)");
	pg->failed = true;
	return false;
}

/* The text field f gives at item: a node-set's first node's string value, or the string of a
 * string, number or boolean; blanks folded, NULL when nothing is left. */
static char *field_text(struct html_page *pg, enum html_field f, xmlNodePtr item)
{
	xmlXPathObjectPtr res;
	xmlChar *s = NULL;

	if (pg->expr[f] == NULL || pg->failed)
		return NULL;
	if ((res = eval_at(pg->ctx, &pg->xerr, pg->expr[f], item)) == NULL) {
		bool whole_page = field_expr(pg->src, f)[0] == '/';
		snprintf(pg->err, pg->errlen, "%s XPath failed: %s%s", field_names[f],
			 xpath_error_text(pg->xerr.code),
			 whole_page ? " (it starts with /, so it searches the whole page from "
				      "every item: start it with .// instead)"
				    : "");
		pg->failed = true;
		return NULL;
	}
	if (res->type == XPATH_NODESET) {
		if (res->nodesetval && res->nodesetval->nodeNr > 0)
			s = xmlXPathCastNodeToString(res->nodesetval->nodeTab[0]);
	} else {
		s = xmlXPathCastToString(res);
	}
	xmlXPathFreeObject(res);
	char *clean = charge_text(pg, (const char *)s) ? source_clean((const char *)s) : NULL;
	xmlFree(s);
	return clean;
}

/* Percent-encode what a browser would before resolving an href: blanks, controls, non-ASCII
 * and the few characters RFC 3986 never allows. */
static char *escape_href(const char *href)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = BUF_INIT;

	for (const unsigned char *c = (const unsigned char *)href; *c; c++) {
		if (*c <= 0x20 || *c >= 0x7f || strchr("\"<>\\^`{|}", *c)) {
			buf_putc(&b, '%');
			buf_putc(&b, hex[*c >> 4]);
			buf_putc(&b, hex[*c & 15]);
		} else {
			buf_putc(&b, (char)*c);
		}
	}
	return buf_steal(&b);
}

/* href resolved against base; NULL when it does not make an http(s) URL. */
static char *resolve(const char *href, const xmlChar *base)
{
	xmlChar *abs = NULL;
	char *out = NULL;

	if (href[0] == '#') /* libxml2 2.9 drops the base's query here; RFC 3986 keeps it */
		abs = xmlStrcat(xmlStrndup(base, (int)strcspn((const char *)base, "#")),
				BAD_CAST href);
	else
		abs = xmlBuildURI(BAD_CAST href, base);
	if (abs == NULL) {
		char *esc = escape_href(href);
		abs = xmlBuildURI(BAD_CAST esc, base);
		free(esc);
	}
	if (abs && (strncasecmp((const char *)abs, "http://", 7) == 0 ||
		    strncasecmp((const char *)abs, "https://", 8) == 0)) {
		out = xstrdup((const char *)abs);
		/* Scheme and host are case-insensitive: one spelling, so the id is stable. */
		for (char *c = out; *c && *c != '/' && *c != '?' && *c != '#'; c++)
			*c = (char)tolower((unsigned char)*c);
		for (char *c = strstr(out, "//") + 2; *c && *c != '/' && *c != '?' && *c != '#';
		     c++)
			*c = (char)tolower((unsigned char)*c);
	}
	xmlFree(abs);
	return out;
}

/* The page URL, or the page's <base href> resolved against it. */
static xmlChar *page_base(struct html_page *pg, const char *page_url)
{
	static const char base_expr[] = "string((//base/@href)[1])";
	xmlChar *base = xmlStrdup(BAD_CAST page_url);
	xmlXPathCompExprPtr comp = xmlXPathCtxtCompile(pg->ctx, BAD_CAST base_expr);
	xmlXPathObjectPtr res =
	    comp ? eval_at(pg->ctx, &pg->xerr, comp, (xmlNodePtr)pg->doc) : NULL;
	char *href = res ? source_clean((const char *)res->stringval) : NULL;

	if (href) {
		char *abs = resolve(href, base);
		if (abs) {
			xmlFree(base);
			base = xmlStrdup(BAD_CAST abs);
			free(abs);
		}
	}
	free(href);
	xmlXPathFreeObject(res);
	xmlXPathFreeCompExpr(comp);
	return base;
}

/* Pay from the pay expression's text, else from the item's text. */
static void set_pay(struct posting *p, const char *pay_text, const char *text)
{
	if (!(pay_text && source_pay_from_text(p, pay_text, "html:pay")))
		source_pay_from_text(p, text, "text");
	if (p->nranges == 0 && pay_is_set(&p->pay))
		posting_add_range(p, NULL, &p->pay);
}

/* True when link leads back to the page itself ("", "#", "?"): it names no posting. */
static bool is_page_itself(const char *link, const xmlChar *base)
{
	size_t n = strcspn(link, "#"), b = strcspn((const char *)base, "#");

	if (link[n] == '#' && link[n + 1] != '\0')
		return false; /* "#job-12": one posting of a one-page list */
	return n == b && strncmp(link, (const char *)base, n) == 0;
}

/* One item: a posting, or a drop when it has no title or no usable link (or id). */
static void parse_item(struct html_page *pg, xmlNodePtr item)
{
	char *title = NULL, *href = NULL, *link = NULL, *id = NULL;

	if (item->type != XML_ELEMENT_NODE) {
		pg->out->dropped++;
		return;
	}
	title = field_text(pg, F_TITLE, item);
	href = field_text(pg, F_LINK, item);
	if (href && (link = resolve(href, pg->base)) != NULL && is_page_itself(link, pg->base)) {
		free(link);
		link = NULL;
	}
	if (pg->expr[F_ID])
		id = field_text(pg, F_ID, item);
	if (pg->failed || title == NULL || link == NULL || (pg->expr[F_ID] && id == NULL)) {
		pg->out->dropped += !pg->failed;
		free(title);
		free(href);
		free(link);
		free(id);
		return;
	}
	struct posting *p = posting_list_add(pg->out);
	p->title = title;
	p->url = source_url_strip_tracking(link);
	p->external_id = id ? id : xstrdup(p->url);
	p->location = field_text(pg, F_LOCATION, item);
	p->department = field_text(pg, F_DEPARTMENT, item);
	char *pay_text = field_text(pg, F_PAY, item);
	char *text = html_node_text(item);
	if (!charge_text(pg, text)) {
		free(text);
		free(pay_text);
		free(href);
		free(link);
		return;
	}
	set_pay(p, pay_text, text);
	source_set_digest(p, text);
	free(text);
	free(pay_text);
	free(href);
	free(link);
}

/* The page's <title>, made safe to quote in a log line; "" when there is none. */
static void quote_title(struct html_page *pg, char *out, size_t outlen)
{
	xmlXPathCompExprPtr comp = xmlXPathCtxtCompile(pg->ctx, BAD_CAST "string((//title)[1])");
	xmlXPathObjectPtr res =
	    comp ? eval_at(pg->ctx, &pg->xerr, comp, (xmlNodePtr)pg->doc) : NULL;
	char *t = res ? source_clean((const char *)res->stringval) : NULL;
	size_t n = 0;

	for (const char *c = t; c && *c && n + 1 < outlen && n < HTML_SOURCE_TITLE_QUOTE; c++)
		out[n++] = (*c >= 0x20 && *c < 0x7f && *c != '"' && *c != '\\') ? *c : ' ';
	out[n] = '\0';
	free(t);
	xmlXPathFreeObject(res);
	xmlXPathFreeCompExpr(comp);
}

static int no_items(struct html_page *pg, const struct source_target *src)
{
	char title[HTML_SOURCE_TITLE_QUOTE + 1];

	if (src->allow_empty)
		return 0;
	quote_title(pg, title, sizeof(title));
	if (*title)
		snprintf(pg->err, pg->errlen, "item XPath matched nothing (page title \"%s\")",
			 title);
	else
		snprintf(pg->err, pg->errlen, "item XPath matched nothing");
	return -1;
}

static int parse_items(struct html_page *pg, const struct source_target *src)
{
	xmlXPathObjectPtr res = eval_at(pg->ctx, &pg->xerr, pg->expr[F_ITEM], (xmlNodePtr)pg->doc);
	size_t before = pg->out->len, dropped = pg->out->dropped;
	int rc = 0;

	if (res == NULL) {
		snprintf(pg->err, pg->errlen, "item XPath failed: %s",
			 xpath_error_text(pg->xerr.code));
		return -1;
	}
	if (res->type != XPATH_NODESET) {
		snprintf(pg->err, pg->errlen, "item XPath must select elements");
		rc = -1;
	} else if (res->nodesetval == NULL || res->nodesetval->nodeNr == 0) {
		rc = no_items(pg, src);
	} else {
		int n = res->nodesetval->nodeNr;
		for (int i = 0; i < n && !pg->failed; i++)
			parse_item(pg, res->nodesetval->nodeTab[i]);
		if (pg->failed) {
			rc = -1;
		} else if (pg->out->len == before) {
			/* Every item lost its title or link: the layout moved under the
			 * expressions. Closing the whole board on that would be wrong. */
			snprintf(pg->err, pg->errlen,
				 "item XPath matched %d elements but none had a title and a link",
				 n);
			rc = -1;
		}
	}
	if (rc < 0) {
		while (pg->out->len > before)
			posting_list_pop(pg->out);
		pg->out->dropped = dropped;
	}
	xmlXPathFreeObject(res);
	return rc;
}

static int html_parse(const struct source_target *src, struct source_walk *w, const char *body,
		      size_t len, struct posting_list *out, struct source_request *next, char *err,
		      size_t errlen)
{
	struct html_page pg = {.src = src, .out = out, .err = err, .errlen = errlen};
	int rc = -1;

	(void)next; /* one page: the list a careers page shows */
	if (body && !html_tree_fits(body, len)) {
		snprintf(err, errlen, "page has " HTML_TREE_REFUSED);
		return -1;
	}
	if ((pg.doc = read_html(body, len)) == NULL) {
		snprintf(err, errlen, "empty page");
		return -1;
	}
	pg.ctx = new_context(pg.doc, &pg.xerr);
	pg.ctx->opLimit = HTML_SOURCE_OPS_BASE + HTML_SOURCE_OPS_PER_BYTE * len;
	if (compile_all(src, &pg) == 0) {
		pg.base = page_base(&pg, w->page_url ? w->page_url : src->url ? src->url : "");
		rc = parse_items(&pg, src);
	}
	for (int f = 0; f < F_COUNT; f++)
		xmlXPathFreeCompExpr(pg.expr[f]);
	xmlFree(pg.base);
	xmlXPathFreeContext(pg.ctx);
	xmlFreeDoc(pg.doc);
	return rc;
}

/* The config keys: checked when the configuration is loaded, so that an expression that
 * does not compile or run fails --check-config rather than every poll. */
static bool check_item(const char *expr, char *err, size_t errlen)
{
	return source_html_xpath_check(expr, true, err, errlen);
}

static bool check_expr(const char *expr, char *err, size_t errlen)
{
	return source_html_xpath_check(expr, false, err, errlen);
}

#define HTML_XPATH_KEY(key, field, chk)                                                            \
	{                                                                                          \
		.name = key, .kind = SOURCE_KEY_STRING,                                            \
		.offset = offsetof(struct source_target, field), .check = chk, .what = "XPath"     \
	}

static const struct source_key html_keys[] = {
    {.name = "item",
     .kind = SOURCE_KEY_STRING,
     .offset = offsetof(struct source_target, xpath_item),
     .needs = "an XPath expression that selects each posting's element (e.g. item = "
	      "\"//ul[@class='jobs']/li\";)",
     .check = check_item,
     .what = "XPath"},
    HTML_XPATH_KEY("title", xpath_title, check_expr),
    HTML_XPATH_KEY("link", xpath_link, check_expr),
    HTML_XPATH_KEY("location", xpath_location, check_expr),
    HTML_XPATH_KEY("department", xpath_department, check_expr),
    HTML_XPATH_KEY("pay", xpath_pay, check_expr),
    HTML_XPATH_KEY("id", xpath_id, check_expr),
    {.name = "allow_empty",
     .kind = SOURCE_KEY_BOOL,
     .offset = offsetof(struct source_target, allow_empty)},
    {.name = NULL},
};

const struct source_adapter source_html = {
    .type = "html",
    .keys = html_keys,
    .first = source_first_url,
    .parse = html_parse,
};
