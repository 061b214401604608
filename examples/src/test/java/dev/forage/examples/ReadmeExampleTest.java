package dev.forage.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's SDK example is QuickStart's body, so it compiles whenever this module does. */
class ReadmeExampleTest {

    @Test
    void theReadmeShowsExactlyTheCompiledQuickStartExample() throws IOException {
        Path root = Path.of(System.getProperty("forage.root", "..")).toAbsolutePath();
        String source = Files.readString(root.resolve("examples/src/main/java/dev/forage/examples/QuickStart.java"));
        String readme = Files.readString(root.resolve("README.md"));

        String compiled = normalise(between(source, "// README:start\n", "        // README:end"));
        String shown = normalise(between(readme, "<!-- example:start -->\n```java\n", "```\n<!-- example:end -->"));

        assertThat(shown).isNotBlank().isEqualTo(compiled);
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        int to = text.indexOf(end, from + 1);
        assertThat(from).as("marker %s", start.trim()).isNotNegative();
        assertThat(to).as("marker %s", end.trim()).isPositive();
        return text.substring(from + start.length(), to);
    }

    /** Removes the common indentation and trailing spaces. */
    private static String normalise(String block) {
        String[] lines = block.stripTrailing().split("\n");
        int indent = Arrays.stream(lines).filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return Arrays.stream(lines).map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing())
                .collect(Collectors.joining("\n"));
    }
}
