package dev.forage.runtime.audit.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.ChainException;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.erc8004.Erc8004Registries;
import dev.forage.identity.erc8004.ValidationRegistry;
import dev.forage.identity.testing.AnvilExtension;
import dev.forage.runtime.audit.Actor;
import dev.forage.runtime.audit.AuditEntry;
import dev.forage.runtime.audit.AuditEvent;
import dev.forage.runtime.audit.AuditLog;
import dev.forage.runtime.audit.AuditLogConfig;
import dev.forage.runtime.audit.EntryKind;
import dev.forage.runtime.audit.note.Checkpoint;
import dev.forage.runtime.audit.note.SignedCheckpoint;
import java.math.BigInteger;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(AnvilExtension.class)
class CheckpointAnchorIT {

    @TempDir
    Path dir;

    @Test
    void anchorsACheckpointOnceAndRecordsTheTransactionInTheLog(Anvil anvil) {
        Signer owner = anvil.account(0);
        Signer auditor = anvil.account(1);
        Erc8004Registries registries = Erc8004Registries.deploy(anvil.chain(), owner);
        BigInteger agentId = registries.identityRegistry(anvil.chain()).register(owner, "uri").id().agentId();
        ValidationRegistry validation = registries.validationRegistry(anvil.chain());

        try (AuditLog log = AuditLog.open(AuditLogConfig.of(dir.resolve("audit.db"), "forage.dev/test/anchor"))) {
            for (int i = 0; i < 5; i++) {
                log.append(AuditEvent.of("agent-1", EntryKind.TOOL_CALL, Actor.agent("agent-1"),
                        JsonNodeFactory.instance.objectNode().put("i", i))).join();
            }
            SignedCheckpoint checkpoint = log.checkpoint().join();
            CheckpointAnchor anchor = new CheckpointAnchor(log, validation, owner, agentId, auditor.address(), "agent-1");

            assertThat(CheckpointAnchor.isAnchored(validation, checkpoint)).isFalse();
            CheckpointAnchor.Anchored first = anchor.anchor(checkpoint);
            CheckpointAnchor.Anchored again = anchor.anchor(checkpoint);

            assertThat(first.txHash()).isPresent();
            assertThat(again.txHash()).isEmpty();
            assertThat(CheckpointAnchor.isAnchored(validation, checkpoint)).isTrue();
            ValidationRegistry.Status status = validation.status(first.requestHash());
            assertThat(status.agentId()).isEqualTo(agentId);
            assertThat(status.validator()).isEqualTo(auditor.address());
            assertThat(validation.agentValidations(agentId)).containsExactly(first.requestHash());

            // Exactly one anchor entry was written, naming the transaction.
            assertThat(log.size()).isEqualTo(6);
            AuditEntry recorded = log.entry(5);
            assertThat(recorded.kind()).isEqualTo(EntryKind.CHECKPOINT_ANCHOR);
            assertThat(recorded.payload().path("treeSize").asLong()).isEqualTo(5);
            assertThat(recorded.subjects()).containsEntry(dev.forage.runtime.audit.SubjectKind.TX_HASH, first.txHash().get());

            // A different (e.g. forked) checkpoint with the same size is not anchored.
            SignedCheckpoint other = SignedCheckpoint.parse(checkpoint.encode());
            Checkpoint forged = Checkpoint.of(other.checkpoint().origin(), 5, new byte[32]);
            assertThat(CheckpointAnchor.isAnchored(validation, new SignedCheckpoint(forged,
                    dev.forage.runtime.audit.note.SignedNote.parse(forgedNote(checkpoint, forged))))).isFalse();

            // Someone who is not the agent's owner or operator cannot anchor for it.
            CheckpointAnchor stranger = new CheckpointAnchor(log, validation, auditor, agentId, auditor.address(), "agent-1");
            SignedCheckpoint next = log.append(AuditEvent.of("agent-1", EntryKind.TOOL_CALL, Actor.agent("agent-1")))
                    .thenCompose(e -> log.checkpoint()).join();
            assertThatThrownBy(() -> stranger.anchor(next)).isInstanceOfSatisfying(ChainException.class,
                    e -> assertThat(e.kind()).isEqualTo(ChainException.Kind.REVERTED));
        }
    }

    /** The note encoding with the checkpoint's text replaced (its signature no longer matches). */
    private static String forgedNote(SignedCheckpoint real, Checkpoint forged) {
        String encoded = real.encode();
        int blank = encoded.indexOf("\n\n");
        return forged.text() + encoded.substring(blank + 1);
    }
}
