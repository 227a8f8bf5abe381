/* ashby.c - the Ashby public posting API
 * (api.ashbyhq.com/posting-api/job-board/X?includeCompensation=true): one page,
 * {"apiVersion": "1", "jobs": […]}. Owns the mapping of an Ashby job to a posting. Pay is
 * compensation.compensationTiers: every tier is a zone or level with its own range, so the
 * Salary component of each tier is kept as a range labelled with the tier's title (or its
 * summary when untitled); equity and bonus components are no pay range. summaryComponents
 * stands in only when no tier has a salary, and the description text only when compensation
 * has none at all (a board polled without includeCompensation has no compensation key).
 * A job marked isListed:false is not public and is skipped, not counted as malformed. Ashby
 * has no "updated" field, so the description's digest is the only sign of an edit.
 * Pure: no I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "html.h"
#include "pay.h"
#include "source_common.h"
#include "url.h"
#include "util.h"

#define ASHBY_ENVELOPE "a JSON object with \"jobs\""

/* A Salary component as a range; false when it is another kind or states no amount. */
static bool component_pay(const struct jv *c, struct pay *pay)
{
	static const struct source_pay_keys keys = {"minValue", "maxValue", "currencyCode",
						    "interval"};
	const char *type = source_json_str(c, "compensationType");

	if (type == NULL || strcasecmp(type, "Salary") != 0)
		return false;
	return source_pay_fields(c, &keys, "ashby:compensation", pay);
}

/* A tier's name for its ranges: its title, else its summary ("CA$102.8K – CA$137K"). */
static char *tier_label(const struct jv *tier)
{
	char *label = source_clean(source_json_str(tier, "title"));

	return label ? label : source_clean(source_json_str(tier, "tierSummary"));
}

/* Every Salary component of every tier, then summaryComponents if the tiers had none.
 * True when a range was added. */
static bool pay_from_compensation(struct posting *p, const struct jv *comp)
{
	const struct jv *tier, *c;
	size_t i, j;
	struct pay pay;

	jv_array_foreach(jv_get(comp, "compensationTiers"), i, tier)
	{
		char *label = tier_label(tier);
		jv_array_foreach(jv_get(tier, "components"), j, c)
		{
			if (component_pay(c, &pay))
				posting_add_range(p, label, &pay);
		}
		free(label);
	}
	if (p->nranges == 0) {
		jv_array_foreach(jv_get(comp, "summaryComponents"), i, c)
		{
			if (component_pay(c, &pay))
				posting_add_range(p, NULL, &pay);
		}
	}
	if (p->nranges == 0)
		return false;
	p->pay_text = source_clean(source_json_str(comp, "compensationTierSummary"));
	if (p->pay_text == NULL)
		p->pay_text =
		    source_clean(source_json_str(comp, "scrapeableCompensationSalarySummary"));
	return true;
}

/* location, then each secondary location not already named, "; "-joined. */
static char *location_of(const struct jv *job)
{
	struct buf b = BUF_INIT;
	char *primary = source_clean(source_json_str(job, "location"));
	const struct jv *sec;
	size_t i;

	if (primary)
		buf_puts(&b, primary);
	jv_array_foreach(jv_get(job, "secondaryLocations"), i, sec)
	{
		char *one = source_clean(source_json_str(sec, "location"));
		if (one && !(primary && strcmp(one, primary) == 0)) {
			if (b.len)
				buf_puts(&b, "; ");
			buf_puts(&b, one);
		}
		free(one);
	}
	free(primary);
	return b.len ? buf_steal(&b) : NULL;
}

static char *description_text(const struct jv *job)
{
	const char *plain = source_json_str(job, "descriptionPlain");
	const char *html = source_json_str(job, "descriptionHtml");

	if (!str_empty(plain))
		return source_fold_text(plain, strlen(plain));
	char *text = html_to_text(html ? html : "", html ? strlen(html) : 0);
	char *folded = source_fold_text(text, strlen(text));
	free(text);
	return folded;
}

static void parse_job(const struct jv *job, void *ctx, struct posting_list *out)
{
	if (jv_is_false(jv_get(job, "isListed")))
		return;

	char *id = source_json_id(jv_get(job, "id"));
	char *title = source_clean(source_json_str(job, "title"));

	struct posting *p = source_posting_add(out, id, title);

	if (p == NULL)
		return;
	p->department = source_clean(source_json_str(job, "department"));
	if (p->department == NULL)
		p->department = source_clean(source_json_str(job, "team"));
	p->location = location_of(job);
	p->url = source_clean(source_json_str(job, "jobUrl"));
	if (p->url == NULL)
		p->url = source_clean(source_json_str(job, "applyUrl"));

	char *text = description_text(job);
	source_set_digest(p, text);
	if (!pay_from_compensation(p, source_json_obj(job, "compensation")))
		source_pay_from_text(p, text, "text");
	free(text);
}

static int ashby_parse(const struct source_target *src, struct source_walk *w, const char *body,
		       size_t len, struct posting_list *out, struct source_request *next, char *err,
		       size_t errlen)
{
	static const struct source_json_list list = {
	    .key = "jobs", .expected = ASHBY_ENVELOPE, .each = parse_job, .alone = true};

	return source_json_each(&list, body, len, NULL, out, err, errlen);
}

/* api.ashbyhq.com/posting-api/… is the API; jobs.ashbyhq.com/BOARD its board. */
static bool ashby_recognise(const char *url, const struct url_parts *u, char **api_url)
{
	char board[URL_MAX_NAME];

	if (url_host_is(u, "api.ashbyhq.com") && url_path_starts(u, "/posting-api/")) {
		*api_url = xstrdup(url);
		return true;
	}
	if (url_host_is(u, "jobs.ashbyhq.com") && url_seg(u, 0, board, sizeof(board))) {
		*api_url = source_board_url("ashby", board);
		return true;
	}
	return false;
}

const struct source_adapter source_ashby = {
    .type = "ashby",
    .first = source_first_url,
    .parse = ashby_parse,
    .board = {"https://api.ashbyhq.com/posting-api/job-board/", "?includeCompensation=true"},
    .recognise = ashby_recognise,
    .name = {.seg = 3},
};
