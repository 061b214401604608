package dev.forage.tools.compute.akash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SdlTest {

    private static final String USDC_IBC = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1";

    static Stream<Path> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(SdlTest.class.getResource("sdl").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).as("the SDL corpus").hasSizeGreaterThanOrEqualTo(12);
        return files.stream();
    }

    private static Sdl corpusFile(String name) throws URISyntaxException {
        return Sdl.parse(Path.of(SdlTest.class.getResource("sdl/" + name).toURI()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyCorpusFileRoundTripsToAnEqualModelAndAnEqualYamlTree(Path file) throws IOException {
        String source = Files.readString(file, StandardCharsets.UTF_8);
        Sdl sdl = Sdl.parse(source, file.getFileName().toString());

        String written = sdl.toYaml();
        Sdl again = Sdl.parse(written, "written " + file.getFileName());

        assertThat(again).as("parse(toYaml()) of %s", file.getFileName()).isEqualTo(sdl);
        JsonNode original = SdlReader.readTree(source, file.getFileName().toString());
        assertThat(SdlReader.readTree(written, "written")).as("the YAML data of %s survives:\n%s", file.getFileName(), written)
                .isEqualTo(original);
        assertThat(sdl.toTree()).isEqualTo(original);
        assertThat(again.toYaml()).as("writing is stable").isEqualTo(written);
    }

    @Test
    void theSmallestDeploymentReadsItsUnitsAndKeepsTheSingleStorageMapping() throws Exception {
        Sdl sdl = corpusFile("01-hello-web.yaml");

        assertThat(sdl.version().text()).isEqualTo("2.0");
        Sdl.Service web = sdl.services().get("web");
        assertThat(web.image()).isEqualTo("akashlytics/hello-akash-world:0.2.0");
        assertThat(web.expose()).singleElement().satisfies(e -> {
            assertThat(e.port()).isEqualTo(3000);
            assertThat(e.as()).hasValue(80);
            assertThat(e.to()).singleElement().satisfies(t -> assertThat(t.global()).contains(true));
        });
        Sdl.Resources r = sdl.profiles().compute().get("web").resources();
        assertThat(r.cpu().millis()).isEqualTo(500);
        assertThat(r.memory().bytes()).isEqualTo(BigInteger.valueOf(512L << 20));
        assertThat(r.storageAsList()).isFalse();
        assertThat(r.storage()).singleElement().satisfies(s -> {
            assertThat(s.volumeName()).isEqualTo("default");
            assertThat(s.persistent()).isFalse();
        });
        assertThat(r.gpu()).isEmpty();
        assertThat(sdl.pricing("dcloud", "web")).hasValueSatisfying(p -> {
            assertThat(p.denom()).isEqualTo("uakt");
            assertThat(p.amountDecimal()).isEqualByComparingTo("1000");
        });
        assertThat(sdl.deployment().get("web").get("dcloud").count()).isEqualTo(1);
        assertThat(sdl.toYaml()).contains("storage:\n          size: 512Mi");
    }

    @Test
    void gpuProfilesReadModelRamInterfaceAndTheBareVendor() throws Exception {
        Sdl.Gpu h100 = corpusFile("02-gpu-h100-uact.yaml").profiles().compute().get("trainer").resources().gpu().orElseThrow();
        assertThat(h100.units()).isEqualTo(1);
        assertThat(h100.vendors().get("nvidia")).singleElement().satisfies(m -> {
            assertThat(m.model().text()).isEqualTo("h100");
            assertThat(m.ramBytes()).contains(BigInteger.valueOf(80L << 30));
            assertThat(m.iface()).contains("sxm");
        });

        Sdl any = corpusFile("03-gpu-any-nvidia.yaml");
        Sdl.Gpu bare = any.profiles().compute().get("gpu-test").resources().gpu().orElseThrow();
        assertThat(bare.vendors()).containsOnlyKeys("nvidia");
        assertThat(bare.vendors().get("nvidia")).as("a bare nvidia: is any model").isEmpty();
        assertThat(any.toYaml()).containsPattern("nvidia: *null|nvidia:\\s*\\n");
        assertThat(any.services().get("gpu-test").command()).containsExactly("sh", "-c");

        Sdl.Gpu two = corpusFile("04-gpu-models-usdc.yaml").profiles().compute().get("infer").resources().gpu().orElseThrow();
        assertThat(two.units()).isEqualTo(2);
        assertThat(two.vendors().get("nvidia")).extracting(m -> m.model().text() + m.iface().map(i -> "/" + i).orElse(""))
                .containsExactly("a100", "h100/pcie", "h100/sxm");
    }

    @Test
    void pricingKeepsEveryDenomAndTheAmountAsWritten() throws Exception {
        assertThat(corpusFile("02-gpu-h100-uact.yaml").pricing("akash", "trainer")).hasValueSatisfying(p -> {
            assertThat(p.denom()).isEqualTo("uact");
            assertThat(p.amount().isNumber()).isTrue();
            assertThat(p.amountDecimal()).isEqualByComparingTo("4517");
        });
        assertThat(corpusFile("04-gpu-models-usdc.yaml").pricing("stable", "infer")).map(Sdl.Price::denom).contains(USDC_IBC);
        Sdl.Price decimal = corpusFile("12-llm-cache-decimal-price.yaml").pricing("akash", "ollama").orElseThrow();
        assertThat(decimal.amount().isString()).as("quoted in the source, quoted when written").isTrue();
        assertThat(decimal.amountDecimal()).isEqualTo(new BigDecimal("4516.666667"));
        assertThat(corpusFile("06-storage-classes.yaml").pricing("anywhere", "postgres").orElseThrow().amountDecimal())
                .isEqualTo(new BigDecimal("120.5"));
        assertThat(corpusFile("10-multi-placement.yaml").pricing("eu", "edge")).map(Sdl.Price::denom).contains("uakt");
    }

    @Test
    void persistentStorageHasClassesAndMounts() throws Exception {
        Sdl sdl = corpusFile("06-storage-classes.yaml");
        List<Sdl.Storage> volumes = sdl.profiles().compute().get("postgres").resources().storage();
        assertThat(volumes).extracting(Sdl.Storage::volumeName).containsExactly("default", "data", "shm", "archive");
        assertThat(volumes).extracting(Sdl.Storage::persistent).containsExactly(false, true, false, true);
        assertThat(volumes).extracting(v -> v.storageClass().orElse("-")).containsExactly("-", "beta2", "ram", "beta1");
        assertThat(volumes.get(3).bytes()).isEqualTo(BigInteger.TWO.pow(40));
        Map<String, Sdl.StorageMount> mounts = sdl.services().get("postgres").params().orElseThrow().storage();
        assertThat(mounts.get("data").mount()).contains("/var/lib/postgresql/data");
        assertThat(mounts.get("archive").readOnly()).contains(true);
        assertThat(sdl.profiles().compute().get("postgres").resources().cpu().millis()).isEqualTo(2500);

        Sdl wp = corpusFile("05-wordpress-mysql.yaml");
        assertThat(wp.services()).containsOnlyKeys("wordpress", "db");
        assertThat(wp.services().get("db").expose().get(0).to().get(0).service()).contains("wordpress");
        assertThat(wp.services().get("wordpress").extra()).containsKey("depends-on");
        assertThat(wp.services().get("wordpress").expose().get(0).extra()).containsKey("http_options");
        assertThat(wp.services().get("wordpress").envMap()).containsEntry("WORDPRESS_DB_HOST", "db");
    }

    @Test
    void placementAttributesAndSignedByAreKept() throws Exception {
        Sdl sdl = corpusFile("07-signedby-attributes.yaml");
        Sdl.Placement west = sdl.profiles().placement().get("westcoast");
        assertThat(west.attributes()).containsOnlyKeys("region", "host", "tier");
        assertThat(west.attributes().get("region").asText()).isEqualTo("us-west");
        assertThat(west.signedBy().orElseThrow().allOf()).extracting(Sdl.Scalar::text)
                .containsExactly("akash1365yvmc4s7awdyj3n2sav7xfx76adc6dnmlx63");
        assertThat(west.signedBy().orElseThrow().anyOf()).hasSize(2);
        assertThat(sdl.profiles().compute().get("api").resources().cpu().millis()).isEqualTo(100);
        assertThat(sdl.deployment().get("api").get("westcoast").count()).isEqualTo(2);

        Sdl multi = corpusFile("10-multi-placement.yaml");
        assertThat(multi.deployment().get("edge")).containsOnlyKeys("us", "eu");
        assertThat(multi.deployment().get("edge").get("eu").count()).isEqualTo(3);
        assertThat(multi.profiles().compute().get("edge").resources().cpu().extra()).containsKey("attributes");
        assertThat(multi.profiles().compute().get("edge").resources().memory().bytes()).isEqualTo(BigInteger.valueOf(1_000_000_000));
    }

    @Test
    void version21CredentialsAndIpEndpoints() throws Exception {
        Sdl cred = corpusFile("08-v2.1-credentials.yaml");
        assertThat(cred.version().text()).isEqualTo("2.1");
        Sdl.Credentials c = cred.services().get("web").credentials().orElseThrow();
        assertThat(c.host()).isEqualTo("https://registry.example.com/v1");
        assertThat(c.username()).isEqualTo("deployer");
        assertThat(c.email()).contains("ops@example.com");
        assertThat(c.toString()).doesNotContain(c.password()).contains("hidden");
        assertThat(cred.services().get("web").expose().get(1).proto()).contains("udp");

        Sdl ip = corpusFile("09-v2.1-ip-endpoint.yaml");
        assertThat(ip.endpoints()).containsOnlyKeys("myendpoint");
        assertThat(ip.endpoints().get("myendpoint").kind()).isEqualTo("ip");
        assertThat(ip.services().get("game").expose().get(0).to().get(0).ip()).contains("myendpoint");
    }

    @Test
    void unknownKeysAtEveryLevelAreKeptAndWrittenBack() throws Exception {
        Sdl sdl = corpusFile("11-unknown-keys.yaml");
        assertThat(sdl.extra()).containsOnlyKeys("include", "x-forage-note");
        Sdl.Service app = sdl.services().get("app");
        assertThat(app.extra()).containsOnlyKeys("x-restart");
        assertThat(app.expose().get(0).extra().get("x-port-note").get("scrape").asBoolean()).isTrue();
        assertThat(app.expose().get(0).to().get(0).extra()).containsKey("x-to");
        assertThat(app.params().orElseThrow().extra()).containsKey("x-params");
        assertThat(app.params().orElseThrow().storage().get("cache").extra()).containsKey("x-mount");
        assertThat(sdl.profiles().extra()).containsOnlyKeys("x-profiles");
        Sdl.ComputeProfile compute = sdl.profiles().compute().get("app");
        assertThat(compute.extra()).containsOnlyKeys("x-compute");
        assertThat(compute.resources().extra().get("x-resources").at("/nested/deeper/1").asText()).isEqualTo("b");
        assertThat(compute.resources().cpu().extra()).containsKey("x-cpu");
        assertThat(compute.resources().memory().extra()).containsKey("x-memory");
        assertThat(compute.resources().storage().get(0).extra()).containsKey("x-storage");
        assertThat(compute.resources().storage().get(1).attributes()).containsKey("x-attribute");
        Sdl.Gpu gpu = compute.resources().gpu().orElseThrow();
        assertThat(gpu.extra()).containsKey("x-gpu");
        assertThat(gpu.attributesExtra()).containsKey("x-attributes");
        assertThat(gpu.vendors().get("nvidia").get(0).extra()).containsKey("x-model");
        Sdl.Placement any = sdl.profiles().placement().get("any");
        assertThat(any.extra()).containsKey("x-placement");
        assertThat(any.signedBy().orElseThrow().extra()).containsKey("x-signed");
        assertThat(any.pricing().get("app").extra()).containsKey("x-price");
        assertThat(sdl.deployment().get("app").get("any").extra()).containsKey("x-deploy");

        String yaml = sdl.toYaml();
        assertThat(yaml).contains("x-forage-note", "x-restart", "x-port-note", "x-to", "x-params", "x-mount", "x-profiles",
                "x-compute", "x-resources", "x-cpu", "x-memory", "x-storage", "x-attribute", "x-gpu", "x-attributes", "x-model",
                "x-placement", "x-signed", "x-price", "x-deploy", "include");
    }

    @Test
    void stringsThatLookLikeOtherTypesStayStrings() throws Exception {
        Sdl sdl = corpusFile("14-flow-style-and-quoting.yaml");
        assertThat(sdl.version().isNumber()).as("version: 2.0 unquoted is a YAML number").isTrue();
        assertThat(sdl.version().text()).isEqualTo("2.0");
        assertThat(sdl.services().get("svc").env()).containsExactly("A=1", "B=true", "C=1e3");
        Sdl.Resources r = sdl.profiles().compute().get("svc").resources();
        assertThat(r.cpu().units().isString()).isTrue();
        assertThat(r.memory().size().isNumber()).isTrue();
        assertThat(r.storage().get(0).bytes()).isEqualTo(BigInteger.valueOf(3L << 29));
        assertThat(sdl.pricing("west coast", "svc").orElseThrow().amount().isString()).isTrue();

        Sdl again = Sdl.parse(sdl.toYaml());
        assertThat(again.pricing("west coast", "svc").orElseThrow().amount().isString()).isTrue();
        assertThat(again.version().isNumber()).isTrue();
    }

    // --- errors ---------------------------------------------------------------------------------

    private static final String GPU = """
            version: "2.0"
            services:
              web:
                image: nginx
            profiles:
              compute:
                gpu-a:
                  resources:
                    cpu:
                      units: 1
                    memory:
                      size: 1Gi
                    storage:
                      size: 1Gi
                    gpu:
                      units: %s
                      attributes:
                        vendor:
                          nvidia:
              placement:
                akash:
                  pricing:
                    gpu-a:
                      denom: uact
                      amount: 100
            deployment:
              web:
                akash:
                  profile: gpu-a
                  count: 1
            """;

    @Test
    void aBadGpuCountNamesFileLineAndPath() {
        assertThatThrownBy(() -> Sdl.parse(GPU.formatted("-1"), "deploy.yaml")).isInstanceOfSatisfying(SdlException.class, e -> {
            assertThat(e.path()).isEqualTo("profiles.compute.gpu-a.resources.gpu.units");
            assertThat(e.line()).hasValue(16);
            assertThat(e.source()).isEqualTo("deploy.yaml");
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).startsWith("deploy.yaml:16: profiles.compute.gpu-a.resources.gpu.units: ")
                    .contains("whole number of GPUs", "-1");
        });
        assertThatThrownBy(() -> Sdl.parse(GPU.formatted("two"), "deploy.yaml")).isInstanceOfSatisfying(SdlException.class, e -> {
            assertThat(e.path()).isEqualTo("profiles.compute.gpu-a.resources.gpu.units");
            assertThat(e.getMessage()).contains("must be a whole number", "'two'");
        });
        assertThat(Sdl.parse(GPU.formatted("2")).profiles().compute().get("gpu-a").resources().gpu().orElseThrow().units())
                .isEqualTo(2);
    }

    @Test
    void gpuUnitsWithoutAVendorAreRefused() {
        String noVendor = GPU.formatted("1").replace("""
                          attributes:
                            vendor:
                              nvidia:
                """, "");
        assertThatThrownBy(() -> Sdl.parse(noVendor)).isInstanceOfSatisfying(SdlException.class,
                e -> assertThat(e.path()).isEqualTo("profiles.compute.gpu-a.resources.gpu.attributes.vendor"));
    }

    @Test
    void aMissingFieldNamesThePathAndTheLineOfItsParent() {
        String yaml = GPU.formatted("1").replace("    image: nginx\n", "    expose:\n      - port: 80\n");
        assertThatThrownBy(() -> Sdl.parse(yaml, "x.yaml")).isInstanceOfSatisfying(SdlException.class, e -> {
            assertThat(e.path()).isEqualTo("services.web.image");
            assertThat(e.line()).hasValue(3);
            assertThat(e.getMessage()).contains("is required");
        });
    }

    @Test
    void brokenReferencesBetweenSectionsAreRefused() {
        assertThatThrownBy(() -> Sdl.parse(GPU.formatted("1").replace("profile: gpu-a", "profile: gpu-b")))
                .isInstanceOfSatisfying(SdlException.class, e -> {
                    assertThat(e.path()).isEqualTo("deployment.web.akash.profile");
                    assertThat(e.getMessage()).contains("no compute profile named 'gpu-b'");
                    assertThat(e.line()).hasValue(29);
                });
        assertThatThrownBy(() -> Sdl.parse(GPU.formatted("1").replace("  web:\n    akash:", "  api:\n    akash:")))
                .isInstanceOfSatisfying(SdlException.class, e -> assertThat(e.path()).isEqualTo("deployment.api"));
        assertThatThrownBy(() -> Sdl.parse(GPU.formatted("1").replace("        gpu-a:\n          denom", "        gpu-x:\n          denom")))
                .isInstanceOfSatisfying(SdlException.class, e -> {
                    assertThat(e.path()).isEqualTo("profiles.placement.akash.pricing");
                    assertThat(e.getMessage()).contains("no price for compute profile 'gpu-a'");
                });
    }

    @Test
    void aPersistentVolumeMustBeMounted() {
        String yaml = GPU.formatted("1").replace("""
                        storage:
                          size: 1Gi
                """, """
                        storage:
                          - size: 1Gi
                          - name: data
                            size: 10Gi
                            attributes:
                              persistent: true
                """);
        assertThatThrownBy(() -> Sdl.parse(yaml)).isInstanceOfSatisfying(SdlException.class, e -> {
            assertThat(e.path()).isEqualTo("services.web.params.storage.data.mount");
            assertThat(e.getMessage()).contains("must be mounted");
        });
        String mounted = yaml.replace("    image: nginx\n", "    image: nginx\n    params:\n      storage:\n        data:\n          mount: /data\n");
        assertThat(Sdl.parse(mounted).services().get("web").params().orElseThrow().storage()).containsKey("data");
        String relative = mounted.replace("mount: /data", "mount: data");
        assertThatThrownBy(() -> Sdl.parse(relative)).isInstanceOfSatisfying(SdlException.class,
                e -> assertThat(e.path()).isEqualTo("services.web.params.storage.data.mount"));
    }

    @Test
    void notYamlAndOtherDocumentsFailWithALine() {
        assertThatThrownBy(() -> Sdl.parse("version: \"2.0\"\nservices:\n  web:\n    image: [unclosed\n", "bad.yaml"))
                .isInstanceOfSatisfying(SdlException.class, e -> {
                    assertThat(e.getMessage()).startsWith("bad.yaml:").contains("not valid YAML");
                    assertThat(e.line()).isPresent();
                });
        assertThatThrownBy(() -> Sdl.parse("")).isInstanceOf(SdlException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Sdl.parse("- just\n- a list\n")).isInstanceOfSatisfying(SdlException.class,
                e -> assertThat(e.getMessage()).contains("must be a mapping"));
        assertThatThrownBy(() -> Sdl.parse(GPU.formatted("1") + "---\nversion: \"2.0\"\n"))
                .isInstanceOf(SdlException.class).hasMessageContaining("more than one YAML document");
        assertThatThrownBy(() -> Sdl.parse(GPU.formatted("1").replace("version: \"2.0\"", "version: \"3.0\"")))
                .isInstanceOfSatisfying(SdlException.class, e -> {
                    assertThat(e.path()).isEqualTo("version");
                    assertThat(e.line()).hasValue(1);
                });
        assertThatThrownBy(() -> Sdl.parse(GPU.formatted("1").replace("    image: nginx\n", "    image: nginx\n    image: redis\n")))
                .isInstanceOfSatisfying(SdlException.class, e -> {
                    assertThat(e.path()).isEqualTo("services.web.image");
                    assertThat(e.line()).hasValue(5);
                    assertThat(e.getMessage()).contains("given twice");
                });
        assertThatThrownBy(() -> Sdl.parse(GPU.formatted("1").replace("amount: 100", "amount: .inf")))
                .isInstanceOf(SdlException.class);
        assertThatThrownBy(() -> Sdl.parse(GPU.formatted("1").replace("amount: 100", "amount: lots")))
                .isInstanceOfSatisfying(SdlException.class, e -> assertThat(e.path()).isEqualTo("profiles.placement.akash.pricing.gpu-a.amount"));
        assertThatThrownBy(() -> Sdl.parse(GPU.formatted("1").replace("size: 1Gi\n        gpu", "size: 1Qi\n        gpu")))
                .isInstanceOfSatisfying(SdlException.class, e -> assertThat(e.path()).isEqualTo("profiles.compute.gpu-a.resources.storage.size"));
    }

    @Test
    void anchorsAndAliasesAreRefused() {
        String yaml = GPU.formatted("1").replace("    image: nginx\n", "    image: &img nginx\n  other:\n    image: *img\n");
        assertThatThrownBy(() -> Sdl.parse(yaml)).isInstanceOfSatisfying(SdlException.class, e -> {
            assertThat(e.path()).isEqualTo("services.other.image");
            assertThat(e.getMessage()).contains("alias");
        });
    }

    @Test
    void deepNestingIsRefusedBeforeItExhaustsTheStack() {
        String deep = "version: \"2.0\"\nx: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
        assertThatThrownBy(() -> Sdl.parse(deep)).isInstanceOf(SdlException.class);
    }

    @Test
    void aModelBuiltInCodeObeysTheSameRules() {
        assertThatThrownBy(() -> new Sdl.Gpu(-1, Map.of(), Map.of(), Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("units");
        assertThatThrownBy(() -> new Sdl.Cpu(Sdl.Scalar.of("fast"), Map.of())).hasMessageContaining("cpu units 'fast'");
        assertThatThrownBy(() -> Sdl.Price.of("", BigDecimal.ONE)).hasMessageContaining("denom");
        assertThatThrownBy(() -> new Sdl.Expose(0, java.util.OptionalInt.empty(), Optional.empty(), List.of(), List.of(), Map.of()))
                .hasMessageContaining("port");
    }
}
