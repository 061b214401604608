package dev.forage.runtime.audit.note;

import dev.forage.runtime.audit.AuditFormatException;
import dev.forage.runtime.audit.merkle.Rfc6962;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Shared rules of the signed-note key encodings: names, key ids, strict base64. */
final class KeyNames {

    static final byte ALG_ED25519 = 0x01;

    private KeyNames() {}

    /** Key names are non-empty and hold no Unicode space and no '+'. */
    static boolean isValidName(String name) {
        if (name.isEmpty() || name.indexOf('+') >= 0) {
            return false;
        }
        return name.codePoints().noneMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp));
    }

    /** key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4], big-endian. */
    static int keyId(String name, byte[] publicKey) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(name.getBytes(StandardCharsets.UTF_8));
        bytes.write('\n');
        bytes.write(ALG_ED25519);
        bytes.writeBytes(publicKey);
        byte[] hash = Rfc6962.sha256(bytes.toByteArray());
        return ((hash[0] & 0xff) << 24) | ((hash[1] & 0xff) << 16) | ((hash[2] & 0xff) << 8) | (hash[3] & 0xff);
    }

    static String hexId(int keyId) {
        return String.format("%08x", keyId);
    }

    /** Decodes standard padded base64 and rejects any other spelling of the same bytes. */
    static byte[] strictBase64(String text, String what) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new AuditFormatException(what + " is not valid base64: " + e.getMessage());
        }
        if (!Base64.getEncoder().encodeToString(decoded).equals(text)) {
            throw new AuditFormatException(what + " is not canonical padded base64 (RFC 4648 section 4)");
        }
        return decoded;
    }

    /** Parses the 8-hex-digit key id of a key string. */
    static int parseHexId(String hex, String what) {
        if (hex.length() != 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new AuditFormatException(what + " key id '" + hex + "' is not 8 hex digits");
        }
        return Integer.parseUnsignedInt(hex, 16);
    }
}
