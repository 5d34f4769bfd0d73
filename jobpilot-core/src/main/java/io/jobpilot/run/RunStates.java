package io.jobpilot.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The states a run's ledger row can show: the {@link RunState}s of a run under way (recorded by Ledger.insert and Ledger.state),
 * then its outcome. What a caller may filter runs by.
 */
public final class RunStates {
    public static final List<String> UNDER_WAY = java.util.Arrays.stream(RunState.values()).map(RunState::name).toList();

    private RunStates() {
    }

    public static List<String> all() {
        List<String> all = new ArrayList<>(UNDER_WAY);
        for (Outcome o : Outcome.values()) {
            if (!all.contains(o.name())) {
                all.add(o.name());
            }
        }
        return all;
    }

    /** The state's name as recorded (any casing given); a UsageException naming the known ones otherwise. */
    public static String require(String given) {
        String state = given.trim().toUpperCase(Locale.ROOT);
        if (!all().contains(state)) {
            throw new UsageException("unknown state '" + given + "' (known: " + String.join(", ", all()) + ")");
        }
        return state;
    }
}
