package dev.forage.identity;

import java.math.BigInteger;

/**
 * The global ERC-8004 agent id: the identity registry that minted the agent
 * ({@code agentRegistry}, a CAIP-10 id such as {@code eip155:8453:0x8004A169...}) plus the
 * agent's token id in it. Its text form is {@code <agentRegistry>:<agentId>}, e.g.
 * {@code eip155:8453:0x8004A169FB4a3325136EB29fA0ceB6D2e539a432:42}.
 *
 * @param registry the identity registry contract, as a CAIP-10 account id
 * @param agentId the ERC-721 token id, a uint256
 */
public record AgentId(AccountId registry, BigInteger agentId) {

    private static final BigInteger UINT256_MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    public AgentId {
        if (registry == null) {
            throw new InvalidIdentifierException("ERC-8004 agent id needs its identity registry (agentRegistry)");
        }
        if (agentId == null || agentId.signum() < 0 || agentId.compareTo(UINT256_MAX) > 0) {
            throw new InvalidIdentifierException("ERC-8004 agentId " + agentId + " must be a uint256 (0 to 2^256-1)");
        }
    }

    /** The id of agent {@code agentId} in the registry at {@code registry} on {@code chain}. */
    public static AgentId of(ChainId chain, Address registry, BigInteger agentId) {
        return new AgentId(AccountId.of(chain, registry), agentId);
    }

    /**
     * Parses {@code namespace:reference:registry:agentId}.
     *
     * @throws InvalidIdentifierException naming the bad part
     */
    public static AgentId parse(String text) {
        if (text == null) {
            throw new InvalidIdentifierException(
                    "ERC-8004 agent id is missing; expected <agentRegistry>:<agentId>, e.g. eip155:8453:0x8004...:42");
        }
        int last = text.lastIndexOf(':');
        if (last < 0) {
            throw new InvalidIdentifierException("ERC-8004 agent id '" + text
                    + "' has no ':'; expected <agentRegistry>:<agentId>, e.g. eip155:8453:0x8004...:42");
        }
        String idPart = text.substring(last + 1);
        if (!idPart.matches("0|[1-9][0-9]{0,77}")) {
            throw new InvalidIdentifierException("ERC-8004 agentId '" + idPart + "' in '" + text
                    + "' must be a decimal number without leading zeros");
        }
        return new AgentId(AccountId.parse(text.substring(0, last)), new BigInteger(idPart));
    }

    /** The {@code agentRegistry} string of the registration file, e.g. {@code eip155:8453:0x8004...}. */
    public String agentRegistry() {
        return registry.toString();
    }

    @Override
    public String toString() {
        return registry + ":" + agentId;
    }
}
