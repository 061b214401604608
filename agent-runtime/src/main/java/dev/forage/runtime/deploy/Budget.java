package dev.forage.runtime.deploy;

import dev.forage.policies.PolicySource;
import dev.forage.policies.ledger.BudgetWindow;
import java.util.Locale;
import java.util.Objects;

/**
 * A deployment's own budget, a shorthand for a spending-policy budget: "at most {@code limit} per
 * {@code window}" over everything the agent spends. It adds to the budgets of the policy files;
 * it grants nothing (the policies' allow rules still decide).
 *
 * @param limit the most the agent spends per window
 * @param window a calendar day, week or month in a time zone, a rolling duration, or the
 *     agent's lifetime when the deployment gives no window
 */
public record Budget(Amount limit, BudgetWindow window) {


    public Budget {
        Objects.requireNonNull(limit, "budget.limit");
        Objects.requireNonNull(window, "budget.window");
        if (window instanceof BudgetWindow.Calendar c && c.period() == BudgetWindow.Period.HOUR) {
            throw new IllegalArgumentException("budget.window calendar hour is not offered by deployments: use day, week,"
                    + " month, or rolling: PT1H");
        }
    }

    /**
     * This budget as a SpendingPolicy document named {@code budget.<deploymentName>} (cut to 63
     * characters) with one budget, id {@link #policyBudgetId(String)}, to load into the policy
     * engine beside the deployment's policy files.
     *
     * @param deploymentName the deployment's {@code metadata.name}; names the document and the source
     */
    public PolicySource policySource(String deploymentName) {
        Metadata.requireDnsLabel("deploymentName", deploymentName);
        // Policy document names are unique across all loaded sources: keep clear of the policy files'.
        String documentName = ("budget." + deploymentName).substring(0, Math.min(63, 7 + deploymentName.length()))
                .replaceAll("[-.]+$", "");
        String windowYaml = switch (window) {
            case BudgetWindow.Calendar c -> "\n      window: {calendar: " + c.period().name().toLowerCase(Locale.ROOT)
                    + ", zone: '" + c.zone().getId() + "'}";
            case BudgetWindow.Rolling r -> "\n      window: {rolling: " + r.length() + "}";
            case BudgetWindow.Lifetime l -> "";
        };
        String yaml = "apiVersion: forage.dev/v1\n"
                + "kind: SpendingPolicy\n"
                + "metadata:\n"
                + "  name: " + documentName + "\n"
                + "  description: the budget of deployment " + deploymentName + "\n"
                + "spec:\n"
                + "  budgets:\n"
                + "    - id: " + policyBudgetId(deploymentName) + "\n"
                + "      description: spec.budget of deployment " + deploymentName + "\n"
                + "      limit: '" + limit + "'" + windowYaml + "\n";
        return PolicySource.of("deployment " + deploymentName + " spec.budget", yaml);
    }

    /**
     * The id of the budget {@link #policySource(String)} makes: {@code deployment_} and the name
     * with '-' as '_', at most 64 characters. Budget ids are global across policy documents, so
     * it names the deployment; the same name gives the same ledger accounts after a restart.
     */
    public static String policyBudgetId(String deploymentName) {
        Metadata.requireDnsLabel("deploymentName", deploymentName);
        String id = "deployment_" + deploymentName.replace('-', '_');
        return id.substring(0, Math.min(64, id.length()));
    }
}
