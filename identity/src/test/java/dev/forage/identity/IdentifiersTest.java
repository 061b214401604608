package dev.forage.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class IdentifiersTest {

    private static final String REGISTRY = "0x8004A169FB4a3325136EB29fA0ceB6D2e539a432";

    @Test
    void addressesAreHeldChecksummedAndParsedFromAnyUniformCase() {
        assertThat(Address.parse(REGISTRY.toLowerCase()).value()).isEqualTo(REGISTRY);
        assertThat(Address.parse("0x" + REGISTRY.substring(2).toUpperCase()).value()).isEqualTo(REGISTRY);
        // EIP-55's own examples.
        assertThat(Address.parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").value())
                .isEqualTo("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        assertThat(Address.parse("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359").value())
                .isEqualTo("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
    }

    @Test
    void aWrongMixedCaseChecksumIsRejectedWithTheExpectedForm() {
        String typo = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD";
        assertThatThrownBy(() -> Address.parse(typo))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining(typo)
                .hasMessageContaining("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        assertThatThrownBy(() -> Address.parse("0x1234")).hasMessageContaining("'0x1234'").hasMessageContaining("40 hex digits");
        assertThatThrownBy(() -> Address.parse(null)).hasMessageContaining("(none)");
    }

    @Test
    void caip2ChainIdsParseFormatAndNameTheBadPart() {
        ChainId base = ChainId.parse("eip155:8453");
        assertThat(base).isEqualTo(ChainId.eip155(8453));
        assertThat(base.evmChainId()).isEqualTo(8453);
        assertThat(base.toString()).isEqualTo("eip155:8453");
        assertThat(ChainId.parse("cosmos:cosmoshub-3").isEvm()).isFalse();

        assertThatThrownBy(() -> ChainId.parse("eip155")).hasMessageContaining("'eip155'").hasMessageContaining("exactly one ':'");
        assertThatThrownBy(() -> ChainId.parse("EIP155:1")).hasMessageContaining("namespace 'EIP155'");
        assertThatThrownBy(() -> ChainId.parse("eip155:0x1")).hasMessageContaining("reference '0x1'");
        assertThatThrownBy(() -> ChainId.parse("eip155:01")).hasMessageContaining("'01'").hasMessageContaining("leading zeros");
        assertThatThrownBy(() -> ChainId.parse("cosmos:cosmoshub-3").evmChainId()).hasMessageContaining("not an EVM");
        assertThatThrownBy(() -> ChainId.eip155(0)).hasMessageContaining("0");
    }

    @Test
    void caip10AccountIdsChecksumEvmAddresses() {
        AccountId id = AccountId.parse("eip155:1:" + REGISTRY.toLowerCase());
        assertThat(id.toString()).isEqualTo("eip155:1:" + REGISTRY);
        assertThat(id.evmAddress()).isEqualTo(Address.parse(REGISTRY));
        assertThat(AccountId.parse("bip122:000000000019d6689c085ae165831e93:128Lkh3S7CkDTBZ8W7BbpsN3YYizJMp8p6").address())
                .isEqualTo("128Lkh3S7CkDTBZ8W7BbpsN3YYizJMp8p6");

        assertThatThrownBy(() -> AccountId.parse("eip155:1")).hasMessageContaining("2 ':'-separated parts");
        assertThatThrownBy(() -> AccountId.parse("eip155:1:0xnothex")).hasMessageContaining("'0xnothex'");
        assertThatThrownBy(() -> AccountId.parse("eip155:x:" + REGISTRY)).hasMessageContaining("reference 'x'");
        assertThatThrownBy(() -> AccountId.parse("eip155:1:a/b")).hasMessageContaining("'a/b'");
    }

    @Test
    void erc8004AgentIdsJoinTheRegistryAndTheTokenId() {
        AgentId id = AgentId.parse("eip155:8453:" + REGISTRY + ":42");
        assertThat(id.agentId()).isEqualTo(BigInteger.valueOf(42));
        assertThat(id.agentRegistry()).isEqualTo("eip155:8453:" + REGISTRY);
        assertThat(id.registry().chain()).isEqualTo(ChainId.eip155(8453));
        assertThat(id).isEqualTo(AgentId.of(ChainId.eip155(8453), Address.parse(REGISTRY), BigInteger.valueOf(42)));
        assertThat(AgentId.parse(id.toString())).isEqualTo(id);

        assertThatThrownBy(() -> AgentId.parse("eip155:8453:" + REGISTRY)).hasMessageContaining("agentId '" + REGISTRY + "'")
                .hasMessageContaining("decimal");
        assertThatThrownBy(() -> AgentId.parse("eip155:8453:" + REGISTRY + ":-1")).hasMessageContaining("'-1'");
        assertThatThrownBy(() -> AgentId.parse("eip155:8453:" + REGISTRY + ":007")).hasMessageContaining("'007'");
        assertThatThrownBy(() -> AgentId.parse("eip155:8453:0xabc:1")).hasMessageContaining("'0xabc'");
        assertThatThrownBy(() -> AgentId.of(ChainId.eip155(1), Address.ZERO, BigInteger.TWO.pow(256)))
                .hasMessageContaining("uint256");
    }

    @Test
    void signaturesRoundTripThroughTheirBytes() {
        Signature sig = new Signature(BigInteger.valueOf(7), BigInteger.valueOf(9), 27);
        assertThat(Signature.of(sig.bytes())).isEqualTo(sig);
        byte[] zeroV = sig.bytes();
        zeroV[64] = 0;
        assertThat(Signature.of(zeroV)).isEqualTo(sig);
        assertThatThrownBy(() -> Signature.of(new byte[64])).hasMessageContaining("65 bytes").hasMessageContaining("64");
        assertThatThrownBy(() -> new Signature(BigInteger.ONE, BigInteger.ONE, 29)).hasMessageContaining("v 29");
    }
}
