package dev.forage.runtime.deploy;

import java.util.Objects;
import java.util.regex.Pattern;

/** Environment variable names, checked without ever echoing the value (it may be a pasted key). */
final class EnvNames {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private EnvNames() {}

    static String require(String field, String value) {
        Objects.requireNonNull(value, field);
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be the name of an environment variable (letters, digits and"
                    + " '_', not starting with a digit), not its value (the value is not shown)");
        }
        return value;
    }
}
