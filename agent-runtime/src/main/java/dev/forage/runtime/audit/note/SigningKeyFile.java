package dev.forage.runtime.audit.note;

import dev.forage.runtime.audit.AuditFormatException;
import dev.forage.runtime.audit.AuditStorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

/**
 * The log's signing key at rest: one file holding the private key string, readable and
 * writable by its owner only (0600), created atomically with those permissions so it is never
 * readable by others, not even for a moment. A {@code .pub} file beside it holds the public
 * verifier key. Neither the key nor its file content is ever logged or printed.
 */
public final class SigningKeyFile {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SigningKeyFile() {}

    /**
     * Loads the signer from {@code keyFile}, or, when the file does not exist, generates a key
     * named {@code name}, writes it there (owner-only) and writes its verifier key to
     * {@link #publicKeyFile(Path)}.
     *
     * @throws AuditFormatException if the file exists but holds no valid key, holds a key with
     *     another name, or is readable by others than its owner
     * @throws AuditStorageException if the file cannot be read or written
     */
    public static NoteSigner loadOrCreate(Path keyFile, String name, SecureRandom random) {
        if (Files.exists(keyFile)) {
            NoteSigner signer = load(keyFile);
            if (!signer.name().equals(name)) {
                throw new AuditFormatException("signing key in " + keyFile + " is named '" + signer.name()
                        + "' but the log's key name is '" + name + "'; configure the same name or another key file");
            }
            return signer;
        }
        NoteSigner signer = NoteSigner.generate(name, random);
        write(keyFile, signer);
        return signer;
    }

    /** Loads a signer from an existing key file, refusing one that others can read. */
    public static NoteSigner load(Path keyFile) {
        try {
            if (isPosix(keyFile)) {
                Set<PosixFilePermission> perms = new HashSet<>(Files.getPosixFilePermissions(keyFile));
                perms.removeAll(OWNER_ONLY);
                perms.remove(PosixFilePermission.OWNER_EXECUTE);
                if (!perms.isEmpty()) {
                    throw new AuditFormatException("signing key file " + keyFile + " is accessible to group or others ("
                            + PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))
                            + "); run chmod 600 on it");
                }
            }
            String text = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
            return NoteSigner.parse(text);
        } catch (IOException e) {
            throw new AuditStorageException("cannot read signing key file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** Where the public verifier key of {@code keyFile} is written: {@code <keyFile>.pub}. */
    public static Path publicKeyFile(Path keyFile) {
        return keyFile.resolveSibling(keyFile.getFileName() + ".pub");
    }

    private static void write(Path keyFile, NoteSigner signer) {
        try {
            Path dir = keyFile.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(keyFile.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            FileAttribute<?>[] attrs = isPosix(dir)
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            try (FileChannel channel = FileChannel.open(
                    tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
                channel.write(ByteBuffer.wrap((signer.encodePrivate() + "\n").getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            try {
                Files.createLink(keyFile, tmp); // fails if another process created the key meanwhile
            } catch (FileAlreadyExistsException e) {
                Files.delete(tmp);
                throw new AuditFormatException("signing key file " + keyFile + " appeared while creating it; open the log once");
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, keyFile);
            }
            Files.deleteIfExists(tmp);
            Files.writeString(publicKeyFile(keyFile), signer.verifier().encode() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AuditStorageException("cannot write signing key file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static boolean isPosix(Path path) {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix") && path.getFileSystem()
                .supportedFileAttributeViews().contains("posix");
    }
}
