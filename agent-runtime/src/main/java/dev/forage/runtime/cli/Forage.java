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
        subcommands = {DevnetCommand.class, AuditCommand.class, CommandLine.HelpCommand.class})
public final class Forage {

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand registered, for tests and embedding. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Forage());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Expected failures carry a message that says what was wrong and what to do.
            cmd.getErr().println("forage " + cmd.getCommandName() + ": " + e.getMessage());
            return 1;
        });
        return cli;
    }
}
