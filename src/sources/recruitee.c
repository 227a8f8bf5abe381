/* recruitee.c - the Recruitee careers-site API (X.recruitee.com/api/offers/): one page,
 * {"offers": […]}. Owns the mapping of a Recruitee offer to a posting: the description
 * text is description and requirements (both HTML), the link is careers_url (often on the
 * employer's own host), and pay is the salary object, whose amounts are strings ("60000") and
 * whose period is "year" or "month"; without one, whatever the text says. Recruitee's dates
 * are not ISO ("2026-08-05 09:41:37 UTC") and are not read. Pure: no I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "pay.h"
#include "source_common.h"
#include "url.h"
#include "util.h"

#define RECRUITEE_ENVELOPE "a JSON object with \"offers\""

static void append_html(struct buf *b, const char *html)
{
	if (str_empty(html))
		return;
	char *text = html_to_text(html, strlen(html));
	if (b->len && *text)
		buf_putc(b, '\n');
	buf_puts(b, text);
	free(text);
}

static char *description_text(const struct jv *offer)
{
	struct buf b = BUF_INIT;

	append_html(&b, source_json_str(offer, "description"));
	append_html(&b, source_json_str(offer, "requirements"));
	char *text = source_fold_text(b.data, b.len);
	buf_free(&b);
	return text;
}

/* The salary object; false when absent or without an amount. */
static bool pay_from_salary(struct posting *p, const struct jv *offer)
{
	static const struct source_pay_keys keys = {"min", "max", "currency", "period"};
	struct pay pay;

	if (!source_pay_fields(source_json_obj(offer, "salary"), &keys, "recruitee:salary", &pay))
		return false;
	posting_add_range(p, NULL, &pay);
	return true;
}

/* location ("Utrecht, Utrecht, Netherlands"), else city, state and country, else the names
 * of locations[]. */
static char *location_of(const struct jv *offer)
{
	char *loc = source_clean(source_json_str(offer, "location"));
	struct buf b = BUF_INIT;

	if (loc)
		return loc;
	source_join(&b, source_json_str(offer, "city"), ", ");
	source_join(&b, source_json_str(offer, "state_name"), ", ");
	source_join(&b, source_json_str(offer, "country"), ", ");
	if (b.len == 0)
		source_join_each(&b, jv_get(offer, "locations"), "name", "; ");
	return b.len ? buf_steal(&b) : NULL;
}

static void parse_offer(const struct jv *offer, void *ctx, struct posting_list *out)
{
	char *id = source_json_id(jv_get(offer, "id"));
	char *title = source_clean(source_json_str(offer, "title"));

	struct posting *p = source_posting_add(out, id, title);

	if (p == NULL)
		return;
	p->department = source_clean(source_json_str(offer, "department"));
	p->location = location_of(offer);
	p->url = source_clean(source_json_str(offer, "careers_url"));
	if (p->url == NULL)
		p->url = source_clean(source_json_str(offer, "careers_apply_url"));

	char *text = description_text(offer);
	source_set_digest(p, text);
	if (!pay_from_salary(p, offer))
		source_pay_from_text(p, text, "text");
	free(text);
}

static int recruitee_parse(const struct source_target *src, struct source_walk *w, const char *body,
			   size_t len, struct posting_list *out, struct source_request *next,
			   char *err, size_t errlen)
{
	static const struct source_json_list list = {
	    .key = "offers", .expected = RECRUITEE_ENVELOPE, .each = parse_offer, .alone = true};

	return source_json_each(&list, body, len, NULL, out, err, errlen);
}

/* COMPANY.recruitee.com, its API under /api/. */
static bool recruitee_recognise(const char *url, const struct url_parts *u, char **api_url)
{
	char c[URL_MAX_NAME];

	if (!url_host_under(u, "recruitee.com", 1, c, sizeof(c)))
		return false;
	*api_url = url_path_starts(u, "/api/") ? xstrdup(url) : source_board_url("recruitee", c);
	return true;
}

const struct source_adapter source_recruitee = {
    .type = "recruitee",
    .first = source_first_url,
    .parse = recruitee_parse,
    .board = {"https://", ".recruitee.com/api/offers/"},
    .recognise = recruitee_recognise,
};
