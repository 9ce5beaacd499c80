/** A database for one test, closed (its folder for data moved out of memory removed) when the test ends. */
import { onTestFinished } from "vitest";
import { closeDb, type Db, openDb } from "../../pipeline/db.ts";

/** @example const db = await testDb(); await db.run("CREATE TABLE t AS SELECT 1 AS x") */
export async function testDb(): Promise<Db> {
  const db = await openDb();
  onTestFinished(() => closeDb(db));
  return db;
}
