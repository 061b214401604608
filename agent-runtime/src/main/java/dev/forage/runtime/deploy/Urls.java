package dev.forage.runtime.deploy;

import java.net.URI;
import java.util.Objects;

/** URL checks shared by the model's records. */
final class Urls {

    private Urls() {}

    static URI requireHttp(String field, URI url) {
        Objects.requireNonNull(url, field);
        String scheme = url.getScheme();
        if (scheme == null || !scheme.matches("https?") || url.getHost() == null) {
            throw new IllegalArgumentException(field + " '" + url + "' is not an http or https URL with a host");
        }
        return url;
    }
}
