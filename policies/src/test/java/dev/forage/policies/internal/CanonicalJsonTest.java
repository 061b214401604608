package dev.forage.policies.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    @Test
    void sorts_keys_by_utf16_code_units_like_rfc_8785() {
        // The RFC 8785 section 3.2.3 sorting example.
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("\u20ac", "Euro Sign");
        m.put("\r", "Carriage Return");
        m.put("\ufb33", "Hebrew Letter Dalet With Dagesh");
        m.put("1", "One");
        m.put("\ud83d\ude00", "Emoji: Grinning Face");
        m.put("\u0080", "Control");
        m.put("\u00f6", "Latin Small Letter O With Diaeresis");

        String json = CanonicalJson.write(m);

        assertThat(json).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    @Test
    void escapes_only_what_json_stringify_escapes() {
        assertThat(CanonicalJson.write("\u0000\u001f\"\\/\b\f\n\r\t\u007f"))
                .isEqualTo("\"\\u0000\\u001f\\\"\\\\/\\b\\f\\n\\r\\t\u007f\"");
    }

    @Test
    void writes_lists_booleans_null_and_safe_integers() {
        assertThat(CanonicalJson.write(Arrays.asList(1, -2L, true, false, null, List.of())))
                .isEqualTo("[1,-2,true,false,null,[]]");
        assertThat(CanonicalJson.write(9007199254740991L)).isEqualTo("9007199254740991");
    }

    @Test
    void refuses_what_it_cannot_write_exactly() {
        assertThatThrownBy(() -> CanonicalJson.write(9007199254740992L)).hasMessageContaining("write it as a string");
        assertThatThrownBy(() -> CanonicalJson.write(1.5)).hasMessageContaining("java.lang.Double");
        assertThatThrownBy(() -> CanonicalJson.write("\ud800")).hasMessageContaining("lone surrogate");
    }
}
