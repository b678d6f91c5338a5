-- Helpers for tests that read the responses recorded from real RETS servers
-- (fixtures/rets in the directory MLSYNC_SHARED_DIR names; never copied
-- into the repository).  \i test/helpers/rets_fixtures.sql from a test: it
-- defines, for the session, pg_temp.fixture(path) (a fixture's bytes),
-- pg_temp.http_body(raw) and pg_temp.http_header(raw, name) (the body and a
-- header of a raw HTTP recording), and pg_temp.recording(path) (a fixture's
-- body and Content-Type, whether it is a raw recording or a bare body).
\set ECHO none
\getenv shared MLSYNC_SHARED_DIR
SELECT set_config('test.fixtures', :'shared' || '/fixtures/rets', false) \g /dev/null

CREATE FUNCTION pg_temp.fixture(path text) RETURNS bytea
LANGUAGE sql AS $$ SELECT pg_read_binary_file(current_setting('test.fixtures') || '/' || path) $$;

-- the body of a raw HTTP recording (status line, headers, blank line, body):
-- what follows the first CRLF CRLF or LF LF
CREATE FUNCTION pg_temp.http_body(raw bytea) RETURNS bytea
LANGUAGE plpgsql AS $$
DECLARE
	crlf int := position('\x0d0a0d0a'::bytea in raw);
	lf int := position('\x0a0a'::bytea in raw);
BEGIN
	IF crlf > 0 AND (lf = 0 OR crlf < lf) THEN
		RETURN substring(raw from crlf + 4);
	END IF;
	RETURN substring(raw from lf + 2);
END $$;

-- a header of a raw HTTP recording
CREATE FUNCTION pg_temp.http_header(raw bytea, name text) RETURNS text
LANGUAGE sql AS $$
	SELECT (regexp_match(convert_from(substring(raw from 1 for position('\x0d0a0d0a'::bytea in raw)), 'SQL_ASCII'),
						 '(?in)^' || name || ':[ \t]*([^\r\n]*)'))[1]
$$;

-- a fixture as a response: the body and Content-Type of a raw HTTP recording
-- (one that starts with HTTP/), or a bare body without a Content-Type
CREATE FUNCTION pg_temp.recording(path text, OUT body bytea, OUT content_type text)
LANGUAGE plpgsql AS $$
DECLARE
	raw bytea := pg_temp.fixture(path);
BEGIN
	body := raw;
	IF substring(raw from 1 for 5) = 'HTTP/'::bytea THEN
		body := pg_temp.http_body(raw);
		content_type := pg_temp.http_header(raw, 'Content-Type');
	END IF;
END $$;
\set ECHO all
