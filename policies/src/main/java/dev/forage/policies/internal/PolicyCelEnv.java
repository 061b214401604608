package dev.forage.policies.internal;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelFunctionBinding;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CEL environment rules are checked against. The variables are declared as struct types,
 * so a typo such as {@code intent.amout} or {@code budgets.dialy} is a type error at load, not
 * a silent false at run time; at run time the values are plain maps.
 */
final class PolicyCelEnv {

    static final String MONEY_FUNCTION = "money";
    private static final String MONEY_OVERLOAD = "forage_money_string";

    /** Fields of {@code intent}. */
    static final Map<String, CelType> INTENT_FIELDS = ordered(
            "id", SimpleType.STRING,
            "agent", SimpleType.STRING,
            "action", SimpleType.STRING,
            "counterparty", SimpleType.STRING,
            "market", SimpleType.STRING,
            "amount", SimpleType.INT,
            "asset", SimpleType.STRING,
            "decimals", SimpleType.INT,
            "chain", SimpleType.STRING,
            "token", SimpleType.STRING,
            "unit_price", SimpleType.INT,
            "unit", SimpleType.STRING,
            "attributes", MapType.create(SimpleType.STRING, SimpleType.STRING),
            "time", SimpleType.TIMESTAMP);

    /** Fields of {@code counterparty}. */
    static final Map<String, CelType> COUNTERPARTY_FIELDS = ordered(
            "observations", SimpleType.INT,
            "success_rate", SimpleType.DOUBLE,
            "verification_failures", SimpleType.INT,
            "reputation", SimpleType.DOUBLE);

    /** Fields of each {@code budgets.<id>}. */
    static final Map<String, CelType> BUDGET_FIELDS = ordered(
            "applies", SimpleType.BOOL,
            "limit", SimpleType.INT,
            "spent", SimpleType.INT,
            "reserved", SimpleType.INT,
            "remaining", SimpleType.INT);

    private static final StructType INTENT = struct("forage.Intent", INTENT_FIELDS);
    private static final StructType COUNTERPARTY = struct("forage.Counterparty", COUNTERPARTY_FIELDS);
    private static final StructType BUDGET = struct("forage.Budget", BUDGET_FIELDS);
    private static final CelType LIST = MapType.create(SimpleType.STRING, SimpleType.BOOL);

    private PolicyCelEnv() {}

    /**
     * An environment for a policy with these budgets and lists.
     *
     * @param moneyValues base units of each {@code money('…')} literal; the compiler fills it
     *     while checking rules and the runtime binding reads it
     */
    static Cel create(Set<String> budgetIds, Set<String> listNames, Map<String, Long> moneyValues) {
        StructType budgets = StructType.create("forage.Budgets", ImmutableSet.copyOf(budgetIds),
                f -> budgetIds.contains(f) ? Optional.of(BUDGET) : Optional.empty());
        StructType lists = StructType.create("forage.Lists", ImmutableSet.copyOf(listNames),
                f -> listNames.contains(f) ? Optional.of(LIST) : Optional.empty());
        ImmutableList<CelType> types = ImmutableList.of(INTENT, COUNTERPARTY, BUDGET, budgets, lists);
        CelTypeProvider provider = new CelTypeProvider() {
            @Override
            public ImmutableCollection<CelType> types() {
                return types;
            }

            @Override
            public Optional<CelType> findType(String name) {
                return types.stream().filter(t -> t.name().equals(name)).findFirst();
            }
        };
        CelOptions options = CelOptions.current()
                .enableHeterogeneousNumericComparisons(true)
                .evaluateCanonicalTypesToNativeValues(true)
                .comprehensionMaxIterations(10_000)
                .build();
        return CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setTypeProvider(provider)
                .addCompilerLibraries(CelExtensions.strings())
                .addRuntimeLibraries(CelExtensions.strings())
                .addVar("intent", INTENT)
                .addVar("counterparty", COUNTERPARTY)
                .addVar("budgets", budgets)
                .addVar("lists", lists)
                .addVar("now", SimpleType.TIMESTAMP)
                .addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration(MONEY_FUNCTION,
                        CelOverloadDecl.newGlobalOverload(MONEY_OVERLOAD, SimpleType.INT, SimpleType.STRING)))
                .addFunctionBindings(CelFunctionBinding.from(MONEY_OVERLOAD, String.class, text -> {
                    Long units = moneyValues.get(text);
                    if (units == null) {
                        throw new IllegalStateException("money('" + text + "') was not resolved when the policy was loaded");
                    }
                    return units;
                }))
                .setResultType(SimpleType.BOOL)
                .build();
    }

    private static StructType struct(String name, Map<String, CelType> fields) {
        return StructType.create(name, ImmutableSet.copyOf(fields.keySet()), f -> Optional.ofNullable(fields.get(f)));
    }

    private static Map<String, CelType> ordered(Object... pairs) {
        Map<String, CelType> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], (CelType) pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}
