package dev.forage.tools.settle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.identity.Address;
import dev.forage.tools.settle.spi.PaymentRecord;
import dev.forage.tools.settle.spi.PaymentRecord.State;
import dev.forage.tools.settle.spi.PaymentStore;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link PaymentStore} must do; each implementation's test subclasses this. */
abstract class PaymentStoreContract {

    static final Address FROM = Address.parse("0x857b06519E91e3A54538791bDbb0E22373e36b66");
    static final Address TO = Address.parse("0x209693Bc6afc0C5328bA36FaF03C514EF312287C");
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private PaymentStore store;

    /** A new, empty store. */
    protected abstract PaymentStore create();

    PaymentStore store() {
        if (store == null) {
            store = create();
        }
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    static PaymentRecord.Tx tx(String hashByte, long nonce) {
        return new PaymentRecord.Tx("0x" + hashByte.repeat(32), FROM, nonce, "0x02f8" + hashByte.repeat(40), Optional.of(TO),
                "0xa9059cbb" + "00".repeat(64), BigInteger.ZERO);
    }

    @Test
    void findsNothingForAnUnknownKey() {
        assertThat(store().find("nope")).isEmpty();
        assertThat(store().inFlight()).isEmpty();
    }

    @Test
    void keepsEveryFieldOfASignedRecord() {
        PaymentRecord signed = PaymentRecord.signed("k1", "transfer 5 to " + TO, tx("aa", 7), T0);

        store().put(signed);

        assertThat(store().find("k1")).contains(signed);
    }

    @Test
    void replacesARecordAsItMovesOn() {
        PaymentRecord signed = PaymentRecord.signed("k1", "pay", tx("aa", 7), T0);
        store().put(signed);
        PaymentRecord done = signed.with(State.DONE, Optional.of(42L), "", T0.plusSeconds(2));

        store().put(done);

        PaymentRecord found = store().find("k1").orElseThrow();
        assertThat(found.state()).isEqualTo(State.DONE);
        assertThat(found.blockNumber()).contains(42L);
        assertThat(found.tx()).isEqualTo(signed.tx());
        assertThat(found.txHash()).contains("0x" + "aa".repeat(32));
        assertThat(found.updatedAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void listsOnlyPaymentsInFlight() {
        store().put(PaymentRecord.signed("signed", "a", tx("01", 1), T0));
        store().put(PaymentRecord.signed("broadcast", "b", tx("02", 2), T0).with(State.BROADCAST, Optional.empty(), "", T0));
        store().put(PaymentRecord.signed("done", "c", tx("03", 3), T0).with(State.DONE, Optional.of(3L), "", T0));
        store().put(PaymentRecord.signed("failed", "d", tx("04", 4), T0).with(State.FAILED, Optional.of(4L), "reverted", T0));
        store().put(PaymentRecord.signed("superseded", "e", tx("05", 5), T0).with(State.SUPERSEDED, Optional.empty(), "nonce", T0));

        assertThat(store().inFlight()).extracting(PaymentRecord::key).containsExactlyInAnyOrder("signed", "broadcast");
    }

    @Test
    void keepsAPaymentFoundOnChainWithoutItsRawTransaction() {
        PaymentRecord found = PaymentRecord.found("k", "lock", "0x" + "bb".repeat(32), 9, T0);

        store().put(found);

        assertThat(store().find("k")).contains(found);
        assertThat(store().find("k").orElseThrow().tx()).isEmpty();
    }

    @Test
    void theSignedTransactionComesBackBroadcastable() {
        PaymentRecord.Tx tx = tx("cc", 11);
        store().put(PaymentRecord.signed("k", "pay", tx, T0));

        PaymentRecord.Tx back = store().find("k").orElseThrow().tx().orElseThrow();

        assertThat(back.signedTransaction().raw()).isEqualTo(tx.raw());
        assertThat(back.signedTransaction().hash()).isEqualTo(tx.hash());
        assertThat(back.signedTransaction().nonce()).isEqualTo(11);
        assertThat(back.signedTransaction().request().to()).contains(TO);
    }
}
