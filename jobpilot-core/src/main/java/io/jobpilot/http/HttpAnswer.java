package io.jobpilot.http;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Brings a call's captured answer (property {@code response}) back from the call's own exchange to the run's
 * (http-send's enrich). Nothing else comes back: the run's message and properties stay as they were, and whatever
 * the call held is released with its exchange.
 */
public final class HttpAnswer implements AggregationStrategy {
    @Override
    public Exchange aggregate(Exchange run, Exchange call) {
        run.setProperty(HttpExchanges.RESPONSE, call.getProperty(HttpExchanges.RESPONSE));
        return run;
    }
}
