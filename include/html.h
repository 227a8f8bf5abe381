/* html.h - HTML to plain text through libxml2's HTML parser. Pure. */
#ifndef JOBWATCH_HTML_H
#define JOBWATCH_HTML_H

#include <stdbool.h>
#include <stddef.h>

struct _xmlNode;
struct buf;

/* The visible text of an HTML fragment: entities decoded, tags dropped, block elements
 * separated by newlines, runs of blanks folded. Never NULL. */
char *html_to_text(const char *html, size_t len);
/* html_to_text's two readers, for tests: the text of markup libxml2's XML parser reads as
 * the HTML parser would, appended to raw unfolded, or false (raw then holds a part) where it
 * cannot promise that; and the HTML parser's folded text, whatever the markup. */
bool html_text_as_xml(const char *html, size_t len, struct buf *raw);
char *html_to_text_html(const char *html, size_t len);
/* The visible text of one node of a parsed document (and its descendants), folded the same
 * way. Never NULL. */
char *html_node_text(const struct _xmlNode *node);
/* Whether libxml2's tree of the page s[0..len) (HTML or XML) would fit UTIL_TREE_BUDGET(len)
 * and its tags' attributes cost no more than a few dozen comparisons a byte, counted from
 * the markup without parsing it: 8 MB of "<p>" make a tree of 480 MB, and a tag of 500,000
 * attributes costs minutes. Every tree built from a page is checked with it first. */
bool html_tree_fits(const char *s, size_t len);
#define HTML_TREE_REFUSED "more elements and attributes than a page of its size may hold: refused"
/* Fold runs of blanks (NBSP among them) to one space, trim every line and drop empty lines
 * and trailing newlines. Never NULL. */
char *html_fold_text(const char *s, size_t len);
/* Decode HTML entities only (&amp; &lt; &#8212; …), leaving tags as they are. Never NULL. */
char *html_unescape(const char *s, size_t len);

#endif
