package dev.forage.tools.compute;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the SSH command line a market shows for a machine ({@code ssh -p 31234 ubuntu@1.2.3.4},
 * {@code ssh ubuntu@host.example -p 22}, or a bare {@code ubuntu@1.2.3.4}) as an
 * {@code ssh://user@host:port} endpoint for {@link Lease#endpoints()}.
 */
public final class SshEndpoints {

    private static final Pattern USER_AT_HOST = Pattern.compile("(?:^|\\s)([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+])(?=\\s|$)");
    private static final Pattern PORT = Pattern.compile("(?:^|\\s)-p\\s*(\\d{1,5})(?=\\s|$)");

    private SshEndpoints() {}

    /** The endpoint in {@code command}; empty when it names no {@code user@host}. */
    public static Optional<URI> fromCommand(String command) {
        Matcher at = USER_AT_HOST.matcher(command.strip());
        if (!at.find()) {
            return Optional.empty();
        }
        Matcher port = PORT.matcher(command);
        int p = -1;
        if (port.find()) {
            p = Integer.parseInt(port.group(1));
            if (p < 1 || p > 65535) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(new URI("ssh", at.group(1), at.group(2), p, null, null, null));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
