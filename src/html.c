/* html.c - HTML to plain text for descriptions, and entity decoding on its own. libxml2's
 * recovering HTML parser does the tag soup; this file owns what "visible text" means: script
 * and style dropped, a newline around block elements, blanks folded, NBSP read as a blank,
 * blank lines dropped, so that the text (and its digest) does not move when only markup or
 * indentation does. A description is read from a parser's SAX events, with no tree built
 * (that was half of the time of a cold ingest): libxml2's XML parser where the markup is
 * well-formed (its void elements closed) and the HTML parser would read it alike, the HTML
 * parser otherwise (see
 * html_text_as_xml); a node of a tree the html source already has is walked without
 * recursion, since page markup can nest deeper than any stack we want to promise. All three
 * give the same text for the same markup (tests/unit/test_html.c and tests/fuzz/fuzz_html.c
 * check it). Pure: no I/O, and libxml2's error printing is switched off; the parser contexts
 * kept between calls are for one thread, as one thread runs jobwatchd. */
#include "html.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/entities.h>
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include "buf.h"
#include "util.h"

#define HTML_PARSE_FLAGS                                                                           \
	(HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_RECOVER)

enum html_kind { HTML_INLINE, HTML_HIDDEN, HTML_BLOCK, HTML_CELL };

/* What an element does to the text: hidden (not shown to a reader), block (starts a new
 * line), cell (a blank between table cells) or inline. libxml2's HTML parser gives element
 * names in lower case; the table is sorted, and looked up from the first entry with the
 * name's first letter (html_kind_from), since this runs twice per element of every
 * description. */
struct html_kind_entry {
	const char *name;
	enum html_kind kind;
};

static const struct html_kind_entry html_kinds[] = {
    {"address", HTML_BLOCK},	{"article", HTML_BLOCK}, {"aside", HTML_BLOCK},
    {"blockquote", HTML_BLOCK}, {"br", HTML_BLOCK},	 {"caption", HTML_BLOCK},
    {"dd", HTML_BLOCK},		{"details", HTML_BLOCK}, {"div", HTML_BLOCK},
    {"dl", HTML_BLOCK},		{"dt", HTML_BLOCK},	 {"fieldset", HTML_BLOCK},
    {"figcaption", HTML_BLOCK}, {"figure", HTML_BLOCK},	 {"footer", HTML_BLOCK},
    {"form", HTML_BLOCK},	{"h1", HTML_BLOCK},	 {"h2", HTML_BLOCK},
    {"h3", HTML_BLOCK},		{"h4", HTML_BLOCK},	 {"h5", HTML_BLOCK},
    {"h6", HTML_BLOCK},		{"head", HTML_HIDDEN},	 {"header", HTML_BLOCK},
    {"hr", HTML_BLOCK},		{"iframe", HTML_HIDDEN}, {"li", HTML_BLOCK},
    {"main", HTML_BLOCK},	{"nav", HTML_BLOCK},	 {"noscript", HTML_HIDDEN},
    {"object", HTML_HIDDEN},	{"ol", HTML_BLOCK},	 {"p", HTML_BLOCK},
    {"pre", HTML_BLOCK},	{"script", HTML_HIDDEN}, {"section", HTML_BLOCK},
    {"style", HTML_HIDDEN},	{"summary", HTML_BLOCK}, {"svg", HTML_HIDDEN},
    {"table", HTML_BLOCK},	{"tbody", HTML_BLOCK},	 {"td", HTML_CELL},
    {"template", HTML_HIDDEN},	{"tfoot", HTML_BLOCK},	 {"th", HTML_CELL},
    {"thead", HTML_BLOCK},	{"title", HTML_BLOCK},	 {"tr", HTML_BLOCK},
    {"ul", HTML_BLOCK},
};

/* html_kind_from[c - 'a']: the first entry whose name starts with c or a later letter. */
static unsigned char html_kind_from[27];

static void html_kind_index(void)
{
	size_t e = 0;

	for (int c = 'a'; c <= 'z' + 1; c++) {
		while (e < UTIL_ARRAY_LEN(html_kinds) && html_kinds[e].name[0] < c)
			e++;
		html_kind_from[c - 'a'] = (unsigned char)e;
	}
}

static enum html_kind kind_of_name(const char *name)
{
	char lower[16];
	size_t i;

	if (name == NULL)
		return HTML_INLINE;
	for (i = 0; name[i] && i < sizeof(lower) - 1; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	if (name[i])
		return HTML_INLINE; /* longer than any name in the table */
	lower[i] = '\0';
	if (lower[0] < 'a' || lower[0] > 'z')
		return HTML_INLINE;
	if (html_kind_from[26] == 0)
		html_kind_index();
	for (size_t e = html_kind_from[lower[0] - 'a']; e < html_kind_from[lower[0] - 'a' + 1]; e++)
		if (strcmp(lower, html_kinds[e].name) == 0)
			return html_kinds[e].kind;
	return HTML_INLINE;
}

static enum html_kind kind_of(const xmlNode *n)
{
	return kind_of_name((const char *)n->name);
}

static void put_kind_separator(struct buf *b, enum html_kind kind)
{
	if (kind == HTML_BLOCK)
		buf_putc(b, '\n');
	else if (kind == HTML_CELL)
		buf_putc(b, ' ');
}

/* Text as it comes: line breaks in the source are blanks to a reader; only markup breaks. */
static void put_text(struct buf *b, const char *s, size_t len)
{
	size_t from = b->len;

	buf_append(b, s, len);
	for (char *c = memchr(b->data + from, '\n', len); c;
	     c = memchr(c + 1, '\n', (size_t)(b->data + b->len - (c + 1))))
		*c = ' ';
}

static void put_separator(struct buf *b, const xmlNode *n)
{
	if (n->type == XML_ELEMENT_NODE)
		put_kind_separator(b, kind_of(n));
}

/* Depth-first walk through parent/next links, so garbage nesting cannot exhaust the stack.
 * A block element puts a newline before its text and another after it. */
static void collect_text(const xmlNode *root, struct buf *raw)
{
	const xmlNode *n = root;

	while (n) {
		bool descend = false;

		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				put_text(raw, (const char *)n->content,
					 strlen((const char *)n->content));
		} else if (n->type == XML_ELEMENT_NODE) {
			if (kind_of(n) != HTML_HIDDEN) {
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

/* How html_fold_text reads a byte: part of a word, a blank, a line break, or the lead byte of
 * U+00A0 NO-BREAK SPACE (a blank too) when 0xa0 follows. */
enum { FOLD_WORD, FOLD_BLANK, FOLD_NEWLINE, FOLD_C2 };
static const unsigned char fold_class[256] = {
    [' '] = FOLD_BLANK,	 ['\t'] = FOLD_BLANK,	['\r'] = FOLD_BLANK, ['\f'] = FOLD_BLANK,
    ['\v'] = FOLD_BLANK, ['\n'] = FOLD_NEWLINE, [0xc2] = FOLD_C2,
};

/* Whether the 8 bytes at p go out as they are from inside a word: none below 0x0e (a tab, a
 * line break, a control byte), none 0xc2 (NBSP's lead byte) and no two spaces together; a
 * space at the end is the caller's to judge, as it depends on the byte after. Each test finds
 * whether any byte matches (the zero-byte tests of "Bit Twiddling Hacks"), exactly; the space
 * test needs where they are, so it uses the exact per-byte form. */
static bool fold_plain8(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t x, c2, sp, at;

	memcpy(&x, p, sizeof(x));
	if ((x - ones * 0x0e) & ~x & highs)
		return false;
	c2 = x ^ (ones * 0xc2);
	if ((c2 - ones) & ~c2 & highs)
		return false;
	sp = x ^ (ones * ' ');
	at = ~(((sp & ~highs) + ~highs) | sp) & highs; /* the high bit of each space */
	return (at & (at >> 8)) == 0;
}

/* Fold runs of blanks to one space, trim every line and drop empty lines. The text only
 * shrinks (a space stands for at least one blank byte), so it is written in place of a copy
 * sized once, a word at a time: this runs over every description two or three times. */
char *html_fold_text(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	char *out = xmalloc(len + 1);
	bool pending_space = false, line_has_text = false;
	size_t i = 0, n = 0;

	while (i < len) {
		switch (fold_class[u[i]]) {
		case FOLD_NEWLINE:
			if (line_has_text)
				out[n++] = '\n';
			line_has_text = pending_space = false;
			i++;
			continue;
		case FOLD_BLANK:
			pending_space = line_has_text;
			i++;
			continue;
		case FOLD_C2:
			if (i + 1 < len && u[i + 1] == 0xa0) {
				pending_space = line_has_text;
				i += 2;
				continue;
			}
			break;
		default:
			break;
		}
		if (pending_space)
			out[n++] = ' ';
		pending_space = false;
		line_has_text = true;
		/* a word, and the words after it that one plain space separates: eight bytes at
		 * a time while nothing in them needs folding, as in most of a description */
		out[n++] = s[i++];
		while (i < len) {
			if (i + 8 < len && fold_plain8(u + i) &&
			    (u[i + 7] != ' ' || fold_class[u[i + 8]] == FOLD_WORD)) {
				memcpy(out + n, s + i, 8);
				n += 8;
				i += 8;
			} else if (fold_class[u[i]] == FOLD_WORD) {
				out[n++] = s[i++];
			} else if (u[i] == ' ' && i + 1 < len &&
				   fold_class[u[i + 1]] == FOLD_WORD) {
				out[n++] = ' ';
				out[n++] = s[i + 1];
				i += 2;
			} else {
				break;
			}
		}
	}
	while (n > 0 && out[n - 1] == '\n')
		n--;
	out[n] = '\0';
	return out;
}

/* The SAX reader's state: the text so far, how many elements are open and how deep inside a
 * hidden one it is (the parser balances every start with an end, closing what the markup left
 * open). Text outside any element is dropped, as the tree builder drops it: the digests of
 * the postings stored before this reader must not move. */
struct sax_text {
	struct buf raw;
	size_t open;
	size_t hidden;
};

static void sax_start(void *ud, const xmlChar *name, const xmlChar **attrs)
{
	struct sax_text *t = ud;
	enum html_kind kind = kind_of_name((const char *)name);

	(void)attrs;
	t->open++;
	if (t->hidden > 0 || kind == HTML_HIDDEN)
		t->hidden++;
	else
		put_kind_separator(&t->raw, kind);
}

static void sax_end(void *ud, const xmlChar *name)
{
	struct sax_text *t = ud;

	if (t->open > 0)
		t->open--;
	if (t->hidden > 0)
		t->hidden--;
	else
		put_kind_separator(&t->raw, kind_of_name((const char *)name));
}

static void sax_characters(void *ud, const xmlChar *s, int len)
{
	struct sax_text *t = ud;

	if (t->open > 0 && t->hidden == 0 && len > 0)
		put_text(&t->raw, (const char *)s, (size_t)len);
}

/* No error, warning or comment handler: the parser says nothing and recovers. */
static const htmlSAXHandler sax_text_handler = {
    .startElement = sax_start,
    .endElement = sax_end,
    .characters = sax_characters,
    .ignorableWhitespace = sax_characters,
    .cdataBlock = sax_characters,
    .initialized = 1,
};

/* One parser context for every description: making and freeing one (its dictionary, input
 * and stacks) cost about as much as parsing a short list item. Its dictionary keeps the
 * names it has seen, so it is made afresh once that holds HTML_CTXT_NAMES of them: markup
 * that invents names cannot grow it without end. */
#define HTML_CTXT_NAMES 4096
static htmlParserCtxtPtr html_ctxt;

static void put_utf8(struct buf *b, uint32_t cp);

/* The text of markup read by libxml2's HTML parser, unfolded, into raw. */
static void html_read(const char *html, size_t len, struct buf *raw)
{
	struct sax_text t = {.raw = *raw};

	if (html_ctxt && (int)xmlDictSize(html_ctxt->dict) > HTML_CTXT_NAMES) {
		htmlFreeParserCtxt(html_ctxt);
		html_ctxt = NULL;
	}
	if (html_ctxt == NULL && (html_ctxt = htmlNewParserCtxt()) == NULL)
		return;
	*html_ctxt->sax = sax_text_handler;
	html_ctxt->userData = &t;
	/* the bytes are UTF-8 whatever a <meta> says; the SAX handler builds no document */
	xmlFreeDoc(htmlCtxtReadMemory(html_ctxt, html, (int)len, NULL, "UTF-8", HTML_PARSE_FLAGS));
	html_ctxt->userData = NULL;
	*raw = t.raw;
}

/* Markup that is well-formed XML is read by libxml2's XML parser, whose character loop is
 * about five times as fast as the HTML parser's, which decodes and checks every character on
 * its own (a 1.8 KB list of paragraphs: 12.9 us by the HTML parser, 2.5 us by the XML one). It must
 * give the HTML parser's text to the byte, or a posting's digest would depend on which parser read
 * it; so it is used only where the two parsers report the same elements and text, and gives up, for
 * the HTML parser to read the whole again, at the first sign they might not. A void element's
 * start tag left open ("<br>", "<BR >", "<img src=\"x\">"), which the HTML parser ends at once,
 * is written self-closing in the XML parser's input (xml_copy_markup), so that the XML parser
 * too reports its start and its end together; it gives up on:
 * - anything that is not well-formed XML once that is done (an unclosed <li>, an unknown
 *   entity, a bare '&', attributes without quotes, a stray end tag, bytes that are not UTF-8
 *   or not XML);
 * - a void element's end tag ("</br>", which the HTML parser drops), or a void start tag
 *   xml_copy_markup does not read to its end as XML ("<br/ >", an attribute without a value);
 * - a carriage return (XML reads CR LF as one line break, HTML as two blanks), a byte-order
 *   mark, CDATA or a processing instruction: not even tried, whatever void tags they hold
 *   (one in an attribute value is not XML, one in script or style is in an element apart);
 * - a start tag that would make the HTML parser close the element it is in first (its
 *   htmlStartClose table, asked through htmlAutoCloseTag: <p> in <p>, <div> in <p>, <td> in
 *   <a>), or an element the HTML parser treats apart: html, head and body, what it moves
 *   into an implied head (script, style, meta, link, title, base), frames;
 * - content inside a void element (<br>x</br>: HTML ends the br at once);
 * - text before the first element (HTML wraps it in an implied <p>), or an element or
 *   attribute name the HTML parser reads differently (a byte outside [A-Za-z0-9:_.-]).
 * Entities are HTML's: the XML parser asks for any it does not know, and gets libxml2's HTML
 * entity table. Element names are compared in lower case, as the HTML parser gives them. Of the
 * real fixtures' markup this path reads all 154 Greenhouse descriptions and all 1547 Lever
 * descriptions, lists and closings (67 and 1162 while a <br> kept it away), and 1740 of the
 * 1753 strings of markup of every source; markup that fails at its very end (a truncated
 * description) costs about 30% more than the HTML parser alone. tests/unit/test_html.c holds
 * it to the HTML parser's text on every description of the fixtures and on generated markup. */
#define XML_WRAP_OPEN  "<jobwatch-text>"
#define XML_WRAP_CLOSE "</jobwatch-text>"
#define XML_MAX_DEPTH  256
#define XML_NAME_CACHE 128
#define XML_PAIR_CACHE 256
#define XML_KEEP_INPUT (1u << 20)

/* What an element name means to both parsers, kept per name the XML parser's dictionary
 * interned (so the pointer is the key) while that parser lives. */
struct xml_name {
	const xmlChar *name;  /* as written, interned */
	const xmlChar *lower; /* lower case, interned in the same dictionary */
	bool apart;	      /* html, head, script, frames, or not a name HTML reads alike */
	bool is_void;	      /* br, img, hr …: HTML ends it at once */
};

struct xml_pair {
	const xmlChar *outer, *inner; /* lower case, interned */
	bool closes;		      /* whether inner's start tag ends outer in HTML */
};

struct xml_text {
	struct sax_text t;
	xmlParserCtxtPtr ctxt;
	const xmlChar
	    *stack[XML_MAX_DEPTH]; /* open elements in lower case, the wrapper not counted */
	size_t depth;
	bool wrapper_open, seen_element, in_void, gave_up;
};

static xmlParserCtxtPtr xml_ctxt;
static struct xml_name xml_names[XML_NAME_CACHE];
static struct xml_pair xml_pairs[XML_PAIR_CACHE];
static xmlHashTablePtr xml_entities; /* HTML entities as predefined XML ones, made on demand */
static struct buf xml_input;	     /* the markup inside the wrapper element */

static void xml_give_up(struct xml_text *x)
{
	x->gave_up = true;
	xmlStopParser(x->ctxt);
}

static size_t xml_hash(const void *p)
{
	uintptr_t v = (uintptr_t)p;

	return (size_t)((v >> 4) ^ (v >> 12));
}

/* Elements whose start or end the HTML parser handles apart from the others. */
static bool xml_apart(const char *lower)
{
	static const char *const apart[] = {"base",	"body",	  "frame", "frameset",
					    "head",	"html",	  "link",  "meta",
					    "noframes", "script", "style", "title"};

	for (size_t i = 0; i < UTIL_ARRAY_LEN(apart); i++)
		if (strcmp(lower, apart[i]) == 0)
			return true;
	return false;
}

/* A name the HTML parser reads whole and alike: an ASCII letter first (after '<' anything
 * else is text to it), then letters, digits, ':', '-', '_' or '.' (htmlParseHTMLName), fewer
 * than 100 in all; lower-cased into lower. */
static bool xml_html_name(const xmlChar *name, char *lower, size_t size)
{
	size_t i;

	if (!((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z'))
		return false;
	for (i = 0; name[i]; i++) {
		unsigned char c = name[i];
		bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
		if (i + 1 >= size || !(letter || (c >= '0' && c <= '9') || c == ':' || c == '-' ||
				       c == '_' || c == '.'))
			return false;
		lower[i] = (char)(letter ? c | 0x20 : c);
	}
	lower[i] = '\0';
	return true;
}

static const struct xml_name *xml_name_of(struct xml_text *x, const xmlChar *name)
{
	struct xml_name *n = &xml_names[xml_hash(name) % XML_NAME_CACHE];
	char lower[100];

	if (n->name == name)
		return n;
	n->name = name;
	n->lower = NULL;
	n->is_void = false;
	n->apart = !xml_html_name(name, lower, sizeof(lower));
	if (!n->apart) {
		const htmlElemDesc *d = htmlTagLookup((const xmlChar *)lower);
		n->lower = xmlDictLookup(x->ctxt->dict, (const xmlChar *)lower, -1);
		n->apart = n->lower == NULL || xml_apart(lower);
		n->is_void = d && d->empty;
	}
	return n;
}

/* Whether the HTML parser, inside outer, would close it on inner's start tag. The table is
 * libxml2's (htmlAutoCloseTag answers for two different names); an element that closes one of
 * its own name (the same table's pairs: a, col, colgroup, form, li, option, p, tbody, td, th,
 * tr) it does not answer for. */
static bool xml_closes(const xmlChar *outer, const xmlChar *inner)
{
	static const char *const self[] = {"a", "col",	 "colgroup", "form", "li", "option",
					   "p", "tbody", "td",	     "th",   "tr"};
	struct xml_pair *p = &xml_pairs[(xml_hash(outer) * 31 + xml_hash(inner)) % XML_PAIR_CACHE];

	if (p->outer == outer && p->inner == inner)
		return p->closes;
	p->outer = outer;
	p->inner = inner;
	p->closes = false;
	if (outer == inner) {
		for (size_t i = 0; i < UTIL_ARRAY_LEN(self); i++)
			p->closes |= strcmp((const char *)outer, self[i]) == 0;
	} else {
		xmlNode probe = {.type = XML_ELEMENT_NODE, .name = inner};
		p->closes = htmlAutoCloseTag(NULL, outer, &probe) != 0;
	}
	return p->closes;
}

static void xml_start(void *ud, const xmlChar *name, const xmlChar **attrs)
{
	struct xml_text *x = ud;
	char lower[100];

	if (x->gave_up)
		return;
	if (!x->wrapper_open) {
		x->wrapper_open = true;
		return;
	}
	const struct xml_name *n = xml_name_of(x, name);
	const xmlChar *outer = x->depth ? x->stack[x->depth - 1] : (const xmlChar *)"body";
	if (n->apart || x->in_void || x->depth == XML_MAX_DEPTH ||
	    (x->seen_element && xml_closes(outer, n->lower))) {
		xml_give_up(x);
		return;
	}
	for (size_t i = 0; attrs && attrs[i]; i += 2)
		if (!xml_html_name(attrs[i], lower, sizeof(lower))) {
			xml_give_up(x);
			return;
		}
	x->seen_element = true;
	x->in_void = n->is_void;
	x->stack[x->depth++] = n->lower;
	sax_start(&x->t, n->lower, NULL);
}

static void xml_end(void *ud, const xmlChar *name)
{
	struct xml_text *x = ud;

	(void)name;
	if (x->gave_up || x->depth == 0)
		return; /* the wrapper's end */
	x->in_void = false;
	sax_end(&x->t, x->stack[--x->depth]);
}

static void xml_characters(void *ud, const xmlChar *s, int len)
{
	struct xml_text *x = ud;

	if (x->gave_up)
		return;
	if (x->in_void) {
		xml_give_up(x);
		return;
	}
	if (!x->seen_element) {
		/* blanks before the first element are dropped by both parsers; text there the
		 * HTML parser puts in an implied <p> */
		for (int i = 0; i < len; i++)
			if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n') {
				xml_give_up(x);
				return;
			}
		return;
	}
	sax_characters(&x->t, s, len);
}

static void xml_refuse(void *ud, const xmlChar *a, const xmlChar *b)
{
	(void)a;
	(void)b;
	xml_give_up(ud);
}

static void xml_refuse_text(void *ud, const xmlChar *s, int len)
{
	(void)s;
	(void)len;
	xml_give_up(ud);
}

static void xml_refuse_ref(void *ud, const xmlChar *name)
{
	(void)name;
	xml_give_up(ud);
}

static void xml_error(void *ud, const char *msg, ...)
{
	(void)msg;
	xml_give_up(ud);
}

/* An entity the XML parser does not know: HTML's, as a predefined entity, whose text the
 * parser hands on as characters. */
static xmlEntityPtr xml_entity(void *ud, const xmlChar *name)
{
	xmlEntityPtr e;
	const htmlEntityDesc *d;
	struct buf utf8 = BUF_INIT;

	(void)ud;
	if (xml_entities && (e = xmlHashLookup(xml_entities, name)) != NULL)
		return e;
	if ((d = htmlEntityLookup(name)) == NULL)
		return NULL;
	if (xml_entities == NULL && (xml_entities = xmlHashCreate(64)) == NULL)
		return NULL;
	put_utf8(&utf8, d->value);
	buf_putc(&utf8, '\0');
	e = xmlNewEntity(NULL, name, XML_INTERNAL_PREDEFINED_ENTITY, NULL, NULL,
			 (const xmlChar *)utf8.data);
	buf_free(&utf8);
	if (e && xmlHashAddEntry(xml_entities, name, e) != 0)
		e = NULL; /* not kept, so not handed out: a leak of one entity, never repeated */
	return e;
}

static const xmlSAXHandler xml_text_handler = {
    .startElement = xml_start,
    .endElement = xml_end,
    .characters = xml_characters,
    .ignorableWhitespace = xml_characters,
    .cdataBlock = xml_refuse_text,
    .processingInstruction = xml_refuse,
    .reference = xml_refuse_ref,
    .getEntity = xml_entity,
    .warning = xml_error,
    .error = xml_error,
    .fatalError = xml_error,
    .initialized = 1,
};

/* The elements the HTML parser ends at once ("<br>" is a whole br to it): those of HTML's void
 * elements that libxml2's table marks empty (htmlElemDesc.empty), asked once, so that a
 * libxml2 that knew fewer or more could not make this path write a start tag as self-closing
 * that its HTML parser leaves open. xml_void_first[n] has bit c - 'a' set when one of them is
 * n letters long and starts with c: most names of a description are refused by it alone. */
#define XML_VOID_MAX 8
static const char *const xml_void_candidates[] = {
    "area",  "base",	"basefont", "br",   "col",  "embed", "frame",  "hr",	"img",
    "input", "isindex", "keygen",   "link", "meta", "param", "source", "track", "wbr"};
static unsigned char xml_void_len[UTIL_ARRAY_LEN(xml_void_candidates)]; /* 0: not void */
static uint32_t xml_void_first[XML_VOID_MAX + 1];
static bool xml_void_known;

static bool xml_void_name(const char *name, size_t n)
{
	unsigned c = (unsigned char)name[0] | 0x20;

	if (!xml_void_known) {
		for (size_t i = 0; i < UTIL_ARRAY_LEN(xml_void_candidates); i++) {
			const char *v = xml_void_candidates[i];
			const htmlElemDesc *d = htmlTagLookup((const xmlChar *)v);
			if (d && d->empty && strlen(v) <= XML_VOID_MAX) {
				xml_void_len[i] = (unsigned char)strlen(v);
				xml_void_first[strlen(v)] |= 1u << (v[0] - 'a');
			}
		}
		xml_void_known = true;
	}
	if (n > XML_VOID_MAX || c < 'a' || c > 'z' || !(xml_void_first[n] >> (c - 'a') & 1))
		return false;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(xml_void_candidates); i++)
		if (xml_void_len[i] == n && strncasecmp(name, xml_void_candidates[i], n) == 0)
			return true;
	return false;
}

/* A byte of a name as the HTML parser reads it (htmlParseHTMLName), and a blank between the
 * parts of a tag to both parsers (a carriage return never reaches here). */
static bool xml_name_byte(char c)
{
	bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';

	return letter || (c >= '0' && c <= '9') || c == ':' || c == '-' || c == '_' || c == '.';
}

static bool xml_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* The end of a void element's start tag whose name ends at p: its '>' when the tag is not
 * closed, its "/>" when it is, or NULL when it is not what the XML parser would read as a
 * start tag with quoted attributes. */
static const char *xml_void_tag_end(const char *p, const char *end)
{
	for (;;) {
		const char *from = p;

		while (p < end && xml_blank(*p))
			p++;
		if (p == end)
			return NULL;
		if (*p == '>' || *p == '/')
			return *p == '>' || (p + 1 < end && p[1] == '>') ? p : NULL;
		if (p == from)
			return NULL; /* an attribute must follow a blank */
		while (p < end && !xml_blank(*p) && *p != '=' && *p != '>' && *p != '/' &&
		       *p != '<' && *p != '"' && *p != '\'')
			p++;
		if (p == from || p == end)
			return NULL;
		while (p < end && xml_blank(*p))
			p++;
		if (p == end || *p++ != '=')
			return NULL;
		while (p < end && xml_blank(*p))
			p++;
		if (p == end || (*p != '"' && *p != '\''))
			return NULL;
		const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
		if (q == NULL)
			return NULL;
		p = q + 1;
	}
}

/* Copy the markup into out for the XML parser, a void element's start tag that is not closed
 * ("<br>", "<BR >", "<img src=\"x\">") written as an empty-element tag ("<br/>" ...): the XML
 * parser then reports its start and end at once, as the HTML parser does. A comment is copied
 * as it is, whatever it holds; a '<' in an attribute value makes the markup no XML, whatever
 * is done with it here. False, for the HTML parser to read the markup, where the XML parser
 * would refuse it anyway or the two could read it differently: a void element's end tag (the
 * HTML parser drops "</br>"), a void start tag not read to its end here (an attribute without
 * quotes or value, "<br/ >"), a '<' that starts no tag or comment (CDATA, a declaration, a
 * processing instruction, "a < b"), a comment left open. */
static bool xml_copy_markup(struct buf *out, const char *s, size_t len)
{
	const char *p = s, *end = s + len, *copied = s;

	buf_reserve(out, len + 64);
	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		const char *name = p + 1, *q;

		if (end - name >= 3 && memcmp(name, "!--", 3) == 0) {
			for (q = name + 3; (q = memchr(q, '-', (size_t)(end - q))) != NULL; q++)
				if (end - q >= 3 && q[1] == '-' && q[2] == '>')
					break;
			if (q == NULL)
				return false;
			p = q + 3;
			continue;
		}
		bool closing = name < end && *name == '/';
		name += closing;
		if (name == end || !(((*name | 0x20) >= 'a' && (*name | 0x20) <= 'z')))
			return false;
		for (q = name; q < end && xml_name_byte(*q); q++)
			;
		if (!xml_void_name(name, (size_t)(q - name))) {
			p = q;
			continue;
		}
		if (closing || (q = xml_void_tag_end(q, end)) == NULL)
			return false;
		p = q + 1;
		if (*q == '>') {
			buf_append(out, copied, (size_t)(q - copied));
			buf_putc(out, '/');
			copied = q;
		}
	}
	buf_append(out, copied, (size_t)(end - copied));
	return true;
}

/* The XML parser's context, made afresh when its dictionary holds too many names. */
static xmlParserCtxtPtr xml_context(void)
{
	if (xml_ctxt && (int)xmlDictSize(xml_ctxt->dict) > HTML_CTXT_NAMES) {
		xmlFreeParserCtxt(xml_ctxt);
		xml_ctxt = NULL;
	}
	if (xml_ctxt == NULL) {
		if ((xml_ctxt = xmlNewParserCtxt()) == NULL)
			return NULL;
		/* the caches hold names of the old parser's dictionary */
		memset(xml_names, 0, sizeof(xml_names));
		memset(xml_pairs, 0, sizeof(xml_pairs));
	}
	return xml_ctxt;
}

bool html_text_as_xml(const char *html, size_t len, struct buf *raw)
{
	struct xml_text x = {.t = {.raw = *raw, .open = 1}};
	bool ok;

	if (len > INT_MAX - 64 || memchr(html, '\r', len) ||
	    (len >= 3 && memcmp(html, "\xef\xbb\xbf", 3) == 0))
		return false;
	buf_reset(&xml_input);
	buf_puts(&xml_input, XML_WRAP_OPEN);
	ok = xml_copy_markup(&xml_input, html, len);
	buf_puts(&xml_input, XML_WRAP_CLOSE);
	if (ok && xml_input.len <= INT_MAX && xml_context() != NULL) {
		*xml_ctxt->sax = xml_text_handler;
		xml_ctxt->userData = &x;
		x.ctxt = xml_ctxt;
		xmlFreeDoc(xmlCtxtReadMemory(xml_ctxt, xml_input.data, (int)xml_input.len, NULL,
					     "UTF-8", XML_PARSE_NONET));
		ok = !x.gave_up && xml_ctxt->wellFormed && x.depth == 0;
		xml_ctxt->userData = NULL;
		*raw = x.t.raw;
	} else {
		ok = false;
	}
	if (xml_input.cap > XML_KEEP_INPUT)
		buf_free(&xml_input); /* kept for the next description, not for a rare huge one */
	return ok;
}

/* The folded text of markup: read by the XML parser when try_xml and it can, else by the HTML
 * parser. */
static char *text_of(const char *html, size_t len, bool try_xml)
{
	struct buf raw = BUF_INIT;

	if (html == NULL || len == 0 || len > INT_MAX)
		return xstrdup("");
	/* the text is about as long as the markup it came from: grown once or not at all */
	buf_reserve(&raw, len);
	if (!try_xml || !html_text_as_xml(html, len, &raw)) {
		buf_reset(&raw);
		html_read(html, len, &raw);
	}
	char *text = html_fold_text(raw.data ? raw.data : "", raw.len);
	buf_free(&raw);
	return text;
}

char *html_to_text(const char *html, size_t len)
{
	return text_of(html, len, true);
}

char *html_to_text_html(const char *html, size_t len)
{
	return text_of(html, len, false);
}

/* What libxml2 2.9 allocates for a tree, measured: an element with the text beside it about
 * 300 bytes, an attribute (with its value's text node) 250, a comment or an entity reference
 * 150. Its parsers also compare each attribute of a tag with every one before it, so a tag's
 * attributes cost their square in time: HTML_ATTR_WORK_PER_BYTE allows a few dozen per tag,
 * where real pages have a few. */
#define HTML_COST_ELEMENT	300
#define HTML_COST_ATTRIBUTE	250
#define HTML_COST_NODE		150
#define HTML_ATTR_WORK_PER_BYTE 64

/* The attributes of the tag whose name starts at p, counted the way libxml2's parsers read
 * them (quoted values may hold '>'); *end is set past the tag. */
static size_t tag_attributes(const char *p, const char *stop, const char **end)
{
	size_t n = 0;

	while (p < stop && !isspace((unsigned char)*p) && *p != '>' && *p != '/')
		p++;
	while (p < stop && *p != '>') {
		if (isspace((unsigned char)*p) || *p == '/') {
			p++;
			continue;
		}
		n++;
		while (p < stop && !isspace((unsigned char)*p) && *p != '>' && *p != '=')
			p++;
		while (p < stop && isspace((unsigned char)*p))
			p++;
		if (p < stop && *p == '=') {
			p++;
			while (p < stop && isspace((unsigned char)*p))
				p++;
			if (p < stop && (*p == '"' || *p == '\'')) {
				const char *q = memchr(p + 1, *p, (size_t)(stop - p - 1));
				p = q ? q + 1 : stop;
			} else {
				while (p < stop && !isspace((unsigned char)*p) && *p != '>')
					p++;
			}
		}
	}
	*end = p;
	return n;
}

bool html_tree_fits(const char *s, size_t len)
{
	const char *p = s, *stop = s + len;
	size_t cost = 0, work = 0, budget = UTIL_TREE_BUDGET(len);
	size_t work_budget = HTML_ATTR_WORK_PER_BYTE * len + 1000000;

	for (const char *a = s; (a = memchr(a, '&', (size_t)(stop - a))); a++)
		cost += HTML_COST_NODE;
	while (cost <= budget && work <= work_budget &&
	       (p = memchr(p, '<', (size_t)(stop - p))) != NULL) {
		p++;
		if (p < stop && isalpha((unsigned char)*p)) {
			size_t n = tag_attributes(p, stop, &p);
			cost += HTML_COST_ELEMENT + HTML_COST_ATTRIBUTE * n;
			work += n * n;
		} else if (p < stop && (*p == '!' || *p == '?')) {
			cost += HTML_COST_NODE; /* a comment, a processing instruction */
		}
	}
	return cost <= budget && work <= work_budget;
}

char *html_node_text(const struct _xmlNode *node)
{
	struct buf raw = BUF_INIT;

	if (node)
		collect_text(node, &raw);
	char *text = html_fold_text(raw.data ? raw.data : "", raw.len);
	buf_free(&raw);
	return text;
}

static void put_utf8(struct buf *b, uint32_t cp)
{
	char u[4];

	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd; /* what a browser shows for a broken reference */
	buf_append(b, u, str_utf8_put(u, cp));
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
	/* a reference is never shorter than what it stands for: one allocation, no regrowth */
	buf_reserve(&out, len);
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
