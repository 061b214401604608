package dev.forage.identity.eip712;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.identity.Address;
import dev.forage.identity.Signature;
import dev.forage.identity.keys.InMemorySigner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** The EIP-712 specification's own example, and eth-sig-util's v4 vector with arrays. */
class Eip712Test {

    private static final String MAIL_JSON = """
            {"types":{
               "EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
                               {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
               "Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
               "Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]},
             "primaryType":"Mail",
             "domain":{"name":"Ether Mail","version":"1","chainId":1,
                       "verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
             "message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                        "to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
                        "contents":"Hello, Bob!"}}
            """;

    private static final String ARRAYS_JSON = """
            {"types":{
               "EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
                               {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
               "Person":[{"name":"name","type":"string"},{"name":"wallets","type":"address[]"}],
               "Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person[]"},{"name":"contents","type":"string"}],
               "Group":[{"name":"name","type":"string"},{"name":"members","type":"Person[]"}]},
             "primaryType":"Mail",
             "domain":{"name":"Ether Mail","version":"1","chainId":1,
                       "verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
             "message":{"from":{"name":"Cow","wallets":["0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826",
                                                       "0xDeaDbeefdEAdbeefdEadbEEFdeadbeEFdEaDbeeF"]},
                        "to":[{"name":"Bob","wallets":["0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB",
                                                       "0xB0BdaBea57B0BDABeA57b0bdABEA57b0BDabEa57",
                                                       "0xB0B0b0b0b0b0B000000000000000000000000000"]}],
                        "contents":"Hello, Bob!"}}
            """;

    /** The spec's signer: the key keccak256("cow"), derived here rather than stored. */
    private static InMemorySigner cow() {
        return InMemorySigner.fromPrivateKey(Hash.sha3("cow".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void reproducesTheSpecificationsMailExampleExactly() {
        TypedData mail = TypedData.fromJson(MAIL_JSON);

        assertThat(Eip712.encodeType(mail, "Mail")).isEqualTo("Mail(Person from,Person to,string contents)Person(string name,address wallet)");
        assertThat(hex(Eip712.typeHash(mail, "Mail"))).isEqualTo("0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2");
        assertThat(hex(Eip712.domainSeparator(mail))).isEqualTo("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f");
        assertThat(hex(Eip712.hashStruct(mail, "Mail", mail.message()))).isEqualTo("0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e");
        assertThat(hex(Eip712.digest(mail))).isEqualTo("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");

        InMemorySigner cow = cow();
        assertThat(cow.address()).isEqualTo(Address.parse("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"));
        Signature sig = cow.signTypedData(mail);
        assertThat(sig.v()).isEqualTo(28);
        assertThat(Numeric.toHexStringWithPrefixZeroPadded(sig.r(), 64)).isEqualTo("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d");
        assertThat(Numeric.toHexStringWithPrefixZeroPadded(sig.s(), 64)).isEqualTo("0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562");
        assertThat(Eip712.recover(Eip712.digest(mail), sig)).isEqualTo(cow.address());
    }

    @Test
    void reproducesTheV4VectorWithArraysOfStructsAndAddresses() {
        TypedData data = TypedData.fromJson(ARRAYS_JSON);

        assertThat(Eip712.encodeType(data, "Mail")).isEqualTo("Mail(Person from,Person[] to,string contents)Person(string name,address[] wallets)");
        assertThat(Eip712.encodeType(data, "Group")).isEqualTo("Group(string name,Person[] members)Person(string name,address[] wallets)");
        assertThat(hex(Eip712.typeHash(data, "Person"))).isEqualTo("0xfabfe1ed996349fc6027709802be19d047da1aa5d6894ff5f6486d92db2e6860");
        @SuppressWarnings("unchecked")
        Map<String, ?> from = (Map<String, ?>) data.message().get("from");
        assertThat(hex(Eip712.hashStruct(data, "Person", from))).isEqualTo("0x9b4846dd48b866f0ac54d61b9b21a9e746f921cefa4ee94c4c0a1c49c774f67f");
        assertThat(hex(Eip712.hashStruct(data, "Mail", data.message()))).isEqualTo("0xeb4221181ff3f1a83ea7313993ca9218496e424604ba9492bb4052c03d5c3df8");
        assertThat(hex(Eip712.digest(data))).isEqualTo("0xa85c2e2b118698e88db68a8105b794a8cc7cec074e89ef991cb4f5f533819cc2");
        assertThat(cow().signTypedData(data).hex()).isEqualTo(
                "0x65cbd956f2fae28a601bebc9b906cea0191744bd4c4247bcd27cd08f8eb6b71c78efdf7a31dc9abee78f492292721f362d296cf86b4538e07b51303b67f749061b");
    }

    @Test
    void derivesTheDomainTypeFromThePresentFieldsWhenTypesLackIt() {
        TypedData withType = TypedData.fromJson(MAIL_JSON);
        Map<String, List<TypedData.Field>> types = new java.util.LinkedHashMap<>(withType.types());
        types.remove(TypedData.DOMAIN_TYPE);
        TypedData derived = new TypedData(types, "Mail", withType.domain(), withType.message());

        assertThat(Eip712.digest(derived)).isEqualTo(Eip712.digest(withType));
        TypedData partial = new TypedData(Map.of("A", List.of(new TypedData.Field("x", "uint8"))), "A",
                Map.of("chainId", 5, "name", "x"), Map.of("x", 1));
        assertThat(Eip712.encodeType(partial, TypedData.DOMAIN_TYPE)).isEqualTo("EIP712Domain(string name,uint256 chainId)");
    }

    @Test
    void encodesNegativeIntegersBoolsAndFixedBytes() {
        TypedData data = new TypedData(
                Map.of("T", List.of(new TypedData.Field("d", "int16"), new TypedData.Field("f", "bool"),
                        new TypedData.Field("b", "bytes4"))),
                "T", Map.of("name", "x"), Map.of("d", -5, "f", true, "b", "0xdeadbeef"));
        byte[] expected = Hash.sha3(Numeric.hexStringToByteArray(
                hex(Eip712.typeHash(data, "T"))
                        + "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffb"
                        + "0000000000000000000000000000000000000000000000000000000000000001"
                        + "deadbeef00000000000000000000000000000000000000000000000000000000"));
        assertThat(Eip712.hashStruct(data, "T", data.message())).isEqualTo(expected);
    }

    @Test
    void theJsonFormRoundTrips() {
        TypedData mail = TypedData.fromJson(MAIL_JSON);
        assertThat(Eip712.digest(TypedData.fromJson(mail.toJson()))).isEqualTo(Eip712.digest(mail));
    }

    @Test
    void badInputNamesTheOffendingMember() {
        TypedData missing = new TypedData(Map.of("A", List.of(new TypedData.Field("x", "uint8"))), "A", Map.of(), Map.of());
        assertThatThrownBy(() -> Eip712.digest(missing)).hasMessageContaining("A.x").hasMessageContaining("no value");

        TypedData overflow = new TypedData(Map.of("A", List.of(new TypedData.Field("x", "uint8"))), "A", Map.of(), Map.of("x", 256));
        assertThatThrownBy(() -> Eip712.digest(overflow)).hasMessageContaining("256").hasMessageContaining("uint8");

        TypedData unknown = new TypedData(Map.of("A", List.of(new TypedData.Field("x", "Missing"))), "A", Map.of(), Map.of("x", 1));
        assertThatThrownBy(() -> Eip712.digest(unknown)).hasMessageContaining("Missing");

        assertThatThrownBy(() -> new TypedData(Map.of(), "Nope", Map.of(), Map.of())).hasMessageContaining("Nope");
        assertThatThrownBy(() -> TypedData.fromJson("{\"types\":{}}")).hasMessageContaining("primaryType");
    }

    private static String hex(byte[] b) {
        return Numeric.toHexString(b);
    }
}
