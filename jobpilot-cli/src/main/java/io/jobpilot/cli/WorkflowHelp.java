package io.jobpilot.cli;

import io.jobpilot.run.WorkflowDefinition;
import io.jobpilot.run.WorkflowDefinition.Parameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code jobpilot run WORKFLOW --help}: what the workflow does and its parameters, from its definition. */
final class WorkflowHelp {
    private WorkflowHelp() {
    }

    static String of(WorkflowDefinition definition) {
        StringBuilder out = new StringBuilder("%n%s (%s): %s.%n%nParameters (-p NAME=VALUE):%n".formatted(
                definition.name(), definition.title(), definition.description()));
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (Parameter p : definition.parameters()) {
            List<String> facts = new ArrayList<>();
            if (p.required()) {
                facts.add("required");
            }
            if (!p.values().isEmpty()) {
                facts.add(String.join("|", p.values()));
            }
            if (p.min() != null) {
                facts.add(p.min() + " to " + p.max());
            }
            if (p.defaultValue() != null) {
                facts.add("default " + p.defaultValue());
            }
            if (p.oneOf() != null) {
                groups.computeIfAbsent(p.oneOf(), g -> new ArrayList<>()).add(p.name());
            }
            out.append("  %-22s %s%s%n".formatted(p.name() + (p.placeholder() == null ? "" : "=" + p.placeholder()),
                    p.description().replace("`", ""), facts.isEmpty() ? "" : " [" + String.join("; ", facts) + "]"));
        }
        groups.values().forEach(names -> out.append("  Exactly one of: ").append(String.join(", ", names)).append("%n".formatted()));
        if (!definition.canStop()) {
            out.append("%nIts remote job cannot be stopped: --on-timeout stop is refused.%n".formatted());
        }
        return out.toString();
    }
}
