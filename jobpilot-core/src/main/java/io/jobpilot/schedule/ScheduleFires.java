package io.jobpilot.schedule;

import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunExchange;
import io.jobpilot.run.RunOrigin;
import io.jobpilot.run.Runs;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The configured cron schedules, wherever jobpilot runs (serve, or a host application): one Quartz route per schedule
 * from the {@code jobpilot-schedule} template ({@value #TEMPLATE_ROUTES}), and what a fire decides: skipped while the
 * schedule's previous run is still going, and at most one run per fire time across every process on the ledger.
 */
public final class ScheduleFires {
    /** The route file with the template. */
    public static final String TEMPLATE_ROUTES = "schedules/jobpilot-schedules";
    /** Each schedule's route is jobpilot-schedule-&lt;name&gt;. */
    public static final String ROUTE_PREFIX = "jobpilot-schedule-";

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleFires.class);
    private static final DateTimeFormatter FIRE_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Map<String, ScheduleSpec> specs;
    private final Ledger ledger;
    private final Runs runs;

    public ScheduleFires(List<ScheduleSpec> specs, Ledger ledger, Runs runs) {
        this.specs = specs.stream().collect(Collectors.toMap(ScheduleSpec::name, Function.identity()));
        this.ledger = ledger;
        this.runs = runs;
    }

    public boolean isEmpty() {
        return specs.isEmpty();
    }

    /** One route per schedule, from the template (which must be loaded). */
    public void addRoutes(CamelContext context) throws Exception {
        for (ScheduleSpec s : specs.values()) {
            TemplatedRouteBuilder.builder(context, "jobpilot-schedule").routeId(ROUTE_PREFIX + s.name())
                    .parameter("schedule", s.name()).parameter("cron", s.cron()).parameter("timeZone", s.timeZone().getId())
                    .parameter("misfire", String.valueOf(s.misfireInstruction())).add();
            LOG.info("schedule {}: {} every '{}' ({})", s.name(), s.workflow(), s.cron(), s.timeZone());
        }
    }

    /**
     * The run of this fire (the template's exchange: property {@code schedule}, Quartz's scheduledFireTime), recorded
     * and opened with {@code origin}; empty when the fire is skipped or another process has it already.
     */
    public Optional<Run> open(Exchange exchange, Function<String, Supplier<RunOrigin>> origin) {
        String name = exchange.getProperty(RunExchange.SCHEDULE, String.class);
        ScheduleSpec spec = specs.get(name);
        Date scheduled = exchange.getMessage().getHeader("scheduledFireTime", Date.class);
        Instant fireTime = (scheduled == null ? Instant.now() : scheduled.toInstant()).truncatedTo(ChronoUnit.SECONDS);
        var previous = ledger.unfinishedRunOfSchedule(name);
        if (previous.isPresent()) {
            if (ledger.recordFire(name, fireTime, "SKIPPED_OVERLAP", null, "run " + previous.get() + " is still going")) {
                LOG.warn("schedule {}: fire at {} skipped, run {} is still going", name, fireTime, previous.get());
            }
            return Optional.empty();
        }
        String runId = name + "-" + FIRE_ID.format(fireTime);
        if (!ledger.recordFire(name, fireTime, "STARTED", runId, null)) {
            LOG.debug("schedule {}: fire at {} was already handled", name, fireTime);
            return Optional.empty();
        }
        return Optional.of(runs.open(spec.request(runId), origin.apply(name).get()));
    }
}
