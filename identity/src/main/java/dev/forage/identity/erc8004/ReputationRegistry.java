package dev.forage.identity.erc8004;

import dev.forage.identity.Address;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.Abi;
import dev.forage.identity.chain.EvmChain;
import dev.forage.identity.chain.TxReceipt;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Int128;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;

/**
 * Client of an ERC-8004 Reputation Registry: clients rate agents with a signed fixed-point
 * value ({@code value / 10^valueDecimals}) and two tags; ratings can be revoked and answered.
 */
public final class ReputationRegistry extends RegistryClient {

    static final String NEW_FEEDBACK =
            Abi.topic("NewFeedback(uint256,address,uint64,int128,uint8,string,string,string,string,string,bytes32)");

    private static final BigInteger INT128_MIN = BigInteger.TWO.pow(127).negate();
    private static final BigInteger INT128_MAX = BigInteger.TWO.pow(127).subtract(BigInteger.ONE);

    /**
     * Feedback to give.
     *
     * @param value the signed score, scaled by {@code 10^decimals}, an int128
     * @param decimals the number of decimals in {@code value}, 0 to 18
     * @param tag1 the first tag (e.g. {@code "inference"}), may be empty
     * @param tag2 the second tag, may be empty
     * @param endpoint the endpoint the feedback is about, may be empty
     * @param feedbackUri a URI of an off-chain feedback file, may be empty
     * @param feedbackHash the hash of that file, 32 bytes (zeros when none)
     */
    public record Feedback(BigInteger value, int decimals, String tag1, String tag2, String endpoint,
            String feedbackUri, byte[] feedbackHash) {
        public Feedback {
            if (value == null || value.compareTo(INT128_MIN) < 0 || value.compareTo(INT128_MAX) > 0) {
                throw new IllegalArgumentException("feedback value " + value + " must fit an int128");
            }
            if (decimals < 0 || decimals > 255) {
                throw new IllegalArgumentException("feedback decimals " + decimals + " must fit a uint8");
            }
            if (feedbackHash == null || feedbackHash.length != 32) {
                throw new IllegalArgumentException("feedback hash must have 32 bytes");
            }
            feedbackHash = feedbackHash.clone();
            tag1 = tag1 == null ? "" : tag1;
            tag2 = tag2 == null ? "" : tag2;
            endpoint = endpoint == null ? "" : endpoint;
            feedbackUri = feedbackUri == null ? "" : feedbackUri;
        }

        /** A score with tags only. */
        public static Feedback of(long value, int decimals, String tag1, String tag2) {
            return new Feedback(BigInteger.valueOf(value), decimals, tag1, tag2, "", "", new byte[32]);
        }
    }

    /**
     * Stored feedback as {@code readFeedback} returns it.
     *
     * @param value the signed score
     * @param decimals its decimals
     * @param tag1 the first tag
     * @param tag2 the second tag
     * @param revoked whether the client revoked it
     */
    public record Entry(BigInteger value, int decimals, String tag1, String tag2, boolean revoked) {}

    /**
     * One row of {@code readAllFeedback}.
     *
     * @param client the client that gave it
     * @param index its per-client index
     * @param entry the feedback
     */
    public record Row(Address client, long index, Entry entry) {}

    /**
     * {@code getSummary}'s answer.
     *
     * @param count how many feedback entries were counted
     * @param value their summary value, scaled by {@code 10^decimals}
     * @param decimals the decimals of {@code value}
     */
    public record Summary(long count, BigInteger value, int decimals) {}

    private ReputationRegistry(EvmChain chain, Address address) {
        super(chain, address, "ReputationRegistry", "IdentityRegistry");
    }

    /**
     * A client for the registry at {@code address}; from now on {@code chain} decodes the
     * registry's custom errors in reverts by name.
     */
    public static ReputationRegistry at(EvmChain chain, Address address) {
        return new ReputationRegistry(chain, address);
    }

    /**
     * Gives feedback on agent {@code agentId} from {@code client}.
     *
     * @return the feedback's per-client index, from the {@code NewFeedback} event
     */
    public long giveFeedback(Signer client, BigInteger agentId, Feedback f) {
        TxReceipt receipt = send(client, Abi.encodeCall(
                "giveFeedback(uint256,int128,uint8,string,string,string,string,bytes32)",
                uint(agentId), new Int128(f.value()), new Uint8(f.decimals()), new Utf8String(f.tag1()),
                new Utf8String(f.tag2()), new Utf8String(f.endpoint()), new Utf8String(f.feedbackUri()),
                bytes32(f.feedbackHash())));
        TxReceipt.Log log = receipt.logs(address, NEW_FEEDBACK).stream().findFirst().orElseThrow(() ->
                new IllegalStateException("feedback " + receipt.txHash() + " emitted no NewFeedback event"));
        return number(Abi.decode(log.data(), "uint64").get(0)).longValueExact();
    }

    /** Revokes {@code client}'s feedback number {@code index}. */
    public TxReceipt revokeFeedback(Signer client, BigInteger agentId, long index) {
        return send(client, Abi.encodeCall("revokeFeedback(uint256,uint64)", uint(agentId), new Uint64(index)));
    }

    /** Appends a response (a URI and its hash) to a feedback entry. */
    public TxReceipt appendResponse(Signer responder, BigInteger agentId, Address client, long index,
            String responseUri, byte[] responseHash) {
        return send(responder, Abi.encodeCall("appendResponse(uint256,address,uint64,string,bytes32)",
                uint(agentId), addr(client), new Uint64(index), new Utf8String(responseUri), bytes32(responseHash)));
    }

    /** One feedback entry. */
    public Entry readFeedback(BigInteger agentId, Address client, long index) {
        @SuppressWarnings("rawtypes")
        List<Type> v = call(Abi.encodeCall("readFeedback(uint256,address,uint64)", uint(agentId), addr(client),
                new Uint64(index)), "int128", "uint8", "string", "string", "bool");
        return new Entry(number(v.get(0)), number(v.get(1)).intValueExact(), text(v.get(2)), text(v.get(3)),
                (Boolean) v.get(4).getValue());
    }

    /** All feedback on the agent from {@code clients} (all clients when empty) matching the tags. */
    @SuppressWarnings("rawtypes")
    public List<Row> readAllFeedback(BigInteger agentId, List<Address> clients, String tag1, String tag2,
            boolean includeRevoked) {
        List<Type> v = call(Abi.encodeCall("readAllFeedback(uint256,address[],string,string,bool)", uint(agentId),
                addresses(clients), new Utf8String(tag1), new Utf8String(tag2), new Bool(includeRevoked)),
                "address[]", "uint64[]", "int128[]", "uint8[]", "string[]", "string[]", "bool[]");
        List<Row> rows = new ArrayList<>();
        List<Type> who = list(v.get(0));
        for (int i = 0; i < who.size(); i++) {
            rows.add(new Row(address(who.get(i)), number(list(v.get(1)).get(i)).longValueExact(),
                    new Entry(number(list(v.get(2)).get(i)), number(list(v.get(3)).get(i)).intValueExact(),
                            text(list(v.get(4)).get(i)), text(list(v.get(5)).get(i)),
                            (Boolean) list(v.get(6)).get(i).getValue())));
        }
        return rows;
    }

    /** The summary of non-revoked feedback from {@code clients} matching the tags. */
    @SuppressWarnings("rawtypes")
    public Summary summary(BigInteger agentId, List<Address> clients, String tag1, String tag2) {
        List<Type> v = call(Abi.encodeCall("getSummary(uint256,address[],string,string)", uint(agentId),
                addresses(clients), new Utf8String(tag1), new Utf8String(tag2)), "uint64", "int128", "uint8");
        return new Summary(number(v.get(0)).longValueExact(), number(v.get(1)), number(v.get(2)).intValueExact());
    }

    /** Every client that has given the agent feedback. */
    @SuppressWarnings("rawtypes")
    public List<Address> clients(BigInteger agentId) {
        return list(call(Abi.encodeCall("getClients(uint256)", uint(agentId)), "address[]").get(0)).stream()
                .map(RegistryClient::address).toList();
    }

    /** The index of {@code client}'s latest feedback on the agent (0 if none). */
    public long lastIndex(BigInteger agentId, Address client) {
        return number(call(Abi.encodeCall("getLastIndex(uint256,address)", uint(agentId), addr(client)), "uint64").get(0))
                .longValueExact();
    }

    /** How many responses {@code responders} (all when empty) appended to a feedback entry. */
    public long responseCount(BigInteger agentId, Address client, long index, List<Address> responders) {
        return number(call(Abi.encodeCall("getResponseCount(uint256,address,uint64,address[])", uint(agentId),
                addr(client), new Uint64(index), addresses(responders)), "uint64").get(0)).longValueExact();
    }

    /** The identity registry this reputation registry serves. */
    public Address identityRegistry() {
        return address(call(Abi.encodeCall("getIdentityRegistry()"), "address").get(0));
    }

    /** The implementation's version string. */
    public String version() {
        return text(call(Abi.encodeCall("getVersion()"), "string").get(0));
    }

    static DynamicArray<org.web3j.abi.datatypes.Address> addresses(List<Address> list) {
        return new DynamicArray<>(org.web3j.abi.datatypes.Address.class, list.stream().map(RegistryClient::addr).toList());
    }
}
