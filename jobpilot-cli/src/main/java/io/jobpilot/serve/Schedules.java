package io.jobpilot.serve;

import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Run;
import io.jobpilot.run.Runs;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The configured cron schedules: one route per schedule from the {@code jobpilot-schedule} template, whose only step is
 * {@link #fire}: record the fire, then hand the run to the {@link Launcher}. A Quartz thread never waits for a run.
 */
public final class Schedules {
    private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);
    private static final DateTimeFormatter FIRE_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    /** Each schedule's route is jobpilot-schedule-<name>. */
    public static final String ROUTE_PREFIX = "jobpilot-schedule-";

    private final Map<String, ScheduleSpec> specs;
    private final Ledger ledger;
    private final Runs runs;
    private final Launcher launcher;
    private final Leases leases;

    public Schedules(List<ScheduleSpec> specs, Ledger ledger, Runs runs, Launcher launcher, Leases leases) {
        this.specs = specs.stream().collect(Collectors.toMap(ScheduleSpec::name, Function.identity()));
        this.ledger = ledger;
        this.runs = runs;
        this.launcher = launcher;
        this.leases = leases;
    }

    public boolean isEmpty() {
        return specs.isEmpty();
    }

    public void addRoutes(CamelContext context) throws Exception {
        for (ScheduleSpec s : specs.values()) {
            TemplatedRouteBuilder.builder(context, "jobpilot-schedule").routeId(ROUTE_PREFIX + s.name())
                    .parameter("schedule", s.name()).parameter("cron", s.cron()).parameter("timeZone", s.timeZone().getId())
                    .parameter("misfire", String.valueOf(s.misfireInstruction())).add();
            LOG.info("schedule {}: {} every '{}' ({})", s.name(), s.workflow(), s.cron(), s.timeZone());
        }
    }

    /** One fire: skipped when the previous run of the schedule is still going; at most one run per fire time. */
    public void fire(Exchange exchange) {
        String name = exchange.getProperty("schedule", String.class);
        ScheduleSpec spec = specs.get(name);
        Date scheduled = exchange.getMessage().getHeader("scheduledFireTime", Date.class);
        Instant fireTime = (scheduled == null ? Instant.now() : scheduled.toInstant()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var previous = ledger.unfinishedRunOfSchedule(name);
        if (previous.isPresent()) {
            if (ledger.recordFire(name, fireTime, "SKIPPED_OVERLAP", null, "run " + previous.get() + " is still going")) {
                LOG.warn("schedule {}: fire at {} skipped, run {} is still going", name, fireTime, previous.get());
            }
            return;
        }
        String runId = name + "-" + FIRE_ID.format(fireTime);
        if (!ledger.recordFire(name, fireTime, "STARTED", runId, null)) {
            LOG.debug("schedule {}: fire at {} was already handled", name, fireTime);
            return;
        }
        Run run = runs.open(spec.request(runId), leases.schedule(name));
        launcher.launch(runId, run);
    }
}
