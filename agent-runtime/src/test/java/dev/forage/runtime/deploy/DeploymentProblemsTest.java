package dev.forage.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad deployments, each with the exact problems it must produce: file, line, column, field path
 * and message. Every case edits one valid document ({@link #VALID}), whose line numbers the
 * expectations refer to.
 */
class DeploymentProblemsTest {

    /** A private key's shape, made at test time (32 random bytes): keys are never committed, not even fake ones. */
    static final String FAKE_PRIVATE_KEY = randomPrivateKey();

    private static String randomPrivateKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "0x" + HexFormat.of().formatHex(key);
    }

    /** A valid deployment; the expectations' line numbers refer to it. */
    static final String VALID = """
            apiVersion: forage.dev/v1
            kind: AgentDeployment
            metadata:
              name: test-agent
            spec:
              identity:
                keystore: keys/agent.json
                passwordEnv: AGENT_PASSWORD
              chain:
                devnet: true
              planner:
                kind: scripted
                playbook: procure-embeddings
              markets:
                - kind: devnet
                  maxPricePerHour: 2.00 USDC
                  offerTtl: PT5M
                - kind: akash
                  apiKeyEnv: AKASH_API_KEY
                  maxPricePerHour: 3.00 USDC
                  offerTtl: PT10M
              inference:
                - kind: local
                  models: [all-minilm-l6-v2]
              verification:
                method: re-execution
                sampleRate: 0.25
                threshold: 0.98
              policies:
                - policy.yaml
              budget:
                limit: 10 USDC
                window: {calendar: day, zone: UTC}
              jobs:
                - id: embed
                  kind: embeddings
                  corpus: corpus/chunks.jsonl
                  model: all-minilm-l6-v2
                  batchSize: 64
                  gpu: {model: RTX-4090, count: 1, duration: PT30M}
            """;

    /**
     * One bad input: {@code VALID} with {@code from} (which occurs once) replaced by {@code to}.
     * {@code {dir}} in an expected message stands for the deployment's folder.
     */
    record Case(String name, String from, String to, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case replace(String name, String from, String to, String... expected) {
        return new Case(name, from, to, List.of(expected));
    }

    static Stream<Case> cases() {
        return Stream.of(
                replace("wrong apiVersion", "apiVersion: forage.dev/v1", "apiVersion: forage.dev/v2",
                        "deploy.yaml:1:1: apiVersion: must be forage.dev/v1, got 'forage.dev/v2'"),
                replace("wrong kind", "kind: AgentDeployment", "kind: AgentDeploy",
                        "deploy.yaml:2:1: kind: must be AgentDeployment, got 'AgentDeploy'"),
                replace("missing spec", VALID.substring(VALID.indexOf("spec:")), "",
                        "deploy.yaml:1:1: spec: required"),
                replace("missing metadata.name", "  name: test-agent", "  labels: {team: a}",
                        "deploy.yaml:4:3: metadata.name: required"),
                replace("a name that is not a DNS label", "name: test-agent", "name: Test_Agent",
                        "deploy.yaml:4:3: metadata.name: must be a DNS label (1 to 63 lower-case letters, digits and '-',"
                                + " starting and ending with a letter or digit), got 'Test_Agent'"),
                replace("apiKeyEnv missing for akash", "      apiKeyEnv: AKASH_API_KEY\n", "",
                        "deploy.yaml:18:7: spec.markets[1].apiKeyEnv: required for kind akash"),
                replace("a market kind misspelt", "- kind: akash", "- kind: akas",
                        "deploy.yaml:18:7: spec.markets[1].kind: must be one of devnet, akash, ionet, hyperbolic, got 'akas';"
                                + " did you mean 'akash'?"),
                replace("a quoted integer", "batchSize: 64", "batchSize: \"64\"",
                        "deploy.yaml:39:7: spec.jobs[0].batchSize: must be a whole number, got a string; write it without quotes"),
                replace("a mapping written as a string", "  chain:\n    devnet: true", "  chain: devnet\n",
                        "deploy.yaml:9:3: spec.chain: must be a mapping, got a string"),
                replace("a number where text is meant", "  name: test-agent", "  name: test-agent\n  labels: {tier: 2}",
                        "deploy.yaml:5:12: metadata.labels.tier: must be a string, got the number 2; quote it if you mean"
                                + " the text: '2'"),
                replace("YAML 1.1 reads no as false", "  name: test-agent", "  name: test-agent\n  labels: {country: no}",
                        "deploy.yaml:5:12: metadata.labels.country: must be a string, got the boolean no; quote it if you"
                                + " mean the text: 'no'"),
                replace("a short duration", "offerTtl: PT10M", "offerTtl: 10m",
                        "deploy.yaml:21:7: spec.markets[1].offerTtl: must be a positive ISO-8601 duration like PT10M, PT1H30M"
                                + " or P1D, got '10m'; did you mean PT10M?"),
                replace("a zero duration", "offerTtl: PT10M", "offerTtl: PT0S",
                        "deploy.yaml:21:7: spec.markets[1].offerTtl: must be a positive duration, got 'PT0S'"),
                replace("an amount without its asset", "maxPricePerHour: 3.00 USDC", "maxPricePerHour: '3.00'",
                        "deploy.yaml:20:7: spec.markets[1].maxPricePerHour: must be an amount and an asset symbol like"
                                + " '3.00 USDC', got '3.00'; add the asset symbol, e.g. '3.00 USDC'"),
                replace("an amount that is not a number", "maxPricePerHour: 3.00 USDC", "maxPricePerHour: three USDC",
                        "deploy.yaml:20:7: spec.markets[1].maxPricePerHour: must be an amount and an asset symbol like"
                                + " '3.00 USDC', got 'three USDC'"),
                replace("a negative amount", "limit: 10 USDC", "limit: -10 USDC",
                        "deploy.yaml:32:5: spec.budget.limit: must be an amount and an asset symbol like '3.00 USDC', got"
                                + " '-10 USDC'"),
                replace("a chain id that is not CAIP-2", "    devnet: true",
                        "    rpcUrl: https://mainnet.base.org\n    chainId: base",
                        "deploy.yaml:11:5: spec.chain.chainId: must be a CAIP-2 chain id like eip155:8453, got 'base'"),
                replace("a bare EVM chain id", "    devnet: true",
                        "    rpcUrl: https://mainnet.base.org\n    chainId: '8453'",
                        "deploy.yaml:11:5: spec.chain.chainId: must be a CAIP-2 chain id like eip155:8453, got '8453'; did"
                                + " you mean eip155:8453?"),
                replace("a chain id written as a number", "    devnet: true",
                        "    rpcUrl: https://mainnet.base.org\n    chainId: 8453",
                        "deploy.yaml:11:5: spec.chain.chainId: must be a CAIP-2 chain id like eip155:8453, got the number 8453"),
                replace("an RPC chain without its id", "    devnet: true", "    rpcUrl: https://mainnet.base.org",
                        "deploy.yaml:10:5: spec.chain.chainId: required unless devnet is true"),
                replace("a chain id beside devnet", "    devnet: true", "    devnet: true\n    chainId: eip155:1",
                        "deploy.yaml:11:5: spec.chain.chainId: not allowed when devnet is true"),
                replace("both passwordEnv and passwordFile", "    passwordEnv: AGENT_PASSWORD",
                        "    passwordEnv: AGENT_PASSWORD\n    passwordFile: keys/password.txt",
                        "deploy.yaml:7:5: spec.identity: takes one of passwordEnv or passwordFile, not both"),
                replace("neither passwordEnv nor passwordFile", "    passwordEnv: AGENT_PASSWORD\n", "",
                        "deploy.yaml:7:5: spec.identity: needs one of passwordEnv or passwordFile"),
                replace("register without a registration", "    passwordEnv: AGENT_PASSWORD",
                        "    passwordEnv: AGENT_PASSWORD\n    register: true",
                        "deploy.yaml:7:5: spec.identity.registration: required when register is true"),
                replace("a literal API key", "      apiKeyEnv: AKASH_API_KEY",
                        "      apiKey: sk-test-0123456789abcdefghij",
                        "deploy.yaml:18:7: spec.markets[1].apiKeyEnv: required for kind akash",
                        "deploy.yaml:19:7: spec.markets[1].apiKey: a literal secret does not belong in a deployment: put it"
                                + " in an environment variable and name that with apiKeyEnv (the value is not shown)"),
                replace("a key where its variable's name goes", "apiKeyEnv: AKASH_API_KEY",
                        "apiKeyEnv: sk-test-0123456789abcdefghij",
                        "deploy.yaml:19:7: spec.markets[1].apiKeyEnv: this value looks like an API key: a deployment names"
                                + " secrets (apiKeyEnv, passwordEnv, passwordFile) and never holds them (the value is not shown)"),
                replace("a generated key where its variable's name goes", "apiKeyEnv: AKASH_API_KEY",
                        "apiKeyEnv: ac7Hq2LmPz9XwT4vRk8Ns3Yb6Df1Gj5Ue0",
                        "deploy.yaml:19:7: spec.markets[1].apiKeyEnv: looks like a key, not the name of an environment"
                                + " variable: put the key in a variable (e.g. TOGETHER_API_KEY) and write the variable's name"
                                + " here (the value is not shown)"),
                replace("not a variable name", "apiKeyEnv: AKASH_API_KEY", "apiKeyEnv: akash key",
                        "deploy.yaml:19:7: spec.markets[1].apiKeyEnv: must be the name of an environment variable (letters,"
                                + " digits and '_', not starting with a digit), not its value (the value is not shown)"),
                replace("a literal password", "    passwordEnv: AGENT_PASSWORD", "    password: correct-horse-battery",
                        "deploy.yaml:7:5: spec.identity: needs one of passwordEnv or passwordFile",
                        "deploy.yaml:8:5: spec.identity.password: a password does not belong in a deployment: name an"
                                + " environment variable with passwordEnv or a file with passwordFile (the value is not shown)"),
                replace("a literal private key", "    passwordEnv: AGENT_PASSWORD",
                        "    passwordEnv: AGENT_PASSWORD\n    privateKey: " + FAKE_PRIVATE_KEY,
                        "deploy.yaml:9:5: spec.identity.privateKey: a private key does not belong in a deployment: keep it"
                                + " in the V3 keystore file named by spec.identity.keystore, unlocked with passwordEnv or"
                                + " passwordFile (the value is not shown)"),
                replace("an access token in a market option", "      offerTtl: PT10M",
                        "      offerTtl: PT10M\n      options: {token: ghp_0123456789abcdefghijABCDEFGHIJ}",
                        "deploy.yaml:22:17: spec.markets[1].options.token: a literal secret does not belong in a deployment:"
                                + " put it in an environment variable and name that with apiKeyEnv (the value is not shown)"),
                // Found by DeploymentMutationTest: a key pasted where a field name goes was echoed in the path.
                replace("a secret pasted as a field name", "    devnet: true", "    devnet: true\n    sk-test-0123456789abcdefghij: x",
                        "deploy.yaml:11:5: spec.chain: a key of this mapping looks like an API key: a deployment names secrets"
                                + " (apiKeyEnv, passwordEnv, passwordFile) and never holds them (the key is not shown)"),
                // Found by DeploymentMutationTest: a key inside a longer value survived the message's shortening.
                replace("a key inside a value that is shown shortened", "limit: 10 USDC", "limit: 10 USD" + FAKE_PRIVATE_KEY + "C",
                        "deploy.yaml:32:5: spec.budget.limit: must be an amount and an asset symbol like '3.00 USDC', got a"
                                + " value that looks like a secret (not shown)"),
                replace("an unknown field close to a known one", "  verification:", "  verfication:",
                        "deploy.yaml:6:3: spec.verification: required",
                        "deploy.yaml:25:3: spec.verfication: unknown field; did you mean 'verification'?"),
                replace("an unknown field", "    devnet: true", "    devnet: true\n    colour: blue",
                        "deploy.yaml:11:5: spec.chain.colour: unknown field; allowed here: devnet, rpcUrl, chainId,"
                                + " confirmations, token, tokenDomain"),
                replace("a ratio above 1", "sampleRate: 0.25", "sampleRate: 1.5",
                        "deploy.yaml:27:5: spec.verification.sampleRate: must be at most 1, got 1.5"),
                replace("quorum without its settings", "    method: re-execution", "    method: quorum",
                        "deploy.yaml:26:5: spec.verification.quorum: required for method quorum",
                        "deploy.yaml:28:5: spec.verification.threshold: not allowed for method quorum"),
                replace("ritual without a URL", "    - kind: local", "    - kind: ritual",
                        "deploy.yaml:23:7: spec.inference[0].baseUrl: required for kind ritual"),
                replace("a URL for the in-process provider", "      models: [all-minilm-l6-v2]",
                        "      baseUrl: http://127.0.0.1:8080\n      models: [all-minilm-l6-v2]",
                        "deploy.yaml:24:7: spec.inference[0].baseUrl: not allowed for kind local"),
                replace("a time zone that does not exist", "zone: UTC", "zone: Mars/Olympus",
                        "deploy.yaml:33:29: spec.budget.window.zone: 'Mars/Olympus' is not a time zone: use an IANA name"
                                + " like Europe/Berlin, or UTC"),
                replace("a zone for a rolling window", "{calendar: day, zone: UTC}", "{rolling: PT24H, zone: UTC}",
                        "deploy.yaml:33:30: spec.budget.window.zone: not allowed with rolling"),
                replace("both a corpus and texts", "      corpus: corpus/chunks.jsonl",
                        "      corpus: corpus/chunks.jsonl\n      texts: [hello]",
                        "deploy.yaml:35:7: spec.jobs[0]: takes one of corpus or texts, not both"),
                replace("duplicate job ids", "      gpu: {model: RTX-4090, count: 1, duration: PT30M}",
                        "      gpu: {model: RTX-4090, count: 1, duration: PT30M}\n"
                                + "    - id: embed\n      kind: embeddings\n      texts: [hello]\n      model: m\n"
                                + "      batchSize: 1\n      gpu: {model: A100, count: 1, duration: PT1H}",
                        "deploy.yaml:41:7: spec.jobs[1].id: 'embed' is already the id of spec.jobs[0]: give each job its own id"),
                replace("a missing policy file", "    - policy.yaml", "    - policies/missing.yaml",
                        "deploy.yaml:30:7: spec.policies[0]: no such policy file: {dir}/policies/missing.yaml (paths are"
                                + " relative to the deployment file)"),
                replace("a policy listed twice", "    - policy.yaml", "    - policy.yaml\n    - ./policy.yaml\n    - policy.yaml",
                        "deploy.yaml:32:7: spec.policies[2]: repeats 'policy.yaml' (first at line 30): list it once"),
                replace("jobs without a market", VALID.substring(VALID.indexOf("  markets:"), VALID.indexOf("  inference:")), "",
                        "deploy.yaml:26:3: spec.jobs: jobs lease GPUs, but spec.markets names no compute market: add one"),
                replace("a key given twice", "    playbook: procure-embeddings",
                        "    playbook: procure-embeddings\n    playbook: other",
                        "deploy.yaml:14:5: spec.planner.playbook: key 'playbook' appears twice in this mapping (first at line"
                                + " 13): keep one"),
                replace("an alias", "    playbook: procure-embeddings", "    playbook: *book",
                        "deploy.yaml:13:15: spec.planner.playbook: YAML aliases (*book) are not supported in deployments:"
                                + " write the value out"),
                replace("a YAML syntax error", "    kind: scripted", "    kind: [scripted",
                        "deploy.yaml:13:13: YAML syntax error: expected ',' or ']', but got : (while parsing a flow sequence"
                                + " from line 12, column 11)"),
                replace("a list, not a mapping", VALID, "- a\n- b\n",
                        "deploy.yaml:1:1: a deployment is a mapping with apiVersion, kind, metadata and spec; this document"
                                + " is a list"),
                replace("no document", VALID, "# nothing here\n",
                        "deploy.yaml:1:1: the file holds no YAML document: write an AgentDeployment"),
                replace("two documents", VALID, VALID + "---\n" + VALID,
                        "deploy.yaml:42:1: a deployment file holds one document: move this second one to a file of its own"));
    }

    @TempDir
    Path dir;

    @BeforeEach
    void policyFile() throws IOException {
        Files.writeString(dir.resolve("policy.yaml"), "apiVersion: forage.dev/v1\nkind: SpendingPolicy\nmetadata: {name: p}\nspec: {}\n");
    }

    @Test
    void theValidDocumentLoads() {
        AgentDeployment deployment = DeploymentLoader.create().parse("deploy.yaml", VALID, dir);

        assertThat(deployment.name()).isEqualTo("test-agent");
        assertThat(deployment.spec().markets()).extracting(Market::kind).containsExactly(MarketKind.DEVNET, MarketKind.AKASH);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachBadInputReportsExactlyItsProblems(Case c) {
        assertThat(VALID.indexOf(c.from())).as("'%s' occurs in VALID", c.from()).isNotNegative();
        assertThat(VALID.indexOf(c.from(), VALID.indexOf(c.from()) + 1)).as("'%s' occurs once in VALID", c.from()).isNegative();
        String yaml = VALID.replace(c.from(), c.to());

        DeploymentException e = catchThrowableOfType(DeploymentException.class,
                () -> DeploymentLoader.create().parse("deploy.yaml", yaml, dir));

        assertThat(e).as("loading must fail").isNotNull();
        List<String> expected = c.expected().stream().map(m -> m.replace("{dir}", dir.toAbsolutePath().normalize().toString())).toList();
        assertThat(e.problems()).map(DeploymentProblem::toString).containsExactlyElementsOf(expected);
        assertThat(e.retriable()).isFalse();
    }

    @Test
    void secretsNeverAppearInTheException() {
        String key = "sk-test-0123456789abcdefghij";
        String yaml = VALID.replace("      apiKeyEnv: AKASH_API_KEY", "      apiKey: " + key + "\n      token: " + key)
                .replace("    passwordEnv: AGENT_PASSWORD", "    passwordEnv: " + key + "\n    password: " + key);

        DeploymentException e = catchThrowableOfType(DeploymentException.class,
                () -> DeploymentLoader.create().parse("deploy.yaml", yaml, dir));

        assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(e.getMessage()).doesNotContain(key).doesNotContain("0123456789abcdefghij");
    }

    @Test
    void everyProblemIsReportedAtOnceInFileOrder() {
        String yaml = VALID.replace("kind: AgentDeployment", "kind: AgentDeploy")
                .replace("      apiKeyEnv: AKASH_API_KEY\n", "")
                .replace("  verification:", "  verfication:")
                .replace("offerTtl: PT10M", "offerTtl: 10m")
                .replace("    - policy.yaml", "    - nowhere.yaml");

        DeploymentException e = catchThrowableOfType(DeploymentException.class,
                () -> DeploymentLoader.create().parse("deploy.yaml", yaml, dir));

        assertThat(e.problems()).extracting(DeploymentProblem::line).containsExactly(2, 6, 18, 20, 24, 29);
        assertThat(e.getMessage()).startsWith("6 problems in deployment deploy.yaml; fix and load again:\n"
                + "deploy.yaml:2:1: kind: must be AgentDeployment, got 'AgentDeploy'\n");
    }

    @Test
    void deepNestingIsAProblemNotAStackOverflow() {
        String yaml = VALID.replace("  name: test-agent", "  name: test-agent\n  labels: " + "{a: ".repeat(200) + "1" + "}".repeat(200));

        DeploymentException e = catchThrowableOfType(DeploymentException.class,
                () -> DeploymentLoader.create().parse("deploy.yaml", yaml, dir));

        assertThat(e.problems()).map(DeploymentProblem::toString).containsExactly(
                "deploy.yaml:5:12: metadata.labels.a: must be a string, got a mapping",
                "deploy.yaml:5:131: metadata.labels" + ".a".repeat(30) + ": nested more than 32 levels deep: a deployment needs far fewer");
    }

    @Test
    void anOversizedTextIsRefusedBeforeParsing() {
        String yaml = VALID + "#" + "x".repeat(DeploymentLoader.MAX_BYTES);

        assertThatThrownBy(() -> DeploymentLoader.create().parse("deploy.yaml", yaml, dir))
                .isInstanceOf(DeploymentException.class)
                .hasMessageEndingWith("deploy.yaml: the text is longer than 1048576 characters: a deployment is a few kilobytes");
    }

    @Test
    void aFileIsNamedAsGivenAndRelativePathsResolveAgainstItsFolder() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("deployments"));
        Files.createDirectories(dir.resolve("shared"));
        Files.writeString(dir.resolve("shared/policy.yaml"), "apiVersion: forage.dev/v1\nkind: SpendingPolicy\nmetadata: {name: p}\nspec: {}\n");
        Path file = folder.resolve("deploy.yaml");
        Files.writeString(file, VALID.replace("    - policy.yaml", "    - ../shared/policy.yaml")
                .replace("corpus: corpus/chunks.jsonl", "corpus: ./data/../corpus/chunks.jsonl"));

        AgentDeployment deployment = AgentDeployment.load(file);

        Path base = folder.toAbsolutePath().normalize();
        assertThat(deployment.spec().identity().keystore()).isEqualTo(base.resolve("keys/agent.json"));
        assertThat(deployment.spec().policies()).containsExactly(dir.toAbsolutePath().normalize().resolve("shared/policy.yaml"));
        assertThat(deployment.spec().jobs().get(0).input()).isEqualTo(new Job.Corpus(base.resolve("corpus/chunks.jsonl")));
    }

    @Test
    void aMissingFileIsADeploymentProblem() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> AgentDeployment.load(missing))
                .isInstanceOf(DeploymentException.class)
                .hasMessage("1 problem in deployment " + missing + "; fix and load again:\n" + missing + ": no such file: "
                        + missing.toAbsolutePath().normalize());
    }

    @Test
    void aFileThatIsNotUtf8IsADeploymentProblem() throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});

        DeploymentException e = catchThrowableOfType(DeploymentException.class, () -> AgentDeployment.load(file));

        assertThat(e.problems()).map(DeploymentProblem::message).containsExactly("the file is not UTF-8 text: save it as UTF-8");
    }
}
