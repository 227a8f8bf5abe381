/* test_posting.c - the posting list: its hashed look-up by external id (issue 21.3: 100,000
 * positions of one page cost 41 s when each was compared with every one before it), which
 * must stay right across growth, pops and ids set after posting_list_add. */
#include "harness.h"

#include <stdio.h>

#include "posting.h"
#include "util.h"

static void add(struct posting_list *l, size_t i)
{
	struct posting *p = posting_list_add(l);
	p->external_id = xasprintf("id-%zu", i);
}

static void test_find_many(void)
{
	struct posting_list l = {0};
	size_t n = 200000, missing = 0, wrong = 0;
	char id[32];
	double t0 = harness_cpu();

	/* as an adapter does: look each up before adding it */
	for (size_t i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "id-%zu", i);
		if (posting_list_find(&l, id) != NULL)
			wrong++;
		add(&l, i);
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "id-%zu", i);
		struct posting *p = posting_list_find(&l, id);
		if (p == NULL)
			missing++;
		else if (p != &l.items[i])
			wrong++;
	}
	CHECK_NUM(missing, 0);
	CHECK_NUM(wrong, 0);
	CHECK(posting_list_find(&l, "id-200000") == NULL);
	CHECK(harness_cpu() - t0 < 1.0);
	posting_list_clear(&l);
	CHECK(l.len == 0 && l.index == NULL && posting_list_find(&l, "id-1") == NULL);
}

static void test_find_pop_and_late_ids(void)
{
	struct posting_list l = {0};

	add(&l, 1);
	add(&l, 2);
	CHECK(posting_list_find(&l, "id-2") == &l.items[1]);
	posting_list_pop(&l);
	CHECK(posting_list_find(&l, "id-2") == NULL);
	CHECK(posting_list_find(&l, "id-1") == &l.items[0]);
	/* a posting without an id yet is not found, and is once it has one */
	struct posting *p = posting_list_add(&l);
	CHECK(posting_list_find(&l, "late") == NULL);
	p = &l.items[1];
	p->external_id = xstrdup("late");
	add(&l, 3);
	CHECK(posting_list_find(&l, "late") == NULL || posting_list_find(&l, "late") == p);
	add(&l, 4);
	CHECK(posting_list_find(&l, "id-4") == &l.items[3]);
	/* the first of two with one id is the one found */
	add(&l, 4);
	CHECK(posting_list_find(&l, "id-4") == &l.items[3]);
	posting_list_clear(&l);
}

/* Marks go with their postings: none until one is marked, past growth of the list, and not
 * to a posting added where a popped one was. */
static void test_marks(void)
{
	struct posting_list l = {0};

	add(&l, 0);
	CHECK(l.input_fp == NULL && posting_list_input_fp(&l, 0) == 0);
	posting_list_mark(&l, 0, 7, 0);
	CHECK(l.later_item == NULL); /* nothing settled: no room taken for it */
	for (size_t i = 1; i < 100; i++) {
		size_t from = l.len;
		add(&l, i);
		posting_list_mark(&l, from, 100 + i, i % 2 ? i : 0);
	}
	CHECK(posting_list_input_fp(&l, 0) == 7);
	CHECK(posting_list_input_fp(&l, 99) == 199);
	CHECK_NUM(posting_list_later_item(&l, 0), 0);
	CHECK_NUM(posting_list_later_item(&l, 98), 0);
	CHECK_NUM(posting_list_later_item(&l, 99), 99);
	posting_list_pop(&l);
	add(&l, 99);
	CHECK(posting_list_input_fp(&l, 99) == 0 && posting_list_later_item(&l, 99) == 0);
	CHECK(posting_list_input_fp(&l, 1000) == 0);
	posting_list_clear(&l);
	CHECK(l.input_fp == NULL && l.later_item == NULL && l.marks_cap == 0);
}

int main(void)
{
	RUN(test_find_many);
	RUN(test_find_pop_and_late_ids);
	RUN(test_marks);
	return harness_end();
}
