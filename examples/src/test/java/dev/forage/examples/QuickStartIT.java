package dev.forage.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickStartIT {

    @Test
    void registersAnAgentAndSetsItsWallet() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            QuickStart.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .containsPattern("agent eip155:31337:0x[0-9a-fA-F]{40}:0 \\(gpu-buyer\\) pays from 0x[0-9a-fA-F]{40}");
    }
}
