package dev.forage.runtime.audit;

/** Who caused an entry: an agent, an operator (by the id of the token they used), or the runtime itself. */
public sealed interface Actor permits Actor.AgentActor, Actor.OperatorActor, Actor.SystemActor {

    /** The actor type in an entry's JSON: {@code agent}, {@code operator} or {@code system}. */
    String type();

    /** The agent id, operator token id or system component name. */
    String id();

    /** An agent acting on its own. */
    static Actor agent(String agentId) {
        return new AgentActor(agentId);
    }

    /** An operator, identified by the id (never the secret) of the token they authenticated with. */
    static Actor operator(String tokenId) {
        return new OperatorActor(tokenId);
    }

    /** A runtime component such as {@code budget-expiry}. */
    static Actor system(String component) {
        return new SystemActor(component);
    }

    /**
     * The actor of a type and id, as read back from an entry.
     *
     * @throws AuditFormatException for an unknown type
     */
    static Actor of(String type, String id) {
        return switch (type) {
            case "agent" -> agent(id);
            case "operator" -> operator(id);
            case "system" -> system(id);
            default -> throw new AuditFormatException("unknown actor type '" + type + "'; use agent, operator or system");
        };
    }

    /** @param agentId non-empty agent id */
    record AgentActor(String agentId) implements Actor {
        /** Validates. */
        public AgentActor {
            requireId(agentId, "agent id");
        }

        @Override
        public String type() {
            return "agent";
        }

        @Override
        public String id() {
            return agentId;
        }
    }

    /** @param tokenId non-empty id of the operator's token */
    record OperatorActor(String tokenId) implements Actor {
        /** Validates. */
        public OperatorActor {
            requireId(tokenId, "operator token id");
        }

        @Override
        public String type() {
            return "operator";
        }

        @Override
        public String id() {
            return tokenId;
        }
    }

    /** @param component non-empty runtime component name */
    record SystemActor(String component) implements Actor {
        /** Validates. */
        public SystemActor {
            requireId(component, "system component");
        }

        @Override
        public String type() {
            return "system";
        }

        @Override
        public String id() {
            return component;
        }
    }

    private static void requireId(String id, String what) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank, got '" + id + "'");
        }
    }
}
