package dev.forage.tools.settle;

import dev.forage.identity.Address;
import dev.forage.identity.chain.ChainException;
import dev.forage.identity.chain.EvmChain;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.utils.Numeric;

/** ABI value conversions and log queries shared by the contract clients. */
final class Abis {

    private Abis() {}

    static Uint256 uint(BigInteger n) {
        return new Uint256(n);
    }

    static Uint256 uint(long n) {
        return new Uint256(BigInteger.valueOf(n));
    }

    static Uint8 uint8(int n) {
        return new Uint8(BigInteger.valueOf(n));
    }

    static Bytes32 bytes32(byte[] b) {
        if (b.length != 32) {
            throw new IllegalArgumentException("a bytes32 value has 32 bytes, got " + b.length);
        }
        return new Bytes32(b);
    }

    static Bytes32 bytes32(String hex) {
        return bytes32(Numeric.hexStringToByteArray(hex));
    }

    static org.web3j.abi.datatypes.Address addr(Address a) {
        return new org.web3j.abi.datatypes.Address(a.value());
    }

    @SuppressWarnings("rawtypes")
    static BigInteger number(Type t) {
        return (BigInteger) t.getValue();
    }

    @SuppressWarnings("rawtypes")
    static Address address(Type t) {
        return Address.parse(((org.web3j.abi.datatypes.Address) t).getValue());
    }

    @SuppressWarnings("rawtypes")
    static boolean bool(Type t) {
        return (Boolean) t.getValue();
    }

    static String topic(Address a) {
        return "0x" + "0".repeat(24) + a.lowercase().substring(2);
    }

    static String topic(BigInteger n) {
        return Numeric.toHexStringWithPrefixZeroPadded(n, 64);
    }

    /**
     * A log as {@code eth_getLogs} returns it.
     *
     * @param topics the topics, the event signature's hash first
     * @param data the non-indexed data
     * @param txHash the transaction that emitted it
     * @param blockNumber its block
     */
    record Log(List<String> topics, String data, String txHash, long blockNumber) {}

    /**
     * The logs of {@code contract} matching {@code topics} (null entries match anything), from
     * block 0. Devnet-sized: a production indexer would bound the range.
     */
    static List<Log> logs(EvmChain chain, Address contract, String... topics) {
        List<Object> topicList = new ArrayList<>();
        for (String t : topics) {
            topicList.add(t);
        }
        Map<String, Object> filter = new java.util.LinkedHashMap<>();
        filter.put("address", contract.value());
        filter.put("fromBlock", "0x0");
        filter.put("toBlock", "latest");
        filter.put("topics", topicList);
        Object result;
        try {
            result = chain.request("eth_getLogs", List.of(filter));
        } catch (ChainException e) {
            throw SettlementException.of("reading logs of " + contract, e);
        }
        List<Log> out = new ArrayList<>();
        if (result instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    List<String> t = (List<String>) m.get("topics");
                    out.add(new Log(List.copyOf(t), String.valueOf(m.get("data")), String.valueOf(m.get("transactionHash")),
                            Numeric.decodeQuantity(String.valueOf(m.get("blockNumber"))).longValueExact()));
                }
            }
        }
        return out;
    }
}
