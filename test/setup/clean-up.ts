// Runs in every test file: what the file left to undo (temporary folders, open databases) is undone once its tests are done.
import { afterAll } from "vitest";
import { cleanUp } from "../helpers/cleanup.ts";

afterAll(cleanUp);
