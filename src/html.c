/* html.c - HTML to plain text for descriptions, and entity decoding on its own. libxml2's
 * recovering HTML parser does the tag soup; this file owns what "visible text" means: script
 * and style dropped, a newline around block elements, blanks folded, NBSP read as a blank,
 * blank lines dropped, so that the text (and its digest) does not move when only markup or
 * indentation does. The tree is walked without recursion: page markup can nest deeper than
 * any stack we want to promise. Pure: no I/O, and libxml2's error printing is switched off. */
#include "html.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "util.h"

#define HTML_PARSE_FLAGS                                                                           \
	(HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_RECOVER)

/* Elements whose text is not shown to a reader. */
static const char *const hidden_tags[] = {
    "script", "style", "head", "noscript", "template", "iframe", "object", "svg",
};

/* Elements that start a new line of text. */
static const char *const block_tags[] = {
    "address", "article", "aside", "blockquote", "br",	       "caption", "dd",	     "details",
    "div",     "dl",	  "dt",	   "fieldset",	 "figcaption", "figure",  "footer",  "form",
    "h1",      "h2",	  "h3",	   "h4",	 "h5",	       "h6",	  "header",  "hr",
    "li",      "main",	  "nav",   "ol",	 "p",	       "pre",	  "section", "summary",
    "table",   "tbody",	  "thead", "tfoot",	 "tr",	       "ul",	  "title",
};

/* Table cells are separated by a blank, not a line. */
static const char *const cell_tags[] = {"td", "th"};

static bool tag_in(const xmlNode *n, const char *const *tags, size_t ntags)
{
	const char *name = (const char *)n->name;

	if (name == NULL)
		return false;
	for (size_t i = 0; i < ntags; i++)
		if (strcasecmp(name, tags[i]) == 0)
			return true;
	return false;
}

static void put_separator(struct buf *b, const xmlNode *n)
{
	if (n->type != XML_ELEMENT_NODE)
		return;
	if (tag_in(n, block_tags, UTIL_ARRAY_LEN(block_tags)))
		buf_putc(b, '\n');
	else if (tag_in(n, cell_tags, UTIL_ARRAY_LEN(cell_tags)))
		buf_putc(b, ' ');
}

/* Depth-first walk through parent/next links, so garbage nesting cannot exhaust the stack.
 * A block element puts a newline before its text and another after it. */
static void collect_text(const xmlNode *root, struct buf *raw)
{
	const xmlNode *n = root;

	while (n) {
		bool descend = false;

		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			/* Line breaks in the source are blanks to a reader; only markup breaks. */
			for (const xmlChar *c = n->content; c && *c; c++)
				buf_putc(raw, *c == '\n' ? ' ' : (char)*c);
		} else if (n->type == XML_ELEMENT_NODE) {
			if (!tag_in(n, hidden_tags, UTIL_ARRAY_LEN(hidden_tags))) {
				put_separator(raw, n);
				descend = n->children != NULL;
			}
		} else if (n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE) {
			descend = n->children != NULL;
		}
		if (descend) {
			n = n->children;
			continue;
		}
		/* n is done: close it, then its ancestors that have no next sibling. */
		for (;;) {
			put_separator(raw, n);
			if (n == root) {
				n = NULL;
				break;
			}
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
		}
	}
}

static bool is_blank(const char *s, size_t *width)
{
	unsigned char c = (unsigned char)s[0];

	if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
		*width = 1;
		return true;
	}
	if (c == 0xc2 && (unsigned char)s[1] == 0xa0) { /* U+00A0 NO-BREAK SPACE */
		*width = 2;
		return true;
	}
	*width = 1;
	return false;
}

/* Fold runs of blanks to one space, trim every line and drop empty lines. */
static char *fold_text(const char *s, size_t len)
{
	struct buf out = BUF_INIT;
	bool pending_space = false, line_has_text = false;
	size_t i = 0, w;

	while (i < len) {
		if (s[i] == '\n') {
			if (line_has_text)
				buf_putc(&out, '\n');
			line_has_text = pending_space = false;
			i++;
		} else if (is_blank(s + i, &w)) {
			pending_space = line_has_text;
			i += w;
		} else {
			if (pending_space)
				buf_putc(&out, ' ');
			pending_space = false;
			line_has_text = true;
			buf_putc(&out, s[i++]);
		}
	}
	while (out.len && out.data[out.len - 1] == '\n')
		out.data[--out.len] = '\0';
	return buf_steal(&out);
}

char *html_to_text(const char *html, size_t len)
{
	if (html == NULL || len == 0 || len > INT_MAX)
		return xstrdup("");
	htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8", HTML_PARSE_FLAGS);
	if (doc == NULL)
		return xstrdup("");

	struct buf raw = BUF_INIT;
	collect_text((const xmlNode *)doc, &raw);
	xmlFreeDoc(doc);
	char *text = fold_text(raw.data ? raw.data : "", raw.len);
	buf_free(&raw);
	return text;
}

char *html_node_text(const struct _xmlNode *node)
{
	struct buf raw = BUF_INIT;

	if (node)
		collect_text(node, &raw);
	char *text = fold_text(raw.data ? raw.data : "", raw.len);
	buf_free(&raw);
	return text;
}

static void put_utf8(struct buf *b, uint32_t cp)
{
	char u[4];

	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd; /* what a browser shows for a broken reference */
	if (cp < 0x80) {
		buf_putc(b, (char)cp);
		return;
	}
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		buf_append(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		buf_append(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		buf_append(b, u, 4);
	}
}

/* Decode one reference at s[0] == '&'; the bytes it used, or 0 when it is not one. */
static size_t decode_entity(const char *s, size_t len, struct buf *out)
{
	size_t i = 1;
	uint32_t cp = 0;

	if (i < len && s[i] == '#') {
		bool hex = ++i < len && (s[i] == 'x' || s[i] == 'X');
		size_t digits = 0;

		i += hex;
		for (; i < len && digits < 8; i++, digits++) {
			char c = s[i];
			int d;

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				break;
			cp = cp * (hex ? 16 : 10) + (uint32_t)d;
		}
		if (digits == 0 || i >= len || s[i] != ';')
			return 0;
		put_utf8(out, cp);
		return i + 1;
	}

	char name[32];
	size_t n = 0;

	while (i < len && n < sizeof(name) - 1 &&
	       ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		(s[i] >= '0' && s[i] <= '9')))
		name[n++] = s[i++];
	name[n] = '\0';
	if (n == 0 || i >= len || s[i] != ';')
		return 0;
	const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
	if (e == NULL)
		return 0;
	put_utf8(out, e->value);
	return i + 1;
}

char *html_unescape(const char *s, size_t len)
{
	struct buf out = BUF_INIT;
	size_t i = 0;

	if (s == NULL)
		return xstrdup("");
	while (i < len) {
		const char *amp = memchr(s + i, '&', len - i);
		size_t plain = amp ? (size_t)(amp - (s + i)) : len - i;

		buf_append(&out, s + i, plain);
		i += plain;
		if (i >= len)
			break;
		size_t used = decode_entity(s + i, len - i, &out);
		if (used == 0) {
			buf_putc(&out, '&');
			used = 1;
		}
		i += used;
	}
	return buf_steal(&out);
}
