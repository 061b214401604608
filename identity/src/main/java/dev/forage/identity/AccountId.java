package dev.forage.identity;

import java.util.regex.Pattern;

/**
 * A CAIP-10 account id, {@code <CAIP-2 chain id>:<account address>}, e.g.
 * {@code eip155:8453:0xab16a96D359eC26a11e2C2b3d8f8B8942d5Bfcdb}. On EVM chains the address is
 * held in EIP-55 checksummed form.
 *
 * @param chain the chain the account lives on
 * @param address the account address as the chain writes it
 */
public record AccountId(ChainId chain, String address) {

    private static final Pattern ACCOUNT = Pattern.compile("[-.%a-zA-Z0-9]{1,128}");

    public AccountId {
        if (chain == null) {
            throw new InvalidIdentifierException("CAIP-10 account id needs a chain id");
        }
        if (address == null || !ACCOUNT.matcher(address).matches()) {
            throw new InvalidIdentifierException("CAIP-10 account address " + Address.quoted(address)
                    + " must be 1 to 128 characters of [-.%a-zA-Z0-9]");
        }
        if (chain.isEvm()) {
            address = Address.parse(address).value();
        }
    }

    /** The account id of an EVM address. */
    public static AccountId of(ChainId chain, Address address) {
        return new AccountId(chain, address.value());
    }

    /**
     * Parses {@code namespace:reference:address}.
     *
     * @throws InvalidIdentifierException naming the bad part
     */
    public static AccountId parse(String text) {
        if (text == null) {
            throw new InvalidIdentifierException(
                    "CAIP-10 account id is missing; expected namespace:reference:address, e.g. eip155:1:0xab16...");
        }
        String[] parts = text.split(":", -1);
        if (parts.length != 3) {
            throw new InvalidIdentifierException("CAIP-10 account id '" + text + "' has " + parts.length
                    + " ':'-separated parts; expected 3 (namespace:reference:address), e.g. eip155:1:0xab16...");
        }
        return new AccountId(new ChainId(parts[0], parts[1]), parts[2]);
    }

    /**
     * The EVM address of this account.
     *
     * @throws InvalidIdentifierException if the chain is not an EVM chain
     */
    public Address evmAddress() {
        if (!chain.isEvm()) {
            throw new InvalidIdentifierException("account " + this + " is not on an EVM (eip155) chain");
        }
        return Address.parse(address);
    }

    @Override
    public String toString() {
        return chain + ":" + address;
    }
}
