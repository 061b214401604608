package dev.forage.runtime.deploy;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What names a deployment.
 *
 * @param name the agent's name, a DNS label (1 to 63 lower-case letters, digits and '-')
 * @param labels free-form string labels, as in Kubernetes; copied, in file order
 */
public record Metadata(String name, Map<String, String> labels) {

    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public Metadata {
        requireDnsLabel("metadata.name", name);
        labels = Ordered.copy(labels, "metadata.labels");
    }

    /** A name without labels. */
    public static Metadata of(String name) {
        return new Metadata(name, Map.of());
    }

    static String requireDnsLabel(String field, String value) {
        Objects.requireNonNull(value, field);
        if (!DNS_LABEL.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " '" + value
                    + "' is not a DNS label: use 1 to 63 lower-case letters, digits and '-', starting and ending with a letter or digit");
        }
        return value;
    }
}
