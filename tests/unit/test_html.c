/* test_html.c - html_to_text and html_unescape: visible text, entity decoding, and staying
 * bounded and quiet on garbage. */
#include "harness.h"

#include <dirent.h>

#include <libxml/HTMLparser.h>

#include "buf.h"
#include "html.h"
#include "jv.h"
#include "util.h"

static void check_text(const char *html, const char *want)
{
	char *got = html_to_text(html, strlen(html));
	CHECK_STR(got, want);
	free(got);
}

static void check_unescape(const char *s, const char *want)
{
	char *got = html_unescape(s, strlen(s));
	CHECK_STR(got, want);
	free(got);
}

static void test_html_blocks(void)
{
	check_text("<p>Hello <b>world</b></p><p>Two</p>", "Hello world\nTwo");
	check_text("a<br>b<br/>c", "a\nb\nc");
	check_text("<ul><li>one</li><li>two</li></ul>tail", "one\ntwo\ntail");
	check_text("<h2>Overview</h2><div><div>deep</div></div>", "Overview\ndeep");
	check_text("<table><tr><td>a</td><td>b</td></tr></table>", "a b");
}

/* Every element of the kinds table is found (it is searched by halves, so it must stay
 * sorted): first, middle and last names of each kind, in either case. */
static void test_html_kinds_table(void)
{
	check_text(
	    "<ADDRESS>a</ADDRESS><ul><li>b</li></ul><tr><td>c</td><th>d</th></tr>"
	    "<Template>x</Template><svg>y</svg><noscript>z</noscript><span>e</span><h6>f</h6>"
	    "<blockquote>g</blockquote><FigCaption>h</FigCaption><nobr>i</nobr>",
	    "a\nb\nc d\ne\nf\ng\nh\ni");
}

static void test_html_hidden(void)
{
	check_text("<p>a</p><script>var x = '<p>no</p>';</script><style>p { x }</style><p>b</p>",
		   "a\nb");
	check_text("<html><head><title>T</title></head><body>body</body></html>", "body");
}

static void test_html_blanks(void)
{
	check_text("  a \n\n  b\t c  ", "a b c");
	check_text("<p>   </p><p>&nbsp;</p><p>x&nbsp;&nbsp;y</p>", "x y");
	check_text("<p>Tom &amp; Jerry&nbsp;&mdash; &#8364;5</p>", "Tom & Jerry — €5");
}

/* html_fold_text as its contract reads, a line and a blank at a time: lines split at '\n',
 * in each a run of blanks (space, tab, CR, FF, VT, U+00A0) one space, none at either end,
 * empty lines dropped, the lines joined by '\n'. Slow and plain, to hold the fast one to. */
static char *fold_oracle(const unsigned char *s, size_t len)
{
	struct buf out = BUF_INIT;
	size_t i = 0;

	buf_reserve(&out, len + 1);
	while (i <= len) {
		size_t end = i;
		bool word = false, blank = false;
		size_t line_start = out.len;

		while (end < len && s[end] != '\n')
			end++;
		for (size_t k = i; k < end; k++) {
			bool nbsp = s[k] == 0xc2 && k + 1 < end && s[k + 1] == 0xa0;
			if (s[k] == ' ' || s[k] == '\t' || s[k] == '\r' || s[k] == '\f' ||
			    s[k] == '\v' || nbsp) {
				blank = true;
				k += nbsp;
				continue;
			}
			if (blank && word)
				buf_putc(&out, ' ');
			blank = false;
			word = true;
			buf_putc(&out, (char)s[k]);
		}
		if (word)
			buf_putc(&out, '\n');
		else
			out.len = line_start;
		i = end + 1;
	}
	while (out.len > 0 && out.data[out.len - 1] == '\n')
		out.len--;
	buf_putc(&out, '\0');
	return buf_steal(&out);
}

/* Random text of words, blanks, line breaks, NBSP halves and other bytes, every length to
 * 79: around and across the eight bytes the fold takes at once. */
static void test_html_fold_random(void)
{
	static const unsigned char alphabet[] = {'a',  'b',  ' ',  ' ', ' ', '\n', '\t',
						 '\r', 0xc2, 0xa0, 'x', '.', 0x01, 0xe2};
	unsigned char s[80];
	uint32_t seed = 12345;
	int bad = 0;

	for (int round = 0; round < 200000 && bad < 5; round++) {
		size_t len = (size_t)(round % (int)sizeof(s));
		/* from one blank or break in 3 bytes to one in 200: long plain runs too */
		unsigned rare = 3u + (unsigned)(round % 7) * 33u;
		for (size_t k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			unsigned pick = (seed >> 8) % (rare * 2u);
			s[k] = pick >= rare	  ? (unsigned char)('a' + (seed >> 20) % 3)
			       : pick < rare / 2u ? ' '
						  : alphabet[(seed >> 20) % sizeof(alphabet)];
		}
		char *got = html_fold_text((const char *)s, len);
		char *want = fold_oracle(s, len);
		if (strcmp(got, want) != 0) {
			bad++;
			CHECK_STR(got, want);
		}
		free(got);
		free(want);
	}
	CHECK(bad == 0);
	check_text("<p>abcdefgh ijklmnop  qrstuvwx\u00a0\u00a0yz</p>",
		   "abcdefgh ijklmnop qrstuvwx yz");
}

/* Greenhouse content: entity-escaped HTML with inner entities escaped twice. */
static void test_html_double_escaped(void)
{
	const char *gh = "&lt;p&gt;a&amp;nbsp;b &amp;amp; c&lt;/p&gt;&lt;p&gt;d&lt;/p&gt;";
	char *html = html_unescape(gh, strlen(gh));
	CHECK_STR(html, "<p>a&nbsp;b &amp; c</p><p>d</p>");
	char *text = html_to_text(html, strlen(html));
	CHECK_STR(text, "a b & c\nd");
	free(text);
	free(html);
}

static void test_html_unescape(void)
{
	check_unescape("&lt;p&gt;", "<p>");
	check_unescape("&#8212;&#x2014;&#X2014;", "———");
	check_unescape("&foo; & &#; &amp &#x;", "&foo; & &#; &amp &#x;");
	check_unescape("&#0;&#x110000;&#xD800;", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	check_unescape("&#99999999999999;", "&#99999999999999;");
	check_unescape("<b>&rsquo;</b>", "<b>’</b>");
	/* len bounds the input, not the NUL */
	char *s = html_unescape("&amp;&amp;", 5);
	CHECK_STR(s, "&");
	free(s);
}

static void test_html_garbage(void)
{
	char *s = html_to_text(NULL, 0);
	CHECK_STR(s, "");
	free(s);
	s = html_to_text("", 0);
	CHECK_STR(s, "");
	free(s);
	s = html_unescape(NULL, 0);
	CHECK_STR(s, "");
	free(s);
	check_text("<div><p>x", "x");
	s = html_to_text("<<<>>>", 6);
	CHECK(strstr(s, ">>>") != NULL);
	free(s);

	const char bin[] = "\x00\xff\xfe<p\x01>\x80z</";
	s = html_to_text(bin, sizeof(bin) - 1);
	CHECK(s != NULL);
	free(s);

	/* Nesting far deeper than any stack walk would survive: libxml2 gives up past its depth
	 * limit, and what it kept is still walked. */
	struct buf b = BUF_INIT;
	for (int i = 0; i < 100000; i++)
		buf_puts(&b, "<div><span>");
	buf_puts(&b, "deep");
	s = html_to_text(b.data, b.len);
	CHECK(s != NULL);
	free(s);
	buf_reset(&b);
	for (int i = 0; i < 100; i++)
		buf_puts(&b, "<div><span>");
	buf_puts(&b, "deep");
	s = html_to_text(b.data, b.len);
	CHECK_STR(s, "deep");
	free(s);
	buf_free(&b);
}

/* One parser serves every call: what a broken description leaves in it (open elements, a
 * hidden one, an error that stopped the parse) must not reach the next, and markup that
 * invents thousands of element names (5,000 here, three times) gets a fresh parser rather than an
 * ever larger one. */
static void test_html_parser_reused(void)
{
	struct buf b = BUF_INIT;
	char *s;

	check_text("<div><ul><li>open <script>var x = '", "open");
	check_text("<p>Hello</p>", "Hello");
	check_text("<style>p { color: red }", "");
	check_text("<p>Shown</p>", "Shown");
	for (int round = 0; round < 3; round++) {
		buf_reset(&b);
		buf_puts(&b, "<p>");
		for (int i = 0; i < 5000; i++) {
			char tag[96];
			snprintf(tag, sizeof(tag), "<x%d-%d>w </x%d-%d>", round, i, round, i);
			buf_puts(&b, tag);
		}
		buf_puts(&b, "</p><p>end</p>");
		s = html_to_text(b.data, b.len);
		CHECK(strncmp(s, "w w w ", 6) == 0);
		CHECK(strlen(s) == 5000 * 2 - 1 + strlen("\nend"));
		CHECK(strcmp(s + strlen(s) - 4, "\nend") == 0);
		free(s);
		check_text("<ul><li>one</li><li>two</li></ul>", "one\ntwo");
	}
	buf_free(&b);
}

/* html_to_text reads a description from the parser's events; the html source walks the tree
 * the same parser builds (html_node_text). The two must agree on any markup, or a posting's
 * digest would depend on which path read it. */
static void check_same(const char *html, size_t len)
{
	htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
					HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
					    HTML_PARSE_NONET | HTML_PARSE_RECOVER);
	char *tree = html_node_text((const struct _xmlNode *)doc);
	char *events = html_to_text(html, len);

	CHECK_STR(events, tree);
	free(events);
	free(tree);
	xmlFreeDoc(doc);
}

static void test_html_events_match_tree(void)
{
	static const char *const cases[] = {
	    "<p>Hello <b>world</b></p><p>Two</p>",
	    "text before<p>a<p>b<li>c<li>d</ul>e",
	    "<table><tr><td>a<td>b<tr><th>c</table>after",
	    "<div><script>if (a < b) document.write('<p>x</p>')</script>y</div>",
	    "<head><title>T</title><style>p{}</style></head><body><p>b</p></body>",
	    "<p>head later<head><title>x</title></head>z</p>",
	    "<svg><p>in svg</p><text>t</text></svg>after svg",
	    "<noscript><div>no</div></noscript><template><p>tpl</p></template>shown",
	    "</p></div>stray ends<br/><hr>x</span>",
	    "<!-- comment --><![CDATA[cdata]]><?pi x?>text",
	    "<p>line\nbreak\r\nand\ttab&nbsp;&nbsp;nbsp</p>",
	    "<ul><li>one<ul><li>nested</li></ul></li><li>two</li></ul>",
	    "<P CLASS=x>Upper<BR>Case</P><DiV>mixed</dIv>",
	    "<meta charset=\"iso-8859-1\"><p>caf\xc3\xa9 \xe2\x82\xac</p>",
	    "\x00\xff\xfe<p\x01>\x80z</",
	    "<html><body><p>a</p></body></html><p>after html</p>",
	    "<select><option>one<option>two</select><textarea>t<b>x</b></textarea>",
	    "<frameset><frame></frameset>frames",
	    "a&amp;b&lt;c&gt;&#8364;&bogus;&",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_same(cases[i], strlen(cases[i]));

	struct buf b = BUF_INIT;
	for (int i = 0; i < 300; i++)
		buf_puts(&b, i % 3 ? "<div><span>x" : "<p><noscript>y");
	check_same(b.data, b.len);
	buf_free(&b);

	size_t len;
	char *page = harness_read("schemaorg/icims_sig_job_jsonld.html", &len);
	check_same(page, len);
	free(page);
}

/* html_to_text reads well-formed markup with libxml2's XML parser and the rest with its HTML
 * parser. The text must not depend on which: a posting's digest would move when its markup
 * did not. check_readers holds the two to the same text and says which one html_to_text
 * took. */
static bool xml_took(const char *html, size_t len)
{
	struct buf raw = BUF_INIT;
	bool took = html_text_as_xml(html, len, &raw);

	buf_free(&raw);
	return took;
}

static bool check_readers(const char *html, size_t len)
{
	char *both = html_to_text(html, len);
	char *html_only = html_to_text_html(html, len);

	CHECK_STR(both, html_only);
	free(both);
	free(html_only);
	return xml_took(html, len);
}

static void check_reader(const char *html, bool want_xml)
{
	bool took = check_readers(html, strlen(html));

	if (took != want_xml)
		printf("# %s read by the %s parser\n", html, took ? "XML" : "HTML");
	CHECK(took == want_xml);
}

static void test_html_xml_reader(void)
{
	/* well-formed, entities HTML's, names in any case: the XML parser */
	check_reader("<p>Hello <b>world</b></p><ul><li>one</li><li>two</li></ul>", true);
	check_reader("<div><div><p>Caf&eacute; &amp; bar&nbsp;&#8364;&#x27;s</p></div></div>",
		     true);
	check_reader("<P CLASS=\"x\">Upper</P><Br/><DIV>mixed</DIV>", true);
	check_reader("<table><tr><td>a</td><td>b</td></tr></table>after", true);
	check_reader("<p>a<br/>b<br />c</p><hr/>", true);
	check_reader("  \n<p>leading blanks</p>  trailing", true);
	check_reader("<o:p>word</o:p><svg><text>hidden</text></svg><noscript>n</noscript>", true);
	check_reader("<p>line\nbreak\tand tab</p><!-- comment -->", true);
	/* a void element's start tag left open is written self-closing for the XML parser, as
	 * the HTML parser ends it at once: anywhere, in any case, with quoted attributes */
	check_reader("<p>a<br>b</p>", true);
	check_reader("<br>first<ul><li>a<br></li><li>b<BR>c<Br >d<br\n>e</li></ul><br>", true);
	check_reader("<div>a<hr>b<img src=\"x\" alt='a>b'>c<input type = \"t\" >d</div>", true);
	check_reader("<table><col><tr><td>a<br>b</td></tr></table><p><a href=\"/\">a<br>b</a></p>",
		     true);
	check_reader("<p>a<br/>b<br />c<br>d<area><param name=\"n\"><basefont><isindex>e</p>",
		     true);
	check_reader("<p>a<!-- <br> </br> <img src=x> -->b</p>", true); /* comments: nothing */
	check_reader("<p>a<brx>b</brx><br-x>c</br-x><br:x>d</br:x></p>", true); /* not br */
	/* what the HTML parser reads otherwise: the HTML parser */
	check_reader("<div>a<span>b</div>", false); /* an element left open */
	check_reader("<p>a<br></br>b</p>", false);  /* the HTML parser drops </br> */
	check_reader("<p>a</br>b</p>", false);
	check_reader("<p>a<br/></br>b</p>", false);
	check_reader("<p>a<IMG></img>b</p>", false);
	check_reader("<p>a<br hidden>b</p>", false); /* an attribute without a value */
	check_reader("<p>a<img src=x>b</p>", false); /* or without quotes */
	check_reader("<p>a<br a=\"1\"b=\"2\">b</p>", false);
	check_reader("<p>a<br a=\"1\" a=\"2\">b</p>", false);
	check_reader("<p>a<br/ >b<br//>c</p>", false);
	check_reader("<p>a<br", false);
	check_reader("<p title=\"<br>\">a</p>", false);	  /* '<' in an attribute value */
	check_reader("<p>a<![CDATA[<br>]]>b</p>", false); /* HTML reads it as text */
	check_reader("<p>a<!-- <br> -- x -->b</p>", false);
	check_reader("<p>a<!-- <br>", false);
	check_reader("<p>a<script><br></script>b</p>", false);
	check_reader("<p>a<style><hr></style>b</p>", false);
	check_reader("<p>a<hr>b</p>", false);	       /* <hr> ends the <p> */
	check_reader("<p>a<col>b</p>", false);	       /* so does <col> */
	check_reader("<p>a<meta>b<link>c</p>", false); /* head elements */
	check_reader("<p>a<wbr>b</p>", false);	       /* not void to libxml2: open to </p> */
	check_reader("<p>a<br>&bogus;</p>", false);
	check_reader("x<br>", false);		      /* text first */
	check_reader("<p>a&nbsp b</p>", false);	      /* entity without ';' */
	check_reader("<p>&bogus; &</p>", false);      /* unknown entity, bare '&' */
	check_reader("text first<p>x</p>", false);    /* HTML wraps it in <p> */
	check_reader("&amp;first<p>x</p>", false);    /* so does a reference */
	check_reader("<p>a<div>b</div>c</p>", false); /* <div> ends the <p> */
	check_reader("<p>a<p>b</p>c</p>", false);     /* so does <p> */
	check_reader("<a>x<table><tr><td>y</td></tr></table></a>", false);
	check_reader("<ul><li>a<li>b</li></li></ul>", false);
	check_reader("<br>inside</br>", false); /* HTML ends <br> at once */
	check_reader("<br/>inside</br>", false);
	check_reader("<p>a</p><title>T</title><p>b</p>", false); /* head elements */
	check_reader("<script>x</script><p>y</p>", false);
	check_reader("<html><body><p>a</p></body></html>", false);
	check_reader("<p>cr\r\nlf</p>", false); /* XML reads CR LF as one break */
	check_reader("\xef\xbb\xbf<p>bom</p>", false);
	check_reader("<p><![CDATA[x]]></p>", false);
	check_reader("<p><?pi x?>y</p>", false);
	check_reader("<caf\xc3\xa9>x</caf\xc3\xa9>", false); /* a name HTML reads as "caf" */
	check_reader("<p x\xc3\xa9=\"1\">x</p>", false);
	check_reader("<p>\x01</p>", false);
	check_reader("<p>a]]>b</p>", false);
	check_reader("<p>\xff</p>", false);
	check_reader("</jobwatch-text><p>x</p>", false);
}

/* A void element's tag, or one that looks like it, written in one of the ways markup does:
 * left open, closed, with blanks, quoted or bare attributes, an end tag. Each list starts with
 * what the XML parser may read (the first *_OK entries), so that a run can keep to them; true
 * when the tag is a void element's start tag left open. */
#define VOID_NAMES_OK	15
#define VOID_ATTRS_OK	8
#define VOID_FORMS_OK	8
#define VOID_NAMES_HTML 13 /* the names libxml2's HTML parser ends at once */
static bool put_void_tag(struct buf *b, uint32_t r, bool any)
{
	static const char *const names[] = {
	    "br",   "br",   "BR",    "Br",	"hr",	    "img",   "IMG",    "input",
	    "col",  "area", "param", "isindex", "basefont", "brx",   "br-x",   "br:x",
	    "meta", "link", "base",  "frame",	"wbr",	    "embed", "source",
	};
	static const char *const attrs[] = {
	    "",
	    "",
	    "",
	    " src=\"x\"",
	    " alt='a>b' src=\"/i.png\"",
	    " x = \"y\"\n",
	    " alt=\"&amp;&eacute;\"",
	    " data-q='\"'",
	    " alt=\"caf\xc3\xa9 &bogus;\"",
	    " id=x",
	    " hidden",
	    " title=\"<br>\"",
	    " a=\"1\"b=\"2\"",
	    " a=\"1\" a=\"2\"",
	};
	size_t i = r % (any ? UTIL_ARRAY_LEN(names) : VOID_NAMES_OK);
	const char *n = names[i];
	const char *a = attrs[(r >> 5) % (any ? UTIL_ARRAY_LEN(attrs) : VOID_ATTRS_OK)];

	switch ((r >> 9) % (any ? 11 : VOID_FORMS_OK)) {
	case 0:
		buf_printf(b, "<%s%s/>", n, a);
		return false;
	case 1:
		buf_printf(b, "<%s%s />", n, a);
		return false;
	case 2:
		buf_printf(b, "<%s%s >", n, a);
		break;
	case 3:
		buf_printf(b, "<%s%s\n>", n, a);
		break;
	case 8:
		buf_printf(b, "<%s%s/ >", n, a);
		return false;
	case 9:
		buf_printf(b, "</%s>", n);
		return false;
	case 10:
		buf_printf(b, "<%s%s></%s>", n, a, n);
		return false;
	default:
		buf_printf(b, "<%s%s>", n, a);
		break;
	}
	return i < VOID_NAMES_HTML;
}

/* Markup made at random from the names both parsers treat apart, well-formed more often than
 * not, with void elements written every way in every place (and void tags where they are no
 * tag to one parser or either: a comment, CDATA, script): whichever parser reads it, the text
 * is the same, and the XML parser reads a good share of it, void start tags left open too (or
 * this would test nothing). */
static void test_html_readers_random(void)
{
	/* most often names the HTML parser closes nothing for, then any */
	static const char *const plain[] = {"div", "span", "b", "em", "ul", "h2", "P", "Li", "x-y"};
	static const char *const names[] = {
	    "p",      "div",	"span",	    "b",     "li",	   "ul",      "td",	"tr",
	    "table",  "a",	"br",	    "hr",    "img",	   "P",	      "Li",	"TD",
	    "option", "select", "dd",	    "dt",    "dl",	   "form",    "h2",	"em",
	    "o:p",    "font",	"pre",	    "title", "script",	   "head",    "body",	"tbody",
	    "col",    "svg",	"noscript", "th",    "blockquote", "section", "center", "textarea",
	    "iframe", "x-y",	"_u",	    "a.b",
	};
	static const char *const texts[] = {
	    " ",	"\n",	    "\t",	   "two words",	 "&nbsp;",     "&amp;",
	    "&eacute;", "&#233;",   "&#x27;",	   "&lt;",	 "&bogus;",    "&",
	    "&nbsp",	"\xc2\xa0", "caf\xc3\xa9", "  spaced  ", "<!-- c -->", "x\r\ny",
	    "]]>",	"&#160;",   "&quot;",	   "<",		 "\xff",
	};
	static const char *const void_texts[] = {
	    "<!-- <br> -->",
	    "<!-- </br><img src=x> -->",
	    "<![CDATA[<br>]]>",
	    "<?pi <br>?>",
	    "<script>a<br>b</script>",
	    "<style>a<hr>b</style>",
	    "a < b",
	    "<br",
	};
	struct buf b = BUF_INIT;
	uint32_t seed = 12345;
	int xml = 0, xml_void = 0, runs = 5000;

	for (int run = 0; run < runs; run++) {
		const char *open[12];
		int depth = 0;
		bool open_void = false;

		buf_reset(&b);
		for (int step = 0; step < 16; step++) {
			seed = seed * 1103515245u + 12345u;
			uint32_t r = seed >> 8;
			if (step == 0 && run % 8 != 0)
				r = r / 4 * 4 +
				    1; /* text first: read by the HTML parser, mostly avoided */
			if (r % 4 == 0 && depth > 0) {
				/* close, now and then leaving one open or closing twice */
				const char *n = open[--depth];
				if (r % 61 != 0)
					buf_printf(&b, "</%s>", n);
				if (r % 67 == 0)
					buf_printf(&b, "</%s>", n);
			} else if (r % 4 == 1 && depth < 12) {
				const char *n = (r >> 3) % 4
						    ? plain[(r >> 5) % UTIL_ARRAY_LEN(plain)]
						    : names[(r >> 5) % UTIL_ARRAY_LEN(names)];
				const char *attr = (r >> 12) % 8 == 0	? " class=\"c\""
						   : (r >> 12) % 8 == 1 ? " id=x"
									: "";
				const htmlElemDesc *d = htmlTagLookup((const xmlChar *)n);
				if ((r >> 14) % 6 == 0 || (d && d->empty && (r >> 14) % 8 != 1)) {
					buf_printf(&b, "<%s%s/>", n, attr);
				} else {
					buf_printf(&b, "<%s%s>", n, attr);
					open[depth++] = n;
				}
			} else if (r % 4 == 2 && (r >> 2) % 3 == 0) {
				if ((r >> 20) % 8 == 0)
					buf_puts(&b,
						 void_texts[(r >> 4) % UTIL_ARRAY_LEN(void_texts)]);
				else
					open_void |= put_void_tag(&b, r >> 4, run % 8 == 1);
			} else {
				/* mostly plain words, so that a good share stays well-formed */
				buf_puts(&b, (r >> 4) % 4
						 ? "word "
						 : texts[(r >> 6) % UTIL_ARRAY_LEN(texts)]);
			}
		}
		while (depth > 0)
			buf_printf(&b, "</%s>", open[--depth]);
		bool took = check_readers(b.data, b.len);
		xml += took;
		xml_void += took && open_void;
	}
	printf("# %d of %d read by the XML parser, %d with a void element left open\n", xml, runs,
	       xml_void);
	CHECK(xml > runs / 10);
	CHECK(xml < runs - runs / 10);
	CHECK(xml_void > runs / 50);
	buf_free(&b);
}

/* Every string of every real fixture that holds markup, as it is and with its entities decoded
 * once (Greenhouse's content): the same text from either parser. */
static void check_strings(const struct jv *v, int *n, int *xml)
{
	const char *s = jv_str(v);

	if (s && strchr(s, '<')) {
		*xml += check_readers(s, strlen(s));
		(*n)++;
	}
	if (s && strstr(s, "&lt;")) {
		char *once = html_unescape(s, strlen(s));
		*xml += check_readers(once, strlen(once));
		(*n)++;
		free(once);
	}
	if (jv_is_array(v)) {
		const struct jv *e;
		size_t i;
		jv_array_foreach(v, i, e)
		{
			check_strings(e, n, xml);
		}
	} else if (jv_is_object(v)) {
		const char *keys[256];
		size_t k = jv_keys(v, keys, 256);
		for (size_t i = 0; i < k; i++)
			check_strings(jv_get(v, keys[i]), n, xml);
	}
}

/* Every JSON file under dir (a fixture directory, relative to the fixtures), depth first. */
static void check_fixture_dir(const char *dir, int *files, int *n, int *xml)
{
	const char *root = getenv("JOBWATCH_FIXTURES");
	char path[1024];
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "%s/%s", root ? root : harness_dir, dir);
	if ((d = opendir(path)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char rel[512];
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "%s%s%s", dir, *dir ? "/" : "", e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 5, ".json") != 0) {
			check_fixture_dir(rel, files, n, xml); /* a directory, or nothing */
			continue;
		}
		int line;
		char msg[128], *text = harness_read(rel, &len);
		struct jv *root_v = jv_parse(text, len, &line, msg, sizeof(msg));
		CHECK(root_v != NULL);
		check_strings(root_v, n, xml);
		jv_free(root_v);
		free(text);
		(*files)++;
	}
	closedir(d);
}

/* All of them: nearly every one is XML once void elements left open are closed for it. */
static void test_html_readers_fixtures(void)
{
	int files = 0, n = 0, xml = 0;

	check_fixture_dir("", &files, &n, &xml);
	printf("# %d of %d descriptions of %d fixture files read by the XML parser\n", xml, n,
	       files);
	CHECK(files > 40);
	CHECK(n > 1500);
	CHECK(xml > n - n / 20);
}

/* Issue 21.1: libxml2 builds 60 bytes of tree for each byte of "<p>", and compares each
 * attribute of a tag with all before it; html_tree_fits refuses such a page before it is
 * parsed, within a few ms a MB, and passes real ones. */
static void test_html_tree_fits(void)
{
	size_t len;
	double t0 = harness_cpu();
	char *s =
	    harness_repeat("<html><body>", "<p>", 8 * 1024 * 1024 / 3, "</body></html>", &len);

	CHECK(!html_tree_fits(s, len));
	free(s);
	s = harness_repeat("<html><body><p ", "a b ", 1000000, "></p></body></html>", &len);
	CHECK(!html_tree_fits(s, len)); /* 2,000,000 attributes of one tag */
	free(s);
	s = harness_repeat("<x ", "a=\">\" ", 20000, ">", &len);
	CHECK(!html_tree_fits(s, len)); /* a quoted '>' does not end the tag */
	free(s);
	s = harness_repeat("<html><body>", "&a;", 8 * 1024 * 1024 / 3, "</body></html>", &len);
	CHECK(!html_tree_fits(s, len));
	free(s);
	s = harness_repeat("<html><body>", "<!---->", 8 * 1024 * 1024 / 7, "</body></html>", &len);
	CHECK(!html_tree_fits(s, len));
	free(s);
	CHECK(harness_cpu() - t0 < 1.0);
	/* a dense list of a MB (libxml2 makes 22 MB of it) fits; text costs its size */
	s = harness_repeat("<html><body>", "<a href=\"/j\" class=\"c\">a job in a list</a>",
			   1024 * 1024 / 44, "</body></html>", &len);
	CHECK(html_tree_fits(s, len));
	free(s);
	s = harness_repeat("<p>", "x", 16 * 1024 * 1024, "</p>", &len);
	CHECK(html_tree_fits(s, len));
	free(s);
	s = harness_read("schemaorg/icims_sig_job_jsonld.html", &len);
	CHECK(html_tree_fits(s, len));
	free(s);
	CHECK(html_tree_fits("", 0) && html_tree_fits("<", 1) && html_tree_fits("<a b='", 6));
}

int main(void)
{
	RUN(test_html_blocks);
	RUN(test_html_hidden);
	RUN(test_html_kinds_table);
	RUN(test_html_blanks);
	RUN(test_html_fold_random);
	RUN(test_html_double_escaped);
	RUN(test_html_unescape);
	RUN(test_html_garbage);
	RUN(test_html_parser_reused);
	RUN(test_html_events_match_tree);
	RUN(test_html_xml_reader);
	RUN(test_html_readers_random);
	RUN(test_html_readers_fixtures);
	RUN(test_html_tree_fits);
	return harness_end();
}
