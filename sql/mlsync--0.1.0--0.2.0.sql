-- mlsync 0.1.0 to 0.2.0 (docs/upgrading.md)
\echo Use "ALTER EXTENSION mlsync UPDATE TO '0.2.0'" to load this file. \quit
