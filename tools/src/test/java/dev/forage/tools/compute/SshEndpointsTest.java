package dev.forage.tools.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SshEndpointsTest {

    @Test
    void theCommonShapesOfAnSshCommandBecomeAnSshUri() {
        assertThat(SshEndpoints.fromCommand("ssh -p 31022 ubuntu@203.0.113.7")).contains(URI.create("ssh://ubuntu@203.0.113.7:31022"));
        assertThat(SshEndpoints.fromCommand("ssh ubuntu@node-7.example.net -p 22")).contains(URI.create("ssh://ubuntu@node-7.example.net:22"));
        assertThat(SshEndpoints.fromCommand("root@10.0.0.2")).contains(URI.create("ssh://root@10.0.0.2"));
        assertThat(SshEndpoints.fromCommand("  ssh  -p2222  user@host  ")).contains(URI.create("ssh://user@host:2222"));
    }

    @Test
    void withoutUserAndHostOrWithABadPortThereIsNoEndpoint() {
        assertThat(SshEndpoints.fromCommand("")).isEmpty();
        assertThat(SshEndpoints.fromCommand("pending")).isEmpty();
        assertThat(SshEndpoints.fromCommand("ssh -p 70000 user@host")).isEmpty();
        assertThat(SshEndpoints.fromCommand("ssh user@host; rm -rf /")).isEmpty();
    }
}
