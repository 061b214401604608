package dev.forage.identity.keys;

import dev.forage.identity.IdentityException;

/** A keystore file or its password could not be used. Never carries key material. */
public final class KeystoreException extends IdentityException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** The password does not decrypt the file. */
        WRONG_PASSWORD,
        /** The file is not a valid V3 keystore. */
        CORRUPT,
        /** No file at the path. */
        NOT_FOUND,
        /** A file already exists where a new keystore was to be written. */
        ALREADY_EXISTS,
        /** The password source (file or environment variable) could not be read. */
        PASSWORD_UNAVAILABLE,
        /** Reading or writing the file failed. */
        IO
    }

    private final Reason reason;

    KeystoreException(Reason reason, String message) {
        super(message, false);
        this.reason = reason;
    }

    KeystoreException(Reason reason, String message, Throwable cause) {
        super(message, false, cause);
        this.reason = reason;
    }

    /** What went wrong. */
    public Reason reason() {
        return reason;
    }
}
