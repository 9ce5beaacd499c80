// Runs in every test file: the temporary folders the file made are removed once its tests are done.
import { afterAll } from "vitest";
import { removeTempDirs } from "../helpers/temp-dir.ts";

afterAll(removeTempDirs);
