package dev.forage.identity.erc8004;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forage.identity.AgentId;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistrationFileTest {

    private static final String FULL = """
            {
              "type": "https://eips.ethereum.org/EIPS/eip-8004#registration-v1",
              "name": "myAgentName",
              "description": "A natural language description of the Agent",
              "image": "https://example.com/agentimage.png",
              "services": [
                {"name": "web", "endpoint": "https://web.agentxyz.com/"},
                {"name": "A2A", "endpoint": "https://agent.example/.well-known/agent-card.json", "version": "0.3.0"},
                {"name": "OASF", "endpoint": "ipfs://cid", "version": "0.8",
                 "skills": ["natural_language_processing/summarization"], "domains": ["finance"]}
              ],
              "x402Support": false,
              "active": true,
              "registrations": [
                {"agentId": 22, "agentRegistry": "eip155:1:0x8004A169FB4a3325136EB29fA0ceB6D2e539a432"}
              ],
              "supportedTrust": ["reputation", "crypto-economic", "tee-attestation"],
              "updatedAt": 1763000000,
              "x-vendor": {"tier": "gold", "tags": [1, 2]}
            }
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsEveryModelledField() {
        RegistrationFile file = RegistrationFile.read(FULL);

        assertThat(file.name()).isEqualTo("myAgentName");
        assertThat(file.description()).contains("A natural language description of the Agent");
        assertThat(file.image()).contains("https://example.com/agentimage.png");
        assertThat(file.services()).extracting(RegistrationFile.Service::name).containsExactly("web", "A2A", "OASF");
        assertThat(file.services().get(1).version()).contains("0.3.0");
        assertThat(file.x402Support()).contains(false);
        assertThat(file.active()).contains(true);
        assertThat(file.supportedTrust()).containsExactly("reputation", "crypto-economic", "tee-attestation");
        assertThat(file.registrations()).singleElement().satisfies(r -> {
            assertThat(r.agentId()).isEqualTo(BigInteger.valueOf(22));
            assertThat(r.toAgentId()).isEqualTo(AgentId.parse("eip155:1:0x8004A169FB4a3325136EB29fA0ceB6D2e539a432:22"));
        });
    }

    @Test
    void keepsUnknownMembersAtEveryLevelThroughARoundTrip() throws Exception {
        RegistrationFile file = RegistrationFile.read(FULL);
        assertThat(file.extra()).containsKeys("updatedAt", "x-vendor");
        assertThat(file.services().get(2).extra()).containsKeys("skills", "domains");

        JsonNode original = JSON.readTree(FULL);
        JsonNode written = JSON.readTree(file.toJson());
        assertThat(written).isEqualTo(original);
        assertThat(RegistrationFile.read(file.toJson())).isEqualTo(file);
    }

    @Test
    void readsTheEarlierEndpointsNameAndWritesServices() throws Exception {
        String legacy = """
                {"type": "https://eips.ethereum.org/EIPS/eip-8004#registration-v1", "name": "old",
                 "endpoints": [{"name": "MCP", "endpoint": "https://mcp.example/", "version": "2025-06-18"}]}
                """;
        RegistrationFile file = RegistrationFile.read(legacy);
        assertThat(file.services()).singleElement().extracting(RegistrationFile.Service::name).isEqualTo("MCP");
        JsonNode written = JSON.readTree(file.toJson());
        assertThat(written.has("services")).isTrue();
        assertThat(written.has("endpoints")).isFalse();
    }

    @Test
    void addsARegistrationOnce() {
        AgentId id = AgentId.parse("eip155:31337:0x5FbDB2315678afecb367f032d93F642f64180aa3:1");
        RegistrationFile file = RegistrationFile.of("a", "b").withRegistration(id).withRegistration(id)
                .withService(RegistrationFile.Service.of("web", "http://127.0.0.1:1/"));
        assertThat(file.registrations()).extracting(RegistrationFile.Registration::toAgentId).containsExactly(id);
        assertThat(file.services()).hasSize(1);
        assertThat(RegistrationFile.read(file.toJson())).isEqualTo(file);
    }

    @Test
    void jsonNullIsRefusedNotReturnedAsNull() {
        // found by RegistrationFileFuzzTest: read("null") returned null
        assertThatThrownBy(() -> RegistrationFile.read("null"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid ERC-8004 registration file: it is JSON null");
        assertThatThrownBy(() -> RegistrationFile.read(" null\n")).hasMessageContaining("JSON null");
    }

    @Test
    void keptNumbersReadBackEqualAndOnesBeyondADoubleAreRefused() {
        // found by RegistrationFileFuzzTest: 1764e444453000000 read as Infinity and came back as the string "Infinity"
        RegistrationFile file = RegistrationFile.read("{\"type\":\"" + RegistrationFile.TYPE + "\",\"name\":\"a\","
                + "\"two\":2e0,\"zero\":0e400,\"tiny\":1e-400,\"price\":0.1,\"big\":123456789012345678901234567890}");

        assertThat(RegistrationFile.read(file.toJson())).isEqualTo(file);
        assertThat(file.toJson()).contains("\"price\" : 0.1").contains("123456789012345678901234567890");
        assertThatThrownBy(() -> RegistrationFile.read("{\"type\":\"" + RegistrationFile.TYPE + "\",\"name\":\"a\","
                + "\"services\":[{\"name\":\"web\",\"endpoint\":\"e\",\"x\":[1764e444453000]}]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beyond the range of a double");
    }

    @Test
    void badFilesNameTheProblem() {
        assertThatThrownBy(() -> RegistrationFile.read("{\"type\":\"x\",\"name\":\"a\"}"))
                .hasMessageContaining("type 'x'");
        assertThatThrownBy(() -> RegistrationFile.read("{\"type\":\"" + RegistrationFile.TYPE + "\"}"))
                .hasMessageContaining("name");
        assertThatThrownBy(() -> RegistrationFile.read("{\"type\":\"" + RegistrationFile.TYPE + "\",\"name\":\"a\","
                + "\"registrations\":[{\"agentId\":1,\"agentRegistry\":\"eip155:1\"}]}"))
                .hasMessageContaining("eip155:1");
        assertThatThrownBy(() -> RegistrationFile.read("not json")).hasMessageContaining("not a valid ERC-8004 registration file");
        assertThatThrownBy(() -> new RegistrationFile(RegistrationFile.TYPE, "a", null, null,
                List.of(new RegistrationFile.Service("web", "", null, Map.of())), null, null, null, null, null))
                .hasMessageContaining("'web'");
    }

    @Test
    void aDataUriCarriesTheFileItself() {
        RegistrationFile card = RegistrationFile.of("gpu-buyer", "Buys GPU time within its policy");

        String uri = card.toDataUri();

        assertThat(uri).startsWith("data:application/json;base64,");
        String json = new String(java.util.Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1)),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(RegistrationFile.read(json)).isEqualTo(card);
    }
}
