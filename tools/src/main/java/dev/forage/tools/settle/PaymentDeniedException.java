package dev.forage.tools.settle;

import dev.forage.tools.ToolException;
import dev.forage.tools.settle.spi.PaymentRequest;
import java.util.List;

/**
 * A {@link dev.forage.tools.settle.spi.PaymentGuard} refused a payment; nothing was signed.
 * Not retriable: asking again gets the same answer until the policy or budget changes.
 */
public final class PaymentDeniedException extends ToolException {

    private static final long serialVersionUID = 1L;

    private final transient PaymentRequest request;
    private final List<String> reasons;

    public PaymentDeniedException(PaymentRequest request, List<String> reasons) {
        super("payment " + request.id() + " (" + request.action() + ", " + request.amount() + " base units of "
                + request.asset() + " on " + request.network() + " to " + request.payee() + ") was denied: "
                + String.join("; ", reasons) + "; nothing was signed. Change the policy or the request to pay", false);
        this.request = request;
        this.reasons = List.copyOf(reasons);
    }

    /** What was refused. */
    public PaymentRequest request() {
        return request;
    }

    /** Why, as the guard said. */
    public List<String> reasons() {
        return reasons;
    }
}
