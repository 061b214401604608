package dev.forage.runtime.deploy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a node sits in a document: a list of member names and item indexes. Keys the location
 * index as a JSON Pointer (RFC 6901) and prints as the path users read, {@code spec.markets[1].kind}.
 */
record Pointer(List<Object> segments) {

    static final Pointer ROOT = new Pointer(List.of());

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    Pointer {
        segments = List.copyOf(segments);
        for (Object s : segments) {
            if (!(s instanceof String) && !(s instanceof Integer)) {
                throw new IllegalArgumentException("a pointer segment is a name or an index, got " + s);
            }
        }
    }

    Pointer child(String name) {
        return append(name);
    }

    Pointer child(int index) {
        return append(index);
    }

    private Pointer append(Object segment) {
        List<Object> next = new ArrayList<>(segments);
        next.add(segment);
        return new Pointer(next);
    }

    boolean isRoot() {
        return segments.isEmpty();
    }

    /** The enclosing node; the root is its own parent. */
    Pointer parent() {
        return isRoot() ? this : new Pointer(segments.subList(0, segments.size() - 1));
    }

    /** The pointer {@code levels} up, never above the root. */
    Pointer up(int levels) {
        Pointer p = this;
        for (int i = 0; i < levels; i++) {
            p = p.parent();
        }
        return p;
    }

    /** The last segment, if this is a member (not an item, not the root). */
    String lastName() {
        return !isRoot() && segments.get(segments.size() - 1) instanceof String s ? s : "";
    }

    boolean startsWith(Pointer prefix) {
        return segments.size() >= prefix.segments.size() && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
    }

    /** RFC 6901 text, the index key. */
    String json() {
        StringBuilder out = new StringBuilder();
        for (Object s : segments) {
            out.append('/').append(s.toString().replace("~", "~0").replace("/", "~1"));
        }
        return out.toString();
    }

    /** {@code spec.markets[1].apiKeyEnv}; a name that is not an identifier prints as {@code ['a.b']}. */
    String display() {
        StringBuilder out = new StringBuilder();
        for (Object s : segments) {
            if (s instanceof Integer i) {
                out.append('[').append(i).append(']');
            } else {
                String name = (String) s;
                if (PLAIN_KEY.matcher(name).matches()) {
                    if (!out.isEmpty()) {
                        out.append('.');
                    }
                    out.append(name);
                } else {
                    out.append("['").append(name.replace("\\", "\\\\").replace("'", "\\'")).append("']");
                }
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return display();
    }

    static Pointer of(Object... segments) {
        return new Pointer(List.of(Objects.requireNonNull(segments)));
    }
}
