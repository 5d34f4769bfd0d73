package io.jobpilot.iics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Run;

import java.util.Locale;

/**
 * iics-job's start options in the {@code POST /api/v2/job} body: {@code -p parameter-file-name} and
 * {@code -p parameter-file-dir} as {@code parameterFileName} / {@code parameterFileDir}. The docs list them as fields of
 * the job (vendor-apis-more.md §d, D-JOB): that is the default, {@code top-level}. One public client sends them inside
 * {@code "runtime": {"@type": "mtTaskRuntime", ...}}; which one IICS reads is UNCONFIRMED, so
 * {@code jobpilot.iics.parameter-file-placement=runtime} sends that form instead.
 */
public final class IicsStartOptions {
    public enum Placement { TOP_LEVEL, RUNTIME }

    private final Placement placement;

    public IicsStartOptions(Placement placement) {
        this.placement = placement;
    }

    /** jobpilot.iics.parameter-file-placement: {@code top-level} or {@code runtime}. */
    public static IicsStartOptions of(String placement) {
        String p = placement.trim().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "top-level" -> new IicsStartOptions(Placement.TOP_LEVEL);
            case "runtime" -> new IicsStartOptions(Placement.RUNTIME);
            default -> throw new JobpilotConfig.ConfigException("property jobpilot.iics.parameter-file-placement: '" + placement
                    + "' is neither top-level (the documented form) nor runtime (inside the job's runtime object)");
        };
    }

    /** Adds the run's parameter file, if it names one, to the job body. */
    void addTo(ObjectNode job, Run run) {
        String name = run.param("parameter-file-name");
        String dir = run.param("parameter-file-dir");
        if (name == null && dir == null) {
            return;
        }
        ObjectNode target = placement == Placement.TOP_LEVEL ? job : job.putObject("runtime").put("@type", "mtTaskRuntime");
        if (name != null) {
            target.put("parameterFileName", name);
        }
        if (dir != null) {
            target.put("parameterFileDir", dir);
        }
    }
}
