package dev.forage.runtime.audit.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.runtime.audit.AuditFormatException;
import dev.forage.runtime.audit.merkle.Rfc6962;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    @Test
    void parsesTheTlogCheckpointSpecExample() {
        String note = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
                + "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";

        SignedCheckpoint cp = SignedCheckpoint.parse(note);

        assertThat(cp.checkpoint().origin()).isEqualTo("example.com/behind-the-sofa");
        assertThat(cp.checkpoint().treeSize()).isEqualTo(20852163L);
        assertThat(Base64.getEncoder().encodeToString(cp.checkpoint().rootHash()))
                .isEqualTo("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
        assertThat(cp.note().signatures()).singleElement().extracting(NoteSignature::keyName)
                .isEqualTo("example.com/behind-the-sofa");
        assertThat(cp.encode()).isEqualTo(note);
    }

    @Test
    void roundTripsWithExtensionLinesAndSignsAsANote() {
        NoteSigner signer = NoteSigner.parse("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz");
        Checkpoint c = new Checkpoint("forage.dev/log", 42, Rfc6962.emptyRoot(), List.of("ext one"));

        SignedCheckpoint signed = SignedCheckpoint.sign(c, signer);
        SignedCheckpoint back = SignedCheckpoint.parse(signed.encode());

        assertThat(c.text()).isEqualTo("forage.dev/log\n42\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\n");
        assertThat(back.checkpoint()).isEqualTo(c);
        assertThat(back.verifiedBy(signer.verifier())).isTrue();
        assertThat(back.encode()).startsWith(c.text() + "\n\u2014 PeterNeumann ");
    }

    @Test
    void rejectsMalformedCheckpoints() {
        String root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
        for (String text : List.of(
                "o\n1\n",
                "o\n01\n" + root + "\n",
                "o\n-1\n" + root + "\n",
                "o\n1\n" + root,
                "o\n1\nAAAA\n",
                "o\n1\n" + root.replace("=", "") + "\n",
                "o\n1\n" + root + "\n\n",
                "\n1\n" + root + "\n",
                "o\n99999999999999999999\n" + root + "\n")) {
            assertThatThrownBy(() -> Checkpoint.parse(text)).as(text).isInstanceOf(AuditFormatException.class);
        }
        assertThat(Checkpoint.parse("o\n0\n" + root + "\n").treeSize()).isZero();
    }
}
