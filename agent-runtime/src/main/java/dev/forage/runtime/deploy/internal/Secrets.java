package dev.forage.runtime.deploy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Secrets are only named in a deployment, never written in it. This scan refuses a member named
 * like a secret ({@code apiKey}, {@code password}, {@code privateKey}, {@code secret}, a
 * {@code token} holding something other than a contract address, ...) and any value shaped like
 * a credential (a PEM private key, a 32-byte hex private key, a bearer credential, an
 * {@code sk-} key, a JWT), and says which reference to use instead. No message ever contains the
 * value. The rules err towards refusing: a wrongly refused field costs an edit, a committed key
 * costs the funds.
 */
final class Secrets {

    private static final Set<String> SECRET_NAMES = Set.of(
            "password", "passwd", "pwd", "passphrase", "secret", "clientsecret", "privatekey", "privkey", "secretkey",
            "signingkey", "apikey", "xapikey", "apitoken", "accesstoken", "refreshtoken", "authtoken", "bearertoken",
            "bearer", "authorization", "mnemonic", "seed", "seedphrase", "recoveryphrase", "credential", "credentials", "jwt");

    private static final List<String> SECRET_SUFFIXES = List.of(
            "password", "passphrase", "secret", "apikey", "privatekey", "secretkey", "accesstoken", "authtoken",
            "mnemonic", "seedphrase", "credentials");

    private static final Set<String> KEY_NAMES = Set.of("privatekey", "privkey", "secretkey", "signingkey", "mnemonic",
            "seed", "seedphrase", "recoveryphrase");

    private static final Pattern EVM_ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern HEX_PRIVATE_KEY = Pattern.compile("(0x)?[0-9a-fA-F]{64}");
    private static final Pattern PEM_PRIVATE_KEY = Pattern.compile("(?s).*-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*");
    private static final Pattern HTTP_CREDENTIAL = Pattern.compile("(?i)(bearer|basic)\\s+\\S{8,}");
    private static final Pattern SK_KEY = Pattern.compile("sk[-_][A-Za-z0-9_-]{16,}");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");

    /** The same shapes, found anywhere in a text, for the last scrub of every message. */
    private static final Pattern CREDENTIAL_ANYWHERE = Pattern.compile(
            "(?s)-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)"
                    + "|(?i:bearer|basic)\\s+[A-Za-z0-9._~+/=-]{8,}"
                    + "|sk[-_][A-Za-z0-9_-]{16,}"
                    + "|eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"
                    + "|(0x)?[0-9a-fA-F]{64,}");

    /** What replaces a credential that made it into a message or a path. */
    static final String NOT_SHOWN = "[secret not shown]";

    private Secrets() {}

    /**
     * {@code text} with every credential-shaped run replaced by {@value #NOT_SHOWN}: the last
     * guard before a message leaves the loader, for values that reach it by a route the scan
     * does not foresee (a key pasted as a field name, say).
     */
    static String scrub(String text) {
        return CREDENTIAL_ANYWHERE.matcher(text).replaceAll(NOT_SHOWN);
    }

    /** What kind of credential {@code value} looks like, if any. */
    static Optional<String> credentialKind(String value) {
        String v = value.strip();
        if (PEM_PRIVATE_KEY.matcher(v).matches() || HEX_PRIVATE_KEY.matcher(v).matches()) {
            return Optional.of("a private key");
        }
        if (HTTP_CREDENTIAL.matcher(v).matches()) {
            return Optional.of("an HTTP credential");
        }
        if (SK_KEY.matcher(v).matches()) {
            return Optional.of("an API key");
        }
        if (JWT.matcher(v).matches()) {
            return Optional.of("a signed token (JWT)");
        }
        return Optional.empty();
    }

    /**
     * Whether {@code value} looks like a generated key rather than a word or a name: long, no
     * spaces, underscores or {@code ://}, letters and digits mixed. Environment variable names have
     * underscores; API keys rarely do.
     */
    static boolean looksGenerated(String value, int minLength) {
        if (value.length() < minLength || value.contains("://")
                || value.chars().anyMatch(c -> Character.isWhitespace(c) || c == '_')) {
            return false;
        }
        boolean letter = value.chars().anyMatch(Character::isLetter);
        boolean digit = value.chars().anyMatch(Character::isDigit);
        return letter && digit;
    }

    /** Whether a token field's value looks like an access token (ghp_..., hf_..., or 16+ random characters). */
    private static boolean tokenLike(String value) {
        String v = value.strip();
        return v.length() >= 16 && !v.contains("://") && v.chars().noneMatch(Character::isWhitespace)
                && v.chars().anyMatch(Character::isLetter) && v.chars().anyMatch(Character::isDigit);
    }

    /** Whether a value may be shown in a message. */
    static boolean showable(String value) {
        // Checked on the whole value: a message may shorten it, and a cut key no longer looks like one.
        return credentialKind(value).isEmpty() && !looksGenerated(value, 32) && !CREDENTIAL_ANYWHERE.matcher(value).find();
    }

    /** Reports every secret in the tree, blocking its field. */
    static void scan(JsonNode node, Pointer at, LocatedYaml yaml, Problems problems) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                Pointer child = at.child(field.getKey());
                Optional<String> refused = refusedName(field.getKey(), field.getValue());
                if (credentialKind(field.getKey()).isPresent()) {
                    // Reported at the mapping, so the path does not repeat the key.
                    problems.block(child);
                    problems.add(at, yaml.fieldLoc(child), "a key of this mapping looks like " + credentialKind(field.getKey()).get()
                            + ": a deployment names secrets (apiKeyEnv, passwordEnv, passwordFile) and never holds them"
                            + " (the key is not shown)");
                } else if (refused.isPresent()) {
                    problems.addBlocking(child, yaml.fieldLoc(child), refused.get());
                } else {
                    scan(field.getValue(), child, yaml, problems);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                scan(node.get(i), at.child(i), yaml, problems);
            }
        } else if (node.isTextual()) {
            String value = node.textValue();
            Optional<String> kind = credentialKind(value);
            if (kind.isPresent()) {
                problems.addBlocking(at, yaml.fieldLoc(at), "this value looks like " + kind.get()
                        + ": a deployment names secrets (apiKeyEnv, passwordEnv, passwordFile) and never holds them"
                        + " (the value is not shown)");
            } else if (at.lastName().endsWith("Env") && looksGenerated(value, 32)) {
                problems.addBlocking(at, yaml.fieldLoc(at), "looks like a key, not the name of an environment variable:"
                        + " put the key in a variable (e.g. TOGETHER_API_KEY) and write the variable's name here"
                        + " (the value is not shown)");
            }
        }
    }

    private static Optional<String> refusedName(String name, JsonNode value) {
        String n = name.toLowerCase(Locale.ROOT).replaceAll("[_\\-. ]", "");
        boolean secret = SECRET_NAMES.contains(n) || SECRET_SUFFIXES.stream().anyMatch(n::endsWith);
        if (!secret && n.endsWith("token")) {
            // A token field may be a contract address (spec.chain.token): refuse only a key-like value.
            secret = value.isTextual() && !EVM_ADDRESS.matcher(value.textValue().strip()).matches()
                    && (credentialKind(value.textValue()).isPresent() || tokenLike(value.textValue()));
        }
        if (!secret) {
            return Optional.empty();
        }
        if (n.contains("pass") || n.equals("pwd")) {
            return Optional.of("a password does not belong in a deployment: name an environment variable with"
                    + " passwordEnv or a file with passwordFile (the value is not shown)");
        }
        if (KEY_NAMES.contains(n) || n.endsWith("privatekey") || n.endsWith("secretkey") || n.endsWith("mnemonic")
                || n.endsWith("seedphrase")) {
            return Optional.of("a private key does not belong in a deployment: keep it in the V3 keystore file named by"
                    + " spec.identity.keystore, unlocked with passwordEnv or passwordFile (the value is not shown)");
        }
        return Optional.of("a literal secret does not belong in a deployment: put it in an environment variable and"
                + " name that with apiKeyEnv (the value is not shown)");
    }
}
