/**
 * The `alliance` command line: a table of commands, each run in the one scaffold of
 * commands/command.ts. Exit codes: 0 success, 1 the data or config has problems (each named with
 * file, row and column) or the run stopped, 2 the command was used wrongly.
 */
import { consoleIo, helpText, runCommand, type Command, type Io } from "./commands/command.ts";
import { demoCommand, runCommand as runStudyCommand } from "./commands/run.ts";
import { validateCommand } from "./commands/validate.ts";
import { initCommand } from "./commands/init.ts";
import { reportCommand } from "./commands/report.ts";
import { metaCommand } from "./commands/meta.ts";
import { appCommand } from "./commands/app.ts";

export { DEMO_CONFIG } from "./commands/run.ts";
export type { Io } from "./commands/command.ts";

/** Every command, in the order `alliance --help` lists them. */
export const COMMANDS: readonly Command[] = [
  appCommand,
  runStudyCommand,
  validateCommand,
  initCommand,
  demoCommand,
  reportCommand,
  metaCommand,
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return `alliance — alliance–outcome evidence from de-identified treatment data

Usage:
${COMMANDS.map((c) => `  ${c.usage}`).join("\n")}
  alliance <command> --help

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join("\n")}
`;
}

/** Run the CLI with the given arguments; returns the exit code. */
export async function main(argv: string[], io: Io = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.out(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`alliance: unknown command "${name}"; try \`alliance --help\``);
    return 2;
  }
  return runCommand(command, rest, io);
}

export { helpText };
