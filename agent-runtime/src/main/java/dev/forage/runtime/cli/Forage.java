package dev.forage.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code forage} command line: one entry point whose subcommands run the devnet, inspect
 * the audit log and, later, drive agents through the control plane.
 */
@Command(
        name = "forage",
        mixinStandardHelpOptions = true,
        version = "forage 0.1.0-SNAPSHOT",
        description = "Runtime for autonomous AI agents that provision their own compute.",
        subcommands = {AuditCommand.class, CommandLine.HelpCommand.class})
public final class Forage {

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand registered, for tests and embedding. */
    public static CommandLine commandLine() {
        return new CommandLine(new Forage());
    }
}
