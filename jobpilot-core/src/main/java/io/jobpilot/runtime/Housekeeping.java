package io.jobpilot.runtime;

import org.apache.camel.Exchange;

/**
 * jobpilot's background timers (the notification outbox, callback receipts) in a host application: their exchanges
 * raise no completion events, so they do not count as the host's messages (camel.main.duration-max-messages) nor
 * show in its exchange metrics. Bean {@code housekeeping}, the first step of such a route.
 */
public final class Housekeeping {
    public void unseen(Exchange exchange) {
        exchange.getExchangeExtension().setNotifyEvent(true);
    }
}
