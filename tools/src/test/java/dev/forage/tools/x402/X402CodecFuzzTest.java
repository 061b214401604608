package dev.forage.tools.x402;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.tools.ToolException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;

/**
 * Coverage-guided fuzzing of every x402 message read from outside: the 402 challenge (v2
 * {@code PAYMENT-REQUIRED} header, v1 body), the payment headers (v1 {@code X-PAYMENT}, v2
 * {@code PAYMENT-SIGNATURE}), the settlement response headers ({@code X-PAYMENT-RESPONSE},
 * {@code PAYMENT-RESPONSE}) and the facilitator's bodies ({@code /verify} and {@code /settle}
 * requests, their answers, {@code /supported}).
 *
 * <p>Each input is the JSON a peer would send. It reaches the codec as a base64 header and as
 * a body, and as a raw header value without base64. The property: every read returns a value
 * or throws a {@link ToolException} (an {@link X402Exception}), never anything else; whatever
 * is accepted writes back to JSON that reads as an equal value. The corpora under
 * {@code X402CodecFuzzTestInputs} are replayed by every build.
 */
class X402CodecFuzzTest {

    private final X402Codec codec = X402Codec.standard();

    @FuzzTest
    void paymentRequired(byte[] json) {
        roundTrips(json, X402Codec.PAYMENT_REQUIRED, codec::paymentRequired, codec::toJson);
    }

    @FuzzTest
    void paymentPayload(byte[] json) {
        roundTrips(json, X402Codec.X_PAYMENT, codec::paymentPayload, codec::toJson);
        roundTrips(json, X402Codec.PAYMENT_SIGNATURE, codec::paymentPayload, codec::toJson);
    }

    @FuzzTest
    void settlementResponse(byte[] json) {
        roundTrips(json, X402Codec.X_PAYMENT_RESPONSE, codec::settlementResponse, codec::toJson);
        roundTrips(json, X402Codec.PAYMENT_RESPONSE, codec::settlementResponse, codec::toJson);
    }

    /** The body of {@code POST /verify} and {@code POST /settle} (one shape), as the facilitator reads it. */
    @FuzzTest
    void facilitatorRequest(byte[] json) {
        roundTrips(json, "the request body", codec::facilitatorRequest,
                r -> codec.facilitatorRequest(r.payload(), r.requirements()));
    }

    /** What a facilitator answers to {@code /verify} and {@code /supported}, as the client reads it. */
    @FuzzTest
    void facilitatorAnswers(byte[] json) {
        roundTrips(json, "facilitator verify answer", codec::verifyResponse, codec::toJson);
        roundTrips(json, "facilitator supported answer", codec::supportedResponse, codec::toJson);
    }

    private <T> void roundTrips(byte[] json, String where, Function<ObjectNode, T> read, Function<T, ObjectNode> write) {
        String raw = new String(json, StandardCharsets.UTF_8);
        String header = Base64.getEncoder().encodeToString(json);
        T fromHeader = readOrRefuse(() -> read.apply(codec.fromHeader(where, header)), where, raw);
        T fromBody = readOrRefuse(() -> read.apply(codec.fromBody(json, where)), where, raw);
        readOrRefuse(() -> read.apply(codec.fromHeader(where, raw)), where, raw);
        if (fromHeader != null && fromBody != null) {
            assertThat(fromBody).as("%s read from a body and from a header: %s", where, raw).isEqualTo(fromHeader);
        }
        T accepted = fromHeader != null ? fromHeader : fromBody;
        if (accepted != null) {
            String written = codec.header(write.apply(accepted));
            T again = read.apply(codec.fromHeader(where, written));
            assertThat(again).as("%s written back from %s", where, raw).isEqualTo(accepted);
        }
    }

    /** The value read, or null if the codec refused with its typed exception. */
    private static <T> T readOrRefuse(java.util.function.Supplier<T> read, String where, String input) {
        try {
            return read.get();
        } catch (ToolException refused) {
            assertThat(refused.getMessage()).as("refusal of %s %s", where, input).isNotBlank();
            return null;
        }
    }
}
