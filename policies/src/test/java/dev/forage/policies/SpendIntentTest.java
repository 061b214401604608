package dev.forage.policies;

import static dev.forage.policies.testing.Fixtures.DEVNET_USDC;
import static dev.forage.policies.testing.Fixtures.intent;
import static dev.forage.policies.testing.Fixtures.usdc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpendIntentTest {

    @Test
    void canonical_json_has_sorted_keys_no_whitespace_and_amounts_as_strings() {
        SpendIntent i = intent("lease-42").build();

        assertThat(i.canonicalJson()).isEqualTo(
                "{\"action\":\"compute.lease\",\"agent\":\"agent-1\","
                        + "\"amount\":{\"asset\":{\"chain\":\"eip155:8453\",\"decimals\":6,\"symbol\":\"USDC\","
                        + "\"token\":\"0x833589fcd6edb6e08f4c7c32d4f71b54bda02913\"},\"units\":\"2500000\"},"
                        + "\"attributes\":{\"gpu\":\"A100\",\"region\":\"eu\"},\"chain\":\"eip155:8453\","
                        + "\"counterparty\":\"provider-a\",\"id\":\"lease-42\",\"market\":\"akash\","
                        + "\"time\":\"2026-03-02T10:00:00Z\","
                        + "\"unitPrice\":{\"price\":{\"asset\":{\"chain\":\"eip155:8453\",\"decimals\":6,\"symbol\":\"USDC\","
                        + "\"token\":\"0x833589fcd6edb6e08f4c7c32d4f71b54bda02913\"},\"units\":\"1250000\"},\"unit\":\"gpu-hour\"},"
                        + "\"v\":1}");
    }

    @Test
    void the_digest_is_the_sha256_of_the_canonical_json_and_changes_with_any_field() throws Exception {
        SpendIntent i = intent("lease-42").build();
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(i.canonicalJson().getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(i.digest()).isEqualTo(expected).hasSize(64);
        assertThat(intent("lease-42").build().digest()).isEqualTo(i.digest());
        assertThat(intent("lease-42").amount(usdc("2.51")).build().digest()).isNotEqualTo(i.digest());
        assertThat(intent("lease-42").attribute("gpu", "H100").build().digest()).isNotEqualTo(i.digest());
        assertThat(intent("lease-42").time(Instant.parse("2026-03-02T10:00:00.001Z")).build().digest())
                .isNotEqualTo(i.digest());
        assertThat(i.toBuilder().build()).isEqualTo(i);
    }

    @Test
    void attribute_order_does_not_change_the_digest() {
        SpendIntent a = intent("x").attributes(Map.of("z", "1", "a", "2")).build();
        SpendIntent b = intent("x").attribute("a", "2").attribute("z", "1").build();

        assertThat(a.digest()).isEqualTo(b.digest());
        assertThat(a.attributes().keySet()).containsExactly("a", "gpu", "region", "z");
    }

    @Test
    void the_unit_price_is_optional() {
        SpendIntent i = SpendIntent.builder().id("x402-1").agent("agent-1").action("payment.x402")
                .counterparty("api.example.com").market("x402").amount(usdc("0.01")).time(Instant.EPOCH).build();

        assertThat(i.unitPrice()).isEmpty();
        assertThat(i.chain()).isEqualTo("eip155:8453");
        assertThat(i.canonicalJson()).doesNotContain("unitPrice");
    }

    @Test
    void fields_are_validated_with_messages_naming_them() {
        assertThatThrownBy(() -> intent(" ").build())
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("intent id");
        assertThatThrownBy(() -> intent("i").action("Compute Lease").build())
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("action 'Compute Lease'");
        assertThatThrownBy(() -> intent("i").counterparty("a\nb").build())
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("control character");
        assertThatThrownBy(() -> intent("i").attribute("gpu model", "A100").build())
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("attribute name 'gpu model'");
        assertThatThrownBy(() -> intent("i").chain("eip155:1").build())
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("settles on eip155:1");
        assertThatThrownBy(() -> intent("i").unitPrice(Money.of(DEVNET_USDC, "1"), "gpu-hour").build())
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("unit price is in");
        assertThatThrownBy(() -> intent("i").unitPrice(usdc("1"), "GPU Hour").build())
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("unit 'GPU Hour'");
        assertThatThrownBy(() -> intent("i").time(null).build()).isInstanceOf(NullPointerException.class);
    }

    @Test
    void text_is_escaped_the_rfc_8785_way() {
        SpendIntent i = intent("quote\"back\\slash-é-😀").build();

        assertThat(i.canonicalJson()).contains("\"id\":\"quote\\\"back\\\\slash-é-😀\"");
    }
}
