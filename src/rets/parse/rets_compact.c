/*-------------------------------------------------------------------------
 *
 * rets_compact.c
 *	  Streaming parser of RETS COMPACT and COMPACT-DECODED responses:
 *	  Search results and GetMetadata tables (docs/protocols.md R5, R6, R9).
 *
 * A search response is
 *
 *	<RETS ReplyCode="0" ReplyText="...">
 *	<COUNT Records="160"/>
 *	<DELIMITER value="09"/>
 *	<COLUMNS>\tListingID\tListPrice\t</COLUMNS>
 *	<DATA>\tLN000005\t250000\t</DATA> ...
 *	<MAXROWS/>
 *	<RETS-STATUS ReplyCode="20208" ReplyText="..."/>
 *	</RETS>
 *
 * and COMPACT metadata wraps the same COLUMNS/DATA framing in METADATA-*
 * elements that carry the table's scope (Resource, Class, Lookup, Version,
 * Date), except METADATA-SYSTEM, whose <SYSTEM> attributes and <COMMENTS>
 * make one row.  STANDARD-XML metadata (one element per row, one child
 * element per field) is read too, because some servers only send that: a
 * child element of a METADATA-* table is a row, its attributes and child
 * elements its fields.
 *
 * Rules real servers need (docs/protocols.md R5 names the recordings):
 * DELIMITER is the delimiter's code in hex, with or without spaces around
 * '=', one or two digits, TAB when absent; exactly one leading and one
 * trailing delimiter are removed from COLUMNS and DATA when present, and
 * values are never trimmed; 20201 is an empty result; 20208 in the root or
 * in RETS-STATUS, or <MAXROWS/>, mean the result was truncated.
 *
 * All parsing happens inside libxml2 callbacks, which record rows and errors
 * in the parser and never raise.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "rets/parse/rets_compact.h"

/* Free text kept from inside <RETS> (error explanations) */
#define MAX_FREE_TEXT 4096
/* Nesting of METADATA-* elements */
#define MAX_BLOCKS 32
/* Row limit when the caller gives none */
#define DEFAULT_MAX_ROW_BYTES (16 * 1024 * 1024)

typedef enum Capture
{
	CAP_NONE,
	CAP_COLUMNS,
	CAP_DATA,
	CAP_FIELD,
	CAP_COMMENTS
} Capture;

struct RetsCompactParser
{
	MemoryContext cxt;			/* the parser's own context */
	MemoryContext rows_cxt[2];	/* rows being filled / rows last taken */
	int			filling;
	RetsXml    *xml;
	RetsCompactKind kind;
	size_t		max_row_bytes;
	char		errbuf[RETS_ERROR_LEN];
	bool		finished;
	RetsCompactInfo info;

	bool		root_seen;
	bool		rets_root;		/* the root is <RETS> */

	/* the value being read */
	Capture		capture;
	int			capture_depth;
	RetsBuf		buf;
	RetsBuf		text;			/* free text inside <RETS> */
	bool		text_full;		/* ... kept up to MAX_FREE_TEXT: no more */

	/* metadata tables */
	RetsTable **tables;
	int			ntables;
	int			tables_cap;
	int			block_table[MAX_BLOCKS];
	int			block_depth[MAX_BLOCKS];
	int			nblocks;

	/* an element row (STANDARD-XML, or SYSTEM) not yet delivered */
	bool		row_pending;
	bool		row_inside;		/* its element is still open */
	int			row_depth;
	int			row_table;
	RetsBuf		row_fields;		/* name \0 value \0 ... */
	int			row_nfields;

	/* where the fields of the row being split start */
	int		   *starts;
	int			starts_cap;

	/* rows parsed and not yet taken */
	RetsRow   **rows;
	int			nrows;
	int			rows_cap;
	int64		row_number;
};

static void compact_start(void *arg, int depth, const char *name, int nattrs,
						  const RetsXmlAttr *attrs);
static void compact_end(void *arg, int depth, const char *name);
static void compact_text(void *arg, int depth, const char *data, size_t len);

static const RetsXmlHandler compact_handler = {compact_start, compact_end, compact_text};

/*
 * Stop with an error from inside a callback.
 */
#define ABORT(p, ...) RetsXmlAbort((p)->xml, __VA_ARGS__)

/*
 * Find an attribute by name; NULL when absent.
 */
static const char *
attr_value(int nattrs, const RetsXmlAttr *attrs, const char *name)
{
	int			i;

	for (i = 0; i < nattrs; i++)
		if (strcmp(attrs[i].name, name) == 0)
			return attrs[i].value;
	return NULL;
}

/*
 * Copy a string into the parser's long-lived context.
 */
static char *
keep_string(RetsCompactParser *p, const char *s)
{
	char	   *copy = RetsStrndup(p->cxt, s, strlen(s));

	if (copy == NULL)
		ABORT(p, "out of memory");
	return copy;
}

/*
 * Append a finished row to the rows not yet taken.
 */
static bool
push_row(RetsCompactParser *p, RetsRow *row)
{
	if (p->nrows == p->rows_cap)
	{
		int			cap = p->rows_cap == 0 ? 64 : p->rows_cap * 2;
		RetsRow   **rows = RetsAlloc(p->rows_cxt[p->filling], sizeof(RetsRow *) * cap);

		if (rows == NULL)
		{
			ABORT(p, "out of memory");
			return false;
		}
		if (p->nrows > 0)
			memcpy(rows, p->rows, sizeof(RetsRow *) * p->nrows);
		if (p->rows != NULL)
			pfree(p->rows);
		p->rows = rows;
		p->rows_cap = cap;
	}
	row->number = ++p->row_number;
	p->rows[p->nrows++] = row;
	p->info.rows++;
	if (row->error != NULL)
		p->info.bad_rows++;
	if (row->table >= 0)
		p->tables[row->table]->rows++;
	return true;
}

/*
 * Split delimited text (COLUMNS or DATA) after removing exactly one leading
 * and one trailing delimiter.  Returns the field count and sets *start and
 * *len to the part to split.
 */
static int
delimited_span(const char *text, size_t textlen, char delim,
			   const char **start, size_t *len)
{
	const char *s = text;
	size_t		n = textlen;
	const char *q;
	const char *end;
	int			nf = 1;

	if (n > 0 && s[0] == delim)
	{
		s++;
		n--;
	}
	if (n > 0 && s[n - 1] == delim)
		n--;
	end = s + n;
	for (q = s; (q = memchr(q, delim, end - q)) != NULL; q++)
		nf++;
	*start = s;
	*len = n;
	return nf;
}

/*
 * Split s[0..len) (already NUL-terminated at len) in place into nf fields.
 */
static void
split_fields(char *s, size_t len, char delim, int nf, char **values, int *lengths)
{
	char	   *end = s + len;
	int			k;

	for (k = 0; k < nf; k++)
	{
		char	   *e = memchr(s, delim, end - s);

		if (e == NULL)
			e = end;
		values[k] = s;
		if (lengths != NULL)
			lengths[k] = e - s;
		*e = '\0';
		s = e + 1;
	}
}

/*
 * COLUMNS ended: keep the column names in the parser's context.
 */
static void
take_columns(RetsCompactParser *p)
{
	const char *s;
	size_t		len;
	/* an empty <COLUMNS/> captured no text: buf.data is still NULL */
	int			nf = delimited_span(p->buf.data ? p->buf.data : "", p->buf.len,
									(char) p->info.delimiter, &s, &len);
	char	  **names;
	char	   *copy;

	names = RetsAlloc(p->cxt, sizeof(char *) * nf);
	copy = RetsStrndup(p->cxt, s, len);
	if (names == NULL || copy == NULL)
	{
		ABORT(p, "out of memory");
		return;
	}
	split_fields(copy, len, (char) p->info.delimiter, nf, names, NULL);
	if (p->nblocks > 0)
	{
		RetsTable  *t = p->tables[p->block_table[p->nblocks - 1]];

		t->columns = names;
		t->ncolumns = nf;
		t->compact = true;
	}
	else if (p->kind == RETS_COMPACT_SEARCH)
	{
		p->info.columns = names;
		p->info.ncolumns = nf;
	}
}

/*
 * DATA ended: make a row of its fields, named by the COLUMNS in force.  The
 * text is split in one pass: the start of every field is noted, then the
 * row is allocated at its exact size and the delimiters become NULs.
 */
static void
take_data(RetsCompactParser *p)
{
	char		delim = (char) p->info.delimiter;
	const char *s = p->buf.data ? p->buf.data : "";
	size_t		len = p->buf.len;
	const char *q;
	const char *end;
	int			nf = 0;
	int			table = -1;
	char	  **names = p->info.columns;
	int			ncolumns = p->info.ncolumns;
	size_t		errlen;
	size_t		size;
	char	   *mem;
	RetsRow    *row;
	int			k;

	if (len > 0 && s[0] == delim)
	{
		s++;
		len--;
	}
	if (len > 0 && s[len - 1] == delim)
		len--;
	end = s + len;
	for (q = s;;)
	{
		const char *e;

		if (nf == p->starts_cap)
		{
			int			cap = p->starts_cap == 0 ? 256 : p->starts_cap * 2;
			int		   *starts = RetsAlloc(p->cxt, sizeof(int) * (cap + 1));

			if (starts == NULL)
			{
				ABORT(p, "out of memory");
				return;
			}
			if (nf > 0)
				memcpy(starts, p->starts, sizeof(int) * nf);
			if (p->starts != NULL)
				pfree(p->starts);
			p->starts = starts;
			p->starts_cap = cap;
		}
		p->starts[nf++] = q - s;
		e = memchr(q, delim, end - q);
		if (e == NULL)
			break;
		q = e + 1;
	}
	/* as if a delimiter followed the last field */
	p->starts[nf] = len + 1;

	if (p->nblocks > 0)
	{
		RetsTable  *t;

		table = p->block_table[p->nblocks - 1];
		t = p->tables[table];
		names = t->columns;
		ncolumns = t->ncolumns;
		/* metadata rows of delimiters only carry nothing (libRETS skips them) */
		if (len == (size_t) (nf - 1))
		{
			t->skipped++;
			return;
		}
	}
	else if (p->kind != RETS_COMPACT_SEARCH)
		return;

	errlen = (names == NULL || nf != ncolumns) ? 96 : 0;
	size = MAXALIGN(sizeof(RetsRow)) + MAXALIGN(sizeof(char *) * nf) +
		MAXALIGN(sizeof(int) * nf) + len + 1 + errlen;
	mem = RetsAlloc(p->rows_cxt[p->filling], size);
	if (mem == NULL)
	{
		ABORT(p, "out of memory");
		return;
	}
	row = (RetsRow *) mem;
	mem += MAXALIGN(sizeof(RetsRow));
	row->values = (char **) mem;
	mem += MAXALIGN(sizeof(char *) * nf);
	row->lengths = (int *) mem;
	mem += MAXALIGN(sizeof(int) * nf);
	memcpy(mem, s, len);
	for (k = 0; k < nf; k++)
	{
		row->values[k] = mem + p->starts[k];
		row->lengths[k] = p->starts[k + 1] - 1 - p->starts[k];
		mem[p->starts[k + 1] - 1] = '\0';
	}
	mem += len + 1;
	row->table = table;
	row->nfields = nf;
	row->names = names;
	row->ncolumns = names == NULL ? 0 : ncolumns;
	row->error = NULL;
	if (errlen > 0)
	{
		if (names == NULL)
			snprintf(mem, errlen, "DATA before COLUMNS");
		else
			snprintf(mem, errlen, "row has %d fields but COLUMNS has %d", nf, ncolumns);
		row->error = mem;
	}
	push_row(p, row);
}

/*
 * Add a name/value field to the element row being read.
 */
static bool
add_row_field(RetsCompactParser *p, const char *name, const char *value, size_t vlen)
{
	if (!RetsBufAppend(p->cxt, &p->row_fields, name, strlen(name) + 1) ||
		!RetsBufAppend(p->cxt, &p->row_fields, value, vlen) ||
		!RetsBufAppend(p->cxt, &p->row_fields, "", 1))
	{
		ABORT(p, "out of memory");
		return false;
	}
	p->row_nfields++;
	return true;
}

/*
 * Deliver the element row held back (it waits in case <COMMENTS> follows
 * <SYSTEM>).  Rows whose fields are all empty are skipped.
 */
static void
flush_pending_row(RetsCompactParser *p)
{
	int			nf = p->row_nfields;
	size_t		size;
	char	   *mem;
	char	   *s;
	RetsRow    *row;
	bool		blank = true;
	int			k;

	if (!p->row_pending)
		return;
	p->row_pending = false;
	p->row_inside = false;
	if (nf == 0)
		return;

	size = MAXALIGN(sizeof(RetsRow)) + MAXALIGN(sizeof(char *) * nf) * 2 +
		MAXALIGN(sizeof(int) * nf) + p->row_fields.len;
	mem = RetsAlloc(p->rows_cxt[p->filling], size);
	if (mem == NULL)
	{
		ABORT(p, "out of memory");
		return;
	}
	row = (RetsRow *) mem;
	mem += MAXALIGN(sizeof(RetsRow));
	row->names = (char **) mem;
	mem += MAXALIGN(sizeof(char *) * nf);
	row->values = (char **) mem;
	mem += MAXALIGN(sizeof(char *) * nf);
	row->lengths = (int *) mem;
	mem += MAXALIGN(sizeof(int) * nf);
	memcpy(mem, p->row_fields.data, p->row_fields.len);
	s = mem;
	for (k = 0; k < nf; k++)
	{
		row->names[k] = s;
		s += strlen(s) + 1;
		row->values[k] = s;
		row->lengths[k] = strlen(s);
		if (row->lengths[k] > 0)
			blank = false;
		s += row->lengths[k] + 1;
	}
	p->row_fields.len = 0;
	p->row_nfields = 0;
	if (blank)
	{
		p->tables[p->row_table]->skipped++;
		pfree(row);
		return;
	}
	row->table = p->row_table;
	row->nfields = nf;
	row->ncolumns = nf;
	row->error = NULL;
	push_row(p, row);
}

/*
 * A METADATA-* element opens a table.
 */
static void
open_block(RetsCompactParser *p, int depth, const char *name, int nattrs,
		   const RetsXmlAttr *attrs)
{
	RetsTable  *t;
	int			i;

	if (p->nblocks == MAX_BLOCKS)
	{
		ABORT(p, "metadata elements nested more than %d deep", MAX_BLOCKS);
		return;
	}
	flush_pending_row(p);
	if (p->ntables == p->tables_cap)
	{
		int			cap = p->tables_cap == 0 ? 16 : p->tables_cap * 2;
		RetsTable **tables = RetsAlloc(p->cxt, sizeof(RetsTable *) * cap);

		if (tables == NULL)
		{
			ABORT(p, "out of memory");
			return;
		}
		if (p->ntables > 0)
			memcpy(tables, p->tables, sizeof(RetsTable *) * p->ntables);
		if (p->tables != NULL)
			pfree(p->tables);
		p->tables = tables;
		p->tables_cap = cap;
	}
	t = RetsAlloc(p->cxt, sizeof(RetsTable));
	if (t == NULL)
	{
		ABORT(p, "out of memory");
		return;
	}
	memset(t, 0, sizeof(RetsTable));
	t->type = keep_string(p, name);
	t->nattrs = nattrs;
	t->attr_names = RetsAlloc(p->cxt, sizeof(char *) * Max(nattrs, 1));
	t->attr_values = RetsAlloc(p->cxt, sizeof(char *) * Max(nattrs, 1));
	if (t->attr_names == NULL || t->attr_values == NULL)
	{
		ABORT(p, "out of memory");
		return;
	}
	for (i = 0; i < nattrs; i++)
	{
		t->attr_names[i] = keep_string(p, attrs[i].name);
		t->attr_values[i] = keep_string(p, attrs[i].value);
	}
	t->parent = p->nblocks > 0 ? p->block_table[p->nblocks - 1] : -1;
	p->tables[p->ntables] = t;
	p->block_table[p->nblocks] = p->ntables;
	p->block_depth[p->nblocks] = depth;
	p->ntables++;
	p->nblocks++;
}

/*
 * Start reading the text of a value.
 */
static void
begin_capture(RetsCompactParser *p, Capture what, int depth)
{
	p->capture = what;
	p->capture_depth = depth;
	p->buf.len = 0;
	if (p->buf.data != NULL)
		p->buf.data[0] = '\0';
}

/*
 * Read ReplyCode and ReplyText of <RETS> or <RETS-STATUS>.
 */
static bool
read_reply(RetsCompactParser *p, int nattrs, const RetsXmlAttr *attrs,
		   int *code, char **text)
{
	const char *c = attr_value(nattrs, attrs, "ReplyCode");
	const char *t = attr_value(nattrs, attrs, "ReplyText");

	if (c == NULL)
		return false;
	if (!RetsParseReplyCode(c, code))
	{
		ABORT(p, "invalid ReplyCode \"%s\"", c);
		return false;
	}
	if (t != NULL)
		*text = keep_string(p, t);
	return true;
}

/*
 * Whether an element opens a metadata table.
 */
static bool
is_table_element(const char *name)
{
	return strncmp(name, "METADATA-", 9) == 0 || strcmp(name, "RETSPayloadList") == 0;
}

static void
compact_start(void *arg, int depth, const char *name, int nattrs,
			  const RetsXmlAttr *attrs)
{
	RetsCompactParser *p = (RetsCompactParser *) arg;

	if (depth == 0)
	{
		p->root_seen = true;
		if (strcmp(name, "RETS") == 0)
		{
			p->rets_root = true;
			if (read_reply(p, nattrs, attrs, &p->info.reply_code, &p->info.reply_text))
			{
				p->info.has_reply = true;
				if (p->info.reply_code == 20201)
					p->info.no_records = true;
				if (p->info.reply_code == 20208)
					p->info.truncated = true;
			}
		}
		else if (p->kind == RETS_COMPACT_METADATA && is_table_element(name))
			open_block(p, depth, name, nattrs, attrs);
		else
			ABORT(p, "not a RETS response: the root element is <%s>", name);
		return;
	}

	/* markup inside a value: ignored, its text is kept */
	if (p->capture != CAP_NONE)
		return;

	if (is_table_element(name))
	{
		if (p->kind == RETS_COMPACT_METADATA)
			open_block(p, depth, name, nattrs, attrs);
		else
			ABORT(p, "unexpected <%s> in a search response", name);
		return;
	}

	if (p->nblocks > 0)
	{
		int			bdepth = p->block_depth[p->nblocks - 1];

		if (depth == bdepth + 1)
		{
			if (strcmp(name, "COLUMNS") == 0)
				begin_capture(p, CAP_COLUMNS, depth);
			else if (strcmp(name, "DATA") == 0)
				begin_capture(p, CAP_DATA, depth);
			else if (strcmp(name, "COMMENTS") == 0)
			{
				/* COMPACT METADATA-SYSTEM: <SYSTEM .../><COMMENTS>...</COMMENTS> */
				p->tables[p->block_table[p->nblocks - 1]]->compact = true;
				begin_capture(p, CAP_COMMENTS, depth);
			}
			else
			{
				int			i;

				/* an element row: its attributes are fields, then its children */
				flush_pending_row(p);
				p->row_pending = true;
				p->row_inside = true;
				p->row_depth = depth;
				p->row_table = p->block_table[p->nblocks - 1];
				p->row_fields.len = 0;
				p->row_nfields = 0;
				for (i = 0; i < nattrs; i++)
					if (!add_row_field(p, attrs[i].name, attrs[i].value, strlen(attrs[i].value)))
						return;
			}
		}
		else if (p->row_inside && depth == p->row_depth + 1)
		{
			if (!RetsBufAppend(p->cxt, &p->row_fields, name, strlen(name) + 1))
			{
				ABORT(p, "out of memory");
				return;
			}
			begin_capture(p, CAP_FIELD, depth);
		}
		return;
	}

	if (strcmp(name, "DATA") == 0)
	{
		if (p->kind == RETS_COMPACT_SEARCH)
			begin_capture(p, CAP_DATA, depth);
	}
	else if (strcmp(name, "COLUMNS") == 0)
	{
		/*
		 * One COLUMNS per search: the RETS source finds its key and
		 * timestamp columns once and indexes every later row with them, so
		 * rows of another set of columns would be read out of bounds.
		 */
		if (p->kind == RETS_COMPACT_SEARCH && p->info.columns != NULL)
			ABORT(p, "more than one <COLUMNS> in a search response");
		else if (p->kind == RETS_COMPACT_SEARCH)
			begin_capture(p, CAP_COLUMNS, depth);
	}
	else if (strcmp(name, "COUNT") == 0)
	{
		const char *v = attr_value(nattrs, attrs, "Records");
		char	   *end;
		long long	n;

		if (v == NULL)
			return;
		while (RetsIsSpace(*v))
			v++;
		errno = 0;
		n = strtoll(v, &end, 10);
		while (RetsIsSpace(*end))
			end++;
		if (errno != 0 || end == v || *end != '\0' || n < 0)
		{
			ABORT(p, "invalid COUNT Records \"%s\"", v);
			return;
		}
		p->info.count = n;
	}
	else if (strcmp(name, "DELIMITER") == 0)
	{
		const char *v = attr_value(nattrs, attrs, "value");
		char		hex[3];
		int			n = 0;
		char	   *end;
		long		code;

		if (v == NULL)
			return;
		while (RetsIsSpace(*v))
			v++;
		while (v[n] != '\0' && !RetsIsSpace(v[n]) && n < 3)
			n++;
		if (n < 1 || n > 2 || !isxdigit((unsigned char) v[0]) ||
			(n == 2 && !isxdigit((unsigned char) v[1])))
		{
			ABORT(p, "invalid DELIMITER value \"%s\"", v);
			return;
		}
		memcpy(hex, v, n);
		hex[n] = '\0';
		code = strtol(hex, &end, 16);
		/* TAB or a printable ASCII character; nothing else survives XML */
		if (code != '\t' && (code < 0x20 || code > 0x7E))
		{
			ABORT(p, "unsupported DELIMITER value \"%s\"", v);
			return;
		}
		p->info.delimiter = (int) code;
		p->info.delimiter_sent = true;
	}
	else if (strcmp(name, "MAXROWS") == 0)
	{
		p->info.maxrows = true;
		p->info.truncated = true;
	}
	else if (strcmp(name, "RETS-STATUS") == 0)
	{
		if (read_reply(p, nattrs, attrs, &p->info.status_code, &p->info.status_text))
		{
			p->info.has_status = true;
			if (p->info.status_code == 20208)
				p->info.truncated = true;
			if (p->info.status_code == 20201)
				p->info.no_records = true;
		}
	}
	else if (strcmp(name, "RETS-RESPONSE") == 0 && p->kind == RETS_COMPACT_SEARCH)
		ABORT(p, "STANDARD-XML search responses are not supported: ask for Format=COMPACT or COMPACT-DECODED");
}

static void
compact_end(void *arg, int depth, const char *name)
{
	RetsCompactParser *p = (RetsCompactParser *) arg;

	if (p->capture != CAP_NONE)
	{
		Capture		what = p->capture;

		if (depth != p->capture_depth)
			return;
		p->capture = CAP_NONE;
		switch (what)
		{
			case CAP_COLUMNS:
				take_columns(p);
				break;
			case CAP_DATA:
				take_data(p);
				break;
			case CAP_FIELD:
				if (!RetsBufAppend(p->cxt, &p->row_fields, p->buf.data ? p->buf.data : "", p->buf.len + 1))
					ABORT(p, "out of memory");
				else
					p->row_nfields++;
				break;
			case CAP_COMMENTS:
				if (!p->row_pending)
				{
					p->row_pending = true;
					p->row_inside = false;
					p->row_table = p->block_table[p->nblocks - 1];
					p->row_fields.len = 0;
					p->row_nfields = 0;
				}
				add_row_field(p, "Comments", p->buf.data ? p->buf.data : "", p->buf.len);
				break;
			case CAP_NONE:
				break;
		}
		return;
	}
	if (p->row_inside && depth == p->row_depth)
	{
		/* the row waits: <COMMENTS> may follow <SYSTEM> */
		p->row_inside = false;
		return;
	}
	if (p->nblocks > 0 && depth == p->block_depth[p->nblocks - 1])
	{
		flush_pending_row(p);
		p->nblocks--;
	}
}

static void
compact_text(void *arg, int depth, const char *data, size_t len)
{
	RetsCompactParser *p = (RetsCompactParser *) arg;

	if (p->capture != CAP_NONE)
	{
		if (p->buf.len + len > p->max_row_bytes)
		{
			ABORT(p, "row %lld is longer than %zu bytes",
				  (long long) p->row_number + 1, p->max_row_bytes);
			return;
		}
		if (!RetsBufAppend(p->cxt, &p->buf, data, len))
			ABORT(p, "out of memory");
		return;
	}
	if (depth == 0 && p->rets_root && !p->text_full)
	{
		/* cut at a character boundary, never inside a UTF-8 sequence */
		size_t		keep = RetsUtf8Clip(data, len, MAX_FREE_TEXT - p->text.len);

		p->text_full = keep < len;
		if (!RetsBufAppend(p->cxt, &p->text, data, keep))
			ABORT(p, "out of memory");
	}
}

/*
 * Create a parser of a Search (RETS_COMPACT_SEARCH) or GetMetadata
 * (RETS_COMPACT_METADATA) response in a new memory context under parent.
 * max_row_bytes bounds one row (0: 16 MB).  May raise (out of memory):
 * call it before the transfer starts, not from a libcurl callback.
 */
RetsCompactParser *
RetsCompactCreate(MemoryContext parent, RetsCompactKind kind, size_t max_row_bytes)
{
	MemoryContext cxt;
	RetsCompactParser *p;

	cxt = AllocSetContextCreate(parent, "RETS COMPACT parser", ALLOCSET_DEFAULT_SIZES);
	p = MemoryContextAllocZero(cxt, sizeof(RetsCompactParser));
	p->cxt = cxt;
	p->rows_cxt[0] = AllocSetContextCreate(cxt, "RETS rows", ALLOCSET_DEFAULT_SIZES);
	p->rows_cxt[1] = AllocSetContextCreate(cxt, "RETS rows", ALLOCSET_DEFAULT_SIZES);
	p->kind = kind;
	p->max_row_bytes = max_row_bytes > 0 ? max_row_bytes : DEFAULT_MAX_ROW_BYTES;
	p->info.count = -1;
	p->info.delimiter = '\t';

	/*
	 * libxml2 buffers the text between two tags before delivering it; bound
	 * that by a multiple of the row limit (entities make raw text longer than
	 * the value it decodes to).
	 */
	p->xml = RetsXmlCreate(cxt, &compact_handler, p,
						   p->max_row_bytes * 4 + 65536, p->errbuf);
	if (p->xml == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Could not create an XML parser.")));
	return p;
}

/*
 * Set the charset of the HTTP Content-Type (it wins over the XML
 * declaration); before the first feed.  Never raises.
 */
bool
RetsCompactSetCharset(RetsCompactParser *p, const char *charset)
{
	return RetsXmlSetCharset(p->xml, charset);
}

/*
 * Parse the next piece of the body.  Complete rows become available to
 * RetsCompactTakeRows.  Returns false once the parser has failed (see
 * RetsCompactError); never raises.
 */
bool
RetsCompactFeed(RetsCompactParser *p, const char *data, size_t len)
{
	bool		ok;
	Size		mem;

	if (p->finished)
	{
		RetsSetError(p->errbuf, "data fed after the end of the body");
		return false;
	}
	p->info.bytes += len;
	ok = RetsXmlFeed(p->xml, data, len);
	mem = MemoryContextMemAllocated(p->cxt, true);
	if (mem > p->info.peak_memory)
		p->info.peak_memory = mem;
	return ok;
}

/*
 * The body is complete: parse what is left and check the document ended.
 */
bool
RetsCompactFinish(RetsCompactParser *p)
{
	bool		ok;

	if (p->finished)
		return p->errbuf[0] == '\0';
	ok = RetsXmlFinish(p->xml);
	p->finished = true;
	if (ok)
		flush_pending_row(p);
	return ok && p->errbuf[0] == '\0';
}

/*
 * Take the rows parsed since the last call.  They stay valid until the next
 * call (or RetsCompactDestroy); the rows of the call before are freed now.
 * Never raises.
 */
int
RetsCompactTakeRows(RetsCompactParser *p, RetsRow ***rows)
{
	int			other = 1 - p->filling;
	int			n = p->nrows;

	MemoryContextReset(p->rows_cxt[other]);
	*rows = p->rows;
	p->filling = other;
	p->rows = NULL;
	p->nrows = 0;
	p->rows_cap = 0;
	return n;
}

/*
 * Memory held by rows not yet taken: a caller feeding from a libcurl write
 * callback may pause the transfer when this grows too large.
 */
size_t
RetsCompactPendingBytes(RetsCompactParser *p)
{
	return MemoryContextMemAllocated(p->rows_cxt[p->filling], false);
}

/*
 * Reply code and text, COUNT, DELIMITER, COLUMNS, truncation and counters,
 * as known so far.
 */
const RetsCompactInfo *
RetsCompactGetInfo(RetsCompactParser *p)
{
	RetsCompactInfo *info = &p->info;
	const RetsTextStats *stats = RetsXmlStats(p->xml);

	info->stats = *stats;
	info->encoding = RetsXmlEncoding(p->xml);

	/* the free text with its whitespace folded, for messages */
	if (info->text != NULL)
		pfree(info->text);
	info->text = NULL;
	if (p->text.len > 0)
	{
		char	   *out = RetsAlloc(p->cxt, p->text.len + 1);
		size_t		n = 0;
		size_t		i;
		bool		space = false;

		if (out != NULL)
		{
			for (i = 0; i < p->text.len; i++)
			{
				char		c = p->text.data[i];

				if (RetsIsSpace(c))
					space = n > 0;
				else
				{
					if (space)
						out[n++] = ' ';
					space = false;
					out[n++] = c;
				}
			}
			out[n] = '\0';
			if (n > 0)
				info->text = out;
			else
				pfree(out);
		}
	}
	return info;
}

/*
 * Metadata tables seen so far.
 */
int
RetsCompactNumTables(RetsCompactParser *p)
{
	return p->ntables;
}

const RetsTable *
RetsCompactGetTable(RetsCompactParser *p, int i)
{
	Assert(i >= 0 && i < p->ntables);
	return p->tables[i];
}

/*
 * The first error met, or NULL.
 */
const char *
RetsCompactError(RetsCompactParser *p)
{
	/* it may quote what the server sent */
	return p->errbuf[0] != '\0' ? RetsCleanMessage(p->errbuf) : NULL;
}

/*
 * Free the parser, libxml2's memory and every row.
 */
void
RetsCompactDestroy(RetsCompactParser *p)
{
	if (p == NULL)
		return;
	RetsXmlDestroy(p->xml);
	MemoryContextDelete(p->cxt);
}
