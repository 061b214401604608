package dev.forage.runtime.audit.anchor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.identity.Address;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.ChainException;
import dev.forage.identity.chain.TxReceipt;
import dev.forage.identity.erc8004.ValidationRegistry;
import dev.forage.runtime.audit.Actor;
import dev.forage.runtime.audit.AuditEvent;
import dev.forage.runtime.audit.AuditLog;
import dev.forage.runtime.audit.EntryKind;
import dev.forage.runtime.audit.SubjectKind;
import dev.forage.runtime.audit.note.SignedCheckpoint;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Publishes a log's signed checkpoints on-chain as ERC-8004 validation requests of the agent
 * that owns the log: the request hash is {@code keccak256} of the encoded signed note and the
 * request URI a {@code data:} URI carrying the note itself, so the chain holds both the
 * commitment and the checkpoint. The chosen validator (an auditor) may answer the request.
 *
 * <p>Anchoring the same checkpoint again is a no-op that returns the existing anchor. Each new
 * anchor is recorded in the log as a {@link EntryKind#CHECKPOINT_ANCHOR} entry with the
 * transaction hash.
 */
public final class CheckpointAnchor {

    /**
     * A checkpoint anchored on-chain.
     *
     * @param treeSize the checkpoint's tree size
     * @param requestHash the validation request hash, {@code keccak256(encoded note)}
     * @param txHash the anchoring transaction, empty when it was anchored before this call
     */
    public record Anchored(long treeSize, byte[] requestHash, Optional<String> txHash) {}

    private final AuditLog log;
    private final ValidationRegistry registry;
    private final Signer owner;
    private final BigInteger agentId;
    private final Address validator;
    private final String agentName;

    /**
     * @param log the log whose checkpoints are anchored, and where anchors are recorded
     * @param registry the Validation Registry
     * @param owner the owner (or an operator) of the agent in the registry's identity registry
     * @param agentId the agent that owns the log
     * @param validator the auditor asked to validate the checkpoints
     * @param agentName the agent id written in the log's anchor entries
     */
    public CheckpointAnchor(AuditLog log, ValidationRegistry registry, Signer owner, BigInteger agentId,
            Address validator, String agentName) {
        this.log = log;
        this.registry = registry;
        this.owner = owner;
        this.agentId = agentId;
        this.validator = validator;
        this.agentName = agentName;
    }

    /** The validation request hash of a checkpoint: {@code keccak256} of its encoded signed note. */
    public static byte[] requestHash(SignedCheckpoint checkpoint) {
        return Hash.sha3(checkpoint.encode().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Anchors {@code checkpoint} (idempotent) and records the transaction in the log.
     *
     * @throws ChainException if the transaction fails (e.g. REVERTED when {@code owner} is not
     *     the agent's owner or operator)
     */
    public Anchored anchor(SignedCheckpoint checkpoint) {
        byte[] hash = requestHash(checkpoint);
        if (isAnchored(registry, checkpoint)) {
            return new Anchored(checkpoint.checkpoint().treeSize(), hash, Optional.empty());
        }
        String uri = "data:text/plain;charset=utf-8;base64,"
                + Base64.getEncoder().encodeToString(checkpoint.encode().getBytes(StandardCharsets.UTF_8));
        TxReceipt receipt = registry.request(owner, validator, agentId, uri, hash);
        ObjectNode payload = JsonNodeFactory.instance.objectNode()
                .put("origin", checkpoint.checkpoint().origin())
                .put("treeSize", checkpoint.checkpoint().treeSize())
                .put("rootHash", Base64.getEncoder().encodeToString(checkpoint.checkpoint().rootHash()))
                .put("registry", registry.address().value())
                .put("agentId", agentId.toString())
                .put("validator", validator.value())
                .put("requestHash", Numeric.toHexString(hash))
                .put("block", receipt.blockNumber());
        log.append(AuditEvent.of(agentName, EntryKind.CHECKPOINT_ANCHOR, Actor.system("checkpoint-anchor"), payload)
                .withSubject(SubjectKind.TX_HASH, receipt.txHash())).join();
        return new Anchored(checkpoint.checkpoint().treeSize(), hash, Optional.of(receipt.txHash()));
    }

    /**
     * Whether {@code checkpoint} has been anchored in {@code registry}: a validation request
     * exists under its hash.
     */
    public static boolean isAnchored(ValidationRegistry registry, SignedCheckpoint checkpoint) {
        try {
            registry.status(requestHash(checkpoint));
            return true;
        } catch (ChainException e) {
            if (e.kind() == ChainException.Kind.REVERTED) {
                return false;
            }
            throw e;
        }
    }
}
