package dev.forage.tools.compute.procure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.sqlite.SqliteFile;
import dev.forage.tools.compute.procure.Observation.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteProviderStatsStoreTest extends ProviderStatsStoreContract {

    @TempDir
    Path dir;

    @Override
    ProviderStatsStore open() {
        return ProviderStatsStore.sqlite(dir.resolve("state/provider-stats.db"));
    }

    @Test
    void statsSurviveAReopen() {
        store.record(Observation.of(A, Outcome.VERIFIED, Duration.ofMillis(1500), T));
        store.record(Observation.leaseFailed(B, T.plusSeconds(5)));
        ProviderStats before = store.statsOf(A);
        store.close();

        try (ProviderStatsStore again = open()) {
            assertThat(again.all()).hasSize(2);
            assertThat(again.find(A)).contains(before);
            assertThat(again.statsOf(B).leaseFailures()).isEqualTo(1);
            assertThat(again.statsOf(B).lastSeen()).contains(T.plusSeconds(5));
            ProviderStats more = again.record(Observation.of(A, Outcome.VERIFIED, Duration.ofMillis(2500), T.plusSeconds(9)));
            assertThat(more.verificationPasses()).isEqualTo(2);
            assertThat(more.latencyEwmaMillis()).isEqualTo(1700.0);
        }
        store = open();
    }

    @Test
    void theFileIsInWalMode() throws Exception {
        store.record(Observation.leaseFailed(A, T));
        try (Connection c = SqliteFile.openReadOnly(dir.resolve("state/provider-stats.db"));
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsAStoreFailure() throws Exception {
        Path junk = dir.resolve("junk.db");
        Files.writeString(junk, "not a database, just text long enough to have a header ".repeat(20));
        assertThatThrownBy(() -> ProviderStatsStore.sqlite(junk))
                .isInstanceOfSatisfying(ProcurementException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProcurementException.Reason.STORE_FAILURE))
                .hasMessageContaining("junk.db");
    }

    @Test
    void closeIsIdempotent() {
        store.close();
        store.close();
        store = open();
        assertThat(store.all()).isEmpty();
    }
}
