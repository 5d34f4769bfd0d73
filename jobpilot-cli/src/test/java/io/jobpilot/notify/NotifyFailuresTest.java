package io.jobpilot.notify;

import io.jobpilot.ledger.EndedRuns;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.ledger.NotifyOutbox;
import io.jobpilot.notify.NotifySchedule.Plan;
import io.jobpilot.notify.NotifySchedule.Step;
import io.jobpilot.run.Notification;
import io.jobpilot.run.Progress;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed attempt is recorded and planned; a delivery that is not retried is settled. */
class NotifyFailuresTest {
    @TempDir
    Path tmp;

    private Ledger ledger;
    private NotifyOutbox outbox;
    private Exchange exchange;
    private Delivery delivery;

    @BeforeEach
    void aDeliveryInFlight() {
        ledger = Ledger.open("jdbc:h2:file:" + tmp.resolve("ledger").toAbsolutePath(), "sa", "", 2);
        outbox = new NotifyOutbox(ledger, Clock.systemUTC(), Duration.ofSeconds(1), 10);
        EndedRuns.end(ledger, tmp, "r1", "http://hooks.example/x");
        delivery = outbox.claimNew("r1");
        outbox.attempting(delivery);
        exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(NotifyRequests.DELIVERY, delivery);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private NotifyFailures failures(Duration giveUpAfter) {
        NotifySchedule schedule = new NotifySchedule(2, Duration.ofMillis(50), Duration.ofMillis(200), giveUpAfter);
        Progress off = new Progress(Progress.Mode.OFF, new PrintWriter(new StringWriter()));
        return new NotifyFailures(schedule, outbox, new NotifyProgress(off, schedule, Clock.systemUTC()), Clock.systemUTC());
    }

    private Notification status() {
        return ledger.notification("r1").orElseThrow();
    }

    @Test
    void aFailedAttemptIsRecordedAndTheWaitHandedToCamel() {
        exchange.setException(new ConnectException("Connection refused"));

        failures(Duration.ofMinutes(1)).process(exchange);

        Plan plan = exchange.getProperty(NotifyFailures.PLAN, Plan.class);
        assertThat(plan.step()).isEqualTo(Step.RETRY);
        assertThat(exchange.getMessage().getHeader(Exchange.REDELIVERY_DELAY)).isEqualTo(0L);
        assertThat(failures(Duration.ofMinutes(1)).retry(exchange)).isTrue();
        assertThat(status().lastError()).isEqualTo("network error: ConnectException: Connection refused");
        assertThat(status().nextAttemptAt()).isNotNull();
    }

    @Test
    void theImmediateOnlyCommandLineLeavesTheWaitsToTheOutbox() {
        exchange.setException(new NotifyRequests.NotDelivered("HTTP 500"));
        exchange.setProperty(NotifyFailures.IMMEDIATE_ONLY, true);
        outbox.attempting(delivery);   // the second attempt: the next one waits

        NotifyFailures f = failures(Duration.ofMinutes(1));
        f.process(exchange);
        f.settle(exchange);

        assertThat(f.retry(exchange)).isFalse();
        assertThat(exchange.getMessage().getHeader(Exchange.REDELIVERY_DELAY)).isEqualTo(50L);
        assertThat(status().state()).isEqualTo("PENDING");
        assertThat(new NotifyOutbox(ledger, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(1)), Duration.ofSeconds(1), 10)
                .claimDue()).as("released: another process continues it when due").hasSize(1);
    }

    @Test
    void pastTheGiveUpTimeItIsDeadLettered() {
        exchange.setException(new NotifyRequests.NotDelivered("HTTP 500"));

        NotifyFailures f = failures(Duration.ZERO);
        f.process(exchange);
        f.settle(exchange);

        assertThat(f.retry(exchange)).isFalse();
        assertThat(status().state()).isEqualTo("DEAD");
        assertThat(status().lastError()).isEqualTo("HTTP 500");
        assertThat(status().nextAttemptAt()).isNull();
    }
}
