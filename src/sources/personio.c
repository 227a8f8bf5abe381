/* personio.c - Personio's public XML feed (X.jobs.personio.de/xml, or .com): one page,
 * <workzag-jobs><position>…</position>…</workzag-jobs>. Owns the mapping of a position to a
 * posting and the reading of untrusted XML: libxml2 parses without the network, without
 * loading a DTD and without substituting entities, at its default depth and size limits, and
 * text is taken only from text and CDATA nodes, so an entity a feed declares is never
 * expanded. The link is built on the feed's own host as /job/<id>. Personio states no pay
 * field; pay is whatever the job descriptions say. Pure: no I/O. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "html.h"
#include "source_common.h"
#include "url.h"
#include "util.h"

#define PERSONIO_ENVELOPE "a Personio XML feed (<workzag-jobs>)"
/* No XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE: entities stay unexpanded,
 * nothing is fetched, and libxml2 keeps its depth and length limits. */
#define PERSONIO_PARSE_FLAGS                                                                       \
	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA)

static bool is_element(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The text and CDATA directly inside n; entity references are skipped, never expanded. */
static char *node_text(const xmlNode *n)
{
	struct buf b = BUF_INIT;

	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			buf_puts(&b, (const char *)c->content);
	return buf_steal(&b);
}

/* The cleaned text of n's first child element called name, or NULL. */
static char *child_text(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (is_element(c, name)) {
			char *raw = node_text(c);
			char *clean = source_clean(raw);
			free(raw);
			return clean;
		}
	return NULL;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (is_element(c, name))
			return c;
	return NULL;
}

/* Append an office to a "; "-separated list unless it is there already. */
static void add_office(struct buf *b, const xmlNode *office)
{
	if (b->len >= SOURCE_MAX_TEXT)
		return;
	char *raw = node_text(office);
	char *name = source_clean(raw);

	free(raw);
	if (name)
		source_add_unique(b, name, "; ");
	free(name);
}

/* office, then each of additionalOffices: "Munich; Berlin". */
static char *location_of(const xmlNode *pos)
{
	struct buf b = BUF_INIT;
	const xmlNode *more = child(pos, "additionalOffices");

	for (const xmlNode *c = pos->children; c; c = c->next)
		if (is_element(c, "office"))
			add_office(&b, c);
	for (const xmlNode *c = more ? more->children : NULL; c; c = c->next)
		if (is_element(c, "office"))
			add_office(&b, c);
	return b.len ? buf_steal(&b) : NULL;
}

/* Each jobDescription as its heading and its HTML value made text, in feed order. */
static char *description_text(const xmlNode *pos)
{
	const xmlNode *descs = child(pos, "jobDescriptions");
	struct buf b = BUF_INIT;

	for (const xmlNode *d = descs ? descs->children : NULL; d; d = d->next) {
		if (!is_element(d, "jobDescription"))
			continue;
		char *name = child_text(d, "name");
		char *html = node_text(child(d, "value"));
		char *text = html_to_text(html, strlen(html));
		if (name)
			buf_printf(&b, "%s%s", b.len ? "\n" : "", name);
		if (text[0])
			buf_printf(&b, "%s%s", b.len ? "\n" : "", text);
		free(name);
		free(html);
		free(text);
	}
	char *text = source_fold_text(b.data, b.len);
	buf_free(&b);
	return text;
}

static void parse_position(const xmlNode *pos, const char *origin, struct posting_list *out)
{
	char *id = child_text(pos, "id");
	char *title = child_text(pos, "name");
	struct posting *seen, *p = source_posting_add_once(out, id, title, &seen);

	if (p == NULL) /* dropped, or the same position twice: the first is kept */
		return;
	p->department = child_text(pos, "department");
	if (p->department == NULL)
		p->department = child_text(pos, "recruitingCategory");
	p->location = location_of(pos);
	if (origin)
		p->url = xasprintf("%s/job/%s", origin, p->external_id);

	char *text = description_text(pos);
	source_set_digest(p, text);
	source_pay_from_text(p, text, "text");
	free(text);
}

/* What a body that is surely no feed is: "an empty body", "JSON", "HTML"; NULL otherwise. */
static const char *not_xml(const char *body, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)body[i]))
		i++;
	if (i == len)
		return "an empty body";
	if (body[i] == '{' || body[i] == '[')
		return "JSON";
	if ((len - i >= 5 && strncasecmp(body + i, "<html", 5) == 0) ||
	    (len - i >= 14 && strncasecmp(body + i, "<!DOCTYPE html", 14) == 0))
		return "HTML";
	return NULL;
}

static void parse_error(xmlParserCtxtPtr ctxt, char *err, size_t errlen)
{
	const char *msg = ctxt->lastError.message ? ctxt->lastError.message : "unknown error";
	size_t n = strcspn(msg, "\n");

	snprintf(err, errlen, "expected " PERSONIO_ENVELOPE ", found invalid XML at line %d: %.*s",
		 ctxt->lastError.line, (int)(n < 80 ? n : 80), msg);
}

static int personio_parse(const struct source_target *src, struct source_walk *w, const char *body,
			  size_t len, struct posting_list *out, struct source_request *next,
			  char *err, size_t errlen)
{
	const char *found = not_xml(body ? body : "", body ? len : 0);
	xmlDocPtr doc = NULL;

	if (found == NULL && len > INT_MAX)
		found = "a body too large to parse";
	if (found == NULL && !html_tree_fits(body, len))
		found = "XML of " HTML_TREE_REFUSED;
	if (found) {
		snprintf(err, errlen, "expected " PERSONIO_ENVELOPE ", found %s", found);
		return -1;
	}
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		fatal("out of memory");
	doc = xmlCtxtReadMemory(ctxt, body, (int)len, NULL, NULL, PERSONIO_PARSE_FLAGS);
	const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (root == NULL) {
		parse_error(ctxt, err, errlen);
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(ctxt);
		return -1;
	}
	if (!is_element(root, "workzag-jobs")) {
		snprintf(err, errlen, "expected " PERSONIO_ENVELOPE ", found <%.40s>",
			 (const char *)root->name);
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(ctxt);
		return -1;
	}
	char *origin = source_url_origin(w->page_url ? w->page_url : src->url);
	for (const xmlNode *c = root->children; c; c = c->next)
		if (is_element(c, "position"))
			parse_position(c, origin, out);
	free(origin);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return 0;
}

/* COMPANY.jobs.personio.de or .com, its feed at /xml. */
static bool personio_recognise(const char *url, const struct url_parts *u, char **api_url)
{
	char c[URL_MAX_NAME];

	if (!url_host_under(u, "jobs.personio.de", 1, c, sizeof(c)) &&
	    !url_host_under(u, "jobs.personio.com", 1, c, sizeof(c)))
		return false;
	*api_url = url_seg_is(u, 0, "xml") ? xstrdup(url) : xasprintf("https://%s/xml", u->host);
	return true;
}

const struct source_adapter source_personio = {
    .type = "personio",
    .first = source_first_url,
    .parse = personio_parse,
    .board = {"https://", ".jobs.personio.de/xml"},
    .recognise = personio_recognise,
};
