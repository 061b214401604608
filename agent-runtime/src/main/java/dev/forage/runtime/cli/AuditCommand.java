package dev.forage.runtime.cli;

import dev.forage.runtime.audit.AuditException;
import dev.forage.runtime.audit.AuditExporter;
import dev.forage.runtime.audit.AuditVerifier;
import dev.forage.runtime.audit.VerificationResult;
import dev.forage.runtime.audit.note.NoteVerifier;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code forage audit}: verify and export tamper-evident audit logs.
 *
 * <p>Exit codes of {@code verify}: 0 the log verified; 1 it did not (the first bad entry is
 * named); 2 bad usage; 3 a file or key could not be read.
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Verify and export tamper-evident audit logs.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class, CommandLine.HelpCommand.class})
public final class AuditCommand {

    /** Exit code when the log does not verify. */
    public static final int EXIT_TAMPERED = 1;

    /** Exit code when an input cannot be read or is malformed. */
    public static final int EXIT_UNREADABLE = 3;

    /** Where the verifier key comes from: never from the log itself. */
    static final class KeySource {
        @Option(names = "--key", paramLabel = "VERIFIER_KEY",
                description = "The log's verifier key, <name>+<hex id>+<base64 key> (printed when the log is created"
                        + " and stored in <log>.key.pub).")
        String key;

        @Option(names = "--key-file", paramLabel = "FILE",
                description = "A file holding the verifier key, e.g. a copy of <log>.key.pub kept apart from the log.")
        Path keyFile;

        NoteVerifier load() throws IOException {
            String text = key != null ? key : Files.readString(keyFile, StandardCharsets.UTF_8);
            return NoteVerifier.parse(text.strip());
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {
                "Recompute every leaf and the Merkle tree of a log (its SQLite file or an export), check every checkpoint"
                        + " signature and the consistency of successive checkpoints, and name the first bad entry.",
                "Exit codes: 0 verified, 1 not verified, 2 bad usage, 3 unreadable input."})
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LOG", description = "The log database, or an export written by `forage audit export`.")
        Path log;

        @ArgGroup(exclusive = true, multiplicity = "1")
        KeySource keySource;

        @Option(names = "--trusted", paramLabel = "FILE",
                description = "A checkpoint note or an export of this log obtained earlier: the log must extend it"
                        + " (detects truncation and forks). Repeatable.")
        List<Path> trusted = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                NoteVerifier key = keySource.load();
                List<AuditVerifier.Trusted> references = new ArrayList<>();
                for (Path file : trusted) {
                    references.add(AuditVerifier.loadTrusted(file, key));
                }
                VerificationResult result = AuditVerifier.verify(log, key, references);
                switch (result) {
                    case VerificationResult.Verified v -> {
                        out.printf("verified %s: %d entries, %d checkpoints, signed up to size %d, %d entries after the"
                                + " latest checkpoint%n", log, v.entriesChecked(), v.checkpointsChecked(), v.signedSize(),
                                v.unsignedTail());
                        return CommandLine.ExitCode.OK;
                    }
                    case VerificationResult.Failed f -> {
                        out.printf("NOT VERIFIED %s: first bad entry %d (%s): %s%n", log, f.firstBadEntry(),
                                f.problem(), f.message());
                        return EXIT_TAMPERED;
                    }
                }
            } catch (IOException | AuditException e) {
                err.println("cannot verify " + log + ": " + e.getMessage());
                return EXIT_UNREADABLE;
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a log as JSON Lines: its latest signed checkpoint, consistency proofs from every earlier"
                    + " checkpoint, and every entry with its inclusion proof. `forage audit verify` checks it offline.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LOG", description = "The log database.")
        Path log;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where to write (default: standard output).")
        Path outFile;

        @Override
        public Integer call() {
            try {
                long entries;
                if (outFile == null) {
                    Writer w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
                    entries = AuditExporter.export(log, w);
                } else {
                    try (Writer w = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)) {
                        entries = AuditExporter.export(log, w);
                    }
                    spec.commandLine().getOut().printf("exported %d entries of %s to %s%n", entries, log, outFile);
                }
                return CommandLine.ExitCode.OK;
            } catch (IOException | AuditException e) {
                spec.commandLine().getErr().println("cannot export " + log + ": " + e.getMessage());
                return EXIT_UNREADABLE;
            }
        }
    }
}
