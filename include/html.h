/* html.h - HTML to plain text through libxml2's HTML parser. Pure. */
#ifndef JOBWATCH_HTML_H
#define JOBWATCH_HTML_H

#include <stddef.h>

struct _xmlNode;

/* The visible text of an HTML fragment: entities decoded, tags dropped, block elements
 * separated by newlines, runs of blanks folded. Never NULL. */
char *html_to_text(const char *html, size_t len);
/* The visible text of one node of a parsed document (and its descendants), folded the same
 * way. Never NULL. */
char *html_node_text(const struct _xmlNode *node);
/* Fold runs of blanks (NBSP among them) to one space, trim every line and drop empty lines
 * and trailing newlines. Never NULL. */
char *html_fold_text(const char *s, size_t len);
/* Decode HTML entities only (&amp; &lt; &#8212; …), leaving tags as they are. Never NULL. */
char *html_unescape(const char *s, size_t len);

#endif
