package dev.forage.runtime.deploy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the agent's ERC-8004 registration file says about it, besides its name (the
 * deployment's {@code metadata.name}).
 *
 * @param description what the agent does, non-empty
 * @param services the endpoints the registration file lists, in file order
 */
public record Registration(String description, List<Service> services) {

    public Registration {
        Objects.requireNonNull(description, "registration.description");
        if (description.isEmpty()) {
            throw new IllegalArgumentException("registration.description is empty: say what the agent does");
        }
        services = Ordered.copy(services, "registration.services");
    }

    /**
     * One endpoint of the agent.
     *
     * @param name the protocol: {@code A2A}, {@code MCP}, {@code web}, ...
     * @param endpoint its URL, name or address
     * @param version the protocol version, if given
     */
    public record Service(String name, String endpoint, Optional<String> version) {
        public Service {
            Objects.requireNonNull(name, "service name");
            Objects.requireNonNull(endpoint, "service endpoint");
            Objects.requireNonNull(version, "service version");
            if (name.isEmpty() || endpoint.isEmpty()) {
                throw new IllegalArgumentException("a registration service needs a name and an endpoint, got '" + name
                        + "' and '" + endpoint + "'");
            }
        }
    }
}
