package io.jobpilot.cli;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.WorkflowSpec;
import io.jobpilot.runtime.WorkflowCatalog;

import java.util.Iterator;
import java.util.Map;

/** The workflows' names, from the catalog: for `run`'s help, its messages and shell completion. */
final class WorkflowNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return WorkflowCatalog.workflows(JobpilotConfig.of(Map.of())).all().stream().map(WorkflowSpec::name).iterator();
    }
}
