-- Credentials: encrypted at rest under a key outside the database, write-only
-- from SQL, and clean failures without a usable key.
\pset pager off
SET client_min_messages = warning;
\set SHOW_CONTEXT never

SELECT tenant_id FROM mlsync.mls_create_tenant('acme');
SELECT connection FROM mlsync.mls_connect('acme', 'crmls', protocol => 'reso',
										  endpoint => 'https://reso.example.com/odata');

-- key files are written by the server itself, so they belong to its user
CREATE FUNCTION pg_temp.write_file(path text, content text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('COPY (SELECT %L) TO %L', content, path);
END
$$;
SELECT current_setting('data_directory') || '/mlsync_key_a' AS key_a,
	   current_setting('data_directory') || '/mlsync_key_b' AS key_b,
	   current_setting('data_directory') || '/mlsync_key_bad' AS key_bad \gset
SELECT pg_temp.write_file(:'key_a', repeat('0123456789abcdef', 4));
SELECT pg_temp.write_file(:'key_b', repeat('fedcba9876543210', 4));
SELECT pg_temp.write_file(:'key_bad', 'not a key');
-- COPY writes files readable by others; a key file must not be
SELECT format('COPY (SELECT 1) TO PROGRAM %L', 'cat >/dev/null; chmod 0600 ' || :'key_a' || ' ' || :'key_b' || ' ' || :'key_bad') AS chmod \gset
:chmod;

-- errors that name the key file, with the data directory masked
CREATE FUNCTION pg_temp.try(sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	state text;
	message text;
	detail text;
	hint text;
BEGIN
	EXECUTE sql;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
	RETURN replace(concat_ws(' | ', state, message, nullif(detail, ''), nullif(hint, '')),
				   current_setting('data_directory'), '<datadir>');
END
$$;

-- no key file named: a clear error, and nothing stored
SET mlsync.secret_key_file = '';
SELECT mlsync.mls_set_credentials('acme', 'crmls', password => 'hunter2');
SELECT count(*) FROM mlsync.mls_credentials;

SET mlsync.secret_key_file = '/nonexistent/mlsync.key';
SELECT mlsync.mls_set_credentials('acme', 'crmls', password => 'hunter2');
SET mlsync.secret_key_file = :'key_bad';
SELECT pg_temp.try($$SELECT mlsync.mls_set_credentials('acme', 'crmls', password => 'hunter2')$$);
-- a key readable by others is refused, as PostgreSQL refuses its TLS key
SELECT format('COPY (SELECT 1) TO PROGRAM %L', 'cat >/dev/null; chmod 0644 ' || :'key_b') AS chmod \gset
:chmod;
SET mlsync.secret_key_file = :'key_b';
SELECT pg_temp.try($$SELECT mlsync.mls_set_credentials('acme', 'crmls', password => 'hunter2')$$);
SELECT format('COPY (SELECT 1) TO PROGRAM %L', 'cat >/dev/null; chmod 0600 ' || :'key_b') AS chmod \gset
:chmod;
SELECT count(*) FROM mlsync.mls_credentials;

-- a connection that does not exist
SET mlsync.secret_key_file = :'key_a';
SELECT mlsync.mls_set_credentials('acme', 'nosuch', password => 'hunter2');

-- stored, encrypted
SELECT mlsync.mls_set_credentials('acme', 'crmls', password => 'hunter2',
								  client_secret => 'client-secret-value');
SELECT kind,
	   length(key_id) AS key_id_bytes,
	   length(ciphertext) - 29 AS plaintext_bytes,
	   position('hunter2'::bytea IN ciphertext) = 0
		 AND position('client-secret-value'::bytea IN ciphertext) = 0 AS no_plaintext_inside
  FROM mlsync.mls_credentials ORDER BY kind;
-- encrypting the same secret twice gives different ciphertexts (random nonces)
SELECT ciphertext AS first FROM mlsync.mls_credentials WHERE kind = 'password' \gset
SELECT mlsync.mls_set_credentials('acme', 'crmls', password => 'hunter2');
SELECT ciphertext <> :'first'::bytea AS nonce_changed
  FROM mlsync.mls_credentials WHERE kind = 'password';
SELECT kind, decryptable FROM mlsync.mls_credentials_status('acme', 'crmls');

-- a ciphertext moved to another row does not decrypt there
UPDATE mlsync.mls_credentials SET ciphertext = (SELECT ciphertext FROM mlsync.mls_credentials
												 WHERE kind = 'client_secret')
 WHERE kind = 'password';
SELECT kind, decryptable FROM mlsync.mls_credentials_status('acme', 'crmls');
SELECT mlsync.mls_set_credentials('acme', 'crmls', password => 'hunter2');

-- another key decrypts nothing
SET mlsync.secret_key_file = :'key_b';
SELECT kind, decryptable FROM mlsync.mls_credentials_status('acme', 'crmls');
SET mlsync.secret_key_file = :'key_a';

-- a secret is bound to what it was stored for: the endpoint's and token
-- URL's origins and the user name.  Changing one (or allowing the
-- connection's credentials on one more origin) removes the secrets (so
-- nobody who may repoint a connection gets its secret sent elsewhere), and
-- a ciphertext that survives anyway (the trigger bypassed) no longer
-- decrypts; a change of path on the same origin keeps them
SELECT mlsync.mls_set_credentials('acme', 'crmls', client_secret => 'bound');
SELECT action FROM mlsync.mls_connect('acme', 'crmls', endpoint => 'https://reso.example.com/odata/v2/');
SELECT kind, decryptable FROM mlsync.mls_credentials_status('acme', 'crmls') ORDER BY kind;
SET client_min_messages = notice;
SELECT action FROM mlsync.mls_connect('acme', 'crmls', endpoint => 'https://attacker.example.net/odata/');
SET client_min_messages = warning;
SELECT kind, decryptable FROM mlsync.mls_credentials_status('acme', 'crmls') ORDER BY kind;
SELECT action FROM mlsync.mls_connect('acme', 'crmls', endpoint => 'https://reso.example.com/odata/');
-- allowed_origins: one more origin the credentials may reach removes them,
-- one origin less keeps them
SELECT mlsync.mls_set_credentials('acme', 'crmls', client_secret => 'bound');
SELECT action FROM mlsync.mls_connect('acme', 'crmls', allowed_origins => '{https://media.example.com}');
SELECT count(*) AS secrets_left FROM mlsync.mls_credentials;
SELECT mlsync.mls_set_credentials('acme', 'crmls', client_secret => 'bound');
SELECT action FROM mlsync.mls_connect('acme', 'crmls', allowed_origins => '{}');
SELECT count(*) AS secrets_left FROM mlsync.mls_credentials;
SELECT mlsync.mls_set_credentials('acme', 'crmls', password => 'hunter2', client_secret => 'bound');
UPDATE mlsync.mls_connections SET username = 'someone-else' WHERE connection = 'crmls';
SELECT count(*) AS secrets_left FROM mlsync.mls_credentials;
SELECT mlsync.mls_set_credentials('acme', 'crmls', password => 'hunter2', client_secret => 'bound');
ALTER TABLE mlsync.mls_connections DISABLE TRIGGER mls_connections_unbind_credentials;
UPDATE mlsync.mls_connections SET token_url = 'https://attacker.example.net/token' WHERE connection = 'crmls';
SELECT kind, decryptable FROM mlsync.mls_credentials_status('acme', 'crmls') ORDER BY kind;
UPDATE mlsync.mls_connections SET token_url = NULL WHERE connection = 'crmls';
ALTER TABLE mlsync.mls_connections ENABLE TRIGGER mls_connections_unbind_credentials;
SELECT kind, decryptable FROM mlsync.mls_credentials_status('acme', 'crmls') ORDER BY kind;

-- key rotation: every secret re-encrypted under the new key, all or none;
-- the old key then decrypts nothing, the new one everything
SELECT mlsync.mls_rotate_secret_key('mlsync_key_bad');
SELECT mlsync.mls_rotate_secret_key(:'key_b') AS rotated;
SELECT kind, decryptable FROM mlsync.mls_credentials_status('acme', 'crmls') ORDER BY kind;
SET mlsync.secret_key_file = :'key_b';
SELECT kind, decryptable FROM mlsync.mls_credentials_status('acme', 'crmls') ORDER BY kind;
SELECT mlsync.mls_rotate_secret_key(:'key_b') AS rotated_again;
SELECT mlsync.mls_rotate_secret_key(:'key_a') AS rotated_back;
SET mlsync.secret_key_file = :'key_a';
SELECT kind, decryptable FROM mlsync.mls_credentials_status('acme', 'crmls') ORDER BY kind;

-- '' removes a secret, NULL leaves it
SELECT mlsync.mls_set_credentials('acme', 'crmls', client_secret => '');

-- no role can read a secret back through SQL
CREATE ROLE mlsync_app;
GRANT USAGE ON SCHEMA mlsync TO mlsync_app;
SET ROLE mlsync_app;
SELECT * FROM mlsync.mls_credentials;
SELECT mlsync.mls_set_credentials('acme', 'crmls', password => 'x');
SELECT * FROM mlsync.mls_credentials_status('acme', 'crmls');
SHOW mlsync.secret_key_file;
SET mlsync.secret_key_file = '/tmp/mine';
SELECT mlsync.mls_rotate_secret_key('/tmp/mine');
RESET ROLE;
-- an administrator of the tenant may let a role store secrets: it still
-- cannot read them, nor call the function that stores them as the owner
SELECT mlsync.mls_grant_tenant('acme', 'mlsync_app', 'operate');
SET ROLE mlsync_app;
SELECT mlsync.mls_set_credentials_unchecked('acme', 'crmls', password => 'x');
SELECT mlsync.mls_set_credentials('acme', 'crmls', password => 'app-set-secret');
SELECT ciphertext FROM mlsync.mls_credentials;
RESET ROLE;
SELECT kind, decryptable FROM mlsync.mls_credentials_status('acme', 'crmls');

SELECT mlsync.mls_revoke_tenant('acme', 'mlsync_app');
REVOKE USAGE ON SCHEMA mlsync FROM mlsync_app;
DROP ROLE mlsync_app;
RESET mlsync.secret_key_file;
DELETE FROM mlsync.mls_tenants;
