// The hub's PostgreSQL schema, applied at open under a session advisory lock so hub processes
// starting together do not race. Same tables and columns as on SQLite; the database should be the
// hub's own. Times are ISO-8601 UTC text, so they compare as text in both engines.
import type { PoolClient } from 'pg';

/** Advisory lock keys (any bigint unique to this application). */
export const MIGRATION_LOCK = 7_348_211_001;
export const FEED_LOCK = 7_348_211_002;

const steps: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'feed, devices, tokens, events, password versions, signing key',
    sql: `
      CREATE TABLE hub_meta (key text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE feed (
        seq bigint PRIMARY KEY,
        entity text NOT NULL,
        id text NOT NULL,
        op text NOT NULL CHECK (op IN ('upsert', 'delete')),
        office text,
        prev_office text,
        data text,
        UNIQUE (entity, id)
      );
      CREATE TABLE devices (
        device_id text PRIMARY KEY,
        office text,
        enrolled_at text NOT NULL,
        last_seen_at text,
        device_time text,
        hub_time text,
        skew_ms bigint,
        audit_seq bigint,
        audit_hash text,
        audit_at text
      );
      CREATE TABLE tokens (
        token_hash text PRIMARY KEY,
        device_id text NOT NULL REFERENCES devices (device_id),
        created_at text NOT NULL,
        revoked_at text
      );
      CREATE INDEX tokens_by_device ON tokens (device_id);
      CREATE TABLE events (
        n bigserial UNIQUE,
        id text PRIMARY KEY,
        device_id text NOT NULL,
        office text NOT NULL,
        type text NOT NULL,
        at text NOT NULL,
        device_time text NOT NULL,
        received_at text NOT NULL,
        status text NOT NULL CHECK (status IN ('applied', 'conflict')),
        detail text,
        data text NOT NULL,
        subject text
      );
      CREATE INDEX events_applied_pickups ON events (subject) WHERE type = 'pickup' AND status = 'applied';
      CREATE INDEX events_by_device ON events (device_id, n);
      CREATE TABLE password_versions (
        receiver_id text NOT NULL,
        version integer NOT NULL,
        changed_at text,
        PRIMARY KEY (receiver_id, version)
      );
      CREATE TABLE signing_keys (kid text PRIMARY KEY, seed text NOT NULL, created_at text NOT NULL);
    `,
  },
];

export async function migratePg(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS hub_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)');
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM hub_schema_migrations');
    const current = rows[0]?.v ?? 0;
    for (const step of steps) {
      if (step.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(step.sql);
        await client.query('INSERT INTO hub_schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [step.version, step.name, new Date().toISOString()]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
