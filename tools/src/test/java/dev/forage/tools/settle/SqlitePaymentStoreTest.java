package dev.forage.tools.settle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.tools.settle.spi.PaymentRecord;
import dev.forage.tools.settle.spi.PaymentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlitePaymentStoreTest extends PaymentStoreContract {

    @TempDir
    Path dir;

    @Override
    protected PaymentStore create() {
        return PaymentStores.sqlite(dir.resolve("payments.db"));
    }

    @Test
    void recordsSurviveReopeningInWalMode() throws Exception {
        Path file = dir.resolve("reopen.db");
        PaymentRecord record = PaymentRecord.signed("k", "pay", tx("dd", 3), T0);
        try (PaymentStore first = PaymentStores.sqlite(file)) {
            first.put(record);
        }

        try (PaymentStore second = PaymentStores.sqlite(file)) {
            assertThat(second.find("k")).contains(record);
            assertThat(second.inFlight()).containsExactly(record);
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void aStoreThatCannotBeOpenedIsATypedFailure() throws Exception {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");

        assertThatThrownBy(() -> PaymentStores.sqlite(notADir.resolve("payments.db")))
                .isInstanceOfSatisfying(SettlementException.class,
                        e -> assertThat(e.reason()).isEqualTo(SettlementException.Reason.STORE_FAILURE))
                .hasMessageContaining("cannot open the payment store");
    }
}
