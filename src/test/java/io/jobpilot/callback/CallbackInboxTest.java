package io.jobpilot.callback;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackInboxTest {
    private final CallbackInbox inbox = new CallbackInbox();

    private void callbackFor(String runId) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.setProperty(CallbackIntake.NOTICE, new CallbackNotice(runId, "h", "task", "1", "COMPLETED"));
        inbox.wake(e);
    }

    @Test
    void aCallbackIsTakenOnce() {
        inbox.watch("r1", false);
        assertThat(inbox.take("r1")).isFalse();
        callbackFor("r1");
        callbackFor("r1");
        assertThat(inbox.take("r1")).isTrue();
        assertThat(inbox.take("r1")).isFalse();
    }

    @Test
    void aRunCanStartWithItsFlagRaised() {
        inbox.watch("r1", true);
        assertThat(inbox.take("r1")).isTrue();
    }

    @Test
    void runsNobodyWaitsForKeepNoFlag() {
        callbackFor("elsewhere");
        inbox.watch("elsewhere", false);
        assertThat(inbox.take("elsewhere")).as("a callback before the watch is not kept here (the ledger has it)").isFalse();
        inbox.forget("elsewhere");
        callbackFor("elsewhere");
        assertThat(inbox.take("elsewhere")).isFalse();
    }
}
