package io.jobpilot.schedule;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.OnTimeout;
import io.jobpilot.run.RunRequest;
import io.jobpilot.run.UsageException;
import io.jobpilot.run.Workflows;
import org.quartz.CronExpression;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One schedule from the configuration: {@code jobpilot.schedules.<name>.cron} (Quartz syntax, seconds first),
 * {@code .workflow}, {@code .params.<param>}, {@code .notify-url}, {@code .time-zone}, {@code .misfire}
 * ({@code fire-once} or {@code skip}), {@code .timeout}, {@code .on-timeout}.
 */
public record ScheduleSpec(String name, String cron, String workflow, Map<String, String> params, String notifyUrl, ZoneId timeZone,
                           String misfire, Duration timeout, OnTimeout onTimeout) {
    private static final Pattern KEY = Pattern.compile("jobpilot\\.schedules\\.([A-Za-z0-9_-]+)\\.(.+)");

    /** Quartz's misfire instruction for cron triggers: 1 fire once now, 2 do nothing. */
    public int misfireInstruction() {
        return misfire.equals("skip") ? 2 : 1;
    }

    public RunRequest request(String runId) {
        return new RunRequest(workflow, params, runId, null, timeout, onTimeout, false, notifyUrl);
    }

    /** Every configured schedule, validated (cron, workflow, parameters) so a mistake stops start-up with a clear message. */
    public static List<ScheduleSpec> all(JobpilotConfig config, Workflows workflows) {
        TreeSet<String> names = new TreeSet<>();
        for (String key : config.keys()) {
            Matcher m = KEY.matcher(key);
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        List<ScheduleSpec> specs = new ArrayList<>();
        for (String name : names) {
            specs.add(parse(config, workflows, name));
        }
        return specs;
    }

    private static ScheduleSpec parse(JobpilotConfig config, Workflows workflows, String name) {
        String prefix = "jobpilot.schedules." + name + ".";
        String cron = config.get(prefix + "cron");
        if (cron == null || !CronExpression.isValidExpression(cron)) {
            throw new UsageException("schedule '" + name + "': " + prefix + "cron " + (cron == null ? "is missing"
                    : "'" + cron + "' is not a Quartz cron expression") + " (seconds minutes hours day-of-month month day-of-week, "
                    + "e.g. '0 0 2 * * ?' for 02:00 every day)");
        }
        String workflow = config.get(prefix + "workflow");
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : config.keys()) {
            if (key.startsWith(prefix + "params.")) {
                params.put(key.substring((prefix + "params.").length()), config.get(key));
            }
        }
        String misfire = config.get(prefix + "misfire", "fire-once");
        if (!misfire.equals("fire-once") && !misfire.equals("skip")) {
            throw new UsageException("schedule '" + name + "': " + prefix + "misfire must be fire-once or skip, not '" + misfire + "'");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(config.get(prefix + "time-zone", ZoneId.systemDefault().getId()));
        } catch (Exception e) {
            throw new UsageException("schedule '" + name + "': " + prefix + "time-zone: " + e.getMessage());
        }
        String timeout = config.get(prefix + "timeout");
        ScheduleSpec spec = new ScheduleSpec(name, cron, workflow, params, config.get(prefix + "notify-url"), zone, misfire,
                timeout == null ? null : config.duration(prefix + "timeout"),
                OnTimeout.parse(config.get(prefix + "on-timeout", "fail")));
        try {
            workflows.validate(spec.request(null));
        } catch (UsageException e) {
            throw new UsageException("schedule '" + name + "': " + e.getMessage());
        }
        return spec;
    }
}
