package dev.forage.policies.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CasesTest {

    private String multiplier;
    private String seed;

    @BeforeEach
    void clear() {
        // a run with -Dforage.cases.* set must still see the defaults here, and keep its settings after
        multiplier = System.clearProperty(Cases.MULTIPLIER);
        seed = System.clearProperty(Cases.SEED);
    }

    @AfterEach
    void restore() {
        restore(Cases.MULTIPLIER, multiplier);
        restore(Cases.SEED, seed);
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    @Test
    void seedsAreFixedAndTheMultiplierExtendsThem() {
        long[] base = Cases.seeds(5).toArray();
        System.setProperty(Cases.MULTIPLIER, "3");
        long[] more = Cases.seeds(5).toArray();

        assertThat(base).hasSize(5).doesNotHaveDuplicates().isEqualTo(Cases.seeds(5).limit(5).toArray());
        assertThat(more).hasSize(15).startsWith(base);
        assertThat(Cases.random(base[0]).nextLong()).isEqualTo(Cases.random(base[0]).nextLong());
    }

    @Test
    void aSeedPropertyReplaysThatSeedAlone() {
        System.setProperty(Cases.SEED, "-42");

        assertThat(Cases.seeds(300).toArray()).containsExactly(-42L);
    }

    @Test
    void badSettingsAreRefusedWithTheirValue() {
        System.setProperty(Cases.MULTIPLIER, "0");
        assertThatThrownBy(() -> Cases.seeds(1)).hasMessageContaining("forage.cases.multiplier").hasMessageContaining("'0'");
        System.setProperty(Cases.SEED, "x");
        assertThatThrownBy(() -> Cases.seeds(1)).hasMessageContaining("forage.cases.seed").hasMessageContaining("'x'");
    }

    @Test
    void aFailureNamesTheSeedHowToReplayItAndTheInput() {
        assertThatThrownBy(() -> Cases.check(7, "input 12", () -> assertThat(1).isEqualTo(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("seed 7")
                .hasMessageContaining("-Dforage.cases.seed=7")
                .hasMessageContaining("input 12")
                .hasMessageContaining("expected: 2");
    }
}
