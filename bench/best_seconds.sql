-- Shared by the benchmarks: pg_temp.best_seconds(sql, runs) runs a statement
-- runs times and returns the best wall time in seconds (the least disturbed
-- by whatever else the machine does).  \i it with psql -v bench=<bench dir>.
CREATE FUNCTION pg_temp.best_seconds(sql text, runs integer) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; best float8 := 'infinity';
BEGIN
	FOR i IN 1..runs LOOP
		t0 := clock_timestamp();
		EXECUTE sql;
		best := least(best, extract(epoch FROM clock_timestamp() - t0));
	END LOOP;
	RETURN best;
END $$;
