# A media worker killed with SIGKILL in the middle of its downloads: the
# cluster restarts, the launcher starts a media worker again, and it goes on
# where the killed one stopped.  Every item is stored with the truth's
# bytes in the end, and no item the killed worker had stored (committed) is
# downloaded again: the sample server's request log shows each of their
# URLs exactly once, and nothing of the killed worker is left in the spool.
# Then a photo that changes at the source while it downloads is downloaded
# again.
use strict;
use warnings;
use lib 'test/perl';
use MlsTest;
use PostgreSQL::Test::Utils;
use Test::More;

my $server = start_mls_server();
my $node = new_mlsync_node('media_crash', 'mlsync.media_workers = 1');
$node->safe_psql('postgres', slurp_file('test/helpers/media.sql'));

sub sql { return $node->safe_psql('postgres', $_[0]); }

sql(q{SELECT mls_test.reset('{"mls": "c", "listings": 10, "seed": 51, "media": {"size": "large"}}')});
sql(q{SELECT mlsync.mls_create_tenant('acme')});
sql(q{SELECT mlsync.mls_connect('acme', 'c', protocol => 'reso',
		endpoint => mls_test.reso_root('c'), token_url => mls_test.token_url('c'),
		username => 'mlsync', photo_policy => 'download')});
sql(q{SELECT mlsync.mls_set_credentials('acme', 'c', client_secret => 's3cret')});
# two downloads at a time, each photo slow enough to be caught in the middle
sql(q{SELECT mlsync.mls_media_configure('acme', 'c', concurrency => 2)});
sql(q{SELECT mls_test.fault('{"mls": "c", "path": "/media/", "fault": "slow", "delay": 0.1, "count": -1}')});
sql(q{SELECT mls_test.clear_requests()});
my $items = sql(q{SELECT count(*) FROM mls_test.media_truth('c')});
ok($items > 150, "the MLS has $items photos");

sql(q{SELECT mlsync.mls_sync('acme', 'c', mode => 'full')});
wait_for($node, q{SELECT count(*) >= 60 FROM mlsync.mls_media WHERE state = 'stored'},
	'the media worker to store some photos');
my $pid = sql(q{SELECT pid FROM pg_stat_activity WHERE backend_type = 'mlsync media worker'});
ok($pid, "a media worker ($pid) is downloading");
# what is committed when the worker dies
sql(q{CREATE TABLE stored_before AS
		SELECT media_key, source_url, sha256 FROM mlsync.mls_media WHERE state = 'stored'});
my $before = sql(q{SELECT count(*) FROM stored_before});
ok(kill('KILL', $pid), 'media worker killed in the middle of its downloads');
# (rows committed between the copy and the kill are not in stored_before:
# they may be asked for once more by nobody, so the check below holds)
ok($before < $items, "it had stored $before of $items photos");

# the cluster restarts; the launcher starts a media worker that resumes
wait_for($node, q{SELECT true}, 'the restart after the crash');
sql(q{SELECT mls_test.clear_faults('c')});
wait_for($node, q{SELECT NOT EXISTS (SELECT 1 FROM mlsync.mls_media WHERE state = 'pending')
				   AND NOT EXISTS (SELECT 1 FROM mlsync.mls_media_objects WHERE derive_state = 'pending')},
	'the photos after the restart');
is(sql(q{SELECT missing || '/' || extra || '/' || different || '/' || bad_files
		  FROM mls_test.media_diff('acme', 'c', 'c')}), '0/0/0/0',
	'every photo stored once, with the truth\'s bytes');
is(sql(q{SELECT count(*) FROM stored_before b JOIN mlsync.mls_media m USING (media_key)
		  WHERE m.sha256 IS DISTINCT FROM b.sha256 OR m.state <> 'stored'}), '0',
	'what was stored before the kill is kept as it was');
# the killed worker's spool files (downloads in flight, finished ones not
# yet stored) are swept by the worker after it
my $spool = $node->data_dir . '/mlsync_media/.tmp';
opendir(my $dh, $spool) or die "cannot read $spool: $!";
# (entries are "<pid>-<n>-<what>"; a live worker may be removing its own)
my @left = grep { my ($pid) = /^(\d+)-/; !/^\.\.?$/ && !($pid && kill(0, $pid)) } readdir($dh);
closedir($dh);
is(scalar(@left), 0, 'nothing of a process that is gone is left in the spool') or diag(join(' ', @left));

# the request log: each URL stored before the kill was asked for once
my $twice = sql(q{
	WITH asked AS (SELECT r ->> 'path' AS path, count(*) AS n FROM mls_test.requests('c') r
					WHERE r ->> 'kind' = 'media' GROUP BY 1)
	SELECT count(*) FROM stored_before b
	  LEFT JOIN asked a ON b.source_url LIKE '%' || a.path || '?%'
	 WHERE a.n IS DISTINCT FROM 1});
is($twice, '0', 'no photo stored before the kill was downloaded again');
is(sql(q{SELECT count(*) >= (SELECT count(*) FROM mlsync.mls_media) FROM mls_test.requests('c') r
		  WHERE r ->> 'kind' = 'media'}), 't', 'the rest were downloaded after the restart');

# A photo that changes at the source while it downloads (same URL, new
# modification time: a sync marks it pending again) is downloaded again:
# the bytes of the download begun before the change are not recorded as
# the photo's.
my ($media_key, $path) = split /\|/, sql(q{
	SELECT media_key || '|' || regexp_replace(source_url, '^https?://[^/]+|[?].*$', '', 'g')
	  FROM mlsync.mls_media WHERE state = 'stored' ORDER BY media_key LIMIT 1});
sql(qq{SELECT mls_test.clear_requests()});
sql(qq{SELECT mls_test.fault(jsonb_build_object('mls', 'c', 'path', '$path', 'fault', 'slow',
											  'delay', 4, 'count', 1))});
sql(qq{UPDATE mlsync.mls_media SET state = 'pending', source_modified_raw = 'v1', attempts = 0,
		   next_attempt_at = NULL WHERE media_key = '$media_key'});
# (the fault counts the request as it arrives, before its delay)
wait_for($node, q{SELECT (SELECT (r ->> 'matched')::int FROM jsonb_array_elements(
							mls_test.control('GET', '/control/faults') -> 'rules') r
						   WHERE r ->> 'mls' = 'c' AND r ->> 'fault' = 'slow') > 0},
	'the photo\'s download to begin');
sql(qq{UPDATE mlsync.mls_media SET source_modified_raw = 'v2' WHERE media_key = '$media_key'});
wait_for($node, qq{SELECT state = 'stored' FROM mlsync.mls_media WHERE media_key = '$media_key'},
	'the changed photo to be stored');
is(sql(q{SELECT count(*) FROM mls_test.requests('c') r WHERE r ->> 'kind' = 'media'}), '2',
	'the photo that changed during its download was downloaded again, once');

$node->stop;
done_testing();
