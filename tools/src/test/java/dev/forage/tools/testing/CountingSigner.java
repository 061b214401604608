package dev.forage.tools.testing;

import dev.forage.identity.Address;
import dev.forage.identity.Signature;
import dev.forage.identity.Signer;
import java.util.concurrent.atomic.AtomicInteger;

/** A signer that counts its signatures, to prove that a refused payment signed nothing. */
public final class CountingSigner implements Signer {

    private final Signer delegate;
    private final AtomicInteger signatures = new AtomicInteger();

    public CountingSigner(Signer delegate) {
        this.delegate = delegate;
    }

    @Override
    public Address address() {
        return delegate.address();
    }

    @Override
    public Signature sign(byte[] digest) {
        signatures.incrementAndGet();
        return delegate.sign(digest);
    }

    /** How many digests were signed. */
    public int signatures() {
        return signatures.get();
    }
}
