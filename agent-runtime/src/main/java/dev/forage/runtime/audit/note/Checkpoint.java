package dev.forage.runtime.audit.note;

import dev.forage.runtime.audit.AuditFormatException;
import dev.forage.runtime.audit.merkle.Rfc6962;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP tlog checkpoint (c2sp.org/tlog-checkpoint): the note text {@code <origin>\n<tree
 * size>\n<base64 root hash>\n} followed by optional, non-empty extension lines.
 *
 * @param origin the log's identity, non-empty (by convention a schema-less URL)
 * @param treeSize number of leaves, non-negative
 * @param rootHash the RFC 6962 root hash of the first {@code treeSize} leaves (32 bytes)
 * @param extensions extension lines, each non-empty and without newlines
 */
public record Checkpoint(String origin, long treeSize, byte[] rootHash, List<String> extensions) {

    /** Validates and copies. */
    public Checkpoint {
        if (origin.isEmpty() || origin.indexOf('\n') >= 0) {
            throw new AuditFormatException("checkpoint origin '" + origin + "' is empty or holds a newline");
        }
        if (treeSize < 0) {
            throw new AuditFormatException("checkpoint tree size " + treeSize + " is negative");
        }
        if (rootHash.length != Rfc6962.HASH_SIZE) {
            throw new AuditFormatException("checkpoint root hash is " + rootHash.length + " bytes, not 32");
        }
        rootHash = rootHash.clone();
        extensions = List.copyOf(extensions);
        for (String line : extensions) {
            if (line.isEmpty() || line.indexOf('\n') >= 0) {
                throw new AuditFormatException("checkpoint extension line '" + line + "' is empty or holds a newline");
            }
        }
    }

    /** A checkpoint without extension lines. */
    public static Checkpoint of(String origin, long treeSize, byte[] rootHash) {
        return new Checkpoint(origin, treeSize, rootHash, List.of());
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The note text this checkpoint is signed as. */
    public String text() {
        StringBuilder out = new StringBuilder(origin.length() + 80);
        out.append(origin).append('\n')
                .append(treeSize).append('\n')
                .append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
        for (String line : extensions) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /**
     * Parses a checkpoint note text.
     *
     * @throws AuditFormatException if the text does not follow the tlog-checkpoint format
     */
    public static Checkpoint parse(String text) {
        if (!text.endsWith("\n")) {
            throw new AuditFormatException("checkpoint text must end with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new AuditFormatException("checkpoint text has " + lines.length + " lines; origin, tree size and root hash are required");
        }
        String size = lines[1];
        if (size.isEmpty() || size.length() > 19 || !size.chars().allMatch(c -> c >= '0' && c <= '9')
                || (size.length() > 1 && size.charAt(0) == '0')) {
            throw new AuditFormatException("checkpoint tree size '" + size + "' is not a decimal without leading zeros");
        }
        long treeSize;
        try {
            treeSize = Long.parseLong(size);
        } catch (NumberFormatException e) {
            throw new AuditFormatException("checkpoint tree size '" + size + "' is too large", e);
        }
        byte[] root = KeyNames.strictBase64(lines[2], "checkpoint root hash");
        return new Checkpoint(lines[0], treeSize, root, Arrays.asList(lines).subList(3, lines.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint other && origin.equals(other.origin) && treeSize == other.treeSize
                && Arrays.equals(rootHash, other.rootHash) && extensions.equals(other.extensions);
    }

    @Override
    public int hashCode() {
        return ((origin.hashCode() * 31 + Long.hashCode(treeSize)) * 31 + Arrays.hashCode(rootHash)) * 31
                + extensions.hashCode();
    }

    @Override
    public String toString() {
        return "Checkpoint[" + origin + ", size " + treeSize + ", root " + Rfc6962.hex(rootHash) + "]";
    }
}
