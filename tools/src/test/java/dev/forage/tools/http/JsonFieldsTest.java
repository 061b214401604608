package dev.forage.tools.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {

    private final JsonFields f = JsonFields.of("p", "GET /x");

    private static JsonNode json(String s) throws Exception {
        return JsonApi.MAPPER.readTree(s);
    }

    @Test
    void requiredFieldsAreReadAndMissingOnesAreMalformedNamingTheField() throws Exception {
        JsonNode n = json("{\"o\":{},\"a\":[1],\"t\":\"x\",\"n\":2.50,\"s\":\"3.25\",\"i\":7,\"b\":true,\"nul\":null,\"extra\":1}");

        assertThat(f.object(n, "o").isObject()).isTrue();
        assertThat(f.array(n, "a")).hasSize(1);
        assertThat(f.text(n, "t")).isEqualTo("x");
        assertThat(f.text(n, "i")).isEqualTo("7");
        assertThat(f.decimal(n, "n")).isEqualTo(new BigDecimal("2.50"));
        assertThat(f.decimal(n, "s")).isEqualTo(new BigDecimal("3.25"));
        assertThat(f.integer(n, "i")).isEqualTo(7);
        assertThat(f.optionalBoolean(n, "b")).contains(true);
        assertThat(f.optionalText(n, "nul")).isEmpty();
        assertThat(f.optional(n, "nul")).isEmpty();
        for (var call : new Runnable[] {() -> f.object(n, "a"), () -> f.array(n, "missing"), () -> f.text(n, "nul"),
                () -> f.decimal(n, "t"), () -> f.integer(n, "n"), () -> f.text(n, "o"), () -> f.optionalBoolean(n, "t")}) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(RemoteCallException.class, e -> {
                assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.MALFORMED_RESPONSE);
                assertThat(e.retriable()).isFalse();
                assertThat(e.getMessage()).contains("GET /x", "'");
            });
        }
    }

    @Test
    void instantsInTheShapesProvidersWriteThem() throws Exception {
        JsonNode n = json("{\"z\":\"2026-03-01T12:01:00Z\",\"off\":\"2026-03-01T13:01:00+01:00\","
                + "\"naive\":\"2026-03-01T12:01:00.123456\",\"space\":\"2026-03-01 12:01:00\",\"secs\":1772366460,"
                + "\"millis\":1772366460000,\"bad\":\"yesterday\"}");
        Instant t = Instant.parse("2026-03-01T12:01:00Z");

        assertThat(f.optionalInstant(n, "z")).contains(t);
        assertThat(f.optionalInstant(n, "off")).contains(t);
        assertThat(f.optionalInstant(n, "naive")).contains(t.plusNanos(123_456_000));
        assertThat(f.optionalInstant(n, "space")).contains(t);
        assertThat(f.optionalInstant(n, "secs")).contains(t);
        assertThat(f.optionalInstant(n, "millis")).contains(t);
        assertThat(f.optionalInstant(n, "absent")).isEmpty();
        assertThatThrownBy(() -> f.optionalInstant(n, "bad")).isInstanceOf(RemoteCallException.class);
    }
}
