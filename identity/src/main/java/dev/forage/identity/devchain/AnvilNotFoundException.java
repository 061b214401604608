package dev.forage.identity.devchain;

import dev.forage.identity.IdentityException;

/** No Anvil binary was found; the message says where it looked and how to install it. */
public final class AnvilNotFoundException extends IdentityException {

    private static final long serialVersionUID = 1L;

    AnvilNotFoundException(String message) {
        super(message, false);
    }
}
