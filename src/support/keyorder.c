/*-------------------------------------------------------------------------
 *
 * keyorder.c
 *	  The order jsonb stores the keys of like objects in, learnt from one
 *	  and applied to the next before jsonb sorts them.
 *
 * jsonb keeps an object's keys sorted (shortest first, then bytewise), and
 * pushJsonbValue sorts them when the object ends.  A RESO server sends
 * every record of a resource with the same keys in the same order, and a
 * RETS Search every row with its COLUMNS; with 600 and more keys that sort
 * was the largest single cost of reading wide records.  Handed the keys
 * already in order, the sort only checks that they are (PostgreSQL's qsort
 * does so in one pass), so the work left is comparing each key with the
 * one remembered.  The sort still runs: the learnt order is never trusted,
 * only made cheap to confirm, and objects with other keys are correct,
 * only not faster.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "support/keyorder.h"

struct MlsJsonKeyOrder
{
	MemoryContext cxt;			/* where what is learnt lives */
	int			nkeys;
	char	   *text;			/* the keys one after another, as they came */
	int		   *offsets;		/* where each key starts in text */
	int		   *lengths;
	int		   *sorted;			/* positions of arrival, in jsonb's order */
};

/*
 * A key order that learns from the objects it is applied to; it lives in
 * cxt.
 */
MlsJsonKeyOrder *
MlsJsonKeyOrderCreate(MemoryContext cxt)
{
	MlsJsonKeyOrder *order = MemoryContextAllocZero(cxt, sizeof(MlsJsonKeyOrder));

	order->cxt = cxt;
	return order;
}

/*
 * jsonb's order of two pairs of an object: the shorter key first, keys of
 * one length bytewise, and of two equal keys the later one first (the one
 * jsonb keeps), as uniqueifyJsonbObject orders them.
 */
static int
compare_pairs(const void *a, const void *b, void *arg)
{
	const JsonbPair *pairs = arg;
	const JsonbPair *pa = &pairs[*(const int *) a];
	const JsonbPair *pb = &pairs[*(const int *) b];
	int			res;

	if (pa->key.val.string.len != pb->key.val.string.len)
		return pa->key.val.string.len > pb->key.val.string.len ? 1 : -1;
	res = memcmp(pa->key.val.string.val, pb->key.val.string.val, pa->key.val.string.len);
	if (res != 0)
		return res;
	return pa->order > pb->order ? -1 : 1;
}

/*
 * Whether the object's keys are those remembered, in the same order.
 */
static bool
same_keys(const MlsJsonKeyOrder *order, const JsonbPair *pairs, int n)
{
	if (order->nkeys != n)
		return false;
	for (int i = 0; i < n; i++)
	{
		if (pairs[i].key.val.string.len != order->lengths[i] ||
			memcmp(pairs[i].key.val.string.val, order->text + order->offsets[i],
				   order->lengths[i]) != 0)
			return false;
	}
	return true;
}

/*
 * Remember the object's keys and their sorted order, in place of what was
 * remembered.
 */
static void
learn_keys(MlsJsonKeyOrder *order, const JsonbPair *pairs, int n)
{
	MemoryContext old = MemoryContextSwitchTo(order->cxt);
	Size		total = 0;

	if (order->text)
	{
		pfree(order->text);
		pfree(order->offsets);
		pfree(order->lengths);
		pfree(order->sorted);
	}
	for (int i = 0; i < n; i++)
		total += pairs[i].key.val.string.len;
	order->text = palloc(Max(total, 1));
	order->offsets = palloc(sizeof(int) * n);
	order->lengths = palloc(sizeof(int) * n);
	order->sorted = palloc(sizeof(int) * n);
	total = 0;
	for (int i = 0; i < n; i++)
	{
		memcpy(order->text + total, pairs[i].key.val.string.val, pairs[i].key.val.string.len);
		order->offsets[i] = (int) total;
		order->lengths[i] = pairs[i].key.val.string.len;
		order->sorted[i] = i;
		total += pairs[i].key.val.string.len;
	}
	order->nkeys = n;
	qsort_arg(order->sorted, n, sizeof(int), compare_pairs, (void *) pairs);
	MemoryContextSwitchTo(old);
}

/*
 * Put the pairs of an object being built (the contVal of a JsonbParseState
 * before its WJB_END_OBJECT) in jsonb's order, as learnt from the last
 * object whose keys differed.  Each pair keeps its position of arrival (its
 * order), which the final sort uses to keep the last of two equal keys.
 */
void
MlsJsonKeyOrderApply(MlsJsonKeyOrder *order, JsonbValue *object)
{
	int			n = object->val.object.nPairs;
	JsonbPair  *pairs = object->val.object.pairs;
	JsonbPair  *sorted;

	if (n < 2)
		return;
	if (!same_keys(order, pairs, n))
		learn_keys(order, pairs, n);
	sorted = palloc(sizeof(JsonbPair) * n);
	for (int i = 0; i < n; i++)
		sorted[i] = pairs[order->sorted[i]];
	memcpy(pairs, sorted, sizeof(JsonbPair) * n);
	pfree(sorted);
}

