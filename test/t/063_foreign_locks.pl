# No role can stop another tenant's work by holding a lock.  A role with no
# privilege on tenant acme holds, in an open transaction, every advisory lock
# SQL can name that mlsync used to take (acme's matching lock, the
# statistics refresh's, acme's media storage's): acme's sync, its matching
# and the statistics refresh go on without waiting (mlsync's locks are tags
# SQL cannot name, src/tenancy/locks.c).  The role cannot take mlsync's
# locks through mlsync's functions either, nor lock mlsync's shared tables
# (directly or through a view of its own) more strongly than its own writes
# would, nor make every writer queue behind a statement PostgreSQL refuses
# only once it holds its lock (CREATE TRIGGER, CREATE RULE, a foreign key,
# a partition).
use strict;
use warnings;
use lib 'test/perl';
use PostgreSQL::Test::Utils;
use Test::More;
use MlsTest;

my $server = start_mls_server();
my $node = new_mlsync_node('foreign_locks');

sub sql { return $node->safe_psql('postgres', $_[0]); }

connect_sample_reso($node, 'acme', 'fl', '{"listings": 60, "seed": 63}', 50);
sql(q{CREATE ROLE intruder LOGIN;
	  CREATE SCHEMA intruder AUTHORIZATION intruder;});

# The intruder's session holds the locks mlsync 0.2.0's development took as
# advisory locks, and keeps its transaction open.
my $intruder = $node->background_psql('postgres', extra_params => [ '-U', 'intruder' ]);
$intruder->query_safe('BEGIN');
$intruder->query_safe(q{
	SELECT pg_advisory_xact_lock(1835824237, hashtext('acme')),
		   pg_advisory_xact_lock(30800015591044211),
		   pg_advisory_xact_lock(1835822386, hashtext('acme'))});
is(sql(q{SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
		  WHERE a.usename = 'intruder' AND l.locktype = 'advisory' AND l.granted}),
	'3', 'the intruder holds three advisory locks');

# acme's full sync, which matches every listing it writes, does not wait.
my ($rc, $out, $err) = $node->psql('postgres', q{
	SET statement_timeout = '60s';
	SELECT mlsync.mls_sync('acme', 'fl', mode => 'full', wait => true);
	SELECT count(*) || ' ' || count(property_id) FROM mlsync.mls_listings WHERE tenant_id = 'acme'});
is($rc, 0, 'acme\'s sync did not wait for the intruder') or diag($err);
is((split /\n/, $out)[-1], '60 60', 'it wrote and matched every listing');

($rc, $out, $err) = $node->psql('postgres', q{
	SET statement_timeout = '20s';
	SELECT mlsync.mls_link_listings('acme', 'fl', a.listing_key, 'fl', b.listing_key) > 0
	  FROM (SELECT listing_key FROM mlsync.mls_listings WHERE tenant_id = 'acme'
			 ORDER BY listing_key LIMIT 2) a(listing_key),
		   LATERAL (SELECT listing_key FROM mlsync.mls_listings WHERE tenant_id = 'acme'
					 ORDER BY listing_key DESC LIMIT 1) b(listing_key)
	 LIMIT 1});
is($rc, 0, 'linking two of acme\'s listings (the SQL side of the matching lock) did not wait')
  or diag($err);
is($out, 't', 'and linked them');

($rc, $out, $err) = $node->psql('postgres', q{
	SET statement_timeout = '20s';
	SELECT mlsync.mls_refresh_stats() > 0});
is($rc, 0, 'the statistics refresh did not wait') or diag($err);
is($out, 't', 'and built the statistics');

# Pruning compacts the refresh's marks only under its lock (never waiting
# for it): five listings marked twice keep one mark each.
sql(q{INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
	  SELECT tenant_id, connection, listing_key
		FROM (SELECT * FROM mlsync.mls_listings WHERE tenant_id = 'acme'
			   ORDER BY listing_key LIMIT 5) l, generate_series(1, 2)});
($rc, $out, $err) = $node->psql('postgres', q{
	SET statement_timeout = '20s';
	SELECT pruned FROM mlsync.mls_prune() WHERE table_name = 'mls_stats_dirty';
	SELECT count(*) FROM mlsync.mls_stats_dirty WHERE tenant_id = 'acme'});
is($rc, 0, 'pruning did not wait') or diag($err);
is($out, "5\n5", 'and compacted the marks under the refresh\'s lock');
$intruder->query_safe('ROLLBACK');

# mlsync's own locks are out of the intruder's reach.
($rc, $out, $err) = $node->psql('postgres', q{SELECT mlsync.mls_match_lock('acme')},
	extra_params => [ '-U', 'intruder' ]);
like($err, qr/permission denied for tenant "acme"/, 'the intruder cannot take acme\'s matching lock');
like($err, qr/lacks the operate privilege/, 'which needs the operate privilege');
# Nor through mls_rematch with a privilege too low to rematch (display):
# it took the lock, then found nothing it could see, and succeeded.
sql(q{SELECT mlsync.mls_grant_tenant('acme', 'intruder', 'display')});
($rc, $out, $err) = $node->psql('postgres', q{SELECT rematched FROM mlsync.mls_rematch('acme')},
	extra_params => [ '-U', 'intruder' ]);
like($err, qr/permission denied for tenant "acme"/,
	'nor by rematching acme with the display privilege only');
sql(q{SELECT mlsync.mls_revoke_tenant('acme', 'intruder', NULL)});
($rc, $out, $err) = $node->psql('postgres', q{SELECT mlsync.mls_stats_refresh_try_lock()},
	extra_params => [ '-U', 'intruder' ]);
like($err, qr/permission denied for function mls_stats_refresh_try_lock/,
	'nor the statistics refresh\'s lock');

# Explicit table locks: as strong as its writes, no stronger.
($rc, $out, $err) = $node->psql('postgres', q{
	BEGIN;
	LOCK TABLE mlsync.mls_listings IN ROW EXCLUSIVE MODE;
	SELECT 'locked';
	COMMIT}, extra_params => [ '-U', 'intruder' ]);
is($out, 'locked', 'the intruder may lock mls_listings as its own writes would (ROW EXCLUSIVE)')
  or diag($err);
for my $mode ('SHARE', 'ACCESS EXCLUSIVE')
{
	($rc, $out, $err) = $node->psql('postgres', qq{
		BEGIN;
		LOCK TABLE mlsync.mls_listings IN $mode MODE;
		COMMIT}, extra_params => [ '-U', 'intruder' ]);
	like($err, qr/permission denied to lock mls_listings in $mode mode/,
		"but not in $mode mode");
}
like($err, qr/DETAIL:  It would lock mlsync\.mls_listings, a table of mlsync that every tenant shares/,
	'the refusal says why');
($rc, $out, $err) = $node->psql('postgres', q{
	CREATE VIEW intruder.all_listings AS
		SELECT * FROM (SELECT listing_key FROM mlsync.mls_listings) l;
	BEGIN;
	LOCK TABLE intruder.all_listings IN ACCESS EXCLUSIVE MODE;
	COMMIT}, extra_params => [ '-U', 'intruder' ]);
like($err, qr/permission denied to lock all_listings in ACCESS EXCLUSIVE mode.*\n.*mlsync\.mls_listings/,
	'nor through a view of its own, which locks the tables under it');
($rc, $out, $err) = $node->psql('postgres', q{
	CREATE TABLE intruder.own (id int);
	BEGIN;
	LOCK TABLE intruder.own IN ACCESS EXCLUSIVE MODE;
	SELECT 'locked';
	COMMIT}, extra_params => [ '-U', 'intruder' ]);
is($out, 'locked', 'its own tables it locks as it likes') or diag($err);
is(sql(q{BEGIN; LOCK TABLE mlsync.mls_listings IN ACCESS EXCLUSIVE MODE; SELECT 'locked'; COMMIT}),
	'locked', 'the owner of mlsync\'s tables may lock them');
# The check after a LOCK judges the locks that LOCK took, not those the
# session held before it (here the owner's, before SET ROLE).
is(sql(q{BEGIN;
		 LOCK TABLE mlsync.mls_listings IN SHARE MODE;
		 SET LOCAL ROLE intruder;
		 LOCK TABLE intruder.own IN ACCESS EXCLUSIVE MODE;
		 SELECT 'locked';
		 COMMIT}),
	'locked', 'a LOCK of its own table is not refused for a lock the session held before');

# Statements PostgreSQL refuses only once it holds their lock are refused
# before it: while a batch holds its ROW EXCLUSIVE locks, the intruder's
# attempts fail at once (the lock timeout would say they waited, every
# later writer queued behind them).
my $writer = $node->background_psql('postgres');
$writer->query_safe('BEGIN');
$writer->query_safe(q{LOCK TABLE mlsync.mls_listings, mlsync.mls_tenants IN ROW EXCLUSIVE MODE});
sql(q{CREATE FUNCTION intruder.nothing() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END';
	  ALTER FUNCTION intruder.nothing() OWNER TO intruder});
my @lock_first = (
	[ 'CREATE TRIGGER t AFTER INSERT ON mlsync.mls_listings FOR EACH ROW EXECUTE FUNCTION intruder.nothing()',
	  qr/permission denied for table mls_listings/, 'CREATE TRIGGER' ],
	[ 'CREATE CONSTRAINT TRIGGER t AFTER INSERT ON mlsync.mls_listings FOR EACH ROW EXECUTE FUNCTION intruder.nothing()',
	  qr/permission denied for table mls_listings/, 'CREATE CONSTRAINT TRIGGER' ],
	[ 'CREATE RULE r AS ON INSERT TO mlsync.mls_listings DO ALSO NOTHING',
	  qr/must be owner of table mls_listings/, 'CREATE RULE' ],
	[ q{CREATE TABLE intruder.part PARTITION OF mlsync.mls_listings FOR VALUES IN ('x')},
	  qr/must be owner of table mls_listings/, 'CREATE TABLE ... PARTITION OF' ],
	[ 'CREATE TABLE intruder.fk (t text REFERENCES mlsync.mls_tenants)',
	  qr/permission denied for table mls_tenants/, 'a column\'s foreign key in CREATE TABLE' ],
	[ 'CREATE TABLE intruder.fk (t text, c text, k text, FOREIGN KEY (t, c, k) REFERENCES mlsync.mls_listings)',
	  qr/permission denied for table mls_listings/, 'a table\'s foreign key in CREATE TABLE' ],
	[ 'ALTER TABLE intruder.own ADD COLUMN t text REFERENCES mlsync.mls_tenants',
	  qr/permission denied for table mls_tenants/, 'ALTER TABLE ADD COLUMN ... REFERENCES' ],
	[ 'ALTER TABLE intruder.own ADD COLUMN t text, ADD FOREIGN KEY (t) REFERENCES mlsync.mls_tenants NOT VALID',
	  qr/permission denied for table mls_tenants/, 'ALTER TABLE ADD FOREIGN KEY' ],
	[ q{CREATE TEMP TABLE parted (tenant_id text) PARTITION BY LIST (tenant_id);
		ALTER TABLE parted ATTACH PARTITION mlsync.mls_listings FOR VALUES IN ('x')},
	  qr/must be owner of table mls_listings/, 'ALTER TABLE ... ATTACH PARTITION' ],
	[ q{CREATE TEMP TABLE parted (tenant_id text) PARTITION BY LIST (tenant_id);
		ALTER TABLE parted DETACH PARTITION mlsync.mls_listings},
	  qr/must be owner of table mls_listings/, 'ALTER TABLE ... DETACH PARTITION' ],
	[ q{CREATE FOREIGN TABLE intruder.remote PARTITION OF mlsync.mls_listings FOR VALUES IN ('x') SERVER nowhere},
	  qr/must be owner of table mls_listings/, 'CREATE FOREIGN TABLE ... PARTITION OF' ]);
for my $case (@lock_first)
{
	my ($statement, $refusal, $what) = @$case;

	($rc, $out, $err) = $node->psql('postgres', "SET lock_timeout = '5s'; $statement",
		extra_params => [ '-U', 'intruder' ]);
	like($err, $refusal, "$what on an mlsync table is refused without waiting for a batch")
	  or diag($err);
}
# and what it may do on its own tables is not refused, a table named like
# one of mlsync's that references itself included
($rc, $out, $err) = $node->psql('postgres', q{
	SET lock_timeout = '5s';
	CREATE TRIGGER t AFTER INSERT ON intruder.own FOR EACH ROW EXECUTE FUNCTION intruder.nothing();
	CREATE TABLE intruder.ref (id int PRIMARY KEY);
	ALTER TABLE intruder.own ADD FOREIGN KEY (id) REFERENCES intruder.ref;
	SET search_path = intruder, mlsync;
	CREATE TABLE mls_tenants (id int PRIMARY KEY, parent int REFERENCES mls_tenants);
	CREATE TABLE intruder.parted (id int) PARTITION BY LIST (id);
	CREATE TABLE intruder.part1 PARTITION OF intruder.parted FOR VALUES IN (1);
	ALTER TABLE intruder.parted DETACH PARTITION intruder.part1;
	ALTER TABLE intruder.parted ATTACH PARTITION intruder.part1 FOR VALUES IN (1);
	SELECT 'created'}, extra_params => [ '-U', 'intruder' ]);
is($out, 'created', 'triggers, foreign keys and partitions among its own tables are not refused')
  or diag($err);
$writer->query_safe('COMMIT');
$writer->quit;

$intruder->quit;
$node->stop;
done_testing();
