package io.jobpilot.sandbox;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The faults a simulator applies, first match wins; a delay-only fault also lets the normal answer through. */
public final class FaultInjector {
    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    public FaultInjector add(Fault fault) {
        faults.add(fault);
        return this;
    }

    public void clear() {
        faults.clear();
    }

    Optional<Fault> take(String method, String path) {
        for (Fault f : faults) {
            if (f.matches(method, path) && f.take()) {
                if (f.remaining.get() == 0) {
                    faults.remove(f);
                }
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
