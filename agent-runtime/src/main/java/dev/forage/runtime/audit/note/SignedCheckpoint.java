package dev.forage.runtime.audit.note;

import dev.forage.runtime.audit.AuditFormatException;

/**
 * A checkpoint together with the signed note that carries it.
 *
 * @param checkpoint the parsed checkpoint
 * @param note the signed note whose text is {@code checkpoint.text()}
 */
public record SignedCheckpoint(Checkpoint checkpoint, SignedNote note) {

    /** Checks that the note's text is the checkpoint's text. */
    public SignedCheckpoint {
        if (!note.text().equals(checkpoint.text())) {
            throw new AuditFormatException("signed note text does not match the checkpoint " + checkpoint);
        }
    }

    /** Signs a checkpoint. */
    public static SignedCheckpoint sign(Checkpoint checkpoint, NoteSigner signer) {
        return new SignedCheckpoint(checkpoint, SignedNote.sign(checkpoint.text(), signer));
    }

    /**
     * Parses an encoded signed checkpoint (no signature is checked here; use
     * {@link SignedNote#status}).
     */
    public static SignedCheckpoint parse(String encoded) {
        SignedNote note = SignedNote.parse(encoded);
        return new SignedCheckpoint(Checkpoint.parse(note.text()), note);
    }

    /** The encoded signed note. */
    public String encode() {
        return note.encode();
    }

    /** Whether the log key's signature is present and valid. */
    public boolean verifiedBy(NoteVerifier verifier) {
        return note.verifiedBy(verifier);
    }
}
