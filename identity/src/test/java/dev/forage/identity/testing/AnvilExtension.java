package dev.forage.identity.testing;

import dev.forage.identity.devchain.Anvil;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs one real Anvil node per test class and injects it as an {@link Anvil} parameter into
 * constructors, lifecycle methods and tests. The node stops when the class's tests end,
 * whether they pass or fail (JUnit closes the stored resource), and never outlives the JVM.
 *
 * <pre>{@code
 * @ExtendWith(AnvilExtension.class)
 * class RegistryIT {
 *     @Test void registers(Anvil anvil) { ... }
 * }
 * }</pre>
 */
public final class AnvilExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AnvilExtension.class);

    /** Adapts {@link Anvil} to JUnit's closeable store values. */
    private record Running(Anvil anvil) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            anvil.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        anvil(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Anvil.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return anvil(context);
    }

    private static Anvil anvil(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getParent().isPresent() && classContext.getTestMethod().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, k -> new Running(Anvil.start()), Running.class)
                .anvil();
    }
}
