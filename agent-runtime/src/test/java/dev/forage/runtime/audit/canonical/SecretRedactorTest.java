package dev.forage.runtime.audit.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forage.runtime.audit.Actor;
import dev.forage.runtime.audit.AuditEntry;
import dev.forage.runtime.audit.AuditEvent;
import dev.forage.runtime.audit.EntryKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // Made-up values shaped like secrets; none is a real credential.
    private static final List<String> SECRETS = List.of(
            "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
            "hunter2-but-longer",
            "sk-proj-abcdefghijklmnopqrstuvwx",
            "legal winner thank year wave sausage worth useful legal winner thank yellow",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcCJ9.c2lnbmF0dXJl",
            "aesctrciphertextbytes0123456789",
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
            "dXNlcjpwYXNzd29yZA==",
            "plainRefreshValue123");

    @Test
    void keyLikeFieldsNeverReachTheCanonicalBytes() throws Exception {
        // given a payload carrying secrets under many spellings and nestings
        JsonNode payload = JSON.readTree("""
                {
                  "privateKey": "0x%1$s",
                  "wallet": {"private_key": "%1$s", "address": "0x52908400098527886E0F7030069857D2E4169EE7"},
                  "db": {"password": "%2$s", "user": "forage"},
                  "headers": [{"Authorization": "Bearer %5$s"}, {"X-Api-Key": "%3$s"}],
                  "llm": {"apiKey": "%3$s", "model": "gpt"},
                  "recovery": {"mnemonic": "%4$s"},
                  "keystore": {"version": 3, "crypto": {"ciphertext": "%6$s", "kdf": "scrypt"}},
                  "someSigner": {"id": "s1", "Crypto": {"ciphertext": "%6$s"}},
                  "pem": "-----BEGIN PRIVATE KEY-----\\n%7$s\\n-----END PRIVATE KEY-----",
                  "upstream": "Basic %8$s",
                  "oauth": {"refresh_token": "%9$s", "access-token": "%5$s", "token": "%5$s"},
                  "asset": {"token": "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", "amount": "1000000"},
                  "note": "paid 1 USDC"
                }
                """.formatted(SECRETS.toArray()));

        // when it becomes a log entry
        AuditEntry entry = AuditEntry.of(7, Instant.parse("2025-06-01T00:00:00Z"),
                AuditEvent.of("agent-1", EntryKind.SETTLEMENT_TX, Actor.agent("agent-1"), payload));
        String stored = new String(entry.canonicalBytes(), StandardCharsets.UTF_8);

        // then no secret is in the bytes that are hashed and stored, and the rest is kept
        for (String secret : SECRETS) {
            assertThat(stored).doesNotContain(secret);
        }
        assertThat(stored)
                .contains("\"address\":\"0x52908400098527886E0F7030069857D2E4169EE7\"")
                .contains("\"token\":\"0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48\"")
                .contains("\"user\":\"forage\"")
                .contains("\"model\":\"gpt\"")
                .contains("\"note\":\"paid 1 USDC\"")
                .contains("\"privateKey\":\"[REDACTED]\"")
                .contains("\"keystore\":\"[REDACTED]\"")
                .contains("\"someSigner\":\"[REDACTED]\"");
    }

    @Test
    void redactionDoesNotChangeTheInput() throws Exception {
        JsonNode payload = JSON.readTree("{\"password\":\"x\"}");

        JsonNode redacted = SecretRedactor.redact(payload);

        assertThat(payload.get("password").asText()).isEqualTo("x");
        assertThat(redacted.get("password").asText()).isEqualTo(SecretRedactor.REDACTED);
    }

    @Test
    void ordinaryNamesAreKept() {
        for (String name : List.of("tokenId", "amount", "keyName", "txHash", "publicKey", "seedNodes2", "tokens")) {
            assertThat(SecretRedactor.isSecretMember(name, JSON.getNodeFactory().textNode("v")))
                    .as(name).isFalse();
        }
    }
}
