/**
 * The run's database: data that does not fit in memory goes to a private folder in the system's
 * temporary folder (not the current directory), which is removed when the database is closed; and
 * DuckDB running out of memory is reported as E_OUT_OF_MEMORY. The out-of-memory error is DuckDB's
 * own, provoked here with a small memory limit and nowhere to move data.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { closeDb, type Db, openDb, queryRows } from "../../pipeline/db.ts";
import { outOfMemoryProblem } from "../../pipeline/messages.ts";
import { testDb } from "../helpers/test-db.ts";

const spillFolder = async (d: Db) =>
  (await queryRows<{ dir: string }>(d, "SELECT current_setting('temp_directory') AS dir"))[0]!.dir;

/** About 300 MB of text, more than the limits set below. */
const LARGE_TABLE = "CREATE TABLE big AS SELECT i, repeat('x', 100) || i::VARCHAR AS s FROM range(3000000) r(i)";

describe("the run's database", () => {
  it("moves data that does not fit in memory to a folder in the system's temporary folder, readable by this user only", async () => {
    const db = await testDb();
    const dir = await spillFolder(db);
    expect(dir.startsWith(tmpdir())).toBe(true);
    expect(statSync(dir).mode & 0o077).toBe(0);
  });

  it("finishes a query larger than its memory limit by moving data to that folder", async () => {
    const db = await testDb();
    await db.run("SET memory_limit = '100MB'");
    await db.run(LARGE_TABLE);
    expect(readdirSync(await spillFolder(db)).length).toBeGreaterThan(0);
    expect((await queryRows<{ n: number }>(db, "SELECT count(*)::INTEGER AS n FROM big"))[0]!.n).toBe(3_000_000);
  });

  it("removes that folder when closed", async () => {
    const opened = await openDb();
    const dir = await spillFolder(opened);
    closeDb(opened);
    expect(existsSync(dir)).toBe(false);
  });

  it("reports DuckDB running out of memory as E_OUT_OF_MEMORY, and other errors as nothing of the kind", async () => {
    const instance = await DuckDBInstance.create(":memory:", { memory_limit: "20MB", temp_directory: "" });
    const small = await instance.connect();
    const error = await small.run(LARGE_TABLE).then(
      () => null,
      (e: unknown) => e,
    );
    small.closeSync();
    instance.closeSync();
    expect(outOfMemoryProblem(error)?.code).toBe("E_OUT_OF_MEMORY");
    expect(outOfMemoryProblem(new Error("Binder Error: column x not found"))).toBeNull();
  });
});
