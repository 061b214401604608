package dev.forage.tools.inference.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.tools.http.JsonApi;
import dev.forage.tools.http.RemoteCallException;
import dev.forage.tools.inference.InferenceException;
import dev.forage.tools.inference.InferenceException.Reason;
import dev.forage.tools.inference.Usage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class AnswersTest {

    static final String P = "test";

    static JsonNode json(String text) {
        return Answers.parse(P, "test", text.getBytes(StandardCharsets.UTF_8));
    }

    static void refused(ThrowingCallable call, Reason reason) {
        refused("", call, reason);
    }

    static void refused(String input, ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).as(input).isInstanceOfSatisfying(InferenceException.class, e -> {
            assertThat(e.reason()).as("reason of: %s", e.getMessage()).isEqualTo(reason);
            assertThat(e.retriable()).isFalse();
            assertThat(e.provider()).isEqualTo(P);
        });
    }

    @Test
    void itemsInAnyOrderComeBackInIndexOrderAndARepeatedOrStrayIndexIsMalformed() {
        long seed = 20260101L;
        Random random = new Random(seed);
        for (int round = 0; round < 500; round++) {
            int n = 1 + random.nextInt(40);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            ArrayNode data = JsonApi.MAPPER.createArrayNode();
            order.forEach(i -> data.addObject().put("index", i).put("tag", "v" + i));
            String input = "seed " + seed + ", round " + round + ", order " + order;

            List<JsonNode> ordered = Answers.inIndexOrder(P, data, n);
            for (int i = 0; i < n; i++) {
                assertThat(ordered.get(i).get("tag").asText()).as(input).isEqualTo("v" + i);
            }
            if (n > 1) {
                int victim = random.nextInt(n);
                int other = (victim + 1 + random.nextInt(n - 1)) % n;
                ArrayNode repeated = data.deepCopy();
                ((ObjectNode) repeated.get(victim)).put("index",
                        repeated.get(other).get("index").asInt());
                refused(input + ", index " + other + " repeated at " + victim, () -> Answers.inIndexOrder(P, repeated, n),
                        Reason.MALFORMED);
            }
            ArrayNode stray = data.deepCopy();
            ((ObjectNode) stray.get(random.nextInt(n))).put("index", n + random.nextInt(3));
            refused(input + ", stray " + stray, () -> Answers.inIndexOrder(P, stray, n), Reason.MALFORMED);
            refused(input, () -> Answers.inIndexOrder(P, data, n + 1), Reason.WRONG_COUNT);
        }
    }

    @Test
    void anIndexThatIsNotAWholeNumberIsMalformed() {
        refused(() -> Answers.inIndexOrder(P, json("[{\"index\":\"0\"}]"), 1), Reason.MALFORMED);
        refused(() -> Answers.inIndexOrder(P, json("[{\"index\":0.5}]"), 1), Reason.MALFORMED);
        refused(() -> Answers.inIndexOrder(P, json("[{}]"), 1), Reason.MALFORMED);
        refused(() -> Answers.inIndexOrder(P, json("[[0.1]]"), 1), Reason.MALFORMED);
        refused(() -> Answers.inIndexOrder(P, json("{\"index\":0}"), 1), Reason.MALFORMED);
    }

    @Test
    void vectorsAreCheckedForDimensionAndFiniteness() {
        List<float[]> v = Answers.vectors(P, List.of(json("[1,0,-2.5]"), json("[0.25,1e-50,3]")), 2, OptionalInt.of(3));
        assertThat(v.get(0)).containsExactly(1f, 0f, -2.5f);
        assertThat(v.get(1)).containsExactly(0.25f, 0f, 3f);

        refused(() -> Answers.vectors(P, List.of(json("[1,2]")), 1, OptionalInt.of(3)), Reason.WRONG_DIMENSION);
        refused(() -> Answers.vectors(P, List.of(json("[1,2]"), json("[1,2,3]")), 2, OptionalInt.empty()),
                Reason.WRONG_DIMENSION);
        refused(() -> Answers.vectors(P, List.of(json("[]")), 1, OptionalInt.empty()), Reason.WRONG_DIMENSION);
        refused(() -> Answers.vectors(P, List.of(json("[1]")), 2, OptionalInt.empty()), Reason.WRONG_COUNT);
        for (String bad : List.of("[NaN]", "[\"NaN\"]", "[\"nan\"]", "[\"Infinity\"]", "[\"-inf\"]", "[-Infinity]", "[3.5e38]",
                "[-1e39]", "[1e309]")) {
            refused(() -> Answers.vectors(P, List.of(json(bad)), 1, OptionalInt.empty()), Reason.NOT_FINITE);
        }
        for (String bad : List.of("[\"1.0\"]", "[null]", "[true]", "[[1]]", "\"AAAAPw==\"", "{\"0\":1}")) {
            refused(() -> Answers.vectors(P, List.of(json(bad)), 1, OptionalInt.empty()), Reason.MALFORMED);
        }
    }

    @Test
    void usageIsRequiredWhereDocumentedAndMustBeWholeNonNegativeCounts() {
        assertThat(Answers.usage(P, json("{\"prompt_tokens\":7,\"total_tokens\":7}"), true, false)).isEqualTo(new Usage(7, 0));
        assertThat(Answers.usage(P, json("{\"prompt_tokens\":7,\"completion_tokens\":3}"), true, true))
                .isEqualTo(new Usage(7, 3));
        assertThat(Answers.usage(P, null, false, false)).isEqualTo(new Usage(0, 0));
        assertThat(Answers.usage(P, json("null"), false, true)).isEqualTo(new Usage(0, 0));

        refused(() -> Answers.usage(P, null, true, false), Reason.MISSING_USAGE);
        refused(() -> Answers.usage(P, json("null"), true, false), Reason.MISSING_USAGE);
        refused(() -> Answers.usage(P, json("{\"prompt_tokens\":7}"), true, true), Reason.MALFORMED);
        refused(() -> Answers.usage(P, json("{\"prompt_tokens\":-1}"), true, false), Reason.MALFORMED);
        refused(() -> Answers.usage(P, json("{\"prompt_tokens\":1.5}"), true, false), Reason.MALFORMED);
        refused(() -> Answers.usage(P, json("{\"prompt_tokens\":\"7\"}"), true, false), Reason.MALFORMED);
        refused(() -> Answers.usage(P, json("[7]"), true, false), Reason.MALFORMED);
    }

    @Test
    void theModelMustBeTheOneAskedForOrATolerantPrefixOfIt() {
        Answers.requireModel(P, "org/m", "org/m", List.of());
        Answers.requireModel(P, "org/m", "accounts/a/models/org/m", List.of("accounts/a/models/"));

        refused(() -> Answers.requireModel(P, "org/m", "org/m-q4", List.of()), Reason.WRONG_MODEL);
        refused(() -> Answers.requireModel(P, "org/m", "x/org/m", List.of("accounts/a/models/")), Reason.WRONG_MODEL);
        refused(() -> Answers.requireModel(P, "org/m", "ORG/M", List.of()), Reason.WRONG_MODEL);
    }

    @Test
    void parsingReadsNanTokensButRefusesBrokenJsonEmptyBodiesAndRepeatedKeys() {
        assertThat(json("[NaN]").get(0).isNumber()).isTrue();
        assertThat(Double.isNaN(json("[NaN]").get(0).doubleValue())).isTrue();

        refused(() -> json(""), Reason.MALFORMED);
        refused(() -> json("{\"data\":[1,2"), Reason.MALFORMED);
        refused(() -> json("{\"model\":\"a\",\"model\":\"b\"}"), Reason.MALFORMED);
        refused(() -> json("<html>502</html>"), Reason.MALFORMED);
    }

    @Test
    void oversizedAndMalformedRemoteAnswersBecomeInferenceErrorsAndOthersStay() {
        RemoteCallException tooLarge = new RemoteCallException(P, RemoteCallException.Kind.RESPONSE_TOO_LARGE, 200, "", null,
                "too large", false, null);
        RemoteCallException malformed = RemoteCallException.malformed(P, "POST /embeddings", "HTTP 204 (expected 2xx)");
        RemoteCallException server = RemoteCallException.ofStatus(P, "POST /embeddings", 503, "{}", Optional.empty());

        assertThat(Answers.translate(tooLarge)).isInstanceOfSatisfying(InferenceException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
            assertThat(e.getCause()).isSameAs(tooLarge);
        });
        assertThat(Answers.translate(malformed)).isInstanceOfSatisfying(InferenceException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
        assertThat(Answers.translate(server)).isSameAs(server);
    }

    @Test
    void theDigestIsTheSha256OfTheRawBytes() {
        assertThat(Answers.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
