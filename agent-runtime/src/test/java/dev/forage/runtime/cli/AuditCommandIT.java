package dev.forage.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.runtime.audit.AuditFixtures;
import dev.forage.runtime.audit.AuditLog;
import dev.forage.runtime.audit.internal.LogSchema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditCommandIT {

    @TempDir
    Path dir;

    private Path db;
    private String key;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeALog() {
        try (AuditLog log = AuditLog.open(AuditFixtures.config(dir, 10))) {
            for (int i = 0; i < 35; i++) {
                log.append(AuditFixtures.event(i)).join();
            }
            key = log.verifier().encode();
        }
        db = dir.resolve("audit.db");
    }

    @Test
    void verifiesALogAndItsExport() {
        Path export = dir.resolve("audit.jsonl");

        int verified = run("audit", "verify", db.toString(), "--key", key);
        int exported = run("audit", "export", db.toString(), "--out", export.toString());
        int exportVerified = run("audit", "verify", export.toString(), "--key-file", dir.resolve("audit.db.key.pub").toString(),
                "--trusted", export.toString());

        assertThat(verified).isZero();
        assertThat(exported).isZero();
        assertThat(exportVerified).isZero();
        assertThat(out.toString())
                .contains("verified " + db + ": 35 entries, 4 checkpoints, signed up to size 35")
                .contains("exported 35 entries")
                .contains("verified " + export + ": 35 entries");
    }

    @Test
    void namesTheFirstBadEntryOfATamperedLog() throws Exception {
        try (Connection c = LogSchema.openWritable(db); Statement s = c.createStatement()) {
            s.executeUpdate("DROP TRIGGER entries_no_update");
            try (PreparedStatement p = c.prepareStatement("UPDATE entries SET leaf = replace(leaf, 'gpu.lease', 'gpu.lease2') WHERE seq = 17")) {
                p.executeUpdate();
            }
        }

        int code = run("audit", "verify", db.toString(), "--key", key);

        assertThat(code).isEqualTo(AuditCommand.EXIT_TAMPERED);
        assertThat(out.toString()).contains("NOT VERIFIED").contains("first bad entry 17 (MODIFIED_ENTRY)");
    }

    @Test
    void refusesWithoutAKeyOrWithAWrongOne() throws Exception {
        int noKey = run("audit", "verify", db.toString());
        int badKey = run("audit", "verify", db.toString(), "--key", "not-a-key");
        Path otherDir = Files.createDirectories(dir.resolve("other"));
        String otherKey;
        try (AuditLog other = AuditLog.open(AuditFixtures.config(otherDir, 10))) {
            otherKey = other.verifier().encode();
        }
        int wrongKey = run("audit", "verify", db.toString(), "--key", otherKey);

        assertThat(noKey).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(badKey).isEqualTo(AuditCommand.EXIT_UNREADABLE);
        assertThat(wrongKey).isEqualTo(AuditCommand.EXIT_TAMPERED);
        assertThat(out.toString()).contains("BAD_SIGNATURE");
        assertThat(err.toString()).contains("verifier key must be");
        assertThat(out + err.toString()).doesNotContain("PRIVATE+KEY");
    }

    private int run(String... args) {
        CommandLine cli = Forage.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
