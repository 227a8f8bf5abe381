/* greenhouse.c - the Greenhouse job board API (boards-api.greenhouse.io/v1/boards/X/jobs with
 * content=true&pay_transparency=true): one page, {"jobs": […], "meta": {…}}. Owns the
 * mapping of a Greenhouse job to a posting, including its three places for pay: the
 * structured pay_input_ranges (cents, no period field), the pay-transparency block inside
 * content, and prose. content is HTML that was entity-escaped once more, so it is unescaped
 * before it is parsed. Pure: no I/O. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "pay.h"
#include "source_common.h"
#include "url.h"
#include "util.h"

#define GREENHOUSE_ENVELOPE "a JSON object with \"jobs\""

/* "Sales, Marketing" from departments[].name. */
static char *join_departments(const struct jv *deps)
{
	struct buf b = BUF_INIT;

	source_join_each(&b, deps, "name", ", ");
	return b.len ? buf_steal(&b) : NULL;
}

/* The period a range's title or blurb names. Prose in a blurb says "a year of experience"
 * or "40 hours", so only its adjectives count; a title is short enough to trust any word. */
static enum pay_period period_from_words(const char *text, bool adjectives_only)
{
	static const char *const adjectives[] = {"hourly", "daily",  "weekly",	"monthly",
						 "yearly", "annual", "annually"};
	char word[24];

	for (const char *s = text; s && *s;) {
		size_t n = 0;

		while (*s && !isalpha((unsigned char)*s))
			s++;
		while (isalpha((unsigned char)*s)) {
			if (n < sizeof(word) - 1)
				word[n++] = (char)tolower((unsigned char)*s);
			s++;
		}
		word[n] = '\0';
		if (n == 0)
			break;
		bool allowed = !adjectives_only;
		for (size_t i = 0; !allowed && i < UTIL_ARRAY_LEN(adjectives); i++)
			allowed = strcmp(word, adjectives[i]) == 0;
		enum pay_period period = allowed ? pay_period_parse(word) : PAY_PERIOD_NONE;
		if (period != PAY_PERIOD_NONE)
			return period;
	}
	return PAY_PERIOD_NONE;
}

/* One of pay_input_ranges as a range; false when it holds no amount. */
static bool pay_from_range(struct pay *pay, const struct jv *r)
{
	static const struct source_pay_keys keys = {"min_cents", "max_cents", "currency_type",
						    NULL};

	if (!source_pay_fields(r, &keys, "greenhouse:pay_input_ranges", pay))
		return false;
	pay->min /= 100; /* NAN stays NAN */
	pay->max /= 100;

	enum pay_period period = period_from_words(source_json_str(r, "title"), false);
	if (period == PAY_PERIOD_NONE) {
		const char *blurb = source_json_str(r, "blurb");
		char *text = html_to_text(blurb, blurb ? strlen(blurb) : 0);
		period = period_from_words(text, true);
		free(text);
	}
	/* Greenhouse has no period field; its ranges are salaries unless they say otherwise. */
	pay->period = period != PAY_PERIOD_NONE ? period : PAY_PERIOD_YEAR;
	pay->period_inferred = period == PAY_PERIOD_NONE;
	return true;
}

/* Every one of pay_input_ranges (one per location or level), labelled with its title; false
 * when none holds an amount. */
static bool pay_from_ranges(struct posting *p, const struct jv *ranges)
{
	const struct jv *r;
	struct pay pay;
	size_t i;

	jv_array_foreach(ranges, i, r)
	{
		if (pay_from_range(&pay, r))
			posting_add_range(p, source_json_str(r, "title"), &pay);
	}
	return p->nranges > 0;
}

/* The pay-transparency block of content, whose range is more reliable than any prose. */
static bool pay_from_block(struct posting *p, const char *html)
{
	const char *mark = strstr(html, "content-pay-transparency");

	if (mark == NULL)
		return false;
	while (mark > html && *mark != '<')
		mark--;
	char *text = html_to_text(mark, strlen(mark));
	bool found = source_pay_from_text(p, text, "greenhouse:pay-transparency");
	free(text);
	return found;
}

static void parse_content(struct posting *p, const struct jv *job)
{
	const char *content = source_json_str(job, "content");
	char *html = html_unescape(content, content ? strlen(content) : 0);
	char *text = html_to_text(html, strlen(html));

	source_set_digest(p, text);
	if (!pay_from_ranges(p, jv_get(job, "pay_input_ranges")) && !pay_from_block(p, html))
		source_pay_from_text(p, text, "text");
	free(text);
	free(html);
}

static void parse_job(const struct jv *job, void *ctx, struct posting_list *out)
{
	char *id = source_json_id(jv_get(job, "id"));
	char *title = source_clean(source_json_str(job, "title"));

	struct posting *p = source_posting_add(out, id, title);

	if (p == NULL)
		return;
	p->location = source_clean(source_json_str(source_json_obj(job, "location"), "name"));
	p->url = source_clean(source_json_str(job, "absolute_url"));
	p->department = join_departments(jv_get(job, "departments"));
	parse_content(p, job);
}

static int greenhouse_parse(const struct source_target *src, struct source_walk *w,
			    const char *body, size_t len, struct posting_list *out,
			    struct source_request *next, char *err, size_t errlen)
{
	static const struct source_json_list list = {
	    .key = "jobs", .expected = GREENHOUSE_ENVELOPE, .each = parse_job, .alone = true};

	return source_json_each(&list, body, len, NULL, out, err, errlen);
}

/* boards-api.greenhouse.io is the API itself; boards., job-boards. and their .eu twins name
 * the board in the first segment, or in "for" of the embed forms (job_board, job_board/js,
 * job_app). */
static bool greenhouse_recognise(const char *url, const struct url_parts *u, char **api_url)
{
	char board[URL_MAX_NAME];

	if (url_host_is(u, "boards-api.greenhouse.io")) {
		*api_url = xstrdup(url);
		return true;
	}
	if (!url_host_is(u, "boards.greenhouse.io") &&
	    !url_host_is(u, "job-boards.greenhouse.io") &&
	    !url_host_is(u, "boards.eu.greenhouse.io") &&
	    !url_host_is(u, "job-boards.eu.greenhouse.io"))
		return false;
	if (url_seg_is(u, 0, "embed") ? url_param(u, "for", board, sizeof(board))
				      : url_seg(u, 0, board, sizeof(board))) {
		*api_url = source_board_url("greenhouse", board);
		return true;
	}
	return false;
}

const struct source_adapter source_greenhouse = {
    .type = "greenhouse",
    .first = source_first_url,
    .parse = greenhouse_parse,
    .board = {"https://boards-api.greenhouse.io/v1/boards/",
	      "/jobs?content=true&pay_transparency=true"},
    .recognise = greenhouse_recognise,
    .name = {.seg = 3},
};
