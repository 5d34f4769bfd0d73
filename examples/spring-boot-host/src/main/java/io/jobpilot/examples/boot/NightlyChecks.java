package io.jobpilot.examples.boot;

import io.jobpilot.run.RunResult;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The host's record of its nightly checks: every run's result, the failed ones apart (what an alert would read). */
@Component
public class NightlyChecks {
    private final List<RunResult> all = new CopyOnWriteArrayList<>();
    private final List<RunResult> failed = new CopyOnWriteArrayList<>();

    public void succeeded(RunResult result) {
        all.add(result);
    }

    public void failed(RunResult result) {
        all.add(result);
        failed.add(result);
    }

    public Optional<RunResult> last() {
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    public List<RunResult> failures() {
        return List.copyOf(failed);
    }
}
