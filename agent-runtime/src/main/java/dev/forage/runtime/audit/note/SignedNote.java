package dev.forage.runtime.audit.note;

import dev.forage.runtime.audit.AuditFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A C2SP signed note (c2sp.org/signed-note): a text ending in a newline, a blank line, then one
 * or more signature lines. The whole note is UTF-8 without control characters other than
 * newline; the text is separated from the signatures by the last blank line.
 *
 * @param text the signed text, including its final newline
 * @param signatures the signatures, in note order
 */
public record SignedNote(String text, List<NoteSignature> signatures) {

    /** Em dash U+2014 and a space: how every signature line starts. */
    static final String SIGNATURE_PREFIX = "\u2014 ";

    /** More signatures than this make a note malformed (the spec asks verifiers for a limit of at least 16). */
    public static final int MAX_SIGNATURES = 100;

    /** Validates and copies. */
    public SignedNote {
        checkText(text);
        signatures = List.copyOf(signatures);
        if (signatures.size() > MAX_SIGNATURES) {
            throw new AuditFormatException("note has " + signatures.size() + " signatures; at most " + MAX_SIGNATURES);
        }
    }

    /** What a note says about one verifier key. */
    public enum Status {
        /** A signature by this key (name and id) verifies. */
        VERIFIED,
        /** A signature carries this key's name and id but does not verify: reject the note. */
        INVALID,
        /** No signature carries this key's name and id. */
        NOT_SIGNED
    }

    /** Signs {@code text} with every signer and returns the note. */
    public static SignedNote sign(String text, NoteSigner... signers) {
        checkText(text);
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        List<NoteSignature> signatures = new ArrayList<>();
        for (NoteSigner signer : signers) {
            signatures.add(new NoteSignature(signer.name(), signer.keyId(), signer.sign(message)));
        }
        return new SignedNote(text, signatures);
    }

    /**
     * Parses an encoded note without verifying it.
     *
     * @throws AuditFormatException if it is not a well-formed signed note
     */
    public static SignedNote parse(byte[] encoded) {
        String msg;
        try {
            msg = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(encoded))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed("it is not valid UTF-8");
        }
        return parse(msg);
    }

    /**
     * Parses an encoded note without verifying it.
     *
     * @throws AuditFormatException if it is not a well-formed signed note
     */
    public static SignedNote parse(String msg) {
        checkCharacters(msg);
        int split = msg.lastIndexOf("\n\n");
        if (split < 0) {
            throw malformed("there is no blank line before the signatures");
        }
        String text = msg.substring(0, split + 1);
        String block = msg.substring(split + 2);
        if (block.isEmpty() || !block.endsWith("\n")) {
            throw malformed("the signature block is empty or does not end with a newline");
        }
        List<NoteSignature> signatures = new ArrayList<>();
        for (String line : block.substring(0, block.length() - 1).split("\n", -1)) {
            if (signatures.size() == MAX_SIGNATURES) {
                throw malformed("it has more than " + MAX_SIGNATURES + " signatures");
            }
            signatures.add(parseSignatureLine(line));
        }
        return new SignedNote(text, signatures);
    }

    /**
     * What this note says about {@code verifier}'s key: a signature whose name and id match it
     * is checked; signatures by other keys are ignored, as the signed-note spec requires.
     */
    public Status status(NoteVerifier verifier) {
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        Status status = Status.NOT_SIGNED;
        for (NoteSignature signature : signatures) {
            if (signature.keyName().equals(verifier.name()) && signature.keyId() == verifier.keyId()) {
                if (!verifier.verify(message, signature.signature())) {
                    return Status.INVALID;
                }
                status = Status.VERIFIED;
            }
        }
        return status;
    }

    /** Whether a signature by {@code verifier} verifies and none by it fails. */
    public boolean verifiedBy(NoteVerifier verifier) {
        return status(verifier) == Status.VERIFIED;
    }

    /** The encoded note: text, blank line, signature lines. */
    public String encode() {
        StringBuilder out = new StringBuilder(text.length() + 128 * signatures.size());
        out.append(text).append('\n');
        for (NoteSignature signature : signatures) {
            out.append(signature.line()).append('\n');
        }
        return out.toString();
    }

    private static NoteSignature parseSignatureLine(String line) {
        if (!line.startsWith(SIGNATURE_PREFIX)) {
            throw malformed("signature line '" + line + "' does not start with an em dash and a space");
        }
        String rest = line.substring(SIGNATURE_PREFIX.length());
        int space = rest.lastIndexOf(' ');
        if (space <= 0) {
            throw malformed("signature line '" + line + "' has no key name and signature");
        }
        String name = rest.substring(0, space);
        if (!KeyNames.isValidName(name)) {
            throw malformed("signature key name '" + name + "' is empty or holds a space or '+'");
        }
        byte[] payload = KeyNames.strictBase64(rest.substring(space + 1), "signature of key '" + name + "'");
        if (payload.length < 5) {
            throw malformed("signature of key '" + name + "' is " + payload.length + " bytes; a key id and a signature need 5 or more");
        }
        int keyId = ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
        return new NoteSignature(name, keyId, Arrays.copyOfRange(payload, 4, payload.length));
    }

    private static void checkText(String text) {
        checkCharacters(text);
        if (text.isEmpty() || !text.endsWith("\n")) {
            throw malformed("the text is empty or does not end with a newline");
        }
    }

    private static void checkCharacters(String msg) {
        for (int i = 0; i < msg.length(); i++) {
            char c = msg.charAt(i);
            if (c < 0x20 && c != '\n') {
                throw malformed(String.format("it holds control character U+%04X at index %d", (int) c, i));
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < msg.length()
                    && Character.isLowSurrogate(msg.charAt(++i)))) {
                throw malformed("it holds a lone surrogate at index " + i);
            }
        }
    }

    private static AuditFormatException malformed(String why) {
        return new AuditFormatException("malformed signed note: " + why);
    }
}
