package dev.forage.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.tools.inference.local.LocalModel;
import dev.forage.tools.inference.local.OnnxModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SampleCorpusTest {

    private static final Path README = Path.of(System.getProperty("forage.root", ".."))
            .resolve("examples/src/main/resources/dev/forage/examples/corpus/README.md");

    @Test
    void holdsThousandsOfUniqueChunksFromTheTwoPublicDomainSources() {
        List<SampleCorpus.Chunk> chunks = SampleCorpus.chunks();

        assertThat(chunks).hasSize(4_853);
        assertThat(new HashSet<>(chunks.stream().map(SampleCorpus.Chunk::id).toList())).hasSize(chunks.size());
        assertThat(new HashSet<>(chunks.stream().map(SampleCorpus.Chunk::text).toList())).hasSize(chunks.size());
        Map<String, Long> bySource = chunks.stream().collect(Collectors.groupingBy(SampleCorpus.Chunk::source,
                Collectors.counting()));
        assertThat(bySource).containsOnly(Map.entry("jargon", 3_530L), Map.entry("devil", 1_323L));
        assertThat(chunks).allSatisfy(c -> assertThat(c.id()).startsWith(c.source() + "-"));
    }

    @Test
    void allButEightChunksFitTheModelWithoutBeingCut() {
        List<SampleCorpus.Chunk> chunks = SampleCorpus.chunks();
        List<String> texts = chunks.stream().map(SampleCorpus.Chunk::text).toList();

        List<String> cut = new java.util.ArrayList<>();
        for (int from = 0; from < texts.size(); from += OnnxModels.MAX_INPUTS) {
            List<long[]> ids = OnnxModels.shared().tokenize(LocalModel.ALL_MINILM_L6_V2,
                    texts.subList(from, Math.min(texts.size(), from + OnnxModels.MAX_INPUTS)));
            for (int i = 0; i < ids.size(); i++) {
                // A chunk tokenized to exactly 256 was (or may have been) cut.
                if (ids.get(i).length >= LocalModel.MAX_TOKENS) {
                    cut.add(chunks.get(from + i).id());
                }
            }
        }

        // ASCII art, C code, a 2,568-digit number, a table of prefixes, a long list of long words.
        assertThat(cut).containsExactly("jargon-00115", "jargon-00118", "jargon-00248", "jargon-01345", "jargon-02232",
                "jargon-02233", "jargon-02494", "devil-00571");
    }

    @Test
    void isTheFileItsReadmeDescribes() throws Exception {
        byte[] bytes;
        try (InputStream in = SampleCorpus.class.getClassLoader().getResourceAsStream(SampleCorpus.RESOURCE)) {
            bytes = in.readAllBytes();
        }
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        assertThat(bytes.length).isLessThan(2_000_000);
        Matcher m = Pattern.compile("SHA-256 of `chunks.jsonl`: `([0-9a-f]{64})`").matcher(readme());
        assertThat(m.find()).as("the README names the file's SHA-256").isTrue();
        assertThat(digest).isEqualTo(m.group(1));
    }

    private static String readme() throws IOException {
        return Files.readString(README);
    }
}
