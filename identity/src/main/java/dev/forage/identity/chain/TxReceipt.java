package dev.forage.identity.chain;

import dev.forage.identity.Address;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a mined transaction.
 *
 * @param txHash the transaction hash
 * @param blockNumber the block it was mined in
 * @param from the sender
 * @param success whether it executed without reverting
 * @param gasUsed gas the transaction used
 * @param effectiveGasPrice wei paid per unit of gas
 * @param contractAddress the created contract, for a contract creation
 * @param logs the events it emitted, in order
 */
public record TxReceipt(
        String txHash,
        long blockNumber,
        Address from,
        boolean success,
        BigInteger gasUsed,
        BigInteger effectiveGasPrice,
        Optional<Address> contractAddress,
        List<Log> logs) {

    public TxReceipt {
        logs = List.copyOf(logs);
    }

    /**
     * One event log.
     *
     * @param address the contract that emitted it
     * @param topics the indexed topics, the event's signature hash first
     * @param data the non-indexed data, {@code 0x}-prefixed hex
     * @param logIndex its position in the block
     */
    public record Log(Address address, List<String> topics, String data, long logIndex) {
        public Log {
            topics = List.copyOf(topics);
        }
    }

    /** The logs emitted by {@code contract} whose first topic is {@code topic0}. */
    public List<Log> logs(Address contract, String topic0) {
        return logs.stream()
                .filter(l -> l.address().equals(contract) && !l.topics().isEmpty()
                        && l.topics().get(0).equalsIgnoreCase(topic0))
                .toList();
    }
}
