package dev.forage.runtime.audit.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes secrets from a JSON payload before it is canonicalized, hashed and stored, so that a
 * log that is append-only forever never holds a key, password or token.
 *
 * <p>A member is redacted (its value replaced by {@value #REDACTED}, whatever its type) when its
 * name, lower-cased with {@code _ - . space} removed, is a known secret name or ends in a
 * secret suffix ({@code privatekey}, {@code password}, {@code apikey}, {@code secret},
 * {@code mnemonic}, {@code keystore}, {@code accesstoken}...). A member named exactly
 * {@code token} is redacted unless its value is an EVM address (a token contract, which an
 * audit needs). Independently of names, a string value is redacted when it looks like a
 * credential: a PEM private key, an HTTP {@code Bearer}/{@code Basic} credential, or a
 * {@code sk-}/{@code sk_} API key; and an object shaped like an Ethereum V3 keystore
 * ({@code crypto}/{@code Crypto} holding a {@code ciphertext}) is replaced whole.
 *
 * <p>The rules err towards redacting: a wrongly redacted field costs a detail in the audit; a
 * leaked key costs the funds. The input tree is never modified.
 */
public final class SecretRedactor {

    /** What a redacted value is replaced with. */
    public static final String REDACTED = "[REDACTED]";

    private static final Set<String> SECRET_NAMES = Set.of(
            "password", "passwd", "pwd", "passphrase", "secret", "clientsecret", "privatekey",
            "privkey", "secretkey", "signingkey", "apikey", "apitoken", "accesstoken", "refreshtoken",
            "authtoken", "idtoken", "sessiontoken", "bearertoken", "bearer", "authorization",
            "proxyauthorization", "cookie", "setcookie", "mnemonic", "seed", "seedphrase",
            "recoveryphrase", "keystore", "keystorejson", "keyfile", "credentials", "credential",
            "xapikey", "sk", "jwt");

    private static final List<String> SECRET_SUFFIXES = List.of(
            "privatekey", "secretkey", "password", "passphrase", "secret", "apikey", "accesstoken",
            "refreshtoken", "authtoken", "sessiontoken", "mnemonic", "seedphrase", "keystore",
            "credentials");

    private static final Pattern EVM_ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern CREDENTIAL_VALUE = Pattern.compile(
            "(?s)(.*-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*)"
                    + "|((?i:bearer|basic)\\s+\\S{8,})"
                    + "|(sk[-_][A-Za-z0-9_-]{16,})");

    private SecretRedactor() {}

    /** A copy of {@code node} with every secret-looking member and value redacted. */
    public static JsonNode redact(JsonNode node) {
        if (node.isObject()) {
            if (looksLikeKeystore(node)) {
                return TextNode.valueOf(REDACTED);
            }
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            node.fields().forEachRemaining(fields::add);
            for (Map.Entry<String, JsonNode> field : fields) {
                copy.set(field.getKey(), isSecretMember(field.getKey(), field.getValue())
                        ? TextNode.valueOf(REDACTED)
                        : redact(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
            for (JsonNode element : node) {
                copy.add(redact(element));
            }
            return copy;
        }
        if (node.isTextual() && CREDENTIAL_VALUE.matcher(node.textValue()).matches()) {
            return TextNode.valueOf(REDACTED);
        }
        return node;
    }

    /** Whether a member with this name and value would be redacted. */
    public static boolean isSecretMember(String name, JsonNode value) {
        String normalized = name.toLowerCase(Locale.ROOT).replaceAll("[_\\-. ]", "");
        if (normalized.equals("token")) {
            return !(value.isTextual() && EVM_ADDRESS.matcher(value.textValue()).matches());
        }
        if (SECRET_NAMES.contains(normalized)) {
            return true;
        }
        for (String suffix : SECRET_SUFFIXES) {
            if (normalized.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean looksLikeKeystore(JsonNode node) {
        JsonNode crypto = node.has("crypto") ? node.get("crypto") : node.get("Crypto");
        return crypto != null && crypto.isObject() && crypto.has("ciphertext");
    }
}
