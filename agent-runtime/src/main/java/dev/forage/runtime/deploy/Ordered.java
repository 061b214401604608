package dev.forage.runtime.deploy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Immutable copies that keep the file's order (Map.copyOf does not), for the model's maps. */
final class Ordered {

    private Ordered() {}

    static Map<String, String> copy(Map<String, String> map, String field) {
        Objects.requireNonNull(map, field);
        Map<String, String> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(Objects.requireNonNull(k, field + " key"), Objects.requireNonNull(v, field + "." + k)));
        return Collections.unmodifiableMap(copy);
    }

    static <T> List<T> copy(List<T> list, String field) {
        Objects.requireNonNull(list, field);
        return List.copyOf(list);
    }
}
