/** Opens the store a server was configured with: the SQLite file in its data dir, or a PostgreSQL database. */
import { PgStore } from './postgres';
import { SqliteStore } from './sqlite';
import type { Store } from './store';

export interface StoreOptions {
  dataDir: string;
  /** `postgres://…` (or `postgresql://…`): PostgreSQL; null or absent: SQLite in dataDir. */
  databaseUrl?: string | null;
  /** Delete (SQLite) or drop (PostgreSQL: this schema's tables) the existing data first. */
  reset?: boolean;
  /** PostgreSQL connections of this process. */
  poolSize?: number;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    if (!isPostgresUrl(options.databaseUrl)) throw new Error('The database URL must start with postgres:// or postgresql://.');
    return PgStore.open({
      url: options.databaseUrl,
      reset: options.reset ?? false,
      ...(options.poolSize ? { poolSize: options.poolSize } : {}),
    });
  }
  return SqliteStore.open({ dataDir: options.dataDir, reset: options.reset ?? false });
}
