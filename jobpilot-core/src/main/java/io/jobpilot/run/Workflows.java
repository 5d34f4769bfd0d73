package io.jobpilot.run;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** The workflows this runtime knows, by name. */
public final class Workflows {
    private final Map<String, WorkflowSpec> specs = new TreeMap<>();

    public Workflows(Collection<WorkflowSpec> all) {
        all.forEach(s -> specs.put(s.name(), s));
    }

    public WorkflowSpec require(String name) {
        WorkflowSpec spec = name == null ? null : specs.get(name);
        if (spec == null) {
            throw new UsageException((name == null ? "no workflow given" : "unknown workflow '" + name + "'") + " (known: "
                    + String.join(", ", specs.keySet()) + ")");
        }
        return spec;
    }

    public Collection<WorkflowSpec> all() {
        return specs.values();
    }

    /** --on-timeout stop only for a workflow whose vendor can stop its remote job. */
    public void checkOnTimeout(String workflow, OnTimeout onTimeout) {
        if (onTimeout == OnTimeout.STOP && !require(workflow).canStop()) {
            throw new UsageException(workflow + ": --on-timeout stop is not possible (the vendor offers no way to stop it); "
                    + "use fail (default) or detach, and resume the run later");
        }
    }

    public void validate(RunRequest request) {
        WorkflowSpec spec = require(request.workflow());
        checkOnTimeout(spec.name(), request.onTimeout());
        spec.rejectUnknown(request.params());
        spec.validate(request.params());
    }
}
