// The office queue's own bookkeeping beside the tickets it replicates: how far this station has
// applied the office log, and each applied command's answer by id (a command proposed twice,
// after a lost answer or a new queue holder, acts once). Handovers recorded while the office log
// could not be reached wait in office_pending until it can.
import type { MigrationSet } from '../store/db.js';

export const officeQueueMigrations: MigrationSet = {
  module: 'office-queue',
  steps: [
    {
      version: 1,
      name: 'applied index, command answers, pending commands',
      sql: `
        CREATE TABLE office_applied (id INTEGER PRIMARY KEY CHECK (id = 1), idx INTEGER NOT NULL);
        INSERT INTO office_applied (id, idx) VALUES (1, 0);
        CREATE TABLE office_commands (id TEXT PRIMARY KEY, idx INTEGER NOT NULL, result TEXT NOT NULL);
        CREATE TABLE office_pending (id TEXT PRIMARY KEY, command TEXT NOT NULL, at TEXT NOT NULL);
      `,
    },
  ],
};
