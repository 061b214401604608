package dev.forage.policies.bench;

import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import java.util.Set;

/** Cedar's allow/deny mapped onto Forage's three outcomes. */
final class CedarDecisions {

    private CedarDecisions() {}

    /** "ALLOW", "DENY" or "REQUIRE_APPROVAL". */
    static String outcome(AuthorizationResponse r, Set<String> approvalIds) {
        AuthorizationSuccessResponse s = r.success.orElseThrow(
                () -> new IllegalStateException("Cedar failed: " + r.errors));
        if (!s.getErrors().isEmpty()) {
            throw new IllegalStateException("Cedar policy errors: " + s.getErrors());
        }
        if (s.isAllowed()) {
            return "ALLOW";
        }
        Set<String> determining = s.getReason();
        return !determining.isEmpty() && approvalIds.containsAll(determining) ? "REQUIRE_APPROVAL" : "DENY";
    }
}
