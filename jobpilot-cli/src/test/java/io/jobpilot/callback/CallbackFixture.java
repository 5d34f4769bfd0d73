package io.jobpilot.callback;

import io.jobpilot.iics.IicsJobApi;
import io.jobpilot.ledger.CallbackRecords;
import io.jobpilot.ledger.EndedRuns;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Run;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Test fixture: a real (H2) ledger with the callback beans on it, and exchanges carrying recorded iics-job runs. */
final class CallbackFixture implements AutoCloseable {
    final Path dir;
    final Ledger ledger;
    final CallbackRecords records;
    final CallbackTokens tokens;
    final DefaultCamelContext context = new DefaultCamelContext();

    CallbackFixture(Path dir) {
        this.dir = dir;
        // a bare context for the callback beans alone: jobpilot's routes would otherwise add themselves to it
        context.getPropertiesComponent().addInitialProperty("jobpilot.embedded", "false");
        ledger = Ledger.open("jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath(), "sa", "", 2);
        records = new CallbackRecords(ledger, Clock.systemUTC());
        tokens = new CallbackTokens("https://jobpilot.example.com/", records);
    }

    /** An exchange with a new recorded iics-job run with these parameters in property {@code run}. */
    Exchange exchangeFor(String runId, Map<String, String> params) {
        Run run = EndedRuns.recorded(ledger, dir, runId, "iics-job", params, null);
        Exchange e = new DefaultExchange(context);
        e.setProperty("run", run);
        return e;
    }

    /** A recorded callback run and its token (as in the callbackURL). */
    String tokenOf(String runId) {
        return issue(exchangeFor(runId, Map.of("callback", "true")));
    }

    /** Issues the token of the exchange's run and answers it. */
    String issue(Exchange e) {
        tokens.issue(e);
        String url = e.getProperty(IicsJobApi.CALLBACK_URL, String.class);
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Override
    public void close() {
        context.stop();
        ledger.close();
    }
}
