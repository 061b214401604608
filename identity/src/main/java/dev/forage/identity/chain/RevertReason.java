package dev.forage.identity.chain;

import java.util.List;

/**
 * Why a contract call reverted, decoded from its revert data.
 *
 * @param name {@code Error} for {@code require(…, "text")}, {@code Panic} for assertion and
 *     arithmetic failures, the custom error's name, or {@code unknown} when the selector is not
 *     known (then {@code data} holds the raw bytes)
 * @param arguments the decoded arguments, as strings, in order
 * @param data the raw revert data, {@code 0x}-prefixed hex ({@code 0x} when the revert had none)
 */
public record RevertReason(String name, List<String> arguments, String data) {

    public RevertReason {
        arguments = List.copyOf(arguments);
    }

    /** For {@code Error(string)}, the message; otherwise the signature with arguments. */
    public String describe() {
        if ("Error".equals(name) && arguments.size() == 1) {
            return arguments.get(0);
        }
        if ("unknown".equals(name)) {
            return "0x".equals(data) ? "reverted without a reason" : "unknown revert data " + data;
        }
        return name + "(" + String.join(", ", arguments) + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
